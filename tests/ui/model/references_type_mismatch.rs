// A foreign key has the referenced primary key's type (or `Option` of it): `i32` cannot reference an `i64` key.
use trellis::prelude::*;

#[derive(Model)]
pub struct Team {
    #[field(id, auto)]
    pub id: i64,
}

#[derive(Model)]
pub struct Player {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = Team)]
    pub team_id: i32,
}

fn main() {}
