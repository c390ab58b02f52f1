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

/// What a pool and its transactions have run, for tests that check how an operation ran.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Counters {
    /// Statements run.
    pub(crate) all: AtomicU64,
    /// Of those, the reads stepped on SQLite's own handle ([`LoadStrategy::Direct`]).
    pub(crate) direct: AtomicU64,
    /// Relation loads run on a spare connection, at the same time as a sibling's
    /// ([`ConnectOptions::parallel_relations`]).
    pub(crate) parallel: AtomicU64,
    /// Relation loads that read the related table whole
    /// ([`ConnectOptions::whole_table_reads`]).
    pub(crate) whole_table: AtomicU64,
}

/// A pool of connections to one database, with what Trellis keeps beside it.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Pool {
    pub(crate) kind: PoolKind,
    /// Statements run so far through this pool or its transactions.
    pub(crate) statements: Arc<Counters>,
    /// Tells this pool apart from others, for [`check_not_held`].
    pub(crate) id: u64,
    /// The most connections the pool opens: with one, a transaction of the running task
    /// holding it means any other statement on the pool would wait forever.
    pub(crate) max_connections: u32,
    /// SQLite: the pool was opened by the application ([`SqlxPool`]), so its connections were
    /// not given Trellis's SQL functions when they opened: they are registered on each
    /// connection as it is taken for a statement.
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) register_functions: bool,
    /// How reads fetch their rows.
    pub(crate) strategy: LoadStrategy,
    /// Sibling relations load at the same time on spare connections.
    pub(crate) parallel_relations: bool,
    /// Relations of every row of a table may read the related table whole.
    pub(crate) whole_table_reads: bool,
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

/// SQLite's journal mode (`PRAGMA journal_mode`, see SQLite's documentation), set on every
/// connection when chosen with [`ConnectOptions::sqlite_journal_mode`]. PostgreSQL and MySQL
/// ignore it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SqliteJournalMode {
    /// A rollback journal, deleted at the end of each transaction (SQLite's default).
    Delete,
    /// A rollback journal, truncated to zero length at the end of each transaction.
    Truncate,
    /// A rollback journal whose header is zeroed at the end of each transaction.
    Persist,
    /// The rollback journal in memory: a crash mid-transaction can corrupt the database.
    Memory,
    /// Write-ahead logging: readers do not block the writer nor the writer the readers. The
    /// mode is stored in the database file, and stays for later connections.
    Wal,
    /// No journal: no rollback, and a crash mid-transaction can corrupt the database.
    Off,
}

#[cfg(feature = "sqlite")]
impl SqliteJournalMode {
    fn to_sqlx(self) -> sqlx::sqlite::SqliteJournalMode {
        use sqlx::sqlite::SqliteJournalMode as Sqlx;
        match self {
            SqliteJournalMode::Delete => Sqlx::Delete,
            SqliteJournalMode::Truncate => Sqlx::Truncate,
            SqliteJournalMode::Persist => Sqlx::Persist,
            SqliteJournalMode::Memory => Sqlx::Memory,
            SqliteJournalMode::Wal => Sqlx::Wal,
            SqliteJournalMode::Off => Sqlx::Off,
        }
    }
}

