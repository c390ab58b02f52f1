// `#[derive(Model)]` needs a struct with named fields: an enum is rejected.
use trellis::prelude::*;

#[derive(Model)]
pub enum Status {
    Active,
    Disabled,
}

fn main() {}
