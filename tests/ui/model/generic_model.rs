// A model cannot have generic parameters: a table has one row type.
use trellis::prelude::*;

#[derive(Model)]
pub struct Tagged<T> {
    #[field(id)]
    pub id: i64,
    pub value: T,
}

fn main() {}