/// How `Db::connect_with` connects, and how large its pool grows. Every network step has a
/// bound, so a server that accepts connections but never answers makes `connect` fail
/// instead of hang.
///
/// An in-memory SQLite database keeps exactly one connection, open as long as the `Db`
/// (every connection to `:memory:` would open a database of its own): for it the pool sizes
/// and lifetimes below are not used.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ConnectOptions {
    /// How long opening the first connection may take, handshake and authentication included
    /// (default 10 s).
    pub connect_timeout: Duration,
    /// How long a query waits for a free connection of the pool, opening one included
    /// (default 10 s); past it, [`Error::AcquireTimeout`].
    pub acquire_timeout: Duration,
    /// The most connections the pool keeps open at once (default 10). With 1, a statement on
    /// `&db` inside a `db.transaction` closure of the same `Db` fails at once with
    /// [`Error::WouldDeadlock`] instead of waiting for the connection its own transaction holds.
    pub max_connections: u32,
    /// How many connections the pool keeps open even when idle (default 0).
    pub min_connections: u32,
    /// How long a connection may stay idle before the pool closes it, down to
    /// `min_connections` (default 10 minutes; `None`: never).
    pub idle_timeout: Option<Duration>,
    /// How long a connection may live before the pool replaces it (default 30 minutes;
    /// `None`: forever).
    pub max_lifetime: Option<Duration>,
    /// How long one statement may run before the server stops it with [`Error::Timeout`]
    /// (default `None`: no limit). PostgreSQL: `statement_timeout`, every statement.
    /// MariaDB: `max_statement_time`, every statement (at millisecond precision). MySQL:
    /// `max_execution_time`, `SELECT`s only. SQLite has no statement timeout: a statement
    /// there runs to its end, and what bounds its waits is
    /// [`sqlite_busy_timeout`](Self::sqlite_busy_timeout).
    pub statement_timeout: Option<Duration>,
    /// SQLite: how long a statement waits for a lock another connection holds before failing
    /// with [`Error::Busy`] (default 5 s).
    pub sqlite_busy_timeout: Duration,
    /// SQLite: the journal mode set on every connection (default `None`: none is set, and the
    /// database keeps the mode it has, `DELETE` for a new file, as sqlx does).
    pub sqlite_journal_mode: Option<SqliteJournalMode>,
    /// How reads fetch their rows (default [`LoadStrategy::Auto`]).
    pub load_strategy: LoadStrategy,
    /// PostgreSQL and MySQL: whether the sibling relations of one level (a user's `profile`,
    /// `sessions` and `organizations`) load at the same time, each on a connection of the pool
    /// that is idle at that moment (default `true`). A load never waits for a second
    /// connection: with none idle, the siblings load in turn on the load's own connection,
    /// and one more is opened in the background while the pool has room. Inside a
    /// transaction, statements always run in turn on its connection. SQLite loads in turn.
    pub parallel_relations: bool,
    /// Whether a relation loaded for every row of a table (a query with no filter and no
    /// paging, and through it every row of the tables it leads to by a has_one or has_many it
    /// neither filters nor pages) reads the related table whole, narrowed by the relation's
    /// own filter, rather than looking each parent's rows up by key (default `true`). It
    /// applies to has_one, has_many and many_to_many relations with integer keys whose key
    /// column cannot be `NULL`: every related row then belongs to one of the parents, and
    /// reading the table in order costs less than finding each row through the key column's
    /// index (on SQLite a third or more of a load of 1,000 users with their sessions and
    /// organizations). A relation paged per parent (`take`/`skip`) reads the whole table only
    /// where reading it by key reads every row of the parents too: on SQLite a page in
    /// another order than the related model's key, or through a join model; on MySQL every
    /// page (a window numbers each parent's rows, and only the pages are sent); PostgreSQL
    /// reads every page by key. A row whose parent is gone (where no foreign key is enforced)
    /// is read and left out.
    pub whole_table_reads: bool,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            acquire_timeout: Duration::from_secs(10),
            max_connections: 10,
            min_connections: 0,
            idle_timeout: Some(Duration::from_secs(10 * 60)),
            max_lifetime: Some(Duration::from_secs(30 * 60)),
            statement_timeout: None,
            sqlite_busy_timeout: Duration::from_secs(5),
            sqlite_journal_mode: None,
            load_strategy: LoadStrategy::Auto,
            parallel_relations: true,
            whole_table_reads: true,
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

    /// Sets [`max_connections`](Self::max_connections) (at least 1).
    pub fn max_connections(mut self, max: u32) -> Self {
        self.max_connections = max;
        self
    }

    /// Sets [`min_connections`](Self::min_connections) (at most `max_connections`).
    pub fn min_connections(mut self, min: u32) -> Self {
        self.min_connections = min;
        self
    }

    /// Sets [`idle_timeout`](Self::idle_timeout): a duration, or `None` for never.
    pub fn idle_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.idle_timeout = timeout.into();
        self
    }

    /// Sets [`max_lifetime`](Self::max_lifetime): a duration, or `None` for forever.
    pub fn max_lifetime(mut self, lifetime: impl Into<Option<Duration>>) -> Self {
        self.max_lifetime = lifetime.into();
        self
    }

    /// Sets [`statement_timeout`](Self::statement_timeout): a duration, or `None` for no limit.
    pub fn statement_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.statement_timeout = timeout.into();
        self
    }

    /// Sets [`sqlite_busy_timeout`](Self::sqlite_busy_timeout).
    pub fn sqlite_busy_timeout(mut self, timeout: Duration) -> Self {
        self.sqlite_busy_timeout = timeout;
        self
    }

    /// Sets [`sqlite_journal_mode`](Self::sqlite_journal_mode).
    pub fn sqlite_journal_mode(mut self, mode: SqliteJournalMode) -> Self {
        self.sqlite_journal_mode = Some(mode);
        self
    }

    /// Sets [`load_strategy`](Self::load_strategy).
    pub fn load_strategy(mut self, strategy: LoadStrategy) -> Self {
        self.load_strategy = strategy;
        self
    }

    /// Sets [`parallel_relations`](Self::parallel_relations).
    pub fn parallel_relations(mut self, parallel: bool) -> Self {
        self.parallel_relations = parallel;
        self
    }

    /// Sets [`whole_table_reads`](Self::whole_table_reads).
    pub fn whole_table_reads(mut self, whole: bool) -> Self {
        self.whole_table_reads = whole;
        self
    }

    /// Refuses sizes sqlx would reject or misread.
    fn check(&self) -> Result<()> {
        if self.max_connections == 0 {
            return Err(Error::InvalidOptions(
                "`max_connections` is 0: a pool needs at least one connection".to_owned(),
            ));
        }
        if self.min_connections > self.max_connections {
            return Err(Error::InvalidOptions(format!(
                "`min_connections` ({}) is more than `max_connections` ({})",
                self.min_connections, self.max_connections
            )));
        }
        Ok(())
    }

    /// The pool's sizes and timeouts, for any backend.
    fn pool<DB: sqlx::Database>(&self) -> sqlx::pool::PoolOptions<DB> {
        sqlx::pool::PoolOptions::new()
            .acquire_timeout(self.acquire_timeout)
            .max_connections(self.max_connections)
            .min_connections(self.min_connections)
            .idle_timeout(self.idle_timeout)
            .max_lifetime(self.max_lifetime)
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
        settings.check()?;
        let connect_timeout = settings.connect_timeout;
        #[allow(unused_mut)] // Only an in-memory SQLite database changes it.
        let mut max_connections = settings.max_connections;
        let kind = match scheme.as_str() {
            #[cfg(feature = "sqlite")]
            "sqlite" => {
                let mut options = SqliteConnectOptions::from_str(url)
                    .map_err(|e| invalid(e.to_string()))?
                    .create_if_missing(true)
                    .foreign_keys(true)
                    .busy_timeout(settings.sqlite_busy_timeout);
                if let Some(mode) = settings.sqlite_journal_mode {
                    options = options.journal_mode(mode.to_sqlx());
                }
                let in_memory = url.contains(":memory:") || url.contains("mode=memory");
                let mut pool: SqlitePoolOptions = settings.pool().after_connect(|conn, _| {
                    Box::pin(crate::driver::sqlite_functions::register(conn))
                });
                if in_memory {
                    // Every connection to `:memory:` opens a database of its own: keep exactly one.
                    max_connections = 1;
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
                let mut options =
                    PgConnectOptions::from_str(url).map_err(|e| invalid(e.to_string()))?;
                if let Some(timeout) = settings.statement_timeout {
                    // Sent with the startup message: every connection has it from the start,
                    // with no statement of its own. In milliseconds, where 0 would mean none.
                    let ms = timeout.as_millis().max(1);
                    options = options.options([("statement_timeout", ms)]);
                }
                probe(&options, connect_timeout).await?;
                let pool: PgPoolOptions = settings.pool();
                PoolKind::Postgres(bounded(connect_timeout, pool.connect_with(options)).await?)
            }
            #[cfg(feature = "mysql")]
            "mysql" | "mariadb" => {
                let normalized = url.replacen("mariadb:", "mysql:", 1);
                let options = MySqlConnectOptions::from_str(&normalized)
                    .map_err(|e| invalid(e.to_string()))?;
                probe(&options, connect_timeout).await?;
                let mut pool: MySqlPoolOptions = settings.pool();
                if let Some(timeout) = settings.statement_timeout {
                    pool = pool.after_connect(move |conn, _| {
                        Box::pin(mysql_statement_timeout(conn, timeout))
                    });
                }
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
            max_connections,
            register_functions: false,
            strategy: settings.load_strategy,
            parallel_relations: settings.parallel_relations,
            whole_table_reads: settings.whole_table_reads,
        })
    }

    /// A pool the application opened: Trellis runs on it as it is, with
    /// [`LoadStrategy::Auto`], [`ConnectOptions::parallel_relations`] and
    /// [`ConnectOptions::whole_table_reads`].
    fn foreign(kind: PoolKind, max_connections: u32) -> Pool {
        #[cfg(feature = "sqlite")]
        let register_functions = matches!(kind, PoolKind::Sqlite(_));
        #[cfg(not(feature = "sqlite"))]
        let register_functions = false;
        Pool {
            kind,
            statements: Arc::default(),
            id: POOLS.fetch_add(1, Ordering::Relaxed),
            max_connections,
            register_functions,
            strategy: LoadStrategy::Auto,
            parallel_relations: true,
            whole_table_reads: true,
        }
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

/// A pool opened with sqlx, that [`Db::from_pool`](crate::Db::from_pool) runs on: sqlx's
/// `SqlitePool`, `PgPool` or `MySqlPool`, each with its backend's feature.
pub trait SqlxPool: sealed::Sealed {
    #[doc(hidden)]
    fn into_pool(self) -> Pool;
}

mod sealed {
    /// Only sqlx's pools are [`super::SqlxPool`]s.
    pub trait Sealed {}
}

#[cfg(feature = "sqlite")]
impl sealed::Sealed for SqlitePool {}
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
impl SqlxPool for SqlitePool {
    fn into_pool(self) -> Pool {
        let max = self.options().get_max_connections();
        Pool::foreign(PoolKind::Sqlite(self), max)
    }
}

#[cfg(feature = "postgres")]
impl sealed::Sealed for PgPool {}
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
impl SqlxPool for PgPool {
    fn into_pool(self) -> Pool {
        let max = self.options().get_max_connections();
        Pool::foreign(PoolKind::Postgres(self), max)
    }
}

#[cfg(feature = "mysql")]
impl sealed::Sealed for MySqlPool {}
#[cfg(feature = "mysql")]
#[cfg_attr(docsrs, doc(cfg(feature = "mysql")))]
impl SqlxPool for MySqlPool {
    fn into_pool(self) -> Pool {
        let max = self.options().get_max_connections();
        Pool::foreign(PoolKind::MySql(self), max)
    }
}

/// An open transaction on one connection of a pool.
#[doc(hidden)]
#[derive(Debug)]
pub struct TxConn {
    pub(crate) inner: Mutex<TxInner>,
    pub(crate) dialect: Dialect,
    pub(crate) statements: Arc<Counters>,
    /// Plain reads step SQLite statements directly ([`LoadStrategy::Direct`]).
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) direct_reads: bool,
    /// [`ConnectOptions::whole_table_reads`] of the pool.
    pub(crate) whole_table_reads: bool,
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
    pub(crate) statements: Arc<Counters>,
    /// Plain reads step SQLite statements directly ([`LoadStrategy::Direct`]).
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) direct_reads: bool,
    /// The pool it came from, for [`HeldConn::spare`].
    pool: Pool,
}

