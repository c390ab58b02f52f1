//! A result row from any of the three backends.

use sqlx::{mysql::MySqlRow, postgres::PgRow, sqlite::SqliteRow, MySql, Postgres, Sqlite};
use sqlx::{Row as _, ValueRef as _};

/// One row as the driver returned it; generated decoders read it by column position.
pub enum Row {
    /// A SQLite row.
    Sqlite(SqliteRow),
    /// A PostgreSQL row.
    Postgres(PgRow),
    /// A MySQL or MariaDB row.
    MySql(MySqlRow),
}

impl Row {
    /// Whether the column at `index` is SQL `NULL`.
    pub fn is_null(&self, index: usize) -> Result<bool, sqlx::Error> {
        Ok(match self {
            Row::Sqlite(r) => r.try_get_raw(index)?.is_null(),
            Row::Postgres(r) => r.try_get_raw(index)?.is_null(),
            Row::MySql(r) => r.try_get_raw(index)?.is_null(),
        })
    }

    /// Reads a column through sqlx's own decoding, for types every backend supports.
    pub fn get_native<T>(&self, index: usize) -> Result<T, sqlx::Error>
    where
        T: sqlx::Type<Sqlite>
            + sqlx::Type<Postgres>
            + sqlx::Type<MySql>
            + for<'r> sqlx::Decode<'r, Sqlite>
            + for<'r> sqlx::Decode<'r, Postgres>
            + for<'r> sqlx::Decode<'r, MySql>,
    {
        match self {
            Row::Sqlite(r) => r.try_get(index),
            Row::Postgres(r) => r.try_get(index),
            Row::MySql(r) => r.try_get(index),
        }
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        match self {
            Row::Sqlite(r) => r.len(),
            Row::Postgres(r) => r.len(),
            Row::MySql(r) => r.len(),
        }
    }

    /// Whether the row has no columns.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
