// The primary key's type must be a supported column type too: a `u64` key is reported once, at the type.
use trellis::prelude::*;

#[derive(Model)]
pub struct Event {
    #[field(id)]
    pub id: u64,
    pub name: String,
}

fn main() {
    // Looking rows up by the key adds nothing.
    let _ = Event::find_by_id(1_u64);
}
