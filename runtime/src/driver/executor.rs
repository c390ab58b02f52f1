//! Running statements on a pool or inside a transaction, with a `tracing` event for each.

use std::time::Instant;

use crate::driver::bind;
use crate::driver::counters::Counters;
use crate::driver::held::HeldConn;
use crate::driver::parked::HeldInner;
use crate::driver::pool::{check_not_held, Pool, Replica, TxConn, TxInner};
use crate::sql::{Dialect, Statement};
use crate::values::error::{Error, Result};
use crate::values::row::{Row, RowInner, RowSink};

/// Where a query runs: `&db` (a pooled connection per statement) or `&tx` (the transaction).
pub trait Executor<'a>: Copy + Send + Sync {
    #[doc(hidden)]
    fn conn(self) -> ConnRef<'a>;
}

/// The connection Trellis lends a write or a read running inside another (a transaction's, or
/// one held for a load).
impl<'a> Executor<'a> for ConnRef<'a> {
    fn conn(self) -> ConnRef<'a> {
        self
    }
}

/// A pool (a connection per statement) or an open transaction.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub enum ConnRef<'a> {
    /// A pool.
    Pool(&'a Pool),
    /// An open transaction.
    Tx(&'a TxConn),
    /// A connection taken from a pool for the statements of one read.
    Held(&'a HeldConn),
}

/// The spare connections of [`ConnRef::spares`].
pub(crate) struct Spares(Vec<Option<HeldConn>>);

impl Spares {
    /// The loads are done: each spare goes back for the next statement (see
    /// [`HeldConn::finish`]).
    pub(crate) fn finish(self) {
        for spare in self.0.into_iter().flatten() {
            spare.finish();
        }
    }

    /// Runs sibling `index`'s `load` on its spare connection (the first sibling, and any
    /// without a spare, on `main`). A spare that fails with a connection error is closed and
    /// the load runs again on `main`: the pool checks the connection it lends a load, not one
    /// taken idle as a spare, which the server may have closed while it sat in the pool. The
    /// loads only read, so running one again changes nothing.
    pub(crate) async fn run<'a, T>(
        &'a self,
        main: ConnRef<'a>,
        index: usize,
        load: impl Fn(ConnRef<'a>) -> futures_util::future::BoxFuture<'a, Result<T>>,
    ) -> Result<T> {
        let Some(Some(spare)) = index.checked_sub(1).and_then(|i| self.0.get(i)) else {
            return load(main).await;
        };
        spare
            .statements
            .parallel
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match load(ConnRef::Held(spare)).await {
            Err(Error::Connection { .. }) => {
                spare.close_on_drop().await;
                load(main).await
            }
            done => done,
        }
    }
}

/// The connection of one read ([`ConnRef::reading`]).
#[must_use = "a read's connection is given back by `Reading::end`"]
pub(crate) struct Reading<'a> {
    base: ConnRef<'a>,
    /// The connection taken from the pool `base` names (or from one of its replicas).
    on: Option<ReadConn>,
    /// The replica the read went to, which it falls back from to the primary.
    replica: Option<&'a Replica>,
    /// Whether the read may run again after a connection error (see [`Reading::again`]).
    may_run_again: bool,
}

/// A read's own connection: one held, or, behind a pooler in transaction mode, a
/// transaction's (which keeps its statements on one server connection).
enum ReadConn {
    Held(HeldConn),
    Tx(TxConn),
}

impl ReadConn {
    async fn open(pool: &Pool) -> Result<ReadConn> {
        Ok(if pool.pooler {
            ReadConn::Tx(TxConn::begin(pool, false, None).await?)
        } else {
            ReadConn::Held(HeldConn::take(pool).await?)
        })
    }

    /// A connection sqlx checked as it lent it.
    async fn checked(pool: &Pool) -> Result<ReadConn> {
        Ok(if pool.pooler {
            ReadConn::Tx(TxConn::begin(pool, false, None).await?)
        } else {
            ReadConn::Held(HeldConn::acquire(pool).await?)
        })
    }

    fn conn(&self) -> ConnRef<'_> {
        match self {
            ReadConn::Held(held) => ConnRef::Held(held),
            ReadConn::Tx(tx) => ConnRef::Tx(tx),
        }
    }

    /// Whether it was taken without sqlx's check (a transaction's connection was checked).
    fn unchecked(&self) -> bool {
        matches!(self, ReadConn::Held(held) if !held.checked())
    }

    /// Gives up a connection a read failed on: it is closed rather than kept.
    async fn discard(self) {
        match self {
            ReadConn::Held(held) => {
                held.close_on_drop().await;
                held.finish();
            }
            // Dropped: sqlx rolls it back and takes the connection back, checking it.
            ReadConn::Tx(tx) => drop(tx),
        }
    }
}

