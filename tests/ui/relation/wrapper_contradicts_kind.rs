// The wrapper type must agree with the relation kind (`has_many` loads into a `HasMany`).
use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
pub struct Team {
    #[field(id)]
    pub id: i64,
    pub name: String,
}

#[derive(Model, Debug, Clone)]
pub struct Player {
    #[field(id)]
    pub id: i64,
    #[field(references = Team)]
    pub team_id: i64,
}

#[derive(Model, Debug, Clone)]
pub struct Club {
    #[field(id)]
    pub id: i64,
    #[relation(has_many = Player, foreign_key = "team_id")]
    pub players: HasOne<Player>,
}

fn main() {}
