// A key named as other libraries name it (`primary_key`) is rejected, listing the keys that exist.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(primary_key)]
    pub id: i64,
}

fn main() {}