/// Whether a read that failed so on a replica runs again on the primary: the replica broke or
/// could not lend a connection in time, or (PostgreSQL's hot standby) cancelled the read over
/// a conflict with the changes it replays.
fn falls_back(error: &Error) -> bool {
    matches!(
        error,
        Error::Connection { .. } | Error::AcquireTimeout { .. } | Error::Conflict { .. }
    )
}

/// Whether an error on a replica means it is down (rather than busy replaying).
fn replica_down(error: &Error) -> bool {
    matches!(
        error,
        Error::Connection { .. } | Error::AcquireTimeout { .. }
    )
}

impl Reading<'_> {
    /// Where the read's statements run.
    pub(crate) fn conn(&self) -> ConnRef<'_> {
        match &self.on {
            Some(on) => on.conn(),
            None => self.base,
        }
    }

    /// After the read failed with `error`, whether to run it again from its start:
    /// - on a replica, when it broke or cancelled the read (see [`falls_back`]): the read runs
    ///   again on the primary, and a replica that broke takes no reads until a check finds it
    ///   back;
    /// - with a connection error on a connection taken unchecked, which the server may have
    ///   closed while it sat unused: that connection is closed, and the read runs again on
    ///   one the pool checks.
    ///
    /// Reads change nothing, so running one again is safe, and the caller sees one answer.
    pub(crate) async fn again(&mut self, error: &Error) -> Result<bool> {
        let ConnRef::Pool(pool) = self.base else {
            return Ok(false);
        };
        if let Some(replica) = self.replica.take() {
            if !falls_back(error) {
                return Ok(false);
            }
            if replica_down(error) {
                replica.mark_down();
            }
            Counters::add(&replica.health.fallbacks, 1);
            Counters::add(&pool.statements.replica_fallbacks, 1);
            if let Some(on) = self.on.take() {
                on.discard().await;
            }
            let on = ReadConn::open(pool).await?;
            self.may_run_again = on.unchecked() && pool.dialect() != Dialect::Sqlite;
            self.on = Some(on);
            return Ok(true);
        }
        if !self.may_run_again || !matches!(error, Error::Connection { .. }) {
            return Ok(false);
        }
        if let Some(on) = self.on.take() {
            on.discard().await;
        }
        self.on = Some(ReadConn::checked(pool).await?);
        self.may_run_again = false;
        Ok(true)
    }

    /// The read ended with `done`: its connection is kept for the next statement when it
    /// succeeded (see [`HeldConn::finish`]); a transaction's is committed.
    pub(crate) async fn end<T>(self, done: Result<T>) -> Result<T> {
        match (self.on, done) {
            (Some(ReadConn::Held(held)), Ok(value)) => {
                held.finish();
                Ok(value)
            }
            (Some(ReadConn::Tx(tx)), Ok(value)) => tx.commit().await.map(|()| value),
            (_, done) => done,
        }
    }
}

/// What a write reports back.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outcome {
    pub(crate) rows_affected: u64,
    /// MySQL's `LAST_INSERT_ID()` (the first id of a multi-row insert); 0 elsewhere.
    pub(crate) last_insert_id: u64,
}

/// The statement's text for sqlx, which asks that dynamic SQL be vouched for. Trellis renders
/// its statements from quoted identifiers and placeholders: values never enter the text (they
/// are bound). The text of `Db::execute_raw`/`fetch_raw` is the caller's, as documented there.
fn sql_safe(sql: &str) -> sqlx::AssertSqlSafe<&str> {
    sqlx::AssertSqlSafe(sql)
}

