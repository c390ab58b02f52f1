// `find_first` takes only a selection of its own model too.
use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
#[model(table = "users")]
pub struct User {
    #[field(id)]
    pub id: String,
    #[field(unique)]
    pub email: String,
    #[relation(has_many = Session, foreign_key = "user_id")]
    pub sessions: HasMany<Session>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "sessions")]
pub struct Session {
    #[field(id)]
    pub id: i64,
    #[field(references = User)]
    pub user_id: String,
    pub token: String,
}

fn main() {
    let _ = User::find_first().select(select!(Session { id, token }));
}
