//! Connecting to a database chosen at run time by its URL.

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[cfg(feature = "mysql")]
use sqlx::mysql::{MySqlConnectOptions, MySqlPool, MySqlPoolOptions};
#[cfg(feature = "postgres")]
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
#[cfg(feature = "sqlite")]
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
    /// Tells this pool apart from others, for [`crate::tx::held_by_this_task`].
    pub(crate) id: u64,
    /// The pool has exactly one connection (an in-memory SQLite database).
    pub(crate) one_connection: bool,
}

#[derive(Clone, Debug)]
pub(crate) enum Pool {
    #[cfg(feature = "sqlite")]
    Sqlite(SqlitePool),
    #[cfg(feature = "postgres")]
    Postgres(PgPool),
    #[cfg(feature = "mysql")]
    MySql(MySqlPool),
}

/// How [`Db::connect_with`] connects. Every network step has a bound, so a server that accepts
/// connections but never answers makes `connect` fail instead of hang.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ConnectOptions {
    /// How long opening the first connection may take, handshake and authentication included
    /// (default 10 s).
    pub connect_timeout: Duration,
    /// How long a query waits for a free connection of the pool, opening one included
    /// (default 10 s).
    pub acquire_timeout: Duration,
    /// SQLite: how long a statement waits for a lock another connection holds before failing
    /// with "database is locked" (default 5 s).
    pub sqlite_busy_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            acquire_timeout: Duration::from_secs(10),
            sqlite_busy_timeout: Duration::from_secs(5),
        }
    }
}

impl ConnectOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`connect_timeout`](Self::connect_timeout).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets [`acquire_timeout`](Self::acquire_timeout).
    pub fn acquire_timeout(mut self, timeout: Duration) -> Self {
        self.acquire_timeout = timeout;
        self
    }

    /// Sets [`sqlite_busy_timeout`](Self::sqlite_busy_timeout).
    pub fn sqlite_busy_timeout(mut self, timeout: Duration) -> Self {
        self.sqlite_busy_timeout = timeout;
        self
    }
}

/// Pools made so far in this process, numbering the next one.
static POOLS: AtomicU64 = AtomicU64::new(0);

impl Db {
    /// Connects to the database the URL names: `sqlite::memory:`, `sqlite://path.db`,
    /// `postgres://...`, `mysql://...` or `mariadb://...`, with the default
    /// [`ConnectOptions`].
    ///
    /// A file-backed SQLite database is created when missing. An in-memory SQLite database
    /// lives as long as the `Db` (it is held by a single connection).
    pub async fn connect(url: &str) -> Result<Db> {
        Db::connect_with(url, ConnectOptions::default()).await
    }

