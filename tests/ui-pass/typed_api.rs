// The typed API as users write it: `take`/`skip` with any unsigned integer, loaded relations
// read without unwrapping, `order_by` as an expression in `#[derive(Selection)]`, and a
// relation selected twice under other names.
#![deny(warnings)]
use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
pub struct User {
    #[field(id)]
    pub id: i64,
    #[relation(has_many = Session, foreign_key = "user_id")]
    pub sessions: HasMany<Session>,
    #[relation(has_one = Profile, foreign_key = "user_id")]
    pub profile: HasOne<Profile>,
}

#[derive(Model, Debug, Clone)]
pub struct Session {
    #[field(id)]
    pub id: i64,
    #[field(references = User)]
    pub user_id: i64,
    pub token: String,
}

#[derive(Model, Debug, Clone)]
pub struct Profile {
    #[field(id)]
    pub id: i64,
    #[field(unique, references = User)]
    pub user_id: i64,
}

#[derive(Selection, Debug, Clone)]
#[selection(model = Session)]
pub struct Token {
    pub token: String,
}

#[derive(Selection, Debug, Clone)]
#[selection(model = User)]
pub struct Card {
    pub id: i64,
    #[selection(order_by = token.desc(), where = token.ne("x"), take = 3usize)]
    pub sessions: Vec<Token>,
}

fn read(user: &User) -> (usize, bool, Option<i64>) {
    let tokens = user.sessions.rows().len();
    let loaded = user.sessions.is_loaded();
    let profile = user.profile.get().map(|p| p.id);
    (tokens, loaded, profile)
}

fn main() {
    let page: usize = 2;
    let size: u32 = 20;
    let _ = User::find_many()
        .take(size)
        .skip(page * size as usize)
        .include(user::sessions.with(|q| q.take(5u8)));
    let _ = User::find_many()
        .select(select!(User {
            id,
            open: sessions(where = token.ne("expired"), take = size) { token },
            expired: sessions(where = token.eq("expired")) { id },
            open_count: sessions(where = token.ne("expired")): count,
            sessions: count,
        }))
        .take(10usize);
    let _ = User::find_many().select(Card::level());
    let user = User {
        id: 1,
        sessions: HasMany::default(),
        profile: HasOne::default(),
    };
    assert_eq!(read(&user), (0, false, None));
    let _: Vec<Session> = user.sessions.into_rows();
    let _: Option<Profile> = user.profile.into_row();
}
