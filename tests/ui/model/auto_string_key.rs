// `#[field(id, auto)]` needs a key Trellis can generate (an integer or `uuid::Uuid`): a `String` key is rejected.
use trellis::prelude::*;

#[derive(Model)]
pub struct Session {
    #[field(id, auto)]
    pub token: String,
    pub user_id: i64,
}

fn main() {}
