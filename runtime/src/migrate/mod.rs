//! Layer 9, migrations: the files `sqlx migrate` runs, written from the models. The first
//! creates the schema's tables ([`initial`]); each next one holds what a live database lacks,
//! found by reading its catalog ([`read_catalog`]) and comparing it with the models
//! ([`diff()`]), written as SQL text ([`render()`]) into sqlx's migrations directory
//! ([`write()`]).
//! `docs/migrations.md` is the guide.
//!
//! Everything but reading the catalog and writing the file is a pure function.
//!
//! May use: values, metadata, SQL rendering, the driver and the models' schema
//! (`crate::values`, `crate::meta`, `crate::sql`, `crate::driver`, `crate::model`).

mod catalog;
mod diff;
mod files;
mod read;
mod render;
mod types;

use std::path::Path;

pub use catalog::{Catalog, Column, ForeignKey, Index, Table};
pub use diff::{diff, Change};
pub use files::{write, MigrationFile};
pub use render::{render, Script};
pub use types::{is_sqlite_decimal, normalize_type};

use crate::driver::db::Db;
use crate::model::schema::Schema;
use crate::sql::Dialect;
use crate::values::error::Result;

/// The first migration: the tables and indexes of every model in the schema, referenced
/// tables first (the DDL of [`Db::create_schema`]).
pub fn initial(dialect: Dialect, schema: &Schema) -> Script {
    let changes: Vec<Change> = schema
        .in_dependency_order()
        .into_iter()
        .map(|model| Change::CreateTable { model })
        .collect();
    render(dialect, &changes)
}

/// Reads the tables of the database `db` is connected to (PostgreSQL: its current schema;
/// MySQL: its current database), leaving out sqlx's `_sqlx_migrations`.
pub async fn read_catalog(db: &Db) -> Result<Catalog> {
    read::read(db).await
}

/// The next migration: what the database lacks of the schema's models, and, commented out,
/// what it has that they do not declare. Empty when the database matches the models.
pub async fn next(db: &Db, schema: &Schema) -> Result<Script> {
    let catalog = read_catalog(db).await?;
    Ok(render(db.dialect(), &diff(db.dialect(), schema, &catalog)))
}

/// Writes the first migration into `dir` as `0001_initial.sql` (the next number when `dir`
/// already holds migrations); `Ok(None)` for a schema of no models.
pub fn write_initial(
    dir: impl AsRef<Path>,
    dialect: Dialect,
    schema: &Schema,
) -> Result<Option<MigrationFile>> {
    write(dir.as_ref(), "initial", &initial(dialect, schema))
}

/// Compares the database with the models and writes the difference into `dir` as the next
/// migration, named after `description`. Writes nothing and returns `Ok(None)` when the
/// database matches the models.
pub async fn write_next(
    dir: impl AsRef<Path>,
    db: &Db,
    schema: &Schema,
    description: &str,
) -> Result<Option<MigrationFile>> {
    let script = next(db, schema).await?;
    write(dir.as_ref(), description, &script)
}

#[cfg(test)]
mod tests;
