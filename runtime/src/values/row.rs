//! A result row from any of the backends compiled in.

#[cfg(feature = "mysql")]
use sqlx::mysql::MySqlRow;
#[cfg(feature = "postgres")]
use sqlx::postgres::PgRow;
#[cfg(feature = "sqlite")]
use sqlx::sqlite::SqliteRow;
use sqlx::{Row as _, ValueRef as _};

use crate::values::native::Native;

/// One row as the database returned it; generated decoders read it by column position.
pub struct Row(pub(crate) RowInner);

/// The driver's own row.
pub(crate) enum RowInner {
    #[cfg(feature = "sqlite")]
    Sqlite(SqliteRow),
    #[cfg(feature = "postgres")]
    Postgres(PgRow),
    #[cfg(feature = "mysql")]
    MySql(MySqlRow),
}

/// Runs `$body` with `$r` bound to the driver's row, whichever backend it came from.
macro_rules! each_row {
    ($row:expr, |$r:ident| $body:expr) => {
        match $row {
            #[cfg(feature = "sqlite")]
            RowInner::Sqlite($r) => $body,
            #[cfg(feature = "postgres")]
            RowInner::Postgres($r) => $body,
            #[cfg(feature = "mysql")]
            RowInner::MySql($r) => $body,
        }
    };
}

type BoxDynError = Box<dyn std::error::Error + Send + Sync>;

impl Row {
    /// Whether the column at `index` is SQL `NULL`.
    pub fn is_null(&self, index: usize) -> Result<bool, BoxDynError> {
        Ok(each_row!(&self.0, |r| r.try_get_raw(index)?.is_null()))
    }

    /// Reads a column through sqlx's own decoding, for types every backend compiled in
    /// supports.
    pub fn get_native<T: Native>(&self, index: usize) -> Result<T, BoxDynError> {
        Ok(each_row!(&self.0, |r| r.try_get(index)?))
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        each_row!(&self.0, |r| r.len())
    }

    /// Whether the row has no columns.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
