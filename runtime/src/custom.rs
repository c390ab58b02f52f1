//! Columns of types Trellis does not know, declared with `#[field(sql_type = "...")]`.
//!
//! Such a type only has to implement sqlx's encode, decode and type traits for the three
//! backends; its value travels boxed so the rest of the runtime stays non-generic.

use std::fmt;

use sqlx::{mysql::MySqlArguments, postgres::PgArguments, sqlite::SqliteArguments, Arguments};
use sqlx::{MySql, Postgres, Sqlite};

use crate::row::Row;

type BoxDynError = Box<dyn std::error::Error + Send + Sync>;

/// A value of a user type that binds itself on each backend.
pub trait CustomValue: fmt::Debug + Send + Sync {
    /// Appends the value to SQLite arguments.
    fn add_sqlite(&self, args: &mut SqliteArguments) -> Result<(), BoxDynError>;
    /// Appends the value to PostgreSQL arguments.
    fn add_postgres(&self, args: &mut PgArguments) -> Result<(), BoxDynError>;
    /// Appends the value to MySQL arguments.
    fn add_mysql(&self, args: &mut MySqlArguments) -> Result<(), BoxDynError>;
}

/// What a `sql_type` field's type must implement: sqlx's traits on all three backends.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a `sql_type` column: it must implement sqlx's `Type`, `Encode` and `Decode` for SQLite, PostgreSQL and MySQL, and `Clone + Debug`",
    label = "this field's type"
)]
pub trait CustomType:
    Clone
    + fmt::Debug
    + Send
    + Sync
    + 'static
    + sqlx::Type<Sqlite>
    + sqlx::Type<Postgres>
    + sqlx::Type<MySql>
    + for<'q> sqlx::Encode<'q, Sqlite>
    + for<'q> sqlx::Encode<'q, Postgres>
    + for<'q> sqlx::Encode<'q, MySql>
    + for<'r> sqlx::Decode<'r, Sqlite>
    + for<'r> sqlx::Decode<'r, Postgres>
    + for<'r> sqlx::Decode<'r, MySql>
{
}

impl<T> CustomType for T where
    T: Clone
        + fmt::Debug
        + Send
        + Sync
        + 'static
        + sqlx::Type<Sqlite>
        + sqlx::Type<Postgres>
        + sqlx::Type<MySql>
        + for<'q> sqlx::Encode<'q, Sqlite>
        + for<'q> sqlx::Encode<'q, Postgres>
        + for<'q> sqlx::Encode<'q, MySql>
        + for<'r> sqlx::Decode<'r, Sqlite>
        + for<'r> sqlx::Decode<'r, Postgres>
        + for<'r> sqlx::Decode<'r, MySql>
{
}

#[derive(Debug)]
struct Custom<T>(T);

impl<T: CustomType> CustomValue for Custom<T> {
    fn add_sqlite(&self, args: &mut SqliteArguments) -> Result<(), BoxDynError> {
        args.add(self.0.clone())
    }
    fn add_postgres(&self, args: &mut PgArguments) -> Result<(), BoxDynError> {
        args.add(self.0.clone())
    }
    fn add_mysql(&self, args: &mut MySqlArguments) -> Result<(), BoxDynError> {
        args.add(self.0.clone())
    }
}

/// Wraps a custom-typed field value as a parameter.
pub fn to_value<T: CustomType>(value: &T) -> crate::Value {
    crate::Value::Custom(std::sync::Arc::new(Custom(value.clone())))
}

/// Reads a custom-typed column.
pub fn decode<T: CustomType>(row: &Row, index: usize) -> Result<T, sqlx::Error> {
    row.get_native(index)
}
