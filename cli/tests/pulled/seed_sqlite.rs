//! The models of a SQLite database, written by `trellis pull`.
//!
//! A pull writes this file again: keep your own code (impl blocks, functions) in other
//! files of the crate.
//!
//! The column types need these features of `trellis`: `chrono`, `rust_decimal`.

use trellis::prelude::*;

/// A row of `all_types`.
#[derive(Model, Debug, Clone)]
#[model(table = "all_types")]
pub struct AllType {
    #[field(id)]
    pub id: Vec<u8>,
    pub flag: bool,
    pub small: i16,
    pub int: i32,
    pub big: i64,
    pub real: f64,
    pub double: f64,
    pub text: String,
    pub bytes: Vec<u8>,
    pub maybe_text: Option<String>,
    pub maybe_big: Option<i64>,
    pub maybe_bytes: Option<Vec<u8>>,
    pub chrono_at: chrono::NaiveDateTime,
    pub chrono_utc: chrono::NaiveDateTime,
    pub chrono_date: chrono::NaiveDate,
    pub time_at: chrono::NaiveDateTime,
    pub time_date: chrono::NaiveDate,
    pub maybe_time: Option<chrono::NaiveDateTime>,
    pub amount: rust_decimal::Decimal,
    pub maybe_amount: Option<rust_decimal::Decimal>,
    pub doc: String,
    pub maybe_doc: Option<String>,
    pub maybe_uuid: Option<Vec<u8>>,
}

/// A row of `codes`.
#[derive(Model, Debug, Clone)]
#[model(table = "codes")]
pub struct Code {
    #[field(id)]
    pub code: String,
    pub label: Option<String>,
}

/// A row of `memberships`.
#[derive(Model, Debug, Clone)]
#[model(table = "memberships")]
pub struct Membership {
    #[field(id, auto)]
    pub id: i64,
    #[field(index, references = User)]
    pub user_id: String,
    #[field(index, references = Organization)]
    pub organization_id: String,
    pub role: String,
    #[relation(belongs_to = User, foreign_key = "user_id")]
    pub user: BelongsTo<User>,
    #[relation(belongs_to = Organization, foreign_key = "organization_id")]
    pub organization: BelongsTo<Organization>,
}

/// A row of `order`.
#[derive(Model, Debug, Clone)]
#[model(table = "order")]
pub struct Order {
    #[field(id, auto)]
    pub group: i64,
    pub select: String,
    #[field(index)]
    pub from: Option<i64>,
}

/// A row of `organizations`.
#[derive(Model, Debug, Clone)]
#[model(table = "organizations")]
pub struct Organization {
    #[field(id)]
    pub id: String,
    pub name: String,
    #[relation(has_many = Membership, foreign_key = "organization_id")]
    pub memberships: HasMany<Membership>,
}

/// A row of `profiles`.
#[derive(Model, Debug, Clone)]
#[model(table = "profiles")]
pub struct Profile {
    #[field(id)]
    pub id: String,
    #[field(unique, references = User, on_delete = "cascade")]
    pub user_id: String,
    pub bio: Option<String>,
    #[relation(belongs_to = User, foreign_key = "user_id")]
    pub user: BelongsTo<User>,
}

/// A row of `sessions`.
#[derive(Model, Debug, Clone)]
#[model(table = "sessions")]
pub struct Session {
    #[field(id, auto)]
    pub id: i64,
    #[field(column = "userId", index, references = User)]
    pub user_id: String,
    pub token: String,
    #[relation(belongs_to = User, foreign_key = "user_id")]
    pub user: BelongsTo<User>,
}

/// A row of `users`.
#[derive(Model, Debug, Clone)]
#[model(table = "users")]
pub struct User {
    #[field(id)]
    pub id: String,
    #[field(unique)]
    pub email: String,
    pub name: String,
    pub age: Option<i32>,
    #[relation(has_many = Membership, foreign_key = "user_id")]
    pub memberships: HasMany<Membership>,
    #[relation(has_one = Profile, foreign_key = "user_id")]
    pub profile: HasOne<Profile>,
    #[relation(has_many = Session, foreign_key = "user_id")]
    pub sessions: HasMany<Session>,
}

/// Every model of the file, for `create_schema`, the migrations and the generators.
pub fn schema() -> trellis::Schema {
    trellis::Schema::new()
        .model::<AllType>()
        .model::<Code>()
        .model::<Membership>()
        .model::<Order>()
        .model::<Organization>()
        .model::<Profile>()
        .model::<Session>()
        .model::<User>()
}
