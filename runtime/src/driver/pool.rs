//! Pools of connections per backend, and the transactions opened on them: what the rest of
//! the driver runs statements on.

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[cfg(feature = "mysql")]
use sqlx::mysql::{MySqlConnectOptions, MySqlPool, MySqlPoolOptions};
#[cfg(feature = "postgres")]
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
#[cfg(feature = "sqlite")]
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use tokio::sync::Mutex;

use crate::driver::counters::Counters;
use crate::driver::parked::{HeldInner, Lent, Parked};
use crate::driver::retry::Isolation;
use crate::driver::routing::{Health, ReplicaPolicy, RoundRobin};
use crate::sql::Dialect;
use crate::values::error::{Error, Result};

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
    /// Sibling relations load at the same time on spare connections...
    pub(crate) parallel_relations: bool,
    /// ... for at least this many parent rows.
    pub(crate) parallel_from_rows: usize,
    /// Relations of every row of a table may read the related table whole.
    pub(crate) whole_table_reads: bool,
    /// The connections kept between statements ([`ConnectOptions::keep_connections`]).
    pub(crate) parked: Arc<Parked>,
    /// SQLite: the busy timeout Trellis set on every connection, in milliseconds (`None` for
    /// a pool the application opened, whose setting Trellis does not know).
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) sqlite_busy_timeout_ms: Option<i32>,
    /// PostgreSQL behind a pooler in transaction mode ([`ConnectOptions::transaction_pooler`]):
    /// unnamed statements, each read and write in a transaction of its own.
    pub(crate) pooler: bool,
    /// The read replicas, when the `Db` has some.
    pub(crate) replicas: Option<Arc<ReplicaSet>>,
    /// Reads stay on this pool even when it has replicas (`Db::primary`).
    pub(crate) reads_on_primary: bool,
    /// MySQL: the server is MariaDB 10.5 or newer, whose inserts return their rows with
    /// `RETURNING` as SQLite's and PostgreSQL's do (see `crate::driver::server`); `false`
    /// reads them back (MySQL, older MariaDB, and a pool the application opened).
    pub(crate) mariadb_returning: bool,
}

/// The read replicas of a primary's pool ([`ConnectOptions::replica`]).
#[derive(Debug)]
pub(crate) struct ReplicaSet {
    pub(crate) replicas: Vec<Replica>,
    policy: Arc<dyn ReplicaPolicy>,
    pub(crate) max_lag: Option<Duration>,
    /// How often each replica's health and lag are checked.
    pub(crate) check_every: Duration,
    /// How a replica's pool is opened, again after it was down.
    pub(crate) options: ConnectOptions,
    /// The `Db` closed: its replicas are not checked or opened again.
    pub(crate) closed: std::sync::atomic::AtomicBool,
}

/// One read replica.
#[derive(Debug)]
pub(crate) struct Replica {
    /// Its URL, to open its pool again after it was down.
    pub(crate) url: String,
    /// Its pool: none while it is down and could not be opened; a new one after it was down,
    /// so that no connection from before its outage is used again.
    pub(crate) pool: std::sync::RwLock<Option<Pool>>,
    pub(crate) health: Health,
}

