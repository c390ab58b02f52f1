// An index of several columns names fields of the model, at least two, each once: a misspelt field, an index of one and a field named twice are each reported at the name.
use trellis::prelude::*;

#[derive(Model)]
#[model(unique(user_id, tema_id), index(role), index(team_id, team_id))]
pub struct Membership {
    #[field(id, auto)]
    pub id: i64,
    pub user_id: i64,
    pub team_id: i64,
    pub role: String,
}

fn main() {}
