// The fields `from` and `to` name must be declared foreign keys (`references`) of the join model.
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
    #[relation(many_to_many = Team, through = Roster, from = "player_id", to = "team_id")]
    pub teams: ManyToMany<Team>,
}

#[derive(Model, Debug, Clone)]
pub struct Roster {
    #[field(id)]
    pub id: i64,
    #[field(references = Player)]
    pub player_id: i64,
    pub team_id: i64,
}

fn main() {}
