// Every `#[model(...)]` and `#[field(...)]` attribute together on models that must compile.
#![deny(warnings)]
use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
#[model(table = "accounts", rename_all = "camelCase", crate = "::trellis")]
pub struct Account {
    #[field(id, auto)]
    pub id: i64,
    #[field(unique, index)]
    pub email_address: String,
    #[field(index, default = "'member'")]
    pub role_name: String,
    #[field(column = "created", default = "CURRENT_TIMESTAMP")]
    pub created_at: String,
    #[field(unique, column = "handle")]
    pub display_name: Option<String>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "posts")]
pub struct Post {
    #[field(id, auto)]
    pub id: i32,
    #[field(references = Account, index)]
    pub author_id: i64,
    #[field(sql_type = "SMALLINT")]
    pub priority: i8,
    #[field(sql_type = "SMALLINT", default = "0")]
    pub mood: Option<i8>,
}

fn main() {
    // The generated items are usable as documented.
    let _ = Account::find_unique(account::email_address, "ada@example.com");
    let _ = Account::find_many().filter(account::role_name.eq("admin"));
    let _ = Post::find_many().filter(post::author_id.eq(1_i64));
    let _: Filter<Post> = post::Where {
        id: Some(trellis::input::FieldFilter::equals(1)),
        ..Default::default()
    }
    .into();
    assert_eq!(Account::META.table, "accounts");
    assert_eq!(Account::META.columns[1].name, "emailAddress");
    assert_eq!(Account::META.columns[3].name, "created");
    assert_eq!(Account::META.columns[4].name, "handle");
    assert_eq!(Post::META.table, "posts");
}
