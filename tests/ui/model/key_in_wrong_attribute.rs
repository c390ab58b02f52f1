// A `#[model(...)]` key written in `#[field(...)]` is rejected, listing the keys `#[field(...)]` takes.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id, table = "users")]
    pub id: i64,
}

fn main() {}
