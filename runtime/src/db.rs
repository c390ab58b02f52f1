//! Connecting to a database chosen at run time by its URL.

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::mysql::{MySqlConnectOptions, MySqlPool, MySqlPoolOptions};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

use crate::error::{Error, Result};
use crate::executor::ConnRef;
use crate::row::Row;
use crate::schema::Schema;
use crate::sql::{self, Dialect, Statement};
use crate::tx::Tx;
use crate::value::Value;

/// A pool of connections to one SQLite, PostgreSQL or MySQL/MariaDB database.
///
/// Cheap to clone: clones share the pool.
#[derive(Clone, Debug)]
pub struct Db {
    pub(crate) pool: Pool,
    /// Statements run so far through this pool or its transactions.
    pub(crate) statements: Arc<AtomicU64>,
}

#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
    MySql(MySqlPool),
}

/// How long to wait for a connection before giving up.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

impl Db {
    /// Connects to the database the URL names: `sqlite::memory:`, `sqlite://path.db`,
    /// `postgres://...`, `mysql://...` or `mariadb://...`.
    ///
    /// A file-backed SQLite database is created when missing. An in-memory SQLite database
    /// lives as long as the `Db` (it is held by a single connection).
    pub async fn connect(url: &str) -> Result<Db> {
        let invalid = |reason: String| Error::InvalidUrl {
            url: redact(url),
            reason,
        };
        let scheme = url
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let pool = match scheme.as_str() {
            "sqlite" => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(|e| invalid(e.to_string()))?
                    .create_if_missing(true)
                    .foreign_keys(true);
                let in_memory = url.contains(":memory:") || url.contains("mode=memory");
                let mut pool = SqlitePoolOptions::new()
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .after_connect(|conn, _| Box::pin(crate::sqlite_functions::register(conn)));
                if in_memory {
                    // Every connection to `:memory:` opens a database of its own: keep exactly one.
                    pool = pool
                        .max_connections(1)
                        .min_connections(1)
                        .idle_timeout(None)
                        .max_lifetime(None);
                }
                probe(&options).await?;
                Pool::Sqlite(
                    pool.connect_with(options)
                        .await
                        .map_err(Error::Connection)?,
                )
            }
            "postgres" | "postgresql" => {
                let options =
                    PgConnectOptions::from_str(url).map_err(|e| invalid(e.to_string()))?;
                probe(&options).await?;
                Pool::Postgres(
                    PgPoolOptions::new()
                        .acquire_timeout(ACQUIRE_TIMEOUT)
                        .connect_with(options)
                        .await
                        .map_err(Error::Connection)?,
                )
            }
            "mysql" | "mariadb" => {
                let normalized = url.replacen("mariadb:", "mysql:", 1);
                let options = MySqlConnectOptions::from_str(&normalized)
                    .map_err(|e| invalid(e.to_string()))?;
                probe(&options).await?;
                Pool::MySql(
                    MySqlPoolOptions::new()
                        .acquire_timeout(ACQUIRE_TIMEOUT)
                        .connect_with(options)
                        .await
                        .map_err(Error::Connection)?,
                )
            }
            _ => return Err(invalid(
                "expected a URL starting with `sqlite:`, `postgres://`, `mysql://` or `mariadb://`"
                    .to_owned(),
            )),
        };
        Ok(Db {
            pool,
            statements: Arc::default(),
        })
    }

    /// The SQL dialect of this database.
    pub fn dialect(&self) -> Dialect {
        match self.pool {
            Pool::Sqlite(_) => Dialect::Sqlite,
            Pool::Postgres(_) => Dialect::Postgres,
            Pool::MySql(_) => Dialect::MySql,
        }
    }

    /// How many statements have run through this pool and its transactions (shared by clones),
    /// for tests that check how many queries an operation takes.
    pub fn statement_count(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Starts a transaction; it rolls back when dropped without [`Tx::commit`].
    pub async fn begin(&self) -> Result<Tx> {
        Tx::begin(self).await
    }

    /// Runs `f` in a transaction: commits when it returns `Ok`, rolls back when it returns
    /// `Err` (or its future is dropped before finishing).
    ///
    /// `f` receives `&Tx`; pass it where a query takes an executor: `.exec(tx)`.
    pub async fn transaction<T, E, F>(&self, f: F) -> std::result::Result<T, E>
    where
        F: AsyncFnOnce(&Tx) -> std::result::Result<T, E>,
        E: From<Error>,
    {
        let tx = self.begin().await?;
        match f(&tx).await {
            Ok(value) => {
                tx.commit().await?;
                Ok(value)
            }
            Err(err) => {
                // The caller's error matters more than a failed rollback; the connection
                // discards the transaction either way.
                let _ = tx.rollback().await;
                Err(err)
            }
        }
    }

    /// Creates the tables (and their indexes) of every model in the schema, referenced
    /// tables first, in one transaction where the database allows DDL in transactions.
    pub async fn create_schema(&self, schema: &Schema) -> Result<()> {
        let dialect = self.dialect();
        let statements = schema
            .in_dependency_order()
            .into_iter()
            .flat_map(|model| sql::create_table(dialect, model))
            .collect();
        ConnRef::Db(self).execute_all(statements).await
    }

    /// Drops the tables of every model in the schema, referencing tables first.
    pub async fn drop_schema(&self, schema: &Schema) -> Result<()> {
        let dialect = self.dialect();
        let statements = schema
            .in_dependency_order()
            .into_iter()
            .rev()
            .map(|model| sql::drop_table(dialect, model))
            .collect();
        ConnRef::Db(self).execute_all(statements).await
    }

    /// Runs SQL written by hand, binding `params` to its placeholders (`?`, or `$1`.. on
    /// PostgreSQL); returns the number of rows affected.
    pub async fn execute_raw(
        &self,
        sql: &str,
        params: impl IntoIterator<Item = Value>,
    ) -> Result<u64> {
        let stmt = Statement {
            sql: sql.to_owned(),
            params: params.into_iter().collect(),
        };
        Ok(ConnRef::Db(self).execute(&stmt).await?.rows_affected)
    }

    /// Runs a hand-written query, binding `params`; the rows are read with
    /// [`Row::get_native`] or a model's decoder.
    pub async fn fetch_raw(
        &self,
        sql: &str,
        params: impl IntoIterator<Item = Value>,
    ) -> Result<Vec<Row>> {
        let stmt = Statement {
            sql: sql.to_owned(),
            params: params.into_iter().collect(),
        };
        ConnRef::Db(self).fetch(&stmt).await
    }

    /// Closes every connection of the pool.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
            Pool::MySql(p) => p.close().await,
        }
    }
}

/// Opens one connection outside the pool, so that an unreachable server fails at once
/// instead of after the pool's retries until its acquire timeout.
async fn probe<O>(options: &O) -> Result<()>
where
    O: sqlx::ConnectOptions,
    O::Connection: Sized,
{
    use sqlx::Connection as _;
    let conn = options.connect().await.map_err(Error::Connection)?;
    // The probe has done its job; a failure to close it politely changes nothing.
    let _ = conn.close().await;
    Ok(())
}

/// The URL without its password, for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}
