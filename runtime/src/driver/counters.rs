//! What a pool and its transactions have done, counted for tests and benchmarks that check how
//! an operation ran: statements, and the connections and threads behind them.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counts kept per pool (shared by its clones and its transactions).
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Counters {
    /// Statements run.
    pub(crate) all: AtomicU64,
    /// Of those, the reads stepped on SQLite's own handle ([`LoadStrategy::Direct`]).
    ///
    /// [`LoadStrategy::Direct`]: crate::driver::pool::LoadStrategy::Direct
    pub(crate) direct: AtomicU64,
    /// Relation loads run on a spare connection, at the same time as a sibling's
    /// ([`ConnectOptions::parallel_relations`]).
    ///
    /// [`ConnectOptions::parallel_relations`]: crate::driver::pool::ConnectOptions::parallel_relations
    pub(crate) parallel: AtomicU64,
    /// Relation loads that read the related table whole
    /// ([`ConnectOptions::whole_table_reads`]).
    ///
    /// [`ConnectOptions::whole_table_reads`]: crate::driver::pool::ConnectOptions::whole_table_reads
    pub(crate) whole_table: AtomicU64,
    /// Connections taken from sqlx's pool.
    pub(crate) acquired: AtomicU64,
    /// Connections taken parked, as the last statement left them (see `driver::parked`).
    pub(crate) reused: AtomicU64,
    /// Connections handed back to sqlx's pool (each a task and, on a server, a round trip).
    pub(crate) released: AtomicU64,
    /// SQLite statements Trellis prepared (not found prepared on their connection).
    pub(crate) prepared: AtomicU64,
    /// Threads woken to run SQLite statements directly: sqlx's worker thread handing the
    /// connection over, and statements moved off the runtime's worker (`block_in_place`).
    pub(crate) handoffs: AtomicU64,
}

impl Counters {
    pub(crate) fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// A copy of the counts now.
    pub(crate) fn snapshot(&self) -> ConnectionStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        ConnectionStats {
            statements: get(&self.all),
            acquired: get(&self.acquired),
            reused: get(&self.reused),
            released: get(&self.released),
            prepared: get(&self.prepared),
            handoffs: get(&self.handoffs),
            parallel_loads: get(&self.parallel),
            open: 0,
        }
    }
}

/// What a `Db` has done with its connections since it was opened (`Db::connection_stats`),
/// for measuring what one load or request costs: take two and subtract.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectionStats {
    /// Statements run.
    pub statements: u64,
    /// Connections taken from sqlx's pool.
    pub acquired: u64,
    /// Connections taken as a previous statement left them, with no check and no hand-over
    /// (see [`ConnectOptions::keep_connections`](crate::ConnectOptions::keep_connections)).
    pub reused: u64,
    /// Connections handed back to sqlx's pool, each with a spawned task that checks it (a
    /// round trip to a server).
    pub released: u64,
    /// SQLite statements Trellis prepared, because the connection did not have them prepared
    /// yet (PostgreSQL and MySQL statements are prepared and kept by sqlx, per connection).
    pub prepared: u64,
    /// SQLite: threads woken to run statements directly (sqlx's worker thread handing a
    /// connection over, a statement moved off the runtime's worker thread).
    pub handoffs: u64,
    /// Relation loads run on a second connection at the same time as a sibling's.
    pub parallel_loads: u64,
    /// Connections open when the snapshot was taken (lent, kept or idle), not a count of
    /// events: a difference of two snapshots keeps the later one's.
    pub open: u32,
}

impl std::ops::Sub for ConnectionStats {
    type Output = ConnectionStats;

    /// What happened between two snapshots.
    fn sub(self, earlier: ConnectionStats) -> ConnectionStats {
        ConnectionStats {
            statements: self.statements.saturating_sub(earlier.statements),
            acquired: self.acquired.saturating_sub(earlier.acquired),
            reused: self.reused.saturating_sub(earlier.reused),
            released: self.released.saturating_sub(earlier.released),
            prepared: self.prepared.saturating_sub(earlier.prepared),
            handoffs: self.handoffs.saturating_sub(earlier.handoffs),
            parallel_loads: self.parallel_loads.saturating_sub(earlier.parallel_loads),
            open: self.open,
        }
    }
}
