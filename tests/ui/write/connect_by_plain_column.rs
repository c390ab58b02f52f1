// A row is connected by its key or a unique column: `team::name` is neither.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id)]
    pub id: String,
    #[relation(has_many = Session, foreign_key = "user_id")]
    pub sessions: HasMany<Session>,
    #[relation(many_to_many = Team, through = Membership, from = "user_id", to = "team_id")]
    pub teams: ManyToMany<Team>,
}

#[derive(Model)]
pub struct Session {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = User)]
    pub user_id: String,
    pub token: String,
    pub logins: i32,
}

#[derive(Model)]
pub struct Team {
    #[field(id)]
    pub id: String,
    #[field(unique)]
    pub slug: String,
    pub name: String,
}

#[derive(Model)]
pub struct Membership {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = User)]
    pub user_id: String,
    #[field(references = Team)]
    pub team_id: String,
    pub role: String,
}

fn main() {
    let _ = User::create(user::New { id: "ada".into() }).with(user::teams::connect_by(
        team::name,
        "Red",
        user::teams::New { role: "owner".into() },
    ));
}