impl Replica {
    pub(crate) fn pool(&self) -> Option<Pool> {
        self.pool.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Its URL without the password, for stats and logs.
    pub(crate) fn name(&self) -> String {
        redact(&self.url)
    }

    /// A read or a check found it down: no read goes to it until a check opens a new pool
    /// for it, and the connections of the old one (which broke with it) are closed.
    pub(crate) fn mark_down(&self) {
        self.health.mark_down();
        let old = self.pool.write().unwrap_or_else(|e| e.into_inner()).take();
        if let (Some(old), Ok(runtime)) = (old, tokio::runtime::Handle::try_current()) {
            runtime.spawn(async move { old.close().await });
        }
    }
}

impl ReplicaSet {
    /// The replica a read goes to now, with its pool; `None`: the primary.
    fn pick(&self) -> Option<(&Replica, Pool)> {
        let usable: smallvec::SmallVec<[usize; 8]> = self
            .replicas
            .iter()
            .enumerate()
            .filter(|(_, r)| r.health.usable(self.max_lag))
            .map(|(i, _)| i)
            .collect();
        if usable.is_empty() {
            return None;
        }
        // A policy's answer outside the usable ones reads from the primary.
        let chosen = self.policy.choose(&usable).filter(|i| usable.contains(i))?;
        let replica = self.replicas.get(chosen)?;
        Some((replica, replica.pool()?))
    }
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
    /// Only levels of at least [`parallel_from_rows`](Self::parallel_from_rows) rows do so.
    pub parallel_relations: bool,
    /// The fewest rows a level of a load has for its sibling relations to load at the same
    /// time (default 100). The relations of fewer rows (a request's one row, or a page of
    /// 20) are short statements, and a second connection costs them more than it saves: its
    /// round trip waits for a turn on a busy machine's cores all the same, and when many
    /// requests run at once, each taking two connections halves how many the pool serves.
    pub parallel_from_rows: usize,
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
    /// Whether a connection whose statements all ran to their end stays with Trellis for the
    /// next statement, as it is, rather than going back to sqlx's pool (default `true`).
    /// sqlx checks every connection it takes back with a round trip to the server, in a task
    /// it spawns, and checks it again as it lends it; a connection kept skips both, so a
    /// request of three short statements costs three round trips and no task. The one kept
    /// last is taken first (its statements are prepared). Kept connections still count
    /// against `max_connections`, and every statement takes a kept one before asking the
    /// pool; a connection goes back to the pool after 30 seconds unused or 60 seconds lent
    /// (so `idle_timeout` and `max_lifetime` still apply, within that), when a statement on
    /// it fails, and when the `Db` closes. A read that meets a closed connection runs again
    /// on a checked one; a write checks a connection unused for more than a second first.
    /// A `Db` made with `Db::from_pool` keeps none: the application may use that pool
    /// through sqlx as well.
    pub keep_connections: bool,
    /// PostgreSQL behind a pooler in transaction mode (PgBouncer's `pool_mode = transaction`,
    /// which most managed PostgreSQL services offer), which hands each transaction whichever
    /// server connection is free, so that a statement prepared on one is missing on the next
    /// (default `false`). With it, statements are unnamed (sqlx's statement cache off) and
    /// each read and each write runs in a transaction of its own, which keeps its statements
    /// on one server connection: two round trips more per read. Without it, the first
    /// statement that misses its preparation fails with `Error::PreparedStatementLost`.
    pub transaction_pooler: bool,
    /// Read replicas (PostgreSQL streaming replicas, MySQL replicas): URLs of servers reads
    /// may go to (default none). See [`replica`](Self::replica).
    pub replicas: Vec<String>,
    /// Which replica a read goes to (default [`RoundRobin`]).
    pub replica_policy: Arc<dyn ReplicaPolicy>,
    /// Replicas further behind the primary than this, where the server can tell, take no
    /// reads until they catch up (default `None`: no bound).
    pub max_replica_lag: Option<Duration>,
    /// How often each replica's health and lag are checked in the background (default 1 s).
    pub replica_check_interval: Duration,
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
            parallel_from_rows: 100,
            whole_table_reads: true,
            keep_connections: true,
            transaction_pooler: false,
            replicas: Vec::new(),
            replica_policy: Arc::new(RoundRobin::default()),
            max_replica_lag: None,
            replica_check_interval: Duration::from_secs(1),
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

    /// Sets [`parallel_from_rows`](Self::parallel_from_rows).
    pub fn parallel_from_rows(mut self, rows: usize) -> Self {
        self.parallel_from_rows = rows;
        self
    }

    /// Sets [`whole_table_reads`](Self::whole_table_reads).
    pub fn whole_table_reads(mut self, whole: bool) -> Self {
        self.whole_table_reads = whole;
        self
    }

