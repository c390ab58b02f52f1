//! Writes the SQL DDL, Prisma schema and Drizzle schema of a set of models to files, one per
//! database: `cargo run --example generate -- <output dir>` (default `generated/`).

use std::path::PathBuf;

use trellis::prelude::*;
use trellis::Dialect;

#[derive(Model, Debug, Clone)]
#[model(table = "users")]
pub struct User {
    #[field(id)]
    pub id: String,
    #[field(unique)]
    pub email: String,
    pub display_name: Option<String>,
    #[field(default = "0")]
    pub karma: i32,
    #[relation(has_one = Profile, foreign_key = "user_id")]
    pub profile: HasOne<Profile>,
    #[relation(has_many = Session, foreign_key = "user_id")]
    pub sessions: HasMany<Session>,
    #[relation(many_to_many = Organization, through = Membership, from = "user_id", to = "organization_id")]
    pub organizations: ManyToMany<Organization>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "profiles", rename_all = "camelCase")]
pub struct Profile {
    #[field(id, auto)]
    pub id: i64,
    #[field(unique, references = User)]
    pub user_id: String,
    pub bio: Option<String>,
    pub avatar: Option<Vec<u8>>,
    #[relation(belongs_to = User, foreign_key = "user_id")]
    pub user: BelongsTo<User>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "sessions")]
pub struct Session {
    #[field(id)]
    pub id: uuid::Uuid,
    #[field(references = User)]
    pub user_id: String,
    #[field(unique)]
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub created_on: chrono::NaiveDate,
}

#[derive(Model, Debug, Clone)]
#[model(table = "organizations")]
pub struct Organization {
    #[field(id, auto)]
    pub id: i32,
    #[field(index)]
    pub name: String,
    pub revenue: Option<rust_decimal::Decimal>,
    pub settings: serde_json::Value,
    pub rating: f64,
    pub active: bool,
    #[field(references = Organization, on_delete = "set null")]
    pub parent_id: Option<i32>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "memberships")]
pub struct Membership {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = User)]
    pub user_id: String,
    #[field(references = Organization, on_delete = "cascade", on_update = "cascade")]
    pub organization_id: i32,
    pub role: String,
    pub weight: i16,
    pub score: f32,
}

/// The schema the example (and the generator checks in CI) write out.
pub fn schema() -> Schema {
    Schema::new()
        .model::<User>()
        .model::<Profile>()
        .model::<Session>()
        .model::<Organization>()
        .model::<Membership>()
}

fn main() -> std::io::Result<()> {
    let dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("generated"), PathBuf::from);
    std::fs::create_dir_all(&dir)?;
    let schema = schema();
    for (name, dialect) in [
        ("sqlite", Dialect::Sqlite),
        ("postgres", Dialect::Postgres),
        ("mysql", Dialect::MySql),
    ] {
        std::fs::write(dir.join(format!("{name}.sql")), schema.to_sql(dialect))?;
        std::fs::write(
            dir.join(format!("{name}.prisma")),
            schema.to_prisma(dialect),
        )?;
        std::fs::write(dir.join(format!("{name}.ts")), schema.to_drizzle(dialect))?;
    }
    println!(
        "wrote SQL, Prisma and Drizzle schemas for SQLite, PostgreSQL and MySQL to {}",
        dir.display()
    );
    Ok(())
}
