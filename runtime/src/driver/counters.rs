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
    /// Transactions run again after a conflict (`Db::transaction_with_retry`).
    pub(crate) retries: AtomicU64,
    /// Reads outside a transaction run on the primary, on a `Db` with replicas or not.
    pub(crate) primary_reads: AtomicU64,
    /// Reads run on a replica.
    pub(crate) replica_reads: AtomicU64,
    /// Reads meant for a replica that ran on the primary (it was down, or broke).
    pub(crate) replica_fallbacks: AtomicU64,
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
            retries: get(&self.retries),
            primary_reads: get(&self.primary_reads),
            replica_reads: get(&self.replica_reads),
            replica_fallbacks: get(&self.replica_fallbacks),
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
    /// Transactions run again after a conflict (`Db::transaction_with_retry`).
    pub retries: u64,
    /// Reads outside a transaction (`find_many`, `select!`, counts, ..) run on the primary.
    pub primary_reads: u64,
    /// Reads run on a read replica ([`ConnectOptions::replica`](crate::ConnectOptions::replica)).
    pub replica_reads: u64,
    /// Reads meant for a replica that ran on the primary instead (the replica was down,
    /// or broke or cancelled the read), with no error for the caller.
    pub replica_fallbacks: u64,
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
            retries: self.retries.saturating_sub(earlier.retries),
            primary_reads: self.primary_reads.saturating_sub(earlier.primary_reads),
            replica_reads: self.replica_reads.saturating_sub(earlier.replica_reads),
            replica_fallbacks: self
                .replica_fallbacks
                .saturating_sub(earlier.replica_fallbacks),
            open: self.open,
        }
    }
}
