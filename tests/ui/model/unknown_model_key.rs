// A `#[model(...)]` key must be `table`, `rename_all` or `crate`; a typo is reported with a suggestion.
use trellis::prelude::*;

#[derive(Model)]
#[model(tabel = "users")]
pub struct User {
    #[field(id)]
    pub id: i64,
    pub email: String,
}

fn main() {}
