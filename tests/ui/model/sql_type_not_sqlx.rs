// A `#[field(sql_type = "...")]` field's type must implement sqlx's traits on every backend.
use trellis::prelude::*;

#[derive(Clone, Debug)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

#[derive(Model)]
pub struct Place {
    #[field(id)]
    pub id: i64,
    #[field(sql_type = "POINT")]
    pub location: Point,
}

fn main() {}
