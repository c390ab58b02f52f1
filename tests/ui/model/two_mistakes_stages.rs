// Every mistake is reported at once: an empty `table` and a missing `#[field(id)]` both appear.
use trellis::prelude::*;

#[derive(Model)]
#[model(table = "")]
pub struct User {
    pub id: i64,
    pub email: String,
}

fn main() {}
