// Every mistake is reported at once: `auto` on a composite key and a duplicate column in one struct both appear.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id, auto)]
    pub id: i64,
    #[field(id)]
    pub email: String,
    #[field(column = "email")]
    pub contact: String,
}

fn main() {}
