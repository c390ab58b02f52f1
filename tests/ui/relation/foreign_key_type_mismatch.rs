// A has_many key on the related model must have the declaring model's key type.
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
    pub team_id: String,
}

#[derive(Model, Debug, Clone)]
pub struct Club {
    #[field(id)]
    pub id: i64,
    #[relation(has_many = Player, foreign_key = "team_id")]
    pub players: HasMany<Player>,
}

fn main() {}
