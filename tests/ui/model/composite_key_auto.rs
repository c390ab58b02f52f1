// Several `#[field(id)]` make a composite key, which the database cannot generate: `auto` on one of its columns is rejected.
use trellis::prelude::*;

#[derive(Model)]
pub struct Membership {
    #[field(id, auto)]
    pub user_id: i64,
    #[field(id)]
    pub team_id: i64,
}

fn main() {}
