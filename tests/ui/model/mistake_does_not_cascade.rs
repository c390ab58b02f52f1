// A mistake in the attributes is the only error: code using the model, its key and its column handles adds none.
use trellis::prelude::*;

#[derive(Model)]
pub struct User {
    #[field(id)]
    pub id: String,
    #[field(uniqe)]
    pub email: String,
}

fn main() {
    let _ = User::find_by_id("ada".to_owned());
    let _ = User::find_unique(user::id, "ada".to_owned());
    let _ = User::find_many().filter(user::email.eq("ada@example.com"));
    let _: Filter<User> = user::Where::default().into();
}
