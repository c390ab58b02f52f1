// Two fields cannot share a column: `rename_all` mapping two field names to one column is rejected.
use trellis::prelude::*;

#[derive(Model)]
#[model(rename_all = "camelCase")]
pub struct Address {
    #[field(id)]
    pub id: i64,
    pub line1: String,
    pub line_1: String,
}

fn main() {}
