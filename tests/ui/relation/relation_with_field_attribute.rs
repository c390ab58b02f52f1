// A relation field is not a column: `#[field(...)]` cannot apply to it.
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
    #[field(unique)]
    #[relation(belongs_to = Team, foreign_key = "team_id")]
    pub team: BelongsTo<Team>,
}

fn main() {}
