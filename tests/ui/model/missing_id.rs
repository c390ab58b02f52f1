// A model needs exactly one primary key: a struct without `#[field(id)]` is rejected.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    pub id: i64,
    pub email: String,
}

fn main() {}
