// A typo in a `#[field(...)]` key is reported with a suggestion, whatever value follows it.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id)]
    pub id: i64,
    #[field(colum = pub(crate))]
    pub email: String,
}

fn main() {}
