//! Connections Trellis keeps between statements ("parked") instead of handing each back to
//! sqlx's pool as soon as a read or a write ends.
//!
//! sqlx's pool checks every connection it takes back: dropping a `PoolConnection` spawns a task
//! that pings the server and waits for the answer before the connection can be lent again, and
//! `acquire` pings it once more before lending it (`test_before_acquire`). For a request of
//! three short statements, those tasks and round trips cost about as much as the statements,
//! and on a busy machine each task and each wake-up waits for a turn on a core. A parked
//! connection goes to the next statement as it is: the one parked last first, whose statements
//! are prepared, with no task spawned and no round trip.
//!
//! A parked connection is lent out of sqlx's pool, so sqlx counts it as in use: every
//! statement Trellis runs takes its connection here first and from sqlx's pool second, and a
//! statement that has to wait waits for whichever comes first (see `Pool::take`). A
//! connection goes back to sqlx's pool, which then checks it and applies its idle timeout and
//! maximum lifetime, when it has been parked for longer than [`MAX_IDLE`] or lent for longer
//! than [`MAX_LEASE`], when the statement on it failed, or when the pool closes.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use crate::driver::counters::Counters;

/// The longest a connection stays parked unused before it goes back to sqlx's pool.
pub(crate) const MAX_IDLE: Duration = Duration::from_secs(30);

/// The longest Trellis keeps a connection lent out of sqlx's pool, parked or in use, before
/// handing it back once, so that sqlx's maximum lifetime applies to it within that much.
pub(crate) const MAX_LEASE: Duration = Duration::from_secs(60);

/// A connection of one backend, lent out of sqlx's pool.
#[derive(Debug)]
pub(crate) enum HeldInner {
    #[cfg(feature = "sqlite")]
    Sqlite(crate::driver::sqlite_direct::HeldSqlite),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
    #[cfg(feature = "mysql")]
    MySql(sqlx::pool::PoolConnection<sqlx::MySql>),
}

impl HeldInner {
    /// Hands the connection back to sqlx's pool. Outside a tokio runtime (a `Db` dropped after
    /// its runtime), where sqlx cannot spawn the task that takes a connection back, it is
    /// closed instead.
    fn release(self) {
        if tokio::runtime::Handle::try_current().is_ok() {
            drop(self);
            return;
        }
        match self {
            #[cfg(feature = "sqlite")]
            HeldInner::Sqlite(held) => drop(held.detach()),
            #[cfg(feature = "postgres")]
            HeldInner::Postgres(conn) => drop(conn.detach()),
            #[cfg(feature = "mysql")]
            HeldInner::MySql(conn) => drop(conn.detach()),
        }
    }
}

/// A connection lent out of sqlx's pool, and since when.
#[derive(Debug)]
pub(crate) struct Lent {
    pub(crate) conn: HeldInner,
    /// When Trellis took it from sqlx's pool.
    pub(crate) since: Instant,
    /// When a statement last ran on it to its end, or sqlx checked it as it lent it (with
    /// `acquire`); `None` when it was taken idle from sqlx's pool, unchecked. A read that
    /// fails with a connection error on a connection not checked just now may run again on a
    /// checked one, and a write checks one not used for a while before it runs.
    pub(crate) good_at: Option<Instant>,
    /// Whether sqlx checked it as it lent it, just now.
    pub(crate) checked: bool,
}

struct Slot {
    lent: Lent,
    parked_at: Instant,
}

/// The parked connections of one pool.
pub(crate) struct Parked {
    inner: Mutex<Inner>,
    /// No connection is parked after the pool closed, or when parking is off.
    closed: AtomicBool,
    /// The pool's counters (connections handed back to sqlx's pool).
    counters: Arc<Counters>,
}

#[derive(Default)]
struct Inner {
    /// Oldest first: connections are taken from the end (the one parked last, whose
    /// statements are prepared) and age out from the front.
    slots: Vec<Slot>,
    /// Statements waiting for a connection, first come first served: a connection parked
    /// while one waits goes to the first waiting, not to whichever statement asks next, so
    /// that under load no request waits for ever while others keep taking connections.
    waiting: VecDeque<oneshot::Sender<Lent>>,
}

