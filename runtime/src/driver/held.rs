//! One connection taken from a pool for the statements of one read or one write, so that they
//! run in turn on a connection whose statements are already prepared, not each on whichever is
//! free; parked again for the next statement when they all ran to their end.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::Mutex;

use crate::driver::counters::Counters;
use crate::driver::parked::{HeldInner, Lent};
use crate::driver::pool::{close_on_drop, Pool};
use crate::sql::Dialect;
use crate::values::error::Result;

/// A connection lent to one read or write.
#[doc(hidden)]
#[derive(Debug)]
pub struct HeldConn {
    pub(crate) inner: Mutex<HeldInner>,
    pub(crate) dialect: Dialect,
    pub(crate) statements: Arc<Counters>,
    /// Plain reads step SQLite statements directly ([`LoadStrategy::Direct`]).
    ///
    /// [`LoadStrategy::Direct`]: crate::driver::pool::LoadStrategy::Direct
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) direct_reads: bool,
    /// When it was lent out of sqlx's pool.
    since: Instant,
    /// When it was last known to work (see [`Lent::good_at`]).
    good_at: Option<Instant>,
    /// Whether sqlx checked it as it lent it, just now.
    checked: bool,
    /// Whether every statement on it so far ran to its end: only then is it parked for the
    /// next statement ([`HeldConn::finish`]). A statement that failed, or whose future was
    /// dropped halfway, leaves it to sqlx's pool, which checks it.
    clean: AtomicBool,
    /// The pool it came from.
    pool: Pool,
}

impl HeldConn {
    /// A connection of `pool` for a read (see [`Pool::take`]).
    pub(crate) async fn take(pool: &Pool) -> Result<HeldConn> {
        Ok(HeldConn::of(pool, pool.take().await?))
    }

    /// A connection of `pool` for a write (see [`Pool::take_checked`]).
    pub(crate) async fn take_checked(pool: &Pool) -> Result<HeldConn> {
        Ok(HeldConn::of(pool, pool.take_checked().await?))
    }

    /// A connection sqlx's pool checks as it lends it.
    pub(crate) async fn acquire(pool: &Pool) -> Result<HeldConn> {
        let conn = pool.acquire_checked().await?;
        Ok(HeldConn::of(pool, pool.lent(conn, true)))
    }

    fn of(pool: &Pool, lent: Lent) -> HeldConn {
        HeldConn {
            inner: Mutex::new(lent.conn),
            dialect: pool.dialect(),
            statements: Arc::clone(&pool.statements),
            direct_reads: pool.direct_reads(),
            since: lent.since,
            good_at: lent.good_at,
            checked: lent.checked,
            clean: AtomicBool::new(true),
            pool: pool.clone(),
        }
    }

    /// Whether sqlx checked it just now, as it lent it: a read failing on it with a
    /// connection error failed for another reason than a connection closed while unused.
    pub(crate) fn checked(&self) -> bool {
        self.checked
    }

    /// [`ConnectOptions::whole_table_reads`] of the pool it came from.
    ///
    /// [`ConnectOptions::whole_table_reads`]: crate::driver::pool::ConnectOptions::whole_table_reads
    pub(crate) fn whole_table_reads(&self) -> bool {
        self.pool.whole_table_reads
    }

    /// [`ConnectOptions::parallel_from_rows`] of the pool it came from.
    ///
    /// [`ConnectOptions::parallel_from_rows`]: crate::driver::pool::ConnectOptions::parallel_from_rows
    pub(crate) fn parallel_from_rows(&self) -> usize {
        self.pool.parallel_from_rows
    }

    /// PostgreSQL: whether its statements go unnamed
    /// ([`ConnectOptions::transaction_pooler`]).
    ///
    /// [`ConnectOptions::transaction_pooler`]: crate::driver::pool::ConnectOptions::transaction_pooler
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn unnamed(&self) -> bool {
        self.pool.pooler
    }

    /// [`Pool::mariadb_returning`] of the pool it came from.
    pub(crate) fn mariadb_returning(&self) -> bool {
        self.pool.mariadb_returning
    }

    /// A statement starts on it: until [`HeldConn::ran`], it is not clean.
    pub(crate) fn starts(&self) {
        self.clean.store(false, Ordering::Relaxed);
    }

    /// The statement started last ran to its end.
    pub(crate) fn ran(&self) {
        self.clean.store(true, Ordering::Relaxed);
    }

    /// Another connection of the same pool, for a sibling relation whose statements run at the
    /// same time as this connection's (PostgreSQL and MySQL: the server works on both at once,
    /// and neither waits for the other's round trips); see [`Pool::spare_now`].
    pub(crate) fn spare(&self) -> Option<HeldConn> {
        if !self.pool.parallel_relations {
            return None;
        }
        let lent = self.pool.spare_now()?;
        Some(HeldConn::of(&self.pool, lent))
    }

    /// Closes the connection when it goes back to sqlx's pool, rather than keeping it there.
    pub(crate) async fn close_on_drop(&self) {
        self.clean.store(false, Ordering::Relaxed);
        close_on_drop(&mut *self.inner.lock().await);
    }

    /// The statements on it are done: it is parked for the next statement when every one of
    /// them ran to its end, and goes back to sqlx's pool otherwise.
    pub(crate) fn finish(self) {
        let clean = self.clean.load(Ordering::Relaxed);
        let lent = Lent {
            conn: self.inner.into_inner(),
            since: self.since,
            good_at: self.good_at,
            checked: self.checked,
        };
        if clean {
            self.pool.parked.park(lent);
        } else {
            self.pool.parked.release(lent.conn);
        }
    }
}
