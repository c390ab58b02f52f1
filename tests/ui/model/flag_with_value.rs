// `id`, `auto`, `unique` and `index` take no value: `unique = true` is rejected.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id)]
    pub id: i64,
    #[field(unique = true)]
    pub email: String,
}

fn main() {}
