// `crate = ".."` names where the `trellis` crate is, the same way on `#[derive(Model)]`,
// `#[derive(Selection)]` and `select!`.
#![deny(warnings)]

mod orm {
    pub use ::trellis as reexported;
}

use orm::reexported::prelude::{HasMany, Queries};

#[derive(orm::reexported::Model, Debug, Clone)]
#[model(crate = "crate::orm::reexported")]
pub struct User {
    #[field(id)]
    pub id: i64,
    pub name: String,
    #[relation(has_many = Session, foreign_key = "user_id")]
    pub sessions: HasMany<Session>,
}

#[derive(orm::reexported::Model, Debug, Clone)]
#[model(crate = "crate::orm::reexported")]
pub struct Session {
    #[field(id)]
    pub id: i64,
    #[field(references = User)]
    pub user_id: i64,
}

#[derive(orm::reexported::Selection, Debug, Clone)]
#[selection(model = User, crate = "crate::orm::reexported")]
pub struct Card {
    pub name: String,
}

fn main() {
    let _ = User::find_many().select(orm::reexported::select!(
        crate = "crate::orm::reexported",
        User { id, sessions { id } }
    ));
    let _ = User::find_many().select(<Card as orm::reexported::select::Selection>::level());
}
