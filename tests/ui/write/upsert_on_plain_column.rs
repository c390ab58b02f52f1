// An upsert's conflict target must be a unique or primary-key column: `.on(..)` takes only their handles.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id)]
    pub id: String,
    #[field(unique)]
    pub email: String,
    pub name: String,
}

fn main() {
    let _ = User::upsert(user::New {
        id: "ada".into(),
        email: "ada@example.com".into(),
        name: "Ada".into(),
    })
    .on(user::name);
}
