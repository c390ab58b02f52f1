// Every mistake is reported at once: a second `#[field(id)]` and a duplicate column in one struct both appear.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id)]
    pub id: i64,
    #[field(id)]
    pub email: String,
    #[field(column = "email")]
    pub contact: String,
}

fn main() {}
