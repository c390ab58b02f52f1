// Generated code names everything by absolute path and prefixes the names it invents: a
// user's own `Clone`, `Option`, `Result`, `Vec`, .. in scope, columns named like the
// parameters of generated functions, and types named like `select!`'s output structs change
// nothing.
#![deny(warnings)]
#![allow(dead_code, non_camel_case_types)]

use trellis::prelude::*;

pub struct Clone;
pub struct Copy;
pub struct Debug;
pub struct Default;
pub struct PartialEq;
pub struct Option;
pub struct Result;
pub struct Vec;
pub struct Box;
pub struct From;
pub struct Into;
pub struct Some;
pub struct None;
pub struct Ok;
pub struct Err;
pub struct Send;
pub struct Sync;
pub struct Sized;
pub struct Serialize;
pub struct Deserialize;

/// Named like the struct `select!` declares for the `sessions` level.
pub struct SessionsSelection;
impl SessionsSelection {
    pub const SKIPPED: &'static str = "expired";
}

#[derive(Model, std::fmt::Debug, std::clone::Clone)]
pub struct User {
    #[field(id)]
    pub id: i64,
    pub name: std::option::Option<std::string::String>,
    // Named like parameters and bindings of generated functions.
    pub new: i64,
    pub model: i64,
    pub rows: i64,
    pub map: i64,
    pub d: i64,
    pub all: i64,
    pub any: i64,
    pub key: i64,
    pub row: i64,
    pub values: i64,
    #[relation(has_many = Session, foreign_key = "user_id")]
    pub sessions: HasMany<Session>,
}

#[derive(Model, std::fmt::Debug, std::clone::Clone)]
pub struct Session {
    #[field(id)]
    pub id: i64,
    #[field(references = User)]
    pub user_id: i64,
    pub token: std::string::String,
}

#[derive(Selection, std::fmt::Debug, std::clone::Clone)]
#[selection(model = Session)]
pub struct Token {
    pub token: std::string::String,
}

fn main() {
    let _ = User::find_many()
        .filter(user::name.contains("a"))
        .include(user::sessions)
        .select(select!(User {
            id,
            new,
            sessions(where = token.ne(SessionsSelection::SKIPPED), take = 2) { token },
        }));
    let _ = Session::find_many().select(Token::level());
    let _: user::Where = std::default::Default::default();
}
