// A field's type must be a supported column type: `u64` is not one (not every backend has unsigned integers).
use trellis::prelude::*;

#[derive(Model)]
pub struct Counter {
    #[field(id)]
    pub id: i64,
    pub hits: u64,
}

fn main() {}
