// A table name cannot be empty: `table = ""` is rejected.
use trellis::prelude::*;

#[derive(Model)]
#[model(table = "")]
pub struct User {
    #[field(id)]
    pub id: i64,
}

fn main() {}
