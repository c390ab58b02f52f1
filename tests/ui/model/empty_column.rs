// A column name cannot be empty: `column = ""` is rejected.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id)]
    pub id: i64,
    #[field(column = "")]
    pub email: String,
}

fn main() {}
