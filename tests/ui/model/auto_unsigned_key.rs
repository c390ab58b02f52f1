// `#[field(id, auto)]` on `u64` breaks two rules, each reported once: the key type is not a column type, and not a type Trellis can generate.
use trellis::prelude::*;

#[derive(Model)]
pub struct Event {
    #[field(id, auto)]
    pub id: u64,
    pub name: String,
}

fn main() {}
