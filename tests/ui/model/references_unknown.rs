// `references = X` must name a type in scope: a misspelt model name is reported by the compiler.
use trellis::prelude::*;

#[derive(Model)]
pub struct Team {
    #[field(id)]
    pub id: i64,
}

#[derive(Model)]
pub struct Player {
    #[field(id)]
    pub id: i64,
    #[field(references = Teams)]
    pub team_id: i64,
}

fn main() {}