#[derive(Debug)]
pub(crate) enum HeldInner {
    #[cfg(feature = "sqlite")]
    Sqlite(crate::driver::sqlite_direct::HeldSqlite),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
    #[cfg(feature = "mysql")]
    MySql(sqlx::pool::PoolConnection<sqlx::MySql>),
}

impl HeldConn {
    /// [`ConnectOptions::whole_table_reads`] of the pool it came from.
    pub(crate) fn whole_table_reads(&self) -> bool {
        self.pool.whole_table_reads
    }

    /// Takes a connection from the pool until the value is dropped.
    pub(crate) async fn acquire(pool: &Pool) -> Result<HeldConn> {
        check_not_held(pool)?;
        let inner = match &pool.kind {
            #[cfg(feature = "sqlite")]
            PoolKind::Sqlite(p) => HeldInner::Sqlite(
                crate::driver::sqlite_direct::HeldSqlite::new(sqlite_connection(pool, p).await?),
            ),
            #[cfg(feature = "postgres")]
            PoolKind::Postgres(p) => {
                HeldInner::Postgres(p.acquire().await.map_err(Error::from_sqlx)?)
            }
            #[cfg(feature = "mysql")]
            PoolKind::MySql(p) => HeldInner::MySql(p.acquire().await.map_err(Error::from_sqlx)?),
        };
        Ok(HeldConn::new(pool, inner))
    }

