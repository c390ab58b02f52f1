//! The models the integration tests share.

use trellis::prelude::*;

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "users")]
pub struct User {
    #[field(id)]
    pub id: String,
    #[field(unique)]
    pub email: String,
    pub name: String,
    pub age: Option<i32>,
    #[relation(has_one = Profile, foreign_key = "user_id")]
    pub profile: HasOne<Profile>,
    #[relation(has_many = Session, foreign_key = "user_id")]
    pub sessions: HasMany<Session>,
    #[relation(many_to_many = Organization, through = Membership, from = "user_id", to = "organization_id")]
    pub organizations: ManyToMany<Organization>,
}

#[derive(Model, Debug, Clone, PartialEq)]
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

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "sessions", rename_all = "camelCase")]
pub struct Session {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = User)]
    pub user_id: String,
    pub token: String,
    #[relation(belongs_to = User, foreign_key = "user_id")]
    pub user: BelongsTo<User>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "organizations")]
pub struct Organization {
    #[field(id)]
    pub id: String,
    pub name: String,
    #[relation(many_to_many = User, through = Membership, from = "organization_id", to = "user_id")]
    pub members: ManyToMany<User>,
}

/// The join model of users and organizations, with a column of its own.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "memberships")]
pub struct Membership {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = User)]
    pub user_id: String,
    #[field(references = Organization)]
    pub organization_id: String,
    pub role: String,
}

/// Reserved words as table and column names.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "order")]
pub struct Order {
    #[field(id, auto, column = "group")]
    pub id: i32,
    #[field(column = "select")]
    pub select: String,
    #[field(column = "from", index)]
    pub from: Option<i64>,
}

/// One column of every supported type, nullable and not.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "all_types")]
pub struct AllTypes {
    #[field(id, auto)]
    pub id: uuid::Uuid,
    pub flag: bool,
    pub small: i16,
    pub int: i32,
    pub big: i64,
    pub real: f32,
    pub double: f64,
    pub text: String,
    pub bytes: Vec<u8>,
    pub maybe_text: Option<String>,
    pub maybe_big: Option<i64>,
    pub maybe_bytes: Option<Vec<u8>>,
    pub chrono_at: chrono::NaiveDateTime,
    pub chrono_utc: chrono::DateTime<chrono::Utc>,
    pub chrono_date: chrono::NaiveDate,
    pub time_at: time::PrimitiveDateTime,
    pub time_date: time::Date,
    pub maybe_time: Option<time::OffsetDateTime>,
    pub amount: rust_decimal::Decimal,
    pub maybe_amount: Option<rust_decimal::Decimal>,
    pub doc: serde_json::Value,
    pub maybe_doc: Option<serde_json::Value>,
    pub maybe_uuid: Option<uuid::Uuid>,
}

pub fn schema() -> Schema {
    // Listed children first on purpose: the schema orders tables by their references.
    Schema::new()
        .model::<Session>()
        .model::<Profile>()
        .model::<User>()
        .model::<Order>()
        .model::<AllTypes>()
        .model::<Code>()
        .model::<Organization>()
        .model::<Membership>()
}

pub fn user(id: &str, age: Option<i32>) -> User {
    user::New {
        id: id.to_owned(),
        email: format!("{id}@example.com"),
        name: format!("User {id}"),
        age,
    }
    .into()
}

/// The row a `user::New` is stored as (the model has no `auto` key or `default`), so that
/// tests can compare what they wrote with what they read.
impl From<user::New> for User {
    fn from(new: user::New) -> Self {
        User {
            id: new.id,
            email: new.email,
            name: new.name,
            age: new.age,
            profile: Default::default(),
            sessions: Default::default(),
            organizations: Default::default(),
        }
    }
}

pub fn session(user_id: &str, token: &str) -> session::New {
    session::New {
        user_id: user_id.to_owned(),
        token: token.to_owned(),
    }
}

/// Columns typed by hand with `sql_type`, through sqlx's own traits.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "codes")]
pub struct Code {
    #[field(id, sql_type = "VARCHAR(32)")]
    pub code: String,
    #[field(sql_type = "VARCHAR(64)")]
    pub label: Option<String>,
}

/// Its table is created by hand with the wrong column type, to see decoding fail.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "gauges")]
pub struct Gauge {
    #[field(id)]
    pub id: i64,
    pub level: i32,
}
