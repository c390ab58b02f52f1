// The rows of a `Selection`'s relation field must be a selection of the related model.
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

/// Of `User`, but `sessions` leads to `Session`.
#[derive(Selection, Debug, Clone)]
#[selection(model = User)]
pub struct Email {
    pub email: String,
}

#[derive(Selection, Debug, Clone)]
#[selection(model = User)]
pub struct Card {
    pub id: String,
    #[selection(take = 3)]
    pub sessions: Vec<Email>,
}

fn main() {}
