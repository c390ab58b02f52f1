//! Pools of connections per backend, and the transactions opened on them: what the rest of
//! the driver runs statements on.

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
use tokio::sync::Mutex;

use crate::sql::Dialect;
use crate::values::error::{Error, Result};

/// A pool of connections to one database, with what Trellis keeps beside it.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Pool {
    pub(crate) kind: PoolKind,
    /// Statements run so far through this pool or its transactions.
    pub(crate) statements: Arc<AtomicU64>,
    /// Tells this pool apart from others, for [`check_not_held`].
    pub(crate) id: u64,
    /// The pool has exactly one connection (an in-memory SQLite database).
    pub(crate) one_connection: bool,
    /// How reads fetch their rows.
    pub(crate) strategy: LoadStrategy,
}

/// How reads fetch their rows (set with [`ConnectOptions::load_strategy`]). Every strategy
/// returns the same rows in the same order; they differ in speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum LoadStrategy {
    /// Trellis chooses: on SQLite, [`LoadStrategy::Direct`]; elsewhere the driver's rows.
    #[default]
    Auto,
    /// Every row through sqlx, on every backend.
    Driver,
    /// SQLite: the statements of a load are stepped on the connection's own handle and their
    /// rows decoded where they are, without sqlx's hand-off of each row between its worker
    /// thread and the async task (several times faster on large nested loads). It applies to
    /// reads whose columns and parameters are all booleans, integers, floats, text or bytes;
    /// other reads, and other backends, use the driver's rows.
    Direct,
}

/// The driver's pool.
#[derive(Clone, Debug)]
pub(crate) enum PoolKind {
    #[cfg(feature = "sqlite")]
    Sqlite(SqlitePool),
    #[cfg(feature = "postgres")]
    Postgres(PgPool),
    #[cfg(feature = "mysql")]
    MySql(MySqlPool),
}

/// How `Db::connect_with` connects. Every network step has a bound, so a server that accepts
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
    /// How reads fetch their rows (default [`LoadStrategy::Auto`]).
    pub load_strategy: LoadStrategy,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            acquire_timeout: Duration::from_secs(10),
            sqlite_busy_timeout: Duration::from_secs(5),
            load_strategy: LoadStrategy::Auto,
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

    /// Sets [`load_strategy`](Self::load_strategy).
    pub fn load_strategy(mut self, strategy: LoadStrategy) -> Self {
        self.load_strategy = strategy;
        self
    }
}

/// Pools made so far in this process, numbering the next one.
static POOLS: AtomicU64 = AtomicU64::new(0);

impl Pool {
    /// Opens a pool for the database `url` names.
    pub(crate) async fn connect(url: &str, settings: ConnectOptions) -> Result<Pool> {
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
        let kind = match scheme.as_str() {
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
                    .after_connect(|conn, _| {
                        Box::pin(crate::driver::sqlite_functions::register(conn))
                    });
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
                PoolKind::Sqlite(bounded(connect_timeout, pool.connect_with(options)).await?)
            }
            #[cfg(feature = "postgres")]
            "postgres" | "postgresql" => {
                let options =
                    PgConnectOptions::from_str(url).map_err(|e| invalid(e.to_string()))?;
                probe(&options, connect_timeout).await?;
                let pool = PgPoolOptions::new().acquire_timeout(settings.acquire_timeout);
                PoolKind::Postgres(bounded(connect_timeout, pool.connect_with(options)).await?)
            }
            #[cfg(feature = "mysql")]
            "mysql" | "mariadb" => {
                let normalized = url.replacen("mariadb:", "mysql:", 1);
                let options = MySqlConnectOptions::from_str(&normalized)
                    .map_err(|e| invalid(e.to_string()))?;
                probe(&options, connect_timeout).await?;
                let pool = MySqlPoolOptions::new().acquire_timeout(settings.acquire_timeout);
                PoolKind::MySql(bounded(connect_timeout, pool.connect_with(options)).await?)
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
        Ok(Pool {
            kind,
            statements: Arc::default(),
            id: POOLS.fetch_add(1, Ordering::Relaxed),
            one_connection,
            strategy: settings.load_strategy,
        })
    }

    /// The SQL dialect of the database.
    pub(crate) fn dialect(&self) -> Dialect {
        match self.kind {
            #[cfg(feature = "sqlite")]
            PoolKind::Sqlite(_) => Dialect::Sqlite,
            #[cfg(feature = "postgres")]
            PoolKind::Postgres(_) => Dialect::Postgres,
            #[cfg(feature = "mysql")]
            PoolKind::MySql(_) => Dialect::MySql,
        }
    }

    /// Whether plain reads step SQLite statements directly.
    pub(crate) fn direct_reads(&self) -> bool {
        self.dialect() == Dialect::Sqlite
            && matches!(self.strategy, LoadStrategy::Auto | LoadStrategy::Direct)
    }

    /// Closes every connection of the pool.
    pub(crate) async fn close(&self) {
        match &self.kind {
            #[cfg(feature = "sqlite")]
            PoolKind::Sqlite(p) => p.close().await,
            #[cfg(feature = "postgres")]
            PoolKind::Postgres(p) => p.close().await,
            #[cfg(feature = "mysql")]
            PoolKind::MySql(p) => p.close().await,
        }
    }
}

/// An open transaction on one connection of a pool.
#[doc(hidden)]
#[derive(Debug)]
pub struct TxConn {
    pub(crate) inner: Mutex<TxInner>,
    pub(crate) dialect: Dialect,
    pub(crate) statements: Arc<AtomicU64>,
    /// Plain reads step SQLite statements directly ([`LoadStrategy::Direct`]).
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) direct_reads: bool,
}

