// A `#[field(sql_type = "...")]` field's type must work with sqlx on every backend: `u32` lacks PostgreSQL, and only that is reported.
use trellis::prelude::*;

#[derive(Model)]
pub struct Counter {
    #[field(id)]
    pub id: i64,
    #[field(sql_type = "INTEGER")]
    pub hits: u32,
}

fn main() {}
