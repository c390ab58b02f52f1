//! Columns of types Trellis does not know, declared with `#[field(sql_type = "...")]`.
//!
//! Such a type only has to implement sqlx's encode, decode and type traits for the backends
//! compiled in; its value travels boxed so the rest of the runtime stays non-generic.

use std::fmt;

#[cfg(feature = "mysql")]
use sqlx::mysql::MySqlArguments;
#[cfg(feature = "postgres")]
use sqlx::postgres::PgArguments;
#[cfg(feature = "sqlite")]
use sqlx::sqlite::SqliteArguments;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
use sqlx::Arguments as _;

use crate::values::native::Native;
use crate::values::row::Row;
use crate::values::value::CustomValue;

type BoxDynError = Box<dyn std::error::Error + Send + Sync>;

/// What a `sql_type` field's type must implement: sqlx's traits on every backend compiled in.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a `sql_type` column: it must implement sqlx's `Type`, `Encode` and `Decode` for SQLite, PostgreSQL and MySQL, and `Clone + Debug`",
    label = "this field's type"
)]
pub trait CustomType: Clone + fmt::Debug + Send + Sync + 'static + Native {}

impl<T> CustomType for T where T: Clone + fmt::Debug + Send + Sync + 'static + Native {}

#[derive(Debug)]
struct Custom<T>(T);

impl<T: CustomType> CustomValue for Custom<T> {
    #[cfg(feature = "sqlite")]
    fn add_sqlite(&self, args: &mut SqliteArguments) -> Result<(), BoxDynError> {
        args.add(self.0.clone())
    }
    #[cfg(feature = "postgres")]
    fn add_postgres(&self, args: &mut PgArguments) -> Result<(), BoxDynError> {
        args.add(self.0.clone())
    }
    #[cfg(feature = "mysql")]
    fn add_mysql(&self, args: &mut MySqlArguments) -> Result<(), BoxDynError> {
        args.add(self.0.clone())
    }
}

/// Wraps a custom-typed field value as a parameter.
pub fn to_value<T: CustomType>(value: &T) -> crate::values::value::Value {
    crate::values::value::Value::Custom(std::sync::Arc::new(Custom(value.clone())))
}

/// Reads a custom-typed column.
pub fn decode<T: CustomType>(row: &Row, index: usize) -> Result<T, BoxDynError> {
    row.get_native(index)
}
