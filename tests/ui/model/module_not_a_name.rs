// `module = ".."` names a Rust module.
use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
#[model(module = "user handles")]
pub struct User {
    #[field(id)]
    pub id: i64,
}

fn main() {}
