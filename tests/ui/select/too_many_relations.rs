// A level reads at most 16 relations and aggregates (the 17th is named).
use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
#[model(table = "users")]
pub struct User {
    #[field(id)]
    pub id: i64,
    #[relation(has_many = Session, foreign_key = "user_id")]
    pub sessions: HasMany<Session>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "sessions")]
pub struct Session {
    #[field(id)]
    pub id: i64,
    #[field(references = User)]
    pub user_id: i64,
}

fn main() {
    let _ = User::find_many().select(select!(User {
        id,
        c1: sessions: count,
        c2: sessions: count,
        c3: sessions: count,
        c4: sessions: count,
        c5: sessions: count,
        c6: sessions: count,
        c7: sessions: count,
        c8: sessions: count,
        c9: sessions: count,
        c10: sessions: count,
        c11: sessions: count,
        c12: sessions: count,
        c13: sessions: count,
        c14: sessions: count,
        c15: sessions: count,
        c16: sessions: count,
        c17: sessions: count,
    }));
}
