// `column` takes a string literal: `column = email` (a bare name) is rejected.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id)]
    pub id: i64,
    #[field(column = email)]
    pub email: String,
}

fn main() {}
