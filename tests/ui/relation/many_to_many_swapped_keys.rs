// A many_to_many's `from` references the declaring model and `to` the target: swapped, they do not compile.
use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
pub struct User {
    #[field(id)]
    pub id: String,
    #[relation(many_to_many = Organization, through = Membership, from = "organization_id", to = "user_id")]
    pub organizations: ManyToMany<Organization>,
}

#[derive(Model, Debug, Clone)]
pub struct Organization {
    #[field(id)]
    pub id: String,
    pub name: String,
}

#[derive(Model, Debug, Clone)]
pub struct Membership {
    #[field(id)]
    pub id: i64,
    #[field(references = User)]
    pub user_id: String,
    #[field(references = Organization)]
    pub organization_id: String,
}

fn main() {}