    /// Sets [`keep_connections`](Self::keep_connections).
    pub fn keep_connections(mut self, keep: bool) -> Self {
        self.keep_connections = keep;
        self
    }

    /// Sets [`transaction_pooler`](Self::transaction_pooler).
    pub fn transaction_pooler(mut self, behind: bool) -> Self {
        self.transaction_pooler = behind;
        self
    }

    /// Adds a read replica of the database `url` names (same backend; same database, as
    /// streaming replication keeps it). Reads outside a transaction (`find_many`,
    /// `find_first`, `select!`, `include`, counts, cursors) go to a replica, all the
    /// statements of one read to the same one, chosen by
    /// [`replica_policy`](Self::replica_policy); writes, transactions (their reads too) and
    /// raw statements go to the primary, and so do the reads of `db.primary()`. A replica
    /// that does not answer, or is further behind than
    /// [`max_replica_lag`](Self::max_replica_lag), takes no reads until a check finds it
    /// back: its reads go to the primary, and a read that breaks on it runs again there, so
    /// the caller sees no error. Each replica has a pool of its own, sized as the primary's,
    /// with an acquire timeout of at most a second (a replica that cannot lend a connection
    /// sooner sends the read to the primary).
    pub fn replica(mut self, url: impl Into<String>) -> Self {
        self.replicas.push(url.into());
        self
    }

    /// Sets [`replica_policy`](Self::replica_policy).
    pub fn replica_policy(mut self, policy: impl ReplicaPolicy + 'static) -> Self {
        self.replica_policy = Arc::new(policy);
        self
    }

    /// Sets [`max_replica_lag`](Self::max_replica_lag).
    pub fn max_replica_lag(mut self, lag: impl Into<Option<Duration>>) -> Self {
        self.max_replica_lag = lag.into();
        self
    }

    /// Sets [`replica_check_interval`](Self::replica_check_interval).
    pub fn replica_check_interval(mut self, every: Duration) -> Self {
        self.replica_check_interval = every;
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
        let mut pool = Pool::connect_one(url, settings.clone(), None).await?;
        if settings.replicas.is_empty() {
            return Ok(pool);
        }
        if pool.dialect() == Dialect::Sqlite {
            return Err(Error::InvalidOptions(
                "SQLite has no read replicas: `replica` is for PostgreSQL and MySQL".to_owned(),
            ));
        }
        let options = ConnectOptions {
            replicas: Vec::new(),
            acquire_timeout: settings.acquire_timeout.min(Duration::from_secs(1)),
            connect_timeout: settings.connect_timeout.min(Duration::from_secs(2)),
            ..settings.clone()
        };
        let mut replicas = Vec::with_capacity(settings.replicas.len());
        for url in &settings.replicas {
            // A replica down now is checked again in the background; the primary serves.
            // Counted with the primary's: a `Db`'s stats cover the reads its replicas served.
            let counters = Arc::clone(&pool.statements);
            let replica = Pool::connect_one(url, options.clone(), Some(counters)).await;
            if let Ok(replica_pool) = &replica {
                if replica_pool.dialect() != pool.dialect() {
                    return Err(Error::InvalidOptions(format!(
                        "the replica `{}` is not the primary's backend",
                        redact(url)
                    )));
                }
            }
            let health = Health::default();
            if replica.is_err() {
                health.mark_down();
            }
            replicas.push(Replica {
                url: url.clone(),
                pool: std::sync::RwLock::new(replica.ok()),
                health,
            });
        }
        pool.replicas = Some(Arc::new(ReplicaSet {
            replicas,
            policy: Arc::clone(&settings.replica_policy),
            max_lag: settings.max_replica_lag,
            check_every: settings.replica_check_interval,
            options,
            closed: std::sync::atomic::AtomicBool::new(false),
        }));
        Ok(pool)
    }