#[derive(Debug)]
pub(crate) enum TxInner {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
    #[cfg(feature = "mysql")]
    MySql(sqlx::Transaction<'static, sqlx::MySql>),
}

/// One connection of a pool, held for the statements of one load, so that they run in turn on
/// a connection whose statements are already prepared, not each on whichever is free.
#[doc(hidden)]
#[derive(Debug)]
pub struct HeldConn {
    pub(crate) inner: Mutex<HeldInner>,
    pub(crate) dialect: Dialect,
    pub(crate) statements: Arc<AtomicU64>,
    /// Plain reads step SQLite statements directly ([`LoadStrategy::Direct`]).
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) direct_reads: bool,
}

#[derive(Debug)]
pub(crate) enum HeldInner {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
    #[cfg(feature = "mysql")]
    MySql(sqlx::pool::PoolConnection<sqlx::MySql>),
}

impl HeldConn {
    /// Takes a connection from the pool until the value is dropped.
    pub(crate) async fn acquire(pool: &Pool) -> Result<HeldConn> {
        check_not_held(pool)?;
        let inner = match &pool.kind {
            #[cfg(feature = "sqlite")]
            PoolKind::Sqlite(p) => HeldInner::Sqlite(p.acquire().await.map_err(Error::from_sqlx)?),
            #[cfg(feature = "postgres")]
            PoolKind::Postgres(p) => {
                HeldInner::Postgres(p.acquire().await.map_err(Error::from_sqlx)?)
            }
            #[cfg(feature = "mysql")]
            PoolKind::MySql(p) => HeldInner::MySql(p.acquire().await.map_err(Error::from_sqlx)?),
        };
        Ok(HeldConn {
            inner: Mutex::new(inner),
            dialect: pool.dialect(),
            statements: Arc::clone(&pool.statements),
            direct_reads: pool.direct_reads(),
        })
    }
}

tokio::task_local! {
    /// The pools whose transaction the running task is inside (`Db::transaction`'s closure).
    static INSIDE: Vec<u64>;
}

/// Runs `f` as a task inside a transaction of `pool`.
pub(crate) async fn inside<T>(pool: &Pool, f: impl std::future::Future<Output = T>) -> T {
    let mut pools = INSIDE.try_with(Clone::clone).unwrap_or_default();
    pools.push(pool.id);
    INSIDE.scope(pools, f).await
}

/// Refuses to wait for a connection of `pool` that a transaction of this very task holds: an
/// in-memory SQLite database has one connection, so the wait could only end in the acquire
/// timeout.
pub(crate) fn check_not_held(pool: &Pool) -> Result<()> {
    if pool.one_connection
        && INSIDE
            .try_with(|pools| pools.contains(&pool.id))
            .unwrap_or(false)
    {
        return Err(Error::WouldDeadlock(
            "this in-memory SQLite database has one connection, and the transaction this task runs holds it: run the statement on the transaction (`&tx`), or nest a savepoint with `tx.transaction(..)`",
        ));
    }
    Ok(())
}

impl TxConn {
    /// Begins a transaction; `write` takes SQLite's write lock at once (`BEGIN IMMEDIATE`).
    #[cfg_attr(not(feature = "sqlite"), allow(unused_variables))] // `write` is SQLite's alone.
    pub(crate) async fn begin(pool: &Pool, write: bool) -> Result<TxConn> {
        check_not_held(pool)?;
        let inner = match &pool.kind {
            #[cfg(feature = "sqlite")]
            PoolKind::Sqlite(p) if write => TxInner::Sqlite(
                p.begin_with("BEGIN IMMEDIATE")
                    .await
                    .map_err(Error::from_sqlx)?,
            ),
            #[cfg(feature = "sqlite")]
            PoolKind::Sqlite(p) => TxInner::Sqlite(p.begin().await.map_err(Error::from_sqlx)?),
            #[cfg(feature = "postgres")]
            PoolKind::Postgres(p) => TxInner::Postgres(p.begin().await.map_err(Error::from_sqlx)?),
            #[cfg(feature = "mysql")]
            PoolKind::MySql(p) => TxInner::MySql(p.begin().await.map_err(Error::from_sqlx)?),
        };
        tracing::debug!(target: "trellis::sql", "BEGIN");
        Ok(TxConn {
            inner: Mutex::new(inner),
            dialect: pool.dialect(),
            statements: Arc::clone(&pool.statements),
            direct_reads: pool.direct_reads(),
        })
    }

    /// Makes the transaction's writes permanent.
    pub async fn commit(self) -> Result<()> {
        tracing::debug!(target: "trellis::sql", "COMMIT");
        match self.inner.into_inner() {
            #[cfg(feature = "sqlite")]
            TxInner::Sqlite(t) => t.commit().await,
            #[cfg(feature = "postgres")]
            TxInner::Postgres(t) => t.commit().await,
            #[cfg(feature = "mysql")]
            TxInner::MySql(t) => t.commit().await,
        }
        .map_err(Error::from_sqlx)
    }

    /// Discards the transaction's writes.
    pub async fn rollback(self) -> Result<()> {
        tracing::debug!(target: "trellis::sql", "ROLLBACK");
        match self.inner.into_inner() {
            #[cfg(feature = "sqlite")]
            TxInner::Sqlite(t) => t.rollback().await,
            #[cfg(feature = "postgres")]
            TxInner::Postgres(t) => t.rollback().await,
            #[cfg(feature = "mysql")]
            TxInner::MySql(t) => t.rollback().await,
        }
        .map_err(Error::from_sqlx)
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
