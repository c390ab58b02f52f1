// `#[model(module = "..")]` renames the handle module, so a model can sit beside a module of
// the user's with the default name.
#![deny(warnings)]
use trellis::prelude::*;

pub mod user {
    pub fn greeting() -> &'static str {
        "hello"
    }
}

#[derive(Model, Debug, Clone)]
#[model(module = "user_handles")]
pub struct User {
    #[field(id)]
    pub id: i64,
    #[field(unique)]
    pub email: String,
}

fn main() {
    assert_eq!(user::greeting(), "hello");
    let _ = User::find_unique(user_handles::email, "a@example.com");
    let _: user_handles::Where = Default::default();
}