/// The statement as a PostgreSQL query: prepared once and kept (generic plans after five
/// runs), or, when it asks to be planned per run, sent unnamed and planned for its values.
#[cfg(feature = "postgres")]
fn postgres_query(
    stmt: &Statement,
    unnamed: bool,
) -> Result<sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>> {
    Ok(
        sqlx::query_with(sql_safe(&stmt.sql), bind::postgres(&stmt.params)?)
            .persistent(!stmt.planned_per_run && !unnamed),
    )
}

/// Where a statement runs once a pool has lent its connection: a transaction's, or one held.
#[derive(Clone, Copy)]
enum On<'a> {
    Tx(&'a TxConn),
    Held(&'a HeldConn),
}

/// Runs `$query` (a `sqlx::query_with` built from the statement) on whatever `$on` holds.
macro_rules! dispatch {
    ($on:expr, $stmt:expr, |$q:ident, $ex:ident| $sqlite:expr, $pg:expr, $my:expr) => {
        match $on {
            On::Tx(tx) => {
                let mut guard = tx.inner.lock().await;
                match &mut *guard {
                    #[cfg(feature = "sqlite")]
                    TxInner::Sqlite(t) => {
                        let $ex = &mut **t;
                        let $q =
                            sqlx::query_with(sql_safe(&$stmt.sql), bind::sqlite(&$stmt.params)?);
                        $sqlite
                    }
                    #[cfg(feature = "postgres")]
                    TxInner::Postgres(t) => {
                        let $ex = &mut **t;
                        let $q = postgres_query(&$stmt, tx.unnamed)?;
                        $pg
                    }
                    #[cfg(feature = "mysql")]
                    TxInner::MySql(t) => {
                        let $ex = &mut **t;
                        let $q =
                            sqlx::query_with(sql_safe(&$stmt.sql), bind::mysql(&$stmt.params)?);
                        $my
                    }
                }
            }
            On::Held(held) => {
                let mut guard = held.inner.lock().await;
                match &mut *guard {
                    #[cfg(feature = "sqlite")]
                    HeldInner::Sqlite(c) => {
                        let $ex = &mut **c.conn();
                        let $q =
                            sqlx::query_with(sql_safe(&$stmt.sql), bind::sqlite(&$stmt.params)?);
                        $sqlite
                    }
                    #[cfg(feature = "postgres")]
                    HeldInner::Postgres(c) => {
                        let $ex = &mut **c;
                        let $q = postgres_query(&$stmt, held.unnamed())?;
                        $pg
                    }
                    #[cfg(feature = "mysql")]
                    HeldInner::MySql(c) => {
                        let $ex = &mut **c;
                        let $q =
                            sqlx::query_with(sql_safe(&$stmt.sql), bind::mysql(&$stmt.params)?);
                        $my
                    }
                }
            }
        }
    };
}

/// Runs `$body` with `$on` bound to where the statement runs: on a pool, a connection lent for
/// it (taken with `$take`), parked again for the next statement when the statement succeeded.
macro_rules! on_connection {
    ($conn:expr, $take:path, |$on:ident| $body:expr) => {
        match $conn {
            ConnRef::Pool(pool) if pool.pooler => {
                // Behind a pooler in transaction mode: in a transaction of its own, so that
                // the statement stays on one server connection from its parsing to its end.
                let tx = TxConn::begin(pool, false, None).await?;
                let done = {
                    let $on = On::Tx(&tx);
                    $body
                };
                match done {
                    Ok(value) => tx.commit().await.map(|()| value),
                    Err(e) => Err(e),
                }
            }
            ConnRef::Pool(pool) => {
                check_not_held(pool)?;
                let held = $take(pool).await?;
                let done = {
                    let $on = On::Held(&held);
                    $body
                };
                if done.is_ok() {
                    held.finish();
                }
                done
            }
            ConnRef::Tx(tx) => {
                let $on = On::Tx(tx);
                $body
            }
            ConnRef::Held(held) => {
                let $on = On::Held(held);
                $body
            }
        }
    };
}

impl On<'_> {
    /// A statement starts here (see [`HeldConn::starts`]).
    fn starts(self) {
        if let On::Held(held) = self {
            held.starts();
        }
    }

    /// The statement ran to its end.
    fn ran(self) {
        if let On::Held(held) = self {
            held.ran();
        }
    }
}

