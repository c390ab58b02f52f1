// Every mistake is reported at once: a typo on the struct and another on a field both appear.
use trellis::prelude::*;

#[derive(Model)]
#[model(tabel = "users")]
pub struct User {
    #[field(id)]
    pub id: i64,
    #[field(uniqe)]
    pub email: String,
}

fn main() {}
