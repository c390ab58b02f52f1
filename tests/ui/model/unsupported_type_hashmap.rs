// A field's type must be a supported column type: `HashMap<String, String>` is not one.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id)]
    pub id: i64,
    pub settings: std::collections::HashMap<String, String>,
}

fn main() {}
