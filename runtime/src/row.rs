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
            Row::MySql(r) if text_in_binary_collation::<T>(r, index) => r.try_get_unchecked(index),
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

/// Whether `T` is text and the column is text in a binary collation (`utf8mb4_bin`, which
/// Trellis gives key columns on MySQL). MySQL flags such a column `BINARY`, so sqlx takes it
/// for bytes and refuses to read it as a `String`; its bytes are still UTF-8 text, and reading
/// them unchecked still fails on bytes that are not.
fn text_in_binary_collation<T: sqlx::Type<MySql>>(row: &MySqlRow, index: usize) -> bool {
    use sqlx::TypeInfo as _;
    if T::type_info().name() != "VARCHAR" {
        return false;
    }
    row.try_get_raw(index).is_ok_and(|raw| {
        matches!(
            raw.type_info().name(),
            "VARBINARY" | "BINARY" | "BLOB" | "TINYBLOB" | "MEDIUMBLOB" | "LONGBLOB"
        )
    })
}
