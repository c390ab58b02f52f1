//! Connecting to a database chosen at run time by its URL: the handle applications keep.

use crate::driver::executor::{ConnRef, Executor};
use crate::driver::pool::{inside, ConnectOptions, Pool, SqlxPool};
use crate::driver::tx::Tx;
use crate::sql::{Dialect, Statement};
use crate::values::error::{Error, Result};
use crate::values::row::Row;
use crate::values::value::Value;

/// A pool of connections to one SQLite, PostgreSQL or MySQL/MariaDB database.
///
/// Cheap to clone: clones share the pool.
#[derive(Clone, Debug)]
pub struct Db {
    pub(crate) pool: Pool,
}

impl<'a> Executor<'a> for &'a Db {
    fn conn(self) -> ConnRef<'a> {
        ConnRef::Pool(&self.pool)
    }
}

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

    /// Connects as [`Db::connect`] does, with the given pool sizes, timeouts and SQLite
    /// settings. Options out of range (`max_connections` 0, `min_connections` above it) are
    /// [`Error::InvalidOptions`].
    pub async fn connect_with(url: &str, settings: ConnectOptions) -> Result<Db> {
        let pool = Pool::connect(url, settings).await?;
        crate::driver::health::spawn_checks(&pool);
        Ok(Db { pool })
    }

    /// This `Db` with every read on the primary, for reading what was just written (a
    /// replica may not have it yet). Writes and transactions go to the primary anyway; on a
    /// `Db` without replicas this is the same `Db`.
    pub fn primary(&self) -> Db {
        let mut pool = self.pool.clone();
        pool.reads_on_primary = true;
        Db { pool }
    }

    /// What is known of each read replica, in the order they were given.
    pub fn replica_stats(&self) -> Vec<crate::driver::routing::ReplicaStats> {
        self.pool.replicas.as_ref().map_or_else(Vec::new, |set| {
            set.replicas
                .iter()
                .map(|r| r.health.stats(&r.name(), set.max_lag))
                .collect()
        })
    }

    /// Runs on a pool the application opened with sqlx (`sqlx::SqlitePool`, `PgPool` or
    /// `MySqlPool`, with the backend's feature), sharing it with the application's own
    /// queries: its sizes, timeouts and connection settings are the application's.
    ///
    /// On SQLite, Trellis's SQL functions (case-insensitive and byte-exact text matching, sums
    /// and averages of decimals) and its `trellis_decimal` collation are registered on each
    /// connection as Trellis takes it from the pool, so the filters and aggregates that use
    /// them work on connections Trellis did not open. Foreign keys are the pool's
    /// business: Trellis's own pools turn them on (`PRAGMA foreign_keys = ON`).
    ///
    /// `docs/connections.md` shows it with a pool of one connection.
    pub fn from_pool(pool: impl SqlxPool) -> Db {
        Db {
            pool: pool.into_pool(),
        }
    }

    /// The SQL dialect of this database.
    pub fn dialect(&self) -> Dialect {
        self.pool.dialect()
    }

    /// For tests of the path MySQL takes: this `Db` (sharing the pool and its connections)
    /// with inserts read back by key after they ran, as on MySQL, even where the server is
    /// MariaDB 10.5 or newer, whose inserts return their rows with `RETURNING`. SQLite and
    /// PostgreSQL always use `RETURNING`: there it changes nothing.
    #[doc(hidden)]
    pub fn __read_back_inserts(&self) -> Db {
        let mut db = self.clone();
        db.pool.mariadb_returning = false;
        db
    }

    /// How many statements have run through this pool and its transactions (shared by clones),
    /// for tests that check how many queries an operation takes.
    pub fn statement_count(&self) -> u64 {
        self.pool
            .statements
            .all
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Of [`Db::statement_count`], the reads SQLite stepped on its own handle rather than
    /// through the driver's rows ([`LoadStrategy::Direct`](crate::LoadStrategy)); always 0 on
    /// the other backends.
    pub fn direct_read_count(&self) -> u64 {
        self.pool
            .statements
            .direct
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Of the relation loads, those that ran on a spare connection at the same time as a
    /// sibling relation's ([`ConnectOptions::parallel_relations`](crate::ConnectOptions));
    /// always 0 on SQLite.
    pub fn parallel_load_count(&self) -> u64 {
        self.pool
            .statements
            .parallel
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Of the relation loads, those that read the related table whole rather than by key
    /// ([`ConnectOptions::whole_table_reads`](crate::ConnectOptions)).
    pub fn whole_table_read_count(&self) -> u64 {
        self.pool
            .statements
            .whole_table
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// What this `Db` (and its clones and transactions) has done with its connections so far:
    /// statements run, connections taken from the pool and kept between statements, SQLite
    /// statements prepared and thread hand-offs. Subtract two snapshots to see what one
    /// request cost.
    pub fn connection_stats(&self) -> crate::driver::counters::ConnectionStats {
        let mut stats = self.pool.statements.snapshot();
        stats.open = self.pool.size();
        stats
    }

    /// Starts a transaction; it rolls back when dropped without [`Tx::commit`].
    pub async fn begin(&self) -> Result<Tx> {
        Tx::begin(&self.pool, false, None).await
    }

    /// Starts a transaction that will write: on SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so that concurrent writers wait for each other (up to the busy
    /// timeout) instead of failing with "database is locked" when a read turns into a write.
    /// The same as [`Db::begin`] on PostgreSQL and MySQL.
    pub async fn begin_write(&self) -> Result<Tx> {
        Tx::begin(&self.pool, true, None).await
    }

    /// Runs `f` in a transaction: commits when it returns `Ok`, rolls back when it returns
    /// `Err` (or its future is dropped before finishing).
    ///
    /// `f` receives `&Tx`; pass it where a query takes an executor: `.exec(tx)`. To nest, use
    /// [`Tx::transaction`] (a savepoint): a `db.transaction` inside another is a second,
    /// separate transaction on another connection, and on a pool of one connection (an
    /// in-memory SQLite database, or `max_connections(1)`), whose connection the outer
    /// transaction holds, an immediate [`Error::WouldDeadlock`], as is any statement on `&db`
    /// inside `f` there.
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

    /// Runs `f` in a transaction, and runs it again, in a new transaction, each time the
    /// database gives the transaction up over a conflict with another ([`Error::Conflict`]: a
    /// serialization failure, a deadlock, a Galera certification conflict, reported by a
    /// statement or by the commit), as `policy` says: at most `policy.attempts` runs, with a
    /// random wait growing between them, each at `policy.isolation`. Any other error ends it at
    /// once, as it is; after the last run, [`Error::RetriesExhausted`] carries the number of
    /// runs and the last conflict. On SQLite each run takes the write lock as it begins (as
    /// [`Db::write_transaction`]), so runs wait for each other instead of conflicting.
    ///
    /// `f` must be safe to run more than once: everything it does through `tx` is undone with
    /// the failed run, but nothing else is. Keep side effects outside the database (sending an
    /// e-mail, a message to a queue, a call to another service, a change to data outside the
    /// closure) out of `f`, or do them after it returned; compute what the transaction writes
    /// from what it reads through `tx`, not from values an earlier run read.
    /// `Db::connection_stats().retries` counts the runs again.
    pub async fn transaction_with_retry<T, F>(
        &self,
        policy: &crate::driver::retry::RetryPolicy,
        mut f: F,
    ) -> Result<T>
    where
        F: AsyncFnMut(&Tx) -> Result<T>,
    {
        let write = self.dialect() == Dialect::Sqlite;
        let mut run = 1;
        loop {
            let outcome = match Tx::begin(&self.pool, write, policy.isolation).await {
                Ok(tx) => self.run_in(tx, &mut f).await,
                Err(e) => Err(e),
            };
            match outcome {
                Err(conflict @ Error::Conflict { .. }) => {
                    if run >= policy.attempts {
                        return Err(Error::RetriesExhausted {
                            attempts: run,
                            source: Box::new(conflict),
                        });
                    }
                    run += 1;
                    crate::driver::counters::Counters::add(&self.pool.statements.retries, 1);
                    tokio::time::sleep(policy.backoff_before(run)).await;
                }
                done => return done,
            }
        }
    }

    async fn run_in<T, E, F>(&self, tx: Tx, f: F) -> std::result::Result<T, E>
    where
        F: AsyncFnOnce(&Tx) -> std::result::Result<T, E>,
        E: From<Error>,
    {
        match inside(&self.pool, f(&tx)).await {
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

    /// Runs SQL written by hand, binding `params` to its placeholders (`?`, or `$1`.. on
    /// PostgreSQL); returns the number of rows affected. The text is sent as written: put
    /// values in `params`, never into the text.
    pub async fn execute_raw(
        &self,
        sql: &str,
        params: impl IntoIterator<Item = Value>,
    ) -> Result<u64> {
        let stmt = Statement::raw(sql, params.into_iter().collect());
        Ok(ConnRef::Pool(&self.pool)
            .execute(&stmt)
            .await?
            .rows_affected)
    }

    /// Runs a hand-written query, binding `params`; the rows are read with
    /// [`Row::get_native`] or a model's decoder.
    pub async fn fetch_raw(
        &self,
        sql: &str,
        params: impl IntoIterator<Item = Value>,
    ) -> Result<Vec<Row>> {
        let stmt = Statement::raw(sql, params.into_iter().collect());
        ConnRef::Pool(&self.pool).fetch(&stmt).await
    }

    /// Closes every connection of the pool.
    pub async fn close(&self) {
        self.pool.close().await;
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
