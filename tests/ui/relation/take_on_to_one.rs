// `take` and `skip` page to-many relations only; a to-one relation has no such method.
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
    #[relation(belongs_to = Team, foreign_key = "team_id")]
    pub team: BelongsTo<Team>,
}

fn main() {
    let _ = Player::find_many().include(player::team.with(|q| q.take(5)));
}
