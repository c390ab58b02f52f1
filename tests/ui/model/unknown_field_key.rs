// A `#[field(...)]` key must be one of the documented keys; a typo is reported with a suggestion.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id)]
    pub id: i64,
    #[field(uniqe)]
    pub email: String,
}

fn main() {}
