// Two fields cannot share a column: `column = "..."` naming a column another field already has is rejected.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id)]
    pub id: i64,
    pub email: String,
    #[field(column = "email")]
    pub contact: String,
}

fn main() {}
