// A many_to_many needs `through`, `from` and `to`.
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
    #[relation(many_to_many = Team, through = Roster, from = "player_id")]
    pub teams: ManyToMany<Team>,
}

#[derive(Model, Debug, Clone)]
pub struct Roster {
    #[field(id)]
    pub id: i64,
    pub player_id: i64,
    pub team_id: i64,
}

fn main() {}
