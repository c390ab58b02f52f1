// A `#[derive(Selection)]` type must be of the query's model, with `find_unique` as anywhere.
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

#[derive(Selection, Debug, Clone)]
#[selection(model = Session)]
pub struct Token {
    pub token: String,
}

fn main() {
    let _ = User::find_unique(user::email, "ada@example.com").select(Token::level());
}
