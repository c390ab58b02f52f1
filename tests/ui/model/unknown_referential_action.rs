// `on_delete` takes one of the SQL referential actions, and only on a foreign key.
use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
pub struct Team {
    #[field(id)]
    pub id: i64,
}

#[derive(Model, Debug, Clone)]
pub struct Player {
    #[field(id)]
    pub id: i64,
    #[field(references = Team, on_delete = "cascades")]
    pub team_id: i64,
    #[field(on_delete = "cascade")]
    pub coach_id: i64,
}

fn main() {}
