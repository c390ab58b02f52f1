//! What sqlx must be able to do with a Rust type on every backend compiled in: name its
//! column type, encode it and decode it. A backend whose feature is off asks nothing.

#[cfg(feature = "mysql")]
use sqlx::MySql;
#[cfg(feature = "postgres")]
use sqlx::Postgres;
#[cfg(feature = "sqlite")]
use sqlx::Sqlite;

/// Declares the per-backend trait: sqlx's traits when the backend is compiled in, nothing when
/// it is not.
macro_rules! backend_trait {
    ($name:ident, $feature:literal, $db:ident, $doc:literal) => {
        #[doc = $doc]
        #[cfg(feature = $feature)]
        pub trait $name:
            sqlx::Type<$db> + for<'q> sqlx::Encode<'q, $db> + for<'r> sqlx::Decode<'r, $db>
        {
        }
        #[cfg(feature = $feature)]
        impl<T> $name for T where
            T: sqlx::Type<$db> + for<'q> sqlx::Encode<'q, $db> + for<'r> sqlx::Decode<'r, $db>
        {
        }
        #[doc = $doc]
        #[cfg(not(feature = $feature))]
        pub trait $name {}
        #[cfg(not(feature = $feature))]
        impl<T: ?Sized> $name for T {}
    };
}

backend_trait!(
    SqliteNative,
    "sqlite",
    Sqlite,
    "sqlx's `Type`, `Encode` and `Decode` for SQLite (nothing without the `sqlite` feature)."
);
backend_trait!(
    PostgresNative,
    "postgres",
    Postgres,
    "sqlx's `Type`, `Encode` and `Decode` for PostgreSQL (nothing without the `postgres` feature)."
);
backend_trait!(
    MySqlNative,
    "mysql",
    MySql,
    "sqlx's `Type`, `Encode` and `Decode` for MySQL (nothing without the `mysql` feature)."
);

/// A type sqlx reads and writes on every backend compiled in.
pub trait Native: SqliteNative + PostgresNative + MySqlNative {}
impl<T: SqliteNative + PostgresNative + MySqlNative> Native for T {}
