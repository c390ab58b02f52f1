// `rename_all` takes one of the listed case rules: an unknown rule is rejected.
use trellis::prelude::*;

#[derive(Model)]
#[model(rename_all = "camel_case")]
pub struct User {
    #[field(id)]
    pub id: i64,
    pub display_name: String,
}

fn main() {}