    /// Opens a pool for one server, counting with `counters` when given (a replica's, with its
    /// primary's).
    pub(crate) async fn connect_one(
        url: &str,
        settings: ConnectOptions,
        counters: Option<Arc<Counters>>,
    ) -> Result<Pool> {
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
        // Only a MariaDB server changes it (and a MySQL-only build always assigns it).
        #[allow(unused_mut, unused_assignments)]
        let mut mariadb_returning = false;
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
                if settings.transaction_pooler {
                    // No named statements: the next transaction may get another server.
                    options = options.statement_cache_capacity(0);
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
                let pool = bounded(connect_timeout, pool.connect_with(options)).await?;
                mariadb_returning = crate::driver::server::mysql_insert_returning(&pool).await?;
                PoolKind::MySql(pool)
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
        let statements = counters.unwrap_or_default();
        Ok(Pool {
            kind,
            parked: Arc::new(Parked::new(
                settings.keep_connections,
                Arc::clone(&statements),
            )),
            statements,
            id: POOLS.fetch_add(1, Ordering::Relaxed),
            max_connections,
            register_functions: false,
            strategy: settings.load_strategy,
            parallel_relations: settings.parallel_relations,
            parallel_from_rows: settings.parallel_from_rows,
            whole_table_reads: settings.whole_table_reads,
            sqlite_busy_timeout_ms: Some(
                i32::try_from(settings.sqlite_busy_timeout.as_millis()).unwrap_or(i32::MAX),
            ),
            pooler: settings.transaction_pooler && scheme.starts_with("postgres"),
            replicas: None,
            reads_on_primary: false,
            mariadb_returning,
        })
    }

    /// A pool the application opened: Trellis runs on it as it is, with
    /// [`LoadStrategy::Auto`], [`ConnectOptions::parallel_relations`] and
    /// [`ConnectOptions::whole_table_reads`], and keeps no connection between statements (the
    /// application may use the pool through sqlx at the same time).
    fn foreign(kind: PoolKind, max_connections: u32) -> Pool {
        #[cfg(feature = "sqlite")]
        let register_functions = matches!(kind, PoolKind::Sqlite(_));
        #[cfg(not(feature = "sqlite"))]
        let register_functions = false;
        let statements = Arc::new(Counters::default());
        Pool {
            kind,
            parked: Arc::new(Parked::new(false, Arc::clone(&statements))),
            statements,
            id: POOLS.fetch_add(1, Ordering::Relaxed),
            max_connections,
            register_functions,
            strategy: LoadStrategy::Auto,
            parallel_relations: true,
            parallel_from_rows: ConnectOptions::default().parallel_from_rows,
            whole_table_reads: true,
            sqlite_busy_timeout_ms: None,
            pooler: false,
            replicas: None,
            reads_on_primary: false,
            mariadb_returning: false,
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

    /// The replica a read outside a transaction goes to, with its pool; `None`: this pool.
    pub(crate) fn replica_for_read(&self) -> Option<(&Replica, Pool)> {
        if self.reads_on_primary {
            return None;
        }
        self.replicas.as_ref()?.pick()
    }

    /// Closes every connection of the pool (and of its replicas).
    pub(crate) async fn close(&self) {
        if let Some(replicas) = &self.replicas {
            replicas.closed.store(true, Ordering::Release);
            for replica in &replicas.replicas {
                let pool = replica
                    .pool
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .take();
                if let Some(pool) = pool {
                    Box::pin(pool.close()).await;
                }
            }
        }
        // sqlx waits for every connection it lent, the parked ones included.
        self.parked.close();
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

/// Taking connections: one kept from an earlier statement first (see `crate::driver::parked`),
/// then one idle in sqlx's pool, then whichever of the two comes first.
impl Pool {
    /// A connection for the statements of a read (or a write, through [`Pool::take_checked`]).
    /// The connections taken at once, parked or idle in sqlx's pool, are not checked: a read
    /// that fails on one with a connection error runs again (see `ConnRef::reading`).
    pub(crate) async fn take(&self) -> Result<Lent> {
        if let Some(lent) = self.parked.pop() {
            Counters::add(&self.statements.reused, 1);
            return Ok(lent);
        }
        if let Some(conn) = self.idle_in_sqlx().await? {
            return Ok(self.lent(conn, false));
        }
        if self.size() < self.max_connections {
            return self.open_or_parked().await;
        }
        // Every connection is lent: the next one parked, or the next sqlx's pool gets back
        // (a transaction's; with no room, sqlx opens none that this wait could drop).
        let parked = std::pin::pin!(self.parked.next());
        let acquired = std::pin::pin!(self.acquire_checked());
        match futures_util::future::select(parked, acquired).await {
            futures_util::future::Either::Left((lent, _)) => {
                Counters::add(&self.statements.reused, 1);
                Ok(lent)
            }
            futures_util::future::Either::Right((conn, _)) => Ok(self.lent(conn?, true)),
        }
    }

    /// With room in the pool: a new connection from sqlx's pool, or a parked one if one comes
    /// back first. A connection being opened is then not dropped halfway: a task of its own
    /// waits for it and parks it (under load a parked connection comes back well before a new
    /// one is open, and dropping the new ones would keep the pool from ever growing). That
    /// task is only spawned while the pool grows.
    async fn open_or_parked(&self) -> Result<Lent> {
        let pool = self.clone();
        let mut opening = Box::pin(async move { pool.acquire_checked().await });
        let parked = std::pin::pin!(self.parked.next());
        match futures_util::future::select(parked, opening.as_mut()).await {
            futures_util::future::Either::Left((lent, _)) => {
                Counters::add(&self.statements.reused, 1);
                let pool = self.clone();
                if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                    runtime.spawn(async move {
                        // A failure to open one is the next statement's to report.
                        if let Ok(conn) = opening.await {
                            pool.parked.park(pool.lent(conn, true));
                        }
                    });
                }
                Ok(lent)
            }
            futures_util::future::Either::Right((conn, _)) => Ok(self.lent(conn?, true)),
        }
    }

    /// [`Pool::take`] for a write or a transaction, which must not run on a connection the
    /// server closed while it sat unused: a server's connection unused for more than
    /// [`CHECK_AFTER`] is checked first (as sqlx checks the connections it lends), and a
    /// broken one is closed and another taken.
    pub(crate) async fn take_checked(&self) -> Result<Lent> {
        loop {
            let mut lent = self.take().await?;
            let recent = lent.good_at.is_some_and(|at| at.elapsed() <= CHECK_AFTER);
            if recent || self.dialect() == Dialect::Sqlite {
                return Ok(lent);
            }
            if ping(&mut lent.conn).await.is_ok() {
                lent.good_at = Some(Instant::now());
                lent.checked = true;
                return Ok(lent);
            }
            close_on_drop(&mut lent.conn);
            self.parked.release(lent.conn);
        }
    }

    /// A connection parked or idle in sqlx's pool right now, for a relation loaded beside
    /// its siblings; `None` on SQLite, whose reads run in this process, on the thread the load
    /// already keeps busy. Only one available right now: a load that held one connection while
    /// it waited for a second could, with every other load doing the same, wait for ever.
    /// With none, and room in the pool, one is opened in the background for the large loads
    /// that follow (small loads never ask for a spare).
    pub(crate) fn spare_now(&self) -> Option<Lent> {
        if self.dialect() == Dialect::Sqlite {
            return None;
        }
        if let Some(lent) = self.parked.pop() {
            Counters::add(&self.statements.reused, 1);
            return Some(lent);
        }
        let conn = match &self.kind {
            #[cfg(feature = "sqlite")]
            PoolKind::Sqlite(_) => None,
            #[cfg(feature = "postgres")]
            PoolKind::Postgres(p) => idle_or_open(p, self.max_connections).map(HeldInner::Postgres),
            #[cfg(feature = "mysql")]
            PoolKind::MySql(p) => idle_or_open(p, self.max_connections).map(HeldInner::MySql),
        }?;
        Some(self.lent(conn, false))
    }

    /// How many connections sqlx's pool holds, lent and being opened included.
    pub(crate) fn size(&self) -> u32 {
        match &self.kind {
            #[cfg(feature = "sqlite")]
            PoolKind::Sqlite(p) => p.size(),
            #[cfg(feature = "postgres")]
            PoolKind::Postgres(p) => p.size(),
            #[cfg(feature = "mysql")]
            PoolKind::MySql(p) => p.size(),
        }
    }

    /// A connection just taken from sqlx's pool; `checked` when sqlx checked it.
    pub(crate) fn lent(&self, conn: HeldInner, checked: bool) -> Lent {
        Counters::add(&self.statements.acquired, 1);
        let now = Instant::now();
        Lent {
            conn,
            since: now,
            good_at: checked.then_some(now),
            checked,
        }
    }

    /// A connection idle in sqlx's pool right now, taken without sqlx's check.
    async fn idle_in_sqlx(&self) -> Result<Option<HeldInner>> {
        Ok(match &self.kind {
            #[cfg(feature = "sqlite")]
            PoolKind::Sqlite(p) => match p.try_acquire() {
                Some(mut conn) => {
                    if self.register_functions {
                        crate::driver::sqlite_functions::register(&mut conn)
                            .await
                            .map_err(Error::from_sqlx)?;
                    }
                    Some(self.held_sqlite(conn))
                }
                None => None,
            },
            #[cfg(feature = "postgres")]
            PoolKind::Postgres(p) => p.try_acquire().map(HeldInner::Postgres),
            #[cfg(feature = "mysql")]
            PoolKind::MySql(p) => p.try_acquire().map(HeldInner::MySql),
        })
    }

    /// A connection sqlx's pool lends as usual: checked, opened if the pool has room, waited
    /// for otherwise (up to the acquire timeout).
    pub(crate) async fn acquire_checked(&self) -> Result<HeldInner> {
        Ok(match &self.kind {
            #[cfg(feature = "sqlite")]
            PoolKind::Sqlite(p) => self.held_sqlite(sqlite_connection(self, p).await?),
            #[cfg(feature = "postgres")]
            PoolKind::Postgres(p) => {
                HeldInner::Postgres(p.acquire().await.map_err(Error::from_sqlx)?)
            }
            #[cfg(feature = "mysql")]
            PoolKind::MySql(p) => HeldInner::MySql(p.acquire().await.map_err(Error::from_sqlx)?),
        })
    }

    #[cfg(feature = "sqlite")]
    fn held_sqlite(&self, conn: sqlx::pool::PoolConnection<sqlx::Sqlite>) -> HeldInner {
        HeldInner::Sqlite(crate::driver::sqlite_direct::HeldSqlite::new(
            conn,
            self.sqlite_busy_timeout_ms,
        ))
    }
}

/// A connection of `pool` idle right now; with none, one more is opened in the background
/// and left idle, when the pool has room.
#[allow(dead_code)] // Unused with SQLite alone.
fn idle_or_open<DB: sqlx::Database>(
    pool: &sqlx::Pool<DB>,
    max_connections: u32,
) -> Option<sqlx::pool::PoolConnection<DB>> {
    let idle = pool.try_acquire();
    let room = pool.size() < max_connections && pool.num_idle() == 0;
    if let (None, true, Ok(runtime)) = (&idle, room, tokio::runtime::Handle::try_current()) {
        let pool = pool.clone();
        // Dropped at once: the connection goes back to the pool, idle. A failure to open one
        // is the next statement's to report.
        runtime.spawn(async move { drop(pool.acquire().await) });
    }
    idle
}

/// How long a server's connection may sit unused before a write checks it.
const CHECK_AFTER: Duration = Duration::from_secs(1);

/// Asks the server whether the connection still works.
async fn ping(conn: &mut HeldInner) -> Result<()> {
    use sqlx::Connection as _;
    match conn {
        #[cfg(feature = "sqlite")]
        HeldInner::Sqlite(held) => held.conn().ping().await,
        #[cfg(feature = "postgres")]
        HeldInner::Postgres(conn) => conn.ping().await,
        #[cfg(feature = "mysql")]
        HeldInner::MySql(conn) => conn.ping().await,
    }
    .map_err(Error::from_sqlx)
}

/// Marks a connection to be closed, not kept, when it goes back to sqlx's pool.
pub(crate) fn close_on_drop(conn: &mut HeldInner) {
    match conn {
        #[cfg(feature = "sqlite")]
        HeldInner::Sqlite(held) => held.conn().close_on_drop(),
        #[cfg(feature = "postgres")]
        HeldInner::Postgres(conn) => conn.close_on_drop(),
        #[cfg(feature = "mysql")]
        HeldInner::MySql(conn) => conn.close_on_drop(),
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
    /// PostgreSQL: unnamed statements ([`ConnectOptions::transaction_pooler`]).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) unnamed: bool,
    /// [`Pool::mariadb_returning`] of the pool.
    pub(crate) mariadb_returning: bool,
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
    /// Begins a transaction; `write` takes SQLite's write lock at once (`BEGIN IMMEDIATE`);
    /// `isolation` sets the level on PostgreSQL and MySQL (SQLite's are serializable).
    // `write` is SQLite's alone, `isolation` the servers'.
    #[cfg_attr(
        not(all(feature = "sqlite", any(feature = "postgres", feature = "mysql"))),
        allow(unused_variables)
    )]
    pub(crate) async fn begin(
        pool: &Pool,
        write: bool,
        isolation: Option<Isolation>,
    ) -> Result<TxConn> {
        check_not_held(pool)?;
        // The connection goes to sqlx's transaction, which hands it back to sqlx's pool when it
        // ends. `Transaction::begin` is what sqlx's `Pool::begin` runs on the connection it
        // acquired; here the connection may be one Trellis kept.
        let lent = pool.take_checked().await?;
        let inner = match lent.conn {
            #[cfg(feature = "sqlite")]
            HeldInner::Sqlite(held) => {
                let begin = write.then(|| sqlx::SqlSafeStr::into_sql_str("BEGIN IMMEDIATE"));
                TxInner::Sqlite(
                    sqlx::Transaction::begin(held.into_conn(), begin)
                        .await
                        .map_err(Error::from_sqlx)?,
                )
            }
            #[cfg(feature = "postgres")]
            HeldInner::Postgres(conn) => {
                // The level goes with `BEGIN`, in the same round trip.
                let begin = isolation.map(|level| {
                    sqlx::SqlSafeStr::into_sql_str(sqlx::AssertSqlSafe(format!(
                        "BEGIN ISOLATION LEVEL {}",
                        level.sql()
                    )))
                });
                TxInner::Postgres(
                    sqlx::Transaction::begin(conn, begin)
                        .await
                        .map_err(Error::from_sqlx)?,
                )
            }
            #[cfg(feature = "mysql")]
            HeldInner::MySql(mut conn) => {
                if let Some(level) = isolation {
                    // MySQL sets the level of the next transaction before it starts.
                    use sqlx::Executor as _;
                    let set = format!("SET TRANSACTION ISOLATION LEVEL {}", level.sql());
                    conn.execute(sqlx::AssertSqlSafe(set))
                        .await
                        .map_err(Error::from_sqlx)?;
                }
                TxInner::MySql(
                    sqlx::Transaction::begin(conn, None)
                        .await
                        .map_err(Error::from_sqlx)?,
                )
            }
        };
        Counters::add(&pool.statements.released, 1);
        tracing::debug!(target: "trellis::sql", "BEGIN");
        Ok(TxConn {
            inner: Mutex::new(inner),
            dialect: pool.dialect(),
            statements: Arc::clone(&pool.statements),
            direct_reads: pool.direct_reads(),
            whole_table_reads: pool.whole_table_reads,
            unnamed: pool.pooler,
            mariadb_returning: pool.mariadb_returning,
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
