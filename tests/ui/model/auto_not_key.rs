// `auto` generates primary keys only: `#[field(auto)]` on a field that is not `#[field(id)]` is rejected.
use trellis::prelude::*;

#[derive(Model)]
pub struct Ticket {
    #[field(id, auto)]
    pub id: i64,
    #[field(auto)]
    pub number: i64,
}

fn main() {}