    /// A connection for the statements of one read: one idle in the pool right now, taken
    /// without the check sqlx makes of a connection it lends (a round trip to the server before
    /// every read), else one the pool lends as usual. The flag tells whether a read failing on
    /// it with a connection error may run again on a checked one ([`ConnRef::reading`]): yes
    /// for an unchecked connection to a server, which the server may have closed while it sat
    /// in the pool. No server closes an embedded database's connection while it sits idle, so a
    /// SQLite read never runs again (closing its connection would lose an in-memory database).
    ///
    /// [`ConnRef::reading`]: crate::driver::executor::ConnRef::reading
    pub(crate) async fn for_read(pool: &Pool) -> Result<(HeldConn, bool)> {
        check_not_held(pool)?;
        let idle = match &pool.kind {
            #[cfg(feature = "sqlite")]
            PoolKind::Sqlite(p) => match p.try_acquire() {
                Some(mut conn) => {
                    if pool.register_functions {
                        crate::driver::sqlite_functions::register(&mut conn)
                            .await
                            .map_err(Error::from_sqlx)?;
                    }
                    Some(HeldInner::Sqlite(
                        crate::driver::sqlite_direct::HeldSqlite::new(conn),
                    ))
                }
                None => None,
            },
            #[cfg(feature = "postgres")]
            PoolKind::Postgres(p) => p.try_acquire().map(HeldInner::Postgres),
            #[cfg(feature = "mysql")]
            PoolKind::MySql(p) => p.try_acquire().map(HeldInner::MySql),
        };
        match idle {
            Some(inner) => Ok((
                HeldConn::new(pool, inner),
                pool.dialect() != Dialect::Sqlite,
            )),
            None => Ok((HeldConn::acquire(pool).await?, false)),
        }
    }

