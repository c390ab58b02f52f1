// A relation field has exactly one kind.
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
    #[relation(belongs_to = Team, has_one = Team, foreign_key = "team_id")]
    pub team: BelongsTo<Team>,
}

fn main() {}