impl<'a> ConnRef<'a> {
    /// The counters of the pool this connection belongs to.
    fn counters(self) -> &'a Counters {
        match self {
            ConnRef::Pool(pool) => &pool.statements,
            ConnRef::Tx(tx) => &tx.statements,
            ConnRef::Held(held) => &held.statements,
        }
    }

    /// Whether relations of every row of a table may read the related table whole
    /// ([`ConnectOptions::whole_table_reads`](crate::ConnectOptions)).
    pub(crate) fn whole_table_reads(self) -> bool {
        match self {
            ConnRef::Pool(pool) => pool.whole_table_reads,
            ConnRef::Tx(tx) => tx.whole_table_reads,
            ConnRef::Held(held) => held.whole_table_reads(),
        }
    }

    /// Whether an `INSERT` can return the rows it wrote (`RETURNING`): on SQLite and
    /// PostgreSQL, and on MariaDB 10.5 or newer; MySQL's are read back.
    pub(crate) fn insert_returns_rows(self) -> bool {
        self.dialect() != Dialect::MySql
            || match self {
                ConnRef::Pool(pool) => pool.mariadb_returning,
                ConnRef::Tx(tx) => tx.mariadb_returning,
                ConnRef::Held(held) => held.mariadb_returning(),
            }
    }

    /// Counts a relation load that read the related table whole.
    pub(crate) fn count_whole_table_read(self) {
        self.counters()
            .whole_table
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    fn count_statement(self) {
        let counters = self.counters();
        counters
            .all
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Counts a read stepped on SQLite's own handle.
    #[cfg(feature = "sqlite")]
    fn count_direct(self) {
        let counters = self.counters();
        counters
            .direct
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    pub(crate) fn dialect(self) -> Dialect {
        match self {
            ConnRef::Pool(pool) => pool.dialect(),
            ConnRef::Tx(tx) => tx.dialect,
            ConnRef::Held(held) => held.dialect,
        }
    }

    /// Refuses a statement the database would reject for its shape, before sending it, so the
    /// error says why (a driver reports too many parameters as a protocol failure).
    fn check(self, stmt: &Statement) -> Result<()> {
        if let ConnRef::Pool(pool) = self {
            check_not_held(pool)?;
        }
        if let Some(fault) = stmt.fault() {
            return Err(Error::InvalidQuery(fault.to_owned()));
        }
        let dialect = self.dialect();
        if stmt.params.len() > dialect.max_params() {
            return Err(Error::InvalidQuery(format!(
                "the statement binds {} values; {dialect:?} accepts at most {} in one statement",
                stmt.params.len(),
                dialect.max_params()
            )));
        }
        Ok(())
    }

    /// Runs a statement that returns rows, through the driver.
    pub(crate) async fn fetch(self, stmt: &Statement) -> Result<Vec<Row>> {
        self.fetch_read(stmt, false).await
    }

    /// Runs a statement that returns rows, handing each to `sink` as it arrives.
    async fn fetch_each(self, stmt: &Statement, sink: &mut RowSink<'_>) -> Result<()> {
        self.check(stmt)?;
        #[cfg(feature = "postgres")]
        if let Some(pool) = self.simple_protocol(stmt) {
            return self.simple(pool, stmt, Some(sink)).await.map(drop);
        }
        self.count_statement();
        let start = Instant::now();
        use futures_util::TryStreamExt as _;
        let mut count = 0;
        let mut take = |row: Row| {
            count += 1;
            sink(row)
        };
        // A sink's own error ends the stream as it is; the driver's becomes Trellis's.
        let done: Result<()> = on_connection!(self, HeldConn::take, |on| {
            on.starts();
            let done: Result<()> = dispatch!(
                on,
                stmt,
                |q, ex| {
                    q.fetch(ex)
                        .map_err(Error::from_sqlx)
                        .try_for_each(|r| std::future::ready(take(Row(RowInner::Sqlite(r)))))
                        .await
                },
                {
                    q.fetch(ex)
                        .map_err(Error::from_sqlx)
                        .try_for_each(|r| std::future::ready(take(Row(RowInner::Postgres(r)))))
                        .await
                },
                {
                    q.fetch(ex)
                        .map_err(Error::from_sqlx)
                        .try_for_each(|r| std::future::ready(take(Row(RowInner::MySql(r)))))
                        .await
                }
            );
            if done.is_ok() {
                on.ran();
            }
            done
        });
        trace(stmt, start, done.as_ref().map(|()| count));
        done
    }

    /// Runs a read whose result columns are all of the plain types (`plain`), stepping it
    /// directly on SQLite's handle where the connection's [`LoadStrategy`] allows, else as
    /// [`ConnRef::fetch`] does.
    ///
    /// [`LoadStrategy`]: crate::driver::pool::LoadStrategy
    pub(crate) async fn fetch_read(self, stmt: &Statement, plain: bool) -> Result<Vec<Row>> {
        let mut rows = Vec::new();
        self.fetch_read_each(stmt, plain, &mut |row| {
            rows.push(row);
            Ok(())
        })
        .await?;
        Ok(rows)
    }

    /// [`ConnRef::fetch_read`], handing each row to `sink` as it is read, so that a caller
    /// that turns rows into outputs one by one never holds them all.
    pub(crate) async fn fetch_read_each(
        self,
        stmt: &Statement,
        plain: bool,
        sink: &mut RowSink<'_>,
    ) -> Result<()> {
        #[cfg(feature = "sqlite")]
        if plain && crate::driver::sqlite_direct::binds_directly(stmt) {
            if let Some(done) = self.fetch_direct(stmt, &mut *sink).await {
                return done;
            }
        }
        #[cfg(not(feature = "sqlite"))]
        let _ = plain;
        self.fetch_each(stmt, sink).await
    }

    /// [`ConnRef::fetch_read_each`] on SQLite's handle; `None` where it does not apply (a pool
    /// without a held connection, another backend, or reads through the driver).
    #[cfg(feature = "sqlite")]
    async fn fetch_direct(self, stmt: &Statement, sink: &mut RowSink<'_>) -> Option<Result<()>> {
        use crate::driver::sqlite_direct;
        // Checked, counted and traced as any statement.
        let start = || {
            self.check(stmt)?;
            self.count_statement();
            self.count_direct();
            Ok(Instant::now())
        };
        let done = |costs: Result<sqlite_direct::Costs>, start: Instant| {
            let counters = self.counters();
            if let Ok(costs) = &costs {
                Counters::add(&counters.prepared, u64::from(costs.prepared));
                Counters::add(&counters.handoffs, u64::from(costs.handoffs));
            }
            let rows = costs.map(|c| c.rows);
            trace(stmt, start, rows.as_ref().copied());
            rows.map(drop)
        };
        match self {
            ConnRef::Held(held) if held.direct_reads => {
                let mut guard = held.inner.lock().await;
                #[allow(irrefutable_let_patterns)] // With SQLite alone.
                if let HeldInner::Sqlite(c) = &mut *guard {
                    return Some(match start() {
                        Ok(at) => {
                            held.starts();
                            let costs = sqlite_direct::fetch_held(c, stmt, sink).await;
                            if costs.is_ok() {
                                held.ran();
                            }
                            done(costs, at)
                        }
                        Err(e) => Err(e),
                    });
                }
                None
            }
            ConnRef::Tx(tx) if tx.direct_reads => {
                let mut guard = tx.inner.lock().await;
                #[allow(irrefutable_let_patterns)] // With SQLite alone.
                if let TxInner::Sqlite(t) = &mut *guard {
                    return Some(match start() {
                        Ok(at) => done(sqlite_direct::fetch(t, stmt, sink).await, at),
                        Err(e) => Err(e),
                    });
                }
                None
            }
            _ => None,
        }
    }

    /// Behind a pooler in transaction mode, a statement with no parameters on the pool (SQL
    /// written by hand: `CREATE DATABASE`, `SET`, DDL) goes in the simple query protocol, one
    /// message with nothing prepared, outside a transaction (some statements cannot run in one).
    #[cfg(feature = "postgres")]
    fn simple_protocol(self, stmt: &Statement) -> Option<&'a Pool> {
        match self {
            ConnRef::Pool(pool) if pool.pooler && stmt.params.is_empty() => Some(pool),
            _ => None,
        }
    }

    /// Runs `stmt` in the simple query protocol (see [`ConnRef::simple_protocol`]), handing
    /// its rows to `sink` if given.
    #[cfg(feature = "postgres")]
    async fn simple(
        self,
        pool: &Pool,
        stmt: &Statement,
        mut sink: Option<&mut RowSink<'_>>,
    ) -> Result<Outcome> {
        use futures_util::TryStreamExt as _;
        check_not_held(pool)?;
        self.count_statement();
        let start = Instant::now();
        let held = HeldConn::take_checked(pool).await?;
        held.starts();
        let done: Result<Outcome> = async {
            let mut guard = held.inner.lock().await;
            #[allow(irrefutable_let_patterns)] // With PostgreSQL alone.
            let HeldInner::Postgres(conn) = &mut *guard
            else {
                return Err(Error::InvalidQuery(
                    "internal: a pooler's connection that is not PostgreSQL's".to_owned(),
                ));
            };
            let mut rows_affected = 0;
            let mut results = sqlx::raw_sql(sql_safe(&stmt.sql)).fetch_many(&mut **conn);
            while let Some(item) = results.try_next().await.map_err(Error::from_sqlx)? {
                match item {
                    sqlx::Either::Left(done) => rows_affected += done.rows_affected(),
                    sqlx::Either::Right(row) => {
                        if let Some(sink) = sink.as_deref_mut() {
                            sink(Row(RowInner::Postgres(row)))?;
                        }
                    }
                }
            }
            Ok(Outcome {
                rows_affected,
                last_insert_id: 0,
            })
        }
        .await;
        trace(stmt, start, done.as_ref().map(|o| o.rows_affected as usize));
        if done.is_ok() {
            held.ran();
            held.finish();
        }
        done
    }

    /// Runs a statement for its effect.
    pub(crate) async fn execute(self, stmt: &Statement) -> Result<Outcome> {
        self.check(stmt)?;
        #[cfg(feature = "postgres")]
        if let Some(pool) = self.simple_protocol(stmt) {
            return self.simple(pool, stmt, None).await;
        }
        self.count_statement();
        let start = Instant::now();
        let outcome: Result<Outcome> = on_connection!(self, HeldConn::take_checked, |on| {
            on.starts();
            let outcome: std::result::Result<Outcome, sqlx::Error> = dispatch!(
                on,
                stmt,
                |q, ex| {
                    q.execute(ex).await.map(|r| Outcome {
                        rows_affected: r.rows_affected(),
                        last_insert_id: 0,
                    })
                },
                {
                    q.execute(ex).await.map(|r| Outcome {
                        rows_affected: r.rows_affected(),
                        last_insert_id: 0,
                    })
                },
                {
                    q.execute(ex).await.map(|r| Outcome {
                        rows_affected: r.rows_affected(),
                        last_insert_id: r.last_insert_id(),
                    })
                }
            );
            if outcome.is_ok() {
                on.ran();
            }
            outcome.map_err(Error::from_sqlx)
        });
        trace(
            stmt,
            start,
            outcome.as_ref().map(|o| o.rows_affected as usize),
        );
        outcome
    }

    /// Runs several statements as one unit: in a new transaction on a pool, directly in an
    /// open one (whose owner then decides).
    pub(crate) async fn execute_all(self, statements: Vec<Statement>) -> Result<()> {
        self.atomically(async |conn| {
            for stmt in &statements {
                conn.execute(stmt).await?;
            }
            Ok(())
        })
        .await
    }

    /// Runs `f` so that its writes land together or not at all.
    pub(crate) async fn atomically<T>(
        self,
        f: impl AsyncFnOnce(ConnRef<'_>) -> Result<T>,
    ) -> Result<T> {
        match self {
            ConnRef::Pool(pool) => {
                // Trellis's own multi-statement writes take SQLite's write lock up front.
                let tx = TxConn::begin(pool, true, None).await?;
                let value = f(ConnRef::Tx(&tx)).await?;
                tx.commit().await?;
                Ok(value)
            }
            ConnRef::Tx(_) => f(self).await,
            // Only reads hold a connection (`ConnRef::reading`); none of them writes.
            ConnRef::Held(_) => Err(Error::InvalidQuery(
                "a write cannot run on the connection a read holds".to_owned(),
            )),
        }
    }

    /// Connections for `relations` sibling relations of `parents` rows to load at the same
    /// time: the first on this one, each other on a spare connection of the pool where one is
    /// idle (see [`HeldConn::spare`]), else on this one too. `None` (load them in turn) for
    /// fewer than two relations or fewer parents than
    /// [`ConnectOptions::parallel_from_rows`](crate::driver::pool::ConnectOptions) says, in a
    /// transaction, and when no spare connection is idle. Give the spares back with
    /// [`Spares::finish`] when the loads succeeded.
    pub(crate) fn spares(self, relations: usize, parents: usize) -> Option<Spares> {
        match self {
            ConnRef::Held(held) if relations >= 2 && parents >= held.parallel_from_rows() => {
                let spares: Vec<Option<HeldConn>> = (1..relations).map(|_| held.spare()).collect();
                spares.iter().any(Option::is_some).then_some(Spares(spares))
            }
            _ => None,
        }
    }

    /// The connection for the statements of one read: a pool lends one for all of them, so
    /// they neither wait for a free connection each nor prepare their statements again on
    /// another; a transaction or a held connection is used as it is.
    ///
    /// From a pool, the connection is one kept from an earlier statement or idle in it, taken
    /// without sqlx's check (see [`Pool::take`]): run the read on [`Reading::conn`], when it
    /// fails ask [`Reading::again`] whether to run it again from its start, and end it with
    /// [`Reading::end`].
    pub(crate) async fn reading(self) -> Result<Reading<'a>> {
        let ConnRef::Pool(pool) = self else {
            return Ok(Reading {
                base: self,
                on: None,
                replica: None,
                may_run_again: false,
            });
        };
        check_not_held(pool)?;
        if let Some((replica, replica_pool)) = pool.replica_for_read() {
            match ReadConn::open(&replica_pool).await {
                Ok(on) => {
                    Counters::add(&replica.health.reads, 1);
                    Counters::add(&pool.statements.replica_reads, 1);
                    return Ok(Reading {
                        base: self,
                        on: Some(on),
                        replica: Some(replica),
                        may_run_again: false,
                    });
                }
                Err(e) if falls_back(&e) => {
                    if replica_down(&e) {
                        replica.mark_down();
                    }
                    Counters::add(&replica.health.fallbacks, 1);
                    Counters::add(&pool.statements.replica_fallbacks, 1);
                }
                Err(e) => return Err(e),
            }
        }
        Counters::add(&pool.statements.primary_reads, 1);
        let on = ReadConn::open(pool).await?;
        // No server closes an embedded database's connection while it sits unused, so a
        // SQLite read never runs again (closing its connection would lose an in-memory
        // database).
        let may_run_again = on.unchecked() && pool.dialect() != Dialect::Sqlite;
        Ok(Reading {
            base: self,
            on: Some(on),
            replica: None,
            may_run_again,
        })
    }
}

fn trace<E: std::fmt::Display>(
    stmt: &Statement,
    start: Instant,
    rows: std::result::Result<usize, &E>,
) {
    let elapsed_us = start.elapsed().as_micros() as u64;
    match rows {
        Ok(rows) => tracing::debug!(
            target: "trellis::sql",
            sql = %stmt.sql,
            params = stmt.params.len(),
            rows,
            elapsed_us,
            "statement"
        ),
        Err(error) => tracing::debug!(
            target: "trellis::sql",
            sql = %stmt.sql,
            params = stmt.params.len(),
            %error,
            elapsed_us,
            "statement failed"
        ),
    }
}
