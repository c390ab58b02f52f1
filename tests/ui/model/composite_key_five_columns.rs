// A composite key has at most four columns (its `Model::Key` is a tuple of their types).
use trellis::prelude::*;

#[derive(Model)]
pub struct Cell {
    #[field(id)]
    pub a: i64,
    #[field(id)]
    pub b: i64,
    #[field(id)]
    pub c: i64,
    #[field(id)]
    pub d: i64,
    #[field(id)]
    pub e: i64,
}

fn main() {}
