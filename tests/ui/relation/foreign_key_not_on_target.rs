// A has_many `foreign_key` names a field of the related model; the error lists its fields.
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
pub struct League {
    #[field(id)]
    pub id: i64,
    #[relation(has_many = Player, foreign_key = "team")]
    pub players: HasMany<Player>,
}

fn main() {}
