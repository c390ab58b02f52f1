// A model has exactly one primary key: a second `#[field(id)]` is rejected (composite keys are not supported).
use trellis::prelude::*;

#[derive(Model)]
pub struct Membership {
    #[field(id)]
    pub user_id: i64,
    #[field(id)]
    pub team_id: i64,
}

fn main() {}
