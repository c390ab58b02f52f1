// `id`, `auto`, `unique` and `index` take no value, even one that is not an expression.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id)]
    pub id: i64,
    #[field(unique = pub(crate))]
    pub email: String,
}

fn main() {}
