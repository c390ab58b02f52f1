// A `#[model(...)]` key written in `#[field(...)]` is rejected as unknown there, at the key.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id, table = "users")]
    pub id: i64,
}

fn main() {}