    /// Connects as [`Db::connect`] does, with the given timeouts.
    pub async fn connect_with(url: &str, settings: ConnectOptions) -> Result<Db> {
        let invalid = |reason: String| Error::InvalidUrl {
            url: redact(url),
            reason,
        };
        let scheme = url
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let connect_timeout = settings.connect_timeout;
        #[allow(unused_mut)] // Only an in-memory SQLite database has one connection.
        let mut one_connection = false;
        let pool = match scheme.as_str() {
            #[cfg(feature = "sqlite")]
            "sqlite" => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(|e| invalid(e.to_string()))?
                    .create_if_missing(true)
                    .foreign_keys(true)
                    .busy_timeout(settings.sqlite_busy_timeout);
                let in_memory = url.contains(":memory:") || url.contains("mode=memory");
                let mut pool = SqlitePoolOptions::new()
                    .acquire_timeout(settings.acquire_timeout)
                    .after_connect(|conn, _| Box::pin(crate::sqlite_functions::register(conn)));
                if in_memory {
                    // Every connection to `:memory:` opens a database of its own: keep exactly one.
                    one_connection = true;
                    pool = pool
                        .max_connections(1)
                        .min_connections(1)
                        .idle_timeout(None)
                        .max_lifetime(None);
                }
                probe(&options, connect_timeout).await?;
                Pool::Sqlite(bounded(connect_timeout, pool.connect_with(options)).await?)
            }
            #[cfg(feature = "postgres")]
            "postgres" | "postgresql" => {
                let options =
                    PgConnectOptions::from_str(url).map_err(|e| invalid(e.to_string()))?;
                probe(&options, connect_timeout).await?;
                let pool = PgPoolOptions::new().acquire_timeout(settings.acquire_timeout);
                Pool::Postgres(bounded(connect_timeout, pool.connect_with(options)).await?)
            }
            #[cfg(feature = "mysql")]
            "mysql" | "mariadb" => {
                let normalized = url.replacen("mariadb:", "mysql:", 1);
                let options = MySqlConnectOptions::from_str(&normalized)
                    .map_err(|e| invalid(e.to_string()))?;
                probe(&options, connect_timeout).await?;
                let pool = MySqlPoolOptions::new().acquire_timeout(settings.acquire_timeout);
                Pool::MySql(bounded(connect_timeout, pool.connect_with(options)).await?)
            }
            #[cfg(not(feature = "sqlite"))]
            "sqlite" => return Err(missing("SQLite", "sqlite")),
            #[cfg(not(feature = "postgres"))]
            "postgres" | "postgresql" => return Err(missing("PostgreSQL", "postgres")),
            #[cfg(not(feature = "mysql"))]
            "mysql" | "mariadb" => return Err(missing("MySQL", "mysql")),
            _ => return Err(invalid(
                "expected a URL starting with `sqlite:`, `postgres://`, `mysql://` or `mariadb://`"
                    .to_owned(),
            )),
        };
        Ok(Db {
            pool,
            statements: Arc::default(),
            id: POOLS.fetch_add(1, Ordering::Relaxed),
            one_connection,
        })
    }

    /// The SQL dialect of this database.
    pub fn dialect(&self) -> Dialect {
        match self.pool {
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(_) => Dialect::Sqlite,
            #[cfg(feature = "postgres")]
            Pool::Postgres(_) => Dialect::Postgres,
            #[cfg(feature = "mysql")]
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
        Tx::begin(self, false).await
    }

    /// Starts a transaction that will write: on SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so that concurrent writers wait for each other (up to the busy
    /// timeout) instead of failing with "database is locked" when a read turns into a write.
    /// The same as [`Db::begin`] on PostgreSQL and MySQL.
    pub async fn begin_write(&self) -> Result<Tx> {
        Tx::begin(self, true).await
    }

    /// Runs `f` in a transaction: commits when it returns `Ok`, rolls back when it returns
    /// `Err` (or its future is dropped before finishing).
    ///
    /// `f` receives `&Tx`; pass it where a query takes an executor: `.exec(tx)`. To nest, use
    /// [`Tx::transaction`] (a savepoint): a `db.transaction` inside another is a second,
    /// separate transaction on PostgreSQL and MySQL, and on an in-memory SQLite database,
    /// whose one connection the outer transaction holds, an immediate
    /// [`Error::WouldDeadlock`].
    pub async fn transaction<T, E, F>(&self, f: F) -> std::result::Result<T, E>
    where
        F: AsyncFnOnce(&Tx) -> std::result::Result<T, E>,
        E: From<Error>,
    {
        let tx = self.begin().await?;
        self.run_in(tx, f).await
    }

    /// [`Db::transaction`] with [`Db::begin_write`]: for read-then-write transactions on
    /// SQLite, which could otherwise fail with "database is locked" under concurrent writers.
    pub async fn write_transaction<T, E, F>(&self, f: F) -> std::result::Result<T, E>
    where
        F: AsyncFnOnce(&Tx) -> std::result::Result<T, E>,
        E: From<Error>,
    {
        let tx = self.begin_write().await?;
        self.run_in(tx, f).await
    }

    async fn run_in<T, E, F>(&self, tx: Tx, f: F) -> std::result::Result<T, E>
    where
        F: AsyncFnOnce(&Tx) -> std::result::Result<T, E>,
        E: From<Error>,
    {
        match crate::tx::inside(self, f(&tx)).await {
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
    /// PostgreSQL); returns the number of rows affected. The text is sent as written: put
    /// values in `params`, never into the text.
    pub async fn execute_raw(
        &self,
        sql: &str,
        params: impl IntoIterator<Item = Value>,
    ) -> Result<u64> {
        let stmt = Statement::raw(sql, params.into_iter().collect());
        Ok(ConnRef::Db(self).execute(&stmt).await?.rows_affected)
    }

    /// Runs a hand-written query, binding `params`; the rows are read with
    /// [`Row::get_native`] or a model's decoder.
    pub async fn fetch_raw(
        &self,
        sql: &str,
        params: impl IntoIterator<Item = Value>,
    ) -> Result<Vec<Row>> {
        let stmt = Statement::raw(sql, params.into_iter().collect());
        ConnRef::Db(self).fetch(&stmt).await
    }

    /// Closes every connection of the pool.
    pub async fn close(&self) {
        match &self.pool {
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(p) => p.close().await,
            #[cfg(feature = "postgres")]
            Pool::Postgres(p) => p.close().await,
            #[cfg(feature = "mysql")]
            Pool::MySql(p) => p.close().await,
        }
    }
}

/// Opens one connection outside the pool, so that an unreachable server fails at once
/// instead of after the pool's retries until its acquire timeout; a server that accepts the
/// connection but never answers fails after `timeout`.
async fn probe<O>(options: &O, timeout: Duration) -> Result<()>
where
    O: sqlx::ConnectOptions,
    O::Connection: Sized,
{
    use sqlx::Connection as _;
    let conn = bounded(timeout, options.connect()).await?;
    // The probe has done its job; a failure to close it politely changes nothing.
    let _ = tokio::time::timeout(timeout, conn.close()).await;
    Ok(())
}

/// A connection step that fails with [`Error::Connection`] after `timeout`.
async fn bounded<T>(
    timeout: Duration,
    step: impl std::future::Future<Output = std::result::Result<T, sqlx::Error>>,
) -> Result<T> {
    match tokio::time::timeout(timeout, step).await {
        Ok(result) => result.map_err(Error::connection),
        Err(_) => Err(Error::connection(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            format!("the server did not answer within {timeout:?}"),
        ))),
    }
}

/// A URL for a backend this build does not include.
#[allow(dead_code)] // With every backend compiled in, no URL is missing one.
fn missing(backend: &'static str, feature: &'static str) -> Error {
    Error::MissingBackend { backend, feature }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Connects to a URL of a backend this build leaves out: the error names the feature.
    #[allow(dead_code)] // With every backend compiled in, no URL is missing one.
    async fn missing_backend(url: &str, backend: &str, feature: &str) {
        match Db::connect(url).await {
            Err(err @ Error::MissingBackend { .. }) => {
                let message = err.to_string();
                assert!(message.contains(backend), "{message}");
                assert!(
                    message.contains(&format!("`{feature}` feature")),
                    "{message}"
                );
            }
            other => panic!("{url}: expected a missing-backend error, got {other:?}"),
        }
    }

    #[cfg(not(feature = "sqlite"))]
    #[tokio::test]
    async fn a_sqlite_url_without_the_sqlite_feature_names_it() {
        missing_backend("sqlite::memory:", "SQLite", "sqlite").await;
    }

    #[cfg(not(feature = "postgres"))]
    #[tokio::test]
    async fn a_postgres_url_without_the_postgres_feature_names_it() {
        missing_backend(
            "postgres://postgres@127.0.0.1:5432/postgres",
            "PostgreSQL",
            "postgres",
        )
        .await;
    }

    #[cfg(not(feature = "mysql"))]
    #[tokio::test]
    async fn a_mysql_url_without_the_mysql_feature_names_it() {
        missing_backend("mariadb://root@127.0.0.1:3306/test", "MySQL", "mysql").await;
    }
}