    fn new(pool: &Pool, inner: HeldInner) -> HeldConn {
        HeldConn {
            inner: Mutex::new(inner),
            dialect: pool.dialect(),
            statements: Arc::clone(&pool.statements),
            direct_reads: pool.direct_reads(),
            pool: pool.clone(),
        }
    }

    /// Another connection of the same pool, for a sibling relation whose statements run at the
    /// same time as this connection's (PostgreSQL and MySQL: the server works on both at once,
    /// and neither waits for the other's round trips). Only a connection idle right now: a load
    /// that held one connection while it waited for a second could, with every other load
    /// doing the same, wait for ever. When none is idle and the pool has room, one is opened in
    /// the background for the loads that follow. `None` on SQLite, whose reads run in this
    /// process, on the thread the load already keeps busy.
    pub(crate) fn spare(&self) -> Option<HeldConn> {
        if !self.pool.parallel_relations {
            return None;
        }
        let inner = match &self.pool.kind {
            #[cfg(feature = "sqlite")]
            PoolKind::Sqlite(_) => None,
            #[cfg(feature = "postgres")]
            PoolKind::Postgres(p) => self.idle(p).map(HeldInner::Postgres),
            #[cfg(feature = "mysql")]
            PoolKind::MySql(p) => self.idle(p).map(HeldInner::MySql),
        }?;
        Some(HeldConn::new(&self.pool, inner))
    }

    /// Closes the connection when it is dropped rather than returning it to the pool.
    pub(crate) async fn close_on_drop(&self) {
        match &mut *self.inner.lock().await {
            #[cfg(feature = "sqlite")]
            HeldInner::Sqlite(held) => held.conn().close_on_drop(),
            #[cfg(feature = "postgres")]
            HeldInner::Postgres(conn) => conn.close_on_drop(),
            #[cfg(feature = "mysql")]
            HeldInner::MySql(conn) => conn.close_on_drop(),
        }
    }

