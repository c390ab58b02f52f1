// A `Selection` field holding an aggregate has the aggregate's type: a sum of integers is an `i64`.
use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
#[model(table = "users")]
pub struct User {
    #[field(id)]
    pub id: String,
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
    #[relation(belongs_to = User, foreign_key = "user_id")]
    pub user: BelongsTo<User>,
}
#[derive(Selection, Debug, Clone)]
#[selection(model = User)]
pub struct Card {
    pub id: String,
    #[selection(of = sessions, sum = id)]
    pub total: i32,
}

fn main() {}
