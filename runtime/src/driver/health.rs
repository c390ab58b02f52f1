//! The background check of a `Db`'s read replicas: every `replica_check_interval`, each
//! replica is asked how far behind its primary it is; one that does not answer takes no reads,
//! and one that was down gets a new pool once it answers again.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use crate::driver::counters::Counters;
use crate::driver::executor::ConnRef;
use crate::driver::pool::{ConnectOptions, Pool, Replica};
use crate::sql::{Dialect, Statement};
use crate::values::error::{Error, Result};
use crate::values::types::FieldType;

/// Starts the checks of `pool`'s replicas, if it has any: one task for the `Db`, which ends
/// when the `Db` (every clone of it) is dropped or closed.
pub(crate) fn spawn_checks(pool: &Pool) {
    let (Some(set), Ok(runtime)) = (&pool.replicas, tokio::runtime::Handle::try_current()) else {
        return;
    };
    let set = Arc::downgrade(set);
    let dialect = pool.dialect();
    let counters = Arc::clone(&pool.statements);
    runtime.spawn(async move {
        loop {
            let Some(set) = set.upgrade() else { break };
            if set.closed.load(Ordering::Acquire) {
                break;
            }
            for replica in &set.replicas {
                check(replica, &set.options, dialect, &counters).await;
            }
            let every = set.check_every;
            drop(set);
            tokio::time::sleep(every).await;
        }
    });
}

/// Checks one replica: up (and how far behind) or down.
async fn check(
    replica: &Replica,
    options: &ConnectOptions,
    dialect: Dialect,
    counters: &Arc<Counters>,
) {
    let bound = options.connect_timeout.max(Duration::from_millis(100));
    let (pool, new) = match replica.pool() {
        Some(pool) => (pool, false),
        None => match tokio::time::timeout(
            bound,
            Pool::connect_one(&replica.url, options.clone(), Some(Arc::clone(counters))),
        )
        .await
        {
            Ok(Ok(pool)) => (pool, true),
            _ => {
                replica.health.mark_down();
                return;
            }
        },
    };
    match tokio::time::timeout(bound, lag(&pool, dialect)).await {
        Ok(Ok((lag, following))) => {
            if new {
                *replica.pool.write().unwrap_or_else(|e| e.into_inner()) = Some(pool);
            }
            replica.health.mark_up(lag, following);
        }
        _ if new => pool.close().await,
        _ => replica.mark_down(),
    }
}

/// How far behind its primary the server is, where it can tell, and whether it follows one
/// at all: PostgreSQL's time since the last transaction it replayed while it has received
/// more than it replayed (none when it replayed all it received); MySQL's
/// `Seconds_Behind_Master` (a server that replicates from none is no one's replica: none).
async fn lag(pool: &Pool, dialect: Dialect) -> Result<(Option<Duration>, bool)> {
    let conn = ConnRef::Pool(pool);
    match dialect {
        Dialect::Postgres => {
            let sql = "SELECT CASE \
                WHEN NOT pg_is_in_recovery() THEN 0 \
                WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 \
                ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) \
                END::float8";
            let rows = conn.fetch(&Statement::raw(sql, Vec::new())).await?;
            let seconds = match rows.first() {
                Some(row) => f64::decode(row, 0).map_err(Error::database)?,
                None => 0.0,
            };
            Ok((Some(Duration::from_secs_f64(seconds.max(0.0))), true))
        }
        Dialect::MySql => {
            let rows = conn
                .fetch(&Statement::raw("SHOW SLAVE STATUS", Vec::new()))
                .await?;
            let Some(row) = rows.first() else {
                return Ok((Some(Duration::ZERO), true));
            };
            let behind = row
                .position_of("Seconds_Behind_Master")
                .map(|at| Option::<i64>::decode(row, at))
                .transpose()
                .map_err(Error::database)?
                .flatten();
            Ok(match behind {
                Some(seconds) => (Some(Duration::from_secs(seconds.max(0) as u64)), true),
                None => (None, false),
            })
        }
        Dialect::Sqlite => Ok((Some(Duration::ZERO), true)),
    }
}
