// `references = X` must name a model: a struct without `#[derive(Model)]` is rejected.
use trellis::prelude::*;

pub struct Team {
    pub id: i64,
}

#[derive(Model)]
pub struct Player {
    #[field(id)]
    pub id: i64,
    #[field(references = Team)]
    pub team_id: i64,
}

fn main() {}