    /// A connection of `pool` idle right now; with none, one more is opened in the background
    /// and left idle, when the pool has room.
    #[allow(dead_code)] // Unused with SQLite alone.
    fn idle<DB: sqlx::Database>(
        &self,
        pool: &sqlx::Pool<DB>,
    ) -> Option<sqlx::pool::PoolConnection<DB>> {
        let idle = pool.try_acquire();
        let room = pool.size() < self.pool.max_connections && pool.num_idle() == 0;
        if let (None, true, Ok(runtime)) = (&idle, room, tokio::runtime::Handle::try_current()) {
            let pool = pool.clone();
            // Dropped at once: the connection goes back to the pool, idle. A failure to open
            // one is the next statement's to report.
            runtime.spawn(async move { drop(pool.acquire().await) });
        }
        idle
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

/// Refuses to wait for a connection of `pool` that a transaction of this very task holds: a
/// pool of one connection (an in-memory SQLite database, or `max_connections(1)`) could end
/// the wait only with the acquire timeout.
pub(crate) fn check_not_held(pool: &Pool) -> Result<()> {
    if pool.max_connections == 1
        && INSIDE
            .try_with(|pools| pools.contains(&pool.id))
            .unwrap_or(false)
    {
        return Err(Error::WouldDeadlock(
            "this pool has one connection, and the transaction this task runs holds it: run the statement on the transaction (`&tx`), or nest a savepoint with `tx.transaction(..)`",
        ));
    }
    Ok(())
}

impl TxConn {
    /// Begins a transaction; `write` takes SQLite's write lock at once (`BEGIN IMMEDIATE`).
    #[cfg_attr(not(feature = "sqlite"), allow(unused_variables))] // `write` is SQLite's alone.
    pub(crate) async fn begin(pool: &Pool, write: bool) -> Result<TxConn> {
        check_not_held(pool)?;
        #[allow(unused_mut)] // Changed on SQLite alone.
        let mut inner = match &pool.kind {
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
        #[cfg(feature = "sqlite")]
        if let (true, TxInner::Sqlite(t)) = (pool.register_functions, &mut inner) {
            crate::driver::sqlite_functions::register(t)
                .await
                .map_err(Error::from_sqlx)?;
        }
        tracing::debug!(target: "trellis::sql", "BEGIN");
        Ok(TxConn {
            inner: Mutex::new(inner),
            dialect: pool.dialect(),
            statements: Arc::clone(&pool.statements),
            direct_reads: pool.direct_reads(),
            whole_table_reads: pool.whole_table_reads,
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

/// Takes a connection of a SQLite pool, with Trellis's SQL functions registered on it when
/// the application opened the pool (registering again replaces them: it is idempotent).
#[cfg(feature = "sqlite")]
pub(crate) async fn sqlite_connection(
    pool: &Pool,
    sqlite: &SqlitePool,
) -> Result<sqlx::pool::PoolConnection<sqlx::Sqlite>> {
    let mut conn = sqlite.acquire().await.map_err(Error::from_sqlx)?;
    if pool.register_functions {
        crate::driver::sqlite_functions::register(&mut conn)
            .await
            .map_err(Error::from_sqlx)?;
    }
    Ok(conn)
}

/// Sets the statement timeout on a new MySQL or MariaDB connection. MariaDB names it
/// `max_statement_time` (seconds, every statement), MySQL `max_execution_time`
/// (milliseconds, `SELECT`s only); each server refuses the other's name as an unknown
/// variable (error 1193), so the MariaDB one is tried first.
#[cfg(feature = "mysql")]
async fn mysql_statement_timeout(
    conn: &mut sqlx::MySqlConnection,
    timeout: Duration,
) -> std::result::Result<(), sqlx::Error> {
    use sqlx::Executor as _;
    // 0 would mean no limit: a timeout shorter than the unit is the unit.
    let ms = timeout.as_millis().max(1);
    // Only numbers enter the text.
    let mariadb = format!(
        "SET SESSION max_statement_time = {}.{:03}",
        ms / 1000,
        ms % 1000
    );
    match conn.execute(sqlx::AssertSqlSafe(mariadb)).await {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(e))
            if e.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
                .is_some_and(|e| e.number() == 1193) =>
        {
            let mysql = format!("SET SESSION max_execution_time = {ms}");
            conn.execute(sqlx::AssertSqlSafe(mysql)).await.map(|_| ())
        }
        Err(e) => Err(e),
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
