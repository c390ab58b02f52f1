// A has_one reads at most one row per parent, so its `foreign_key` must be a unique field.
use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
pub struct User {
    #[field(id)]
    pub id: String,
    #[relation(has_one = Profile, foreign_key = "user_id")]
    pub profile: HasOne<Profile>,
}

#[derive(Model, Debug, Clone)]
pub struct Profile {
    #[field(id)]
    pub id: String,
    #[field(references = User)]
    pub user_id: String,
    pub bio: Option<String>,
}

fn main() {}
