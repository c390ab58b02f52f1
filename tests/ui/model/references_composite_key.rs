// A foreign key references one column: a model whose key is composite cannot be referenced.
use trellis::prelude::*;

#[derive(Model)]
pub struct Membership {
    #[field(id)]
    pub user_id: i64,
    #[field(id)]
    pub team_id: i64,
}

#[derive(Model)]
pub struct Badge {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = Membership)]
    pub membership_id: i64,
}

fn main() {}
