//! Running a transaction again when the database gave it up over a conflict with another
//! (`Error::Conflict`): how many times, how long to wait in between, and at which isolation
//! level it runs.

use std::time::Duration;

/// A transaction's isolation level, set as it begins (see each database's documentation for
/// what each level guarantees there). SQLite's transactions are serializable whatever is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Isolation {
    /// Each statement sees what was committed before it began.
    ReadCommitted,
    /// The transaction sees what was committed before its first statement.
    RepeatableRead,
    /// The transaction runs as if alone: the database aborts it (`Error::Conflict`) rather
    /// than let another change what it read.
    Serializable,
}

impl Isolation {
    /// The level as SQL names it.
    #[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
    pub(crate) fn sql(self) -> &'static str {
        match self {
            Isolation::ReadCommitted => "READ COMMITTED",
            Isolation::RepeatableRead => "REPEATABLE READ",
            Isolation::Serializable => "SERIALIZABLE",
        }
    }
}

/// How [`Db::transaction_with_retry`](crate::Db::transaction_with_retry) runs a transaction
/// again after `Error::Conflict`: at most [`attempts`](Self::attempts) runs in all, waiting
/// before each new one a random time up to a bound that doubles from
/// [`first_backoff`](Self::first_backoff) to [`max_backoff`](Self::max_backoff) ("full
/// jitter": transactions that collided do not collide again in step).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// The most times the transaction runs, the first included (default 10).
    pub attempts: u32,
    /// The bound of the wait before the second run (default 5 ms).
    pub first_backoff: Duration,
    /// The largest bound the wait grows to (default 500 ms).
    pub max_backoff: Duration,
    /// The isolation level each run begins with (default `None`: the database's).
    pub isolation: Option<Isolation>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 10,
            first_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(500),
            isolation: None,
        }
    }
}

impl RetryPolicy {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`attempts`](Self::attempts) (at least 1).
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// Sets [`first_backoff`](Self::first_backoff) and [`max_backoff`](Self::max_backoff).
    pub fn backoff(mut self, first: Duration, max: Duration) -> Self {
        self.first_backoff = first;
        self.max_backoff = max.max(first);
        self
    }

    /// Sets [`isolation`](Self::isolation).
    pub fn isolation(mut self, isolation: Isolation) -> Self {
        self.isolation = Some(isolation);
        self
    }

    /// The wait before run `next` (2 for the first run again): a random time up to the bound.
    pub(crate) fn backoff_before(&self, next: u32) -> Duration {
        let doublings = next.saturating_sub(2).min(20);
        let bound = self
            .first_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        let nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}
