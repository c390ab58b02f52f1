// `#[derive(Model)]` needs a struct with named fields: a tuple struct is rejected.
use trellis::prelude::*;

#[derive(Model)]
pub struct User(#[field(id)] i64, String);

fn main() {}