impl std::fmt::Debug for Parked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parked")
            .field("closed", &self.closed.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Parked {
    /// The parked connections of a pool; with `on` false, none is ever parked (every
    /// connection goes back to sqlx's pool when its statements end).
    pub(crate) fn new(on: bool, counters: Arc<Counters>) -> Parked {
        Parked {
            inner: Mutex::default(),
            closed: AtomicBool::new(!on),
            counters,
        }
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Nothing panics while holding the lock; a poisoned one holds whole values still.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The connection parked last, if any and if no statement is waiting for one (it is
    /// theirs first); those parked too long go back to sqlx's pool.
    pub(crate) fn pop(&self) -> Option<Lent> {
        let (lent, stale) = {
            let mut inner = self.inner();
            let stale = take_stale(&mut inner.slots);
            inner.waiting.retain(|w| !w.is_closed());
            let lent = if inner.waiting.is_empty() {
                inner.slots.pop().map(|slot| slot.lent)
            } else {
                None
            };
            (lent, stale)
        };
        self.release_all(stale);
        lent
    }

    /// Hands a connection back to sqlx's pool.
    pub(crate) fn release(&self, conn: HeldInner) {
        Counters::add(&self.counters.released, 1);
        conn.release();
    }

    fn release_all(&self, conns: Vec<HeldInner>) {
        for conn in conns {
            self.release(conn);
        }
    }

    /// Parks a connection whose statements all ran to their end for the next statement,
    /// handing it to the first statement waiting for one if any; one lent for longer than
    /// [`MAX_LEASE`], or any after the pool closed, goes back to sqlx's pool instead.
    pub(crate) fn park(&self, mut lent: Lent) {
        if self.closed.load(Ordering::Acquire) || lent.since.elapsed() > MAX_LEASE {
            self.release(lent.conn);
            return;
        }
        let now = Instant::now();
        lent.good_at = Some(now);
        lent.checked = false;
        let stale = {
            let mut inner = self.inner();
            while let Some(waiting) = inner.waiting.pop_front() {
                match waiting.send(lent) {
                    Ok(()) => return,
                    // That wait ended (its statement took a connection from sqlx's pool, or
                    // was dropped): the next one's.
                    Err(back) => lent = back,
                }
            }
            let stale = take_stale(&mut inner.slots);
            inner.slots.push(Slot {
                lent,
                parked_at: now,
            });
            stale
        };
        self.release_all(stale);
    }

    /// The next connection parked, in turn with the other statements waiting. Never ready
    /// where nothing is parked.
    pub(crate) async fn next(&self) -> Lent {
        let (tx, rx) = oneshot::channel();
        {
            let mut inner = self.inner();
            // Parked since this statement last looked, and nobody ahead of it.
            if inner.waiting.is_empty() {
                if let Some(slot) = inner.slots.pop() {
                    return slot.lent;
                }
            }
            inner.waiting.push_back(tx);
        }
        let mut wait = Waiting {
            rx: Some(rx),
            parked: self,
        };
        match wait.rx.as_mut() {
            Some(rx) => match rx.await {
                Ok(lent) => {
                    wait.rx = None;
                    lent
                }
                // The sender is only dropped by `close`, which parks nothing after.
                Err(_) => std::future::pending().await,
            },
            None => std::future::pending().await,
        }
    }

    /// Hands every parked connection back to sqlx's pool and parks none from now on: the pool
    /// is closing, and sqlx waits for every connection it lent.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Release);
        let (slots, waiting) = {
            let mut inner = self.inner();
            (
                std::mem::take(&mut inner.slots),
                std::mem::take(&mut inner.waiting),
            )
        };
        drop(waiting);
        self.release_all(slots.into_iter().map(|slot| slot.lent.conn).collect());
    }
}

impl Drop for Parked {
    fn drop(&mut self) {
        self.close();
    }
}

/// A statement's place in the queue for a parked connection: a connection handed to it after
/// it stopped waiting (it took one from sqlx's pool first, or was dropped) is parked again.
struct Waiting<'p> {
    rx: Option<oneshot::Receiver<Lent>>,
    parked: &'p Parked,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if let Some(mut rx) = self.rx.take() {
            rx.close();
            if let Ok(lent) = rx.try_recv() {
                self.parked.park(lent);
            }
        }
    }
}

/// Takes the connections parked for longer than [`MAX_IDLE`] out of `slots`.
fn take_stale(slots: &mut Vec<Slot>) -> Vec<HeldInner> {
    let fresh = slots
        .iter()
        .position(|slot| slot.parked_at.elapsed() <= MAX_IDLE)
        .unwrap_or(slots.len());
    slots.drain(..fresh).map(|slot| slot.lent.conn).collect()
}
