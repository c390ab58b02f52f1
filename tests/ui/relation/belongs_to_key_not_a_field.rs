// A belongs_to `foreign_key` names a field of the declaring model; the error lists them.
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
    #[relation(belongs_to = Team, foreign_key = "teamid")]
    pub team: BelongsTo<Team>,
}

fn main() {}
