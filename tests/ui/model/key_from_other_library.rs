// A key named as other libraries name it (`primary_key`) is rejected as unknown, at the key.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(primary_key)]
    pub id: i64,
}

fn main() {}
