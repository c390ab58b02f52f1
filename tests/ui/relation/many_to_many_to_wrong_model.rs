// A many_to_many's `to` must reference the relation's target, not another model.
use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
pub struct Team {
    #[field(id)]
    pub id: i64,
    pub name: String,
}

#[derive(Model, Debug, Clone)]
pub struct Coach {
    #[field(id)]
    pub id: i64,
    pub name: String,
}

#[derive(Model, Debug, Clone)]
pub struct Player {
    #[field(id)]
    pub id: i64,
    #[relation(many_to_many = Team, through = Roster, from = "player_id", to = "coach_id")]
    pub teams: ManyToMany<Team>,
}

#[derive(Model, Debug, Clone)]
pub struct Roster {
    #[field(id)]
    pub id: i64,
    #[field(references = Player)]
    pub player_id: i64,
    #[field(references = Team)]
    pub team_id: i64,
    #[field(references = Coach)]
    pub coach_id: i64,
}

fn main() {}
