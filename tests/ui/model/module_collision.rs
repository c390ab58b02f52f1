// The handle module is named after the struct; a module of the user's with that name is a
// clash, reported at the struct (rename the handles with `#[model(module = "..")]`).
use trellis::prelude::*;

pub mod user {}

#[derive(Model, Debug, Clone)]
pub struct User {
    #[field(id)]
    pub id: i64,
}

fn main() {}
