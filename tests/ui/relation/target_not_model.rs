// The related type of a relation must be a model.
use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
pub struct Team {
    #[field(id)]
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Badge {
    pub id: i64,
}

#[derive(Model, Debug, Clone)]
pub struct Player {
    #[field(id)]
    pub id: i64,
    #[relation(has_many = Badge, foreign_key = "player_id")]
    pub badges: HasMany<Badge>,
}

fn main() {}
