//! Which server a read goes to when a `Db` has read replicas: the policy that picks a
//! replica, and what is known of each replica's health.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Picks the replica a read goes to (set with
/// [`ConnectOptions::replica_policy`](crate::ConnectOptions::replica_policy)). Reads outside a
/// transaction ask it once each; all the statements of one read then run on the server it
/// picked.
pub trait ReplicaPolicy: Send + Sync + std::fmt::Debug {
    /// The replica to read from: one of `usable` (the replicas up and within the lag bound,
    /// as their positions in the list the `Db` was opened with, never empty), or `None` to
    /// read from the primary.
    fn choose(&self, usable: &[usize]) -> Option<usize>;
}

/// Each usable replica in turn (the default policy).
#[derive(Debug, Default)]
pub struct RoundRobin {
    next: AtomicUsize,
}

impl ReplicaPolicy for RoundRobin {
    fn choose(&self, usable: &[usize]) -> Option<usize> {
        let turn = self.next.fetch_add(1, Ordering::Relaxed);
        usable.get(turn % usable.len().max(1)).copied()
    }
}

/// What a `Db` knows of one of its replicas (`Db::replica_stats`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReplicaStats {
    /// The replica's URL, its password left out.
    pub url: String,
    /// Whether reads go to it now: it answered its last check, within the lag bound.
    pub usable: bool,
    /// Whether it answered its last check (or read).
    pub up: bool,
    /// How far behind the primary it was at its last check, where the server can tell
    /// (PostgreSQL's replay, MySQL's `Seconds_Behind_Master`).
    pub lag: Option<Duration>,
    /// Reads it served.
    pub reads: u64,
    /// Reads that meant to go to it and went to the primary instead (it was down, or broke
    /// during the read).
    pub fallbacks: u64,
}

/// The health of one replica, as checks and reads find it.
#[derive(Debug, Default)]
pub(crate) struct Health {
    state: Mutex<State>,
    pub(crate) reads: AtomicU64,
    pub(crate) fallbacks: AtomicU64,
}

#[derive(Debug, Default)]
struct State {
    /// Since when it has been down; `None` while it answers.
    down_since: Option<Instant>,
    /// Its lag at the last check.
    lag: Option<Duration>,
    /// Its lag is unknown but it is not following its primary (replication stopped).
    not_following: bool,
}

impl Health {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether reads may go to it: up, and within `max_lag` when a bound is set.
    pub(crate) fn usable(&self, max_lag: Option<Duration>) -> bool {
        let state = self.state();
        state.down_since.is_none()
            && match max_lag {
                None => true,
                Some(bound) => !state.not_following && state.lag.is_none_or(|lag| lag <= bound),
            }
    }

    /// A read or a check found it down (a connection error, or no connection within the
    /// time allowed).
    pub(crate) fn mark_down(&self) {
        let mut state = self.state();
        if state.down_since.is_none() {
            state.down_since = Some(Instant::now());
            tracing::warn!(target: "trellis::replicas", "a replica stopped answering: its reads go to the primary");
        }
    }

    /// A check found it up, `lag` behind (`None`: it cannot tell), `following` its primary.
    pub(crate) fn mark_up(&self, lag: Option<Duration>, following: bool) {
        let mut state = self.state();
        if state.down_since.take().is_some() {
            tracing::info!(target: "trellis::replicas", "a replica answers again: reads go to it");
        }
        state.lag = lag;
        state.not_following = !following;
    }

    /// Its state for `Db::replica_stats`.
    pub(crate) fn stats(&self, url: &str, max_lag: Option<Duration>) -> ReplicaStats {
        let usable = self.usable(max_lag);
        let state = self.state();
        ReplicaStats {
            url: url.to_owned(),
            usable,
            up: state.down_since.is_none(),
            lag: state.lag,
            reads: self.reads.load(Ordering::Relaxed),
            fallbacks: self.fallbacks.load(Ordering::Relaxed),
        }
    }
}
