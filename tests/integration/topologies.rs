//! Servers past one, on the real servers `scripts/cluster up` starts (each test runs when its
//! URLs are set; `.ci/run` sets them all and fails when a server is unreachable):
//! - a PostgreSQL streaming replica (`TRELLIS_TEST_PG_REPLICA_URL`) of the primary
//!   (`TRELLIS_TEST_POSTGRES_URL`): reads go to it, writes do not, a stopped replica costs no
//!   read an error, a lagging one is skipped;
//! - PgBouncer in transaction mode (`TRELLIS_TEST_PGBOUNCER_URL`, with PostgreSQL reached
//!   directly for making databases: `TRELLIS_TEST_POSTGRES_URL` or `_ADMIN_URL`): without
//!   `transaction_pooler` the failure is a typed error (the whole suite runs through it with
//!   the option: see `support`);
//! - transactions run again on conflicts: PostgreSQL under `SERIALIZABLE`, and a 3-node
//!   MariaDB Galera cluster (`TRELLIS_TEST_GALERA_URLS`), with loads and nested writes on it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use trellis::prelude::*;
use trellis::{ConnectOptions, Isolation, RetryPolicy};

use crate::models::{organization, schema, user, Organization, User};
use crate::support::{raw, with_database};

fn env(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|v| !v.is_empty())
}

/// Fails the test instead of hanging it.
async fn bounded<T>(what: &str, seconds: u64, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(seconds), f)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {seconds} s"))
}

/// Polls `check` until it holds, for up to `seconds`.
async fn eventually(what: &str, seconds: u64, mut check: impl AsyncFnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(seconds);
    while !check().await {
        assert!(Instant::now() < until, "{what}: not within {seconds} s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A counter that concurrent transactions increment.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "topology_counters")]
pub struct Counter {
    #[field(id)]
    pub id: i64,
    pub value: i64,
}

/// One increment: read the value, write it plus one. Under `SERIALIZABLE`, two increments that
/// read the same value cannot both commit: one is given up (`Error::Conflict`) and run again.
async fn increment(tx: &Tx) -> Result<(), Error> {
    let now = Counter::find_by_id(1).fetch_one(tx).await?;
    Counter::update_many()
        .filter(counter::id.eq(1))
        .set(counter::value, now.value + 1)
        .exec(tx)
        .await?;
    Ok(())
}

/// 16 tasks × 50 increments, each task on `dbs[task % dbs.len()]`: the final value is exactly
/// 800, some increments ran again, and a unique violation inside `transaction_with_retry` is
/// returned at once, not run again. Returns the number of runs again.
async fn counted_under_conflicts(dbs: &[Db]) -> Result<u64, Error> {
    let db = &dbs[0];
    db.execute_raw(
        &format!(
            "DROP TABLE IF EXISTS {}",
            db.dialect().quote("topology_counters")
        ),
        [],
    )
    .await?;
    db.create_schema(&Schema::new().model::<Counter>()).await?;
    Counter::insert(Counter { id: 1, value: 0 })
        .exec(db)
        .await?;
    // Another Galera node applies the insert's write set a moment after it commits here: the
    // tasks start once every server has the row (else a first read finds none).
    for other in dbs {
        eventually("the counter row on every server", 10, async || {
            Counter::find_by_id(1)
                .fetch_one(&other.primary())
                .await
                .is_ok()
        })
        .await;
    }
    let policy = RetryPolicy::new()
        .attempts(200)
        .backoff(Duration::from_millis(1), Duration::from_millis(50))
        .isolation(Isolation::Serializable);
    let before: u64 = dbs.iter().map(|d| d.connection_stats().retries).sum();
    let tasks: Vec<_> = (0..16)
        .map(|task| {
            let (db, policy) = (dbs[task % dbs.len()].clone(), policy.clone());
            tokio::spawn(async move {
                for _ in 0..50 {
                    db.transaction_with_retry(&policy, async |tx| increment(tx).await)
                        .await?;
                }
                Ok::<_, Error>(())
            })
        })
        .collect();
    for task in tasks {
        bounded("16 tasks of increments", 240, task)
            .await
            .unwrap_or_else(|e| panic!("a task of increments: {e}"))?;
    }
    let retries = dbs
        .iter()
        .map(|d| d.connection_stats().retries)
        .sum::<u64>()
        - before;
    let mut last = 0;
    eventually("the counter at 800 on the first server", 10, async || {
        last = Counter::find_by_id(1)
            .fetch_one(&db.primary())
            .await
            .map_or(-1, |c| c.value);
        last == 800
    })
    .await;
    assert_eq!(last, 800);
    assert!(retries > 0, "no increment ran again");

    // Not a conflict: returned at once, after one run.
    let runs = AtomicU64::new(0);
    let before = db.connection_stats().retries;
    let duplicate = db
        .transaction_with_retry(&policy, async |tx| {
            runs.fetch_add(1, Ordering::Relaxed);
            Counter::insert(Counter { id: 1, value: 0 })
                .exec(tx)
                .await?;
            Ok(())
        })
        .await;
    assert!(
        matches!(duplicate, Err(Error::UniqueViolation { .. })),
        "{duplicate:?}"
    );
    assert_eq!(runs.into_inner(), 1);
    assert_eq!(db.connection_stats().retries, before);
    Ok(retries)
}

/// `transaction_with_retry` under `SERIALIZABLE` on PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_serializable_increments_run_again_until_they_commit() {
    let Some(url) = env("TRELLIS_TEST_POSTGRES_URL") else {
        return;
    };
    let test_db = crate::support::TestDb::pooled(
        &crate::support::Backend::server("postgres", url),
        "serializable_increments",
        ConnectOptions::new(),
    )
    .await;
    let retries = counted_under_conflicts(std::slice::from_ref(&test_db.db))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    eprintln!("PostgreSQL SERIALIZABLE: 800 increments, {retries} runs again");
    test_db.finish().await;
}

// --- read replicas ---------------------------------------------------------------------------

/// A database of its own on the primary, reached on the primary and on the replica.
/// The replica server is one for every test, and one of them stops it: they take turns.
static REPLICA_TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Replicated {
    _turn: tokio::sync::MutexGuard<'static, ()>,
    admin: Db,
    name: String,
    primary: String,
    replica: String,
}

impl Replicated {
    async fn new(test: &str) -> Option<Replicated> {
        let (primary, replica) = (
            env("TRELLIS_TEST_POSTGRES_URL")?,
            env("TRELLIS_TEST_PG_REPLICA_URL")?,
        );
        let turn = REPLICA_TURN.lock().await;
        let admin = Db::connect(&primary)
            .await
            .unwrap_or_else(|e| panic!("the primary at {primary}: {e}"));
        let name = format!("trellis_t_{test}");
        let q = admin.dialect().quote(&name);
        raw(&admin, &format!("DROP DATABASE IF EXISTS {q} WITH (FORCE)")).await;
        raw(&admin, &format!("CREATE DATABASE {q}")).await;
        let replicated = Replicated {
            _turn: turn,
            primary: with_database(&primary, &name),
            replica: with_database(&replica, &name),
            admin,
            name,
        };
        // The replica replays the new database a moment later.
        let replica = replicated.replica.clone();
        eventually(
            "the new database on the replica",
            30,
            async || match Db::connect(&replica).await {
                Ok(db) => {
                    db.close().await;
                    true
                }
                Err(_) => false,
            },
        )
        .await;
        Some(replicated)
    }

    /// The test's `Db`: the primary, with the replica for reads.
    async fn db(&self, options: ConnectOptions) -> Db {
        Db::connect_with(&self.primary, options.replica(self.replica.clone()))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", self.primary))
    }

    async fn finish(self) {
        let q = self.admin.dialect().quote(&self.name);
        raw(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {q} WITH (FORCE)"),
        )
        .await;
        self.admin.close().await;
    }
}

/// Transactions committed on the server `url` names, from its own statistics.
async fn commits_on(url: &str, database: &str) -> i64 {
    let db = Db::connect(url)
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    let rows = db
        .fetch_raw(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = $1",
            [trellis::Value::Text(database.to_owned())],
        )
        .await
        .unwrap_or_else(|e| panic!("pg_stat_database on {url}: {e}"));
    let commits = rows
        .first()
        .and_then(|r| r.get_native::<i64>(0).ok())
        .unwrap_or_default();
    db.close().await;
    commits
}

/// The users, their profiles and sessions the replica tests read.
async fn seed_users(db: &Db) -> Result<(), Error> {
    crate::relations::seed(db).await
}

async fn all_users(db: &Db) -> Result<usize, Error> {
    Ok(User::find_many()
        .include(user::profile)
        .include(user::sessions)
        .fetch_all(db)
        .await?
        .len())
}

/// 1,000 reads outside transactions, of every kind (`find_many` with `include`, `select!`,
/// counts, a cursor page): all on the replica, as the replica's own statistics count them;
/// writes on the primary (the replica is read-only: one reaching it would fail), and
/// `db.primary()` reads a row written a moment ago.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_go_to_the_replica_and_writes_to_the_primary() {
    let Some(cluster) = Replicated::new("replica_reads").await else {
        return;
    };
    let db = cluster.db(ConnectOptions::new()).await;
    seed_users(&db)
        .await
        .unwrap_or_else(|e| panic!("seed: {e}"));
    eventually("the seeded rows on the replica", 30, async || {
        all_users(&db).await.is_ok_and(|n| n == 3)
    })
    .await;
    let replica_commits = commits_on(&cluster.replica, &cluster.name).await;
    let before = db.connection_stats();
    for i in 0..1_000 {
        let read = match i % 4 {
            0 => all_users(&db).await.map(|n| assert_eq!(n, 3)),
            1 => User::find_many()
                .select(select!(User { id, sessions(take = 2, order_by = token.asc()) { token } }))
                .fetch_all(&db)
                .await
                .map(|users| assert_eq!(users.len(), 3)),
            2 => User::count().fetch(&db).await.map(|n| assert_eq!(n, 3)),
            _ => User::find_many()
                .order_by(user::id.asc())
                .cursor(user::id, "ada")
                .take(1)
                .fetch_all(&db)
                .await
                .map(|users| assert_eq!(users.len(), 1)),
        };
        read.unwrap_or_else(|e| panic!("read {i}: {e:?}"));
    }
    let spent = db.connection_stats() - before;
    assert_eq!(
        (
            spent.replica_reads,
            spent.primary_reads,
            spent.replica_fallbacks
        ),
        (1_000, 0, 0),
        "{spent:?}"
    );
    // The replica counts a transaction per statement that ran on it (more than one per read);
    // a server process adds its counts to the statistics when idle, up to 10 s later.
    let mut on_replica = 0;
    eventually("the replica's statistics count the reads", 20, async || {
        on_replica = commits_on(&cluster.replica, &cluster.name).await - replica_commits;
        on_replica >= 1_000
    })
    .await;
    eprintln!("the replica counted {on_replica} transactions for 1,000 reads");

    // Writes go to the primary; reading one back at once needs the primary.
    let before = db.connection_stats();
    for i in 0..10 {
        let id = format!("new{i}");
        User::insert(crate::models::user(&id, None))
            .exec(&db)
            .await
            .unwrap_or_else(|e| panic!("write {i}: {e:?}"));
        let read = User::find_by_id(id.as_str())
            .fetch_one(&db.primary())
            .await
            .unwrap_or_else(|e| panic!("read-your-write {i}: {e:?}"));
        assert_eq!(read.id, id);
    }
    let spent = db.connection_stats() - before;
    assert_eq!(
        (spent.primary_reads, spent.replica_reads),
        (10, 0),
        "{spent:?}"
    );
    let stats = db.replica_stats();
    assert_eq!(stats.len(), 1);
    assert!(stats[0].usable && stats[0].reads >= 1_000, "{stats:?}");
    eprintln!("replica reads: {stats:?}");
    db.close().await;
    cluster.finish().await;
}

/// The PostgreSQL version whose clusters `pg_ctlcluster` runs.
fn postgres_version() -> String {
    std::fs::read_dir("/etc/postgresql")
        .ok()
        .and_then(|dir| {
            dir.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .max()
        })
        .unwrap_or_else(|| "15".to_owned())
}

/// Stops or starts the replica `scripts/cluster` made.
fn replica_cluster(action: &str) {
    let status = std::process::Command::new("pg_ctlcluster")
        .args([
            "--skip-systemctl-redirect",
            &postgres_version(),
            "replica",
            action,
        ])
        .args(if action == "stop" {
            &["-m", "fast"][..]
        } else {
            &[][..]
        })
        .status()
        .unwrap_or_else(|e| panic!("pg_ctlcluster {action}: {e}"));
    assert!(status.success(), "pg_ctlcluster replica {action}: {status}");
}

/// Starts the replica again however the test ends.
struct StartsAgain;

impl Drop for StartsAgain {
    fn drop(&mut self) {
        let _ = std::process::Command::new("pg_ctlcluster")
            .args([
                "--skip-systemctl-redirect",
                &postgres_version(),
                "replica",
                "start",
            ])
            .status();
    }
}

/// The replica stopped in the middle of 1,000 reads and started again: the caller sees no
/// error (a read that breaks on the replica runs again on the primary, and the reads after it
/// go there while the replica is down), and reads go back to the replica once it answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_stopped_and_started_costs_no_read_an_error() {
    let Some(cluster) = Replicated::new("replica_failover").await else {
        return;
    };
    let options = ConnectOptions::new().replica_check_interval(Duration::from_millis(200));
    let db = cluster.db(options).await;
    seed_users(&db)
        .await
        .unwrap_or_else(|e| panic!("seed: {e}"));
    eventually("the seeded rows on the replica", 30, async || {
        all_users(&db).await.is_ok_and(|n| n == 3)
    })
    .await;
    let _restart = StartsAgain;
    // In the background while the reads go on: the replica stopped, and started 2 s later.
    // Phase 1 runs from the moment it is down to the moment it is asked to start again.
    let phase = std::sync::Arc::new(std::sync::atomic::AtomicU8::new(0));
    let outage = {
        let phase = std::sync::Arc::clone(&phase);
        move || {
            replica_cluster("stop");
            phase.store(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_secs(2));
            phase.store(2, Ordering::SeqCst);
            replica_cluster("start");
        }
    };
    let before = db.connection_stats();
    let (mut stopped, mut started) = (None, None);
    let mut slowest_during_outage = Duration::ZERO;
    let mut restart = None;
    let (mut i, mut back_on_replica) = (0, 0);
    while i < 1_000 || back_on_replica < 50 {
        assert!(i < 50_000, "reads did not come back to the replica");
        if i == 200 {
            restart = Some(tokio::task::spawn_blocking(outage.clone()));
        }
        let now = phase.load(Ordering::SeqCst);
        if now >= 1 && stopped.is_none() {
            stopped = Some(db.connection_stats());
        }
        if now == 2 && started.is_none() {
            started = Some(db.connection_stats());
        }
        let at = Instant::now();
        let before_read = db.connection_stats();
        let users = all_users(&db)
            .await
            .unwrap_or_else(|e| panic!("read {i} saw an error: {e:?}"));
        assert_eq!(users, 3);
        let read = db.connection_stats() - before_read;
        if restart.is_some() && started.is_none() {
            slowest_during_outage = slowest_during_outage.max(at.elapsed());
        }
        if started.is_some() && read.replica_reads == 1 {
            back_on_replica += 1;
        }
        i += 1;
    }
    if let Some(restart) = restart {
        restart.await.unwrap_or_else(|e| panic!("the outage: {e}"));
    }
    let spent = db.connection_stats() - before;
    let outage = started.map(|s| s - stopped.unwrap_or_default());
    eprintln!(
        "{i} reads: {} on the replica, {} on the primary, {} fell back after breaking on it; \
         while it was down: {outage:?}; slowest read from the stop to its start: \
         {slowest_during_outage:?}",
        spent.replica_reads, spent.primary_reads, spent.replica_fallbacks
    );
    assert!(
        outage.is_some_and(|o| o.primary_reads > 0 && o.replica_reads == 0),
        "reads went to the primary while the replica was down: {outage:?}"
    );
    db.close().await;
    cluster.finish().await;
}

/// A replica whose replay is paused falls behind by more than `max_replica_lag` as the primary
/// writes: it takes no reads until it has caught up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_further_behind_than_the_bound_takes_no_reads() {
    let Some(cluster) = Replicated::new("replica_lag").await else {
        return;
    };
    let options = ConnectOptions::new()
        .replica_check_interval(Duration::from_millis(100))
        .max_replica_lag(Duration::from_millis(500));
    let db = cluster.db(options).await;
    seed_users(&db)
        .await
        .unwrap_or_else(|e| panic!("seed: {e}"));
    let replica_admin = Db::connect(&cluster.replica)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let paused = async {
        replica_admin
            .execute_raw("SELECT pg_wal_replay_pause()", [])
            .await?;
        // Written on the primary, received by the replica, not replayed.
        tokio::time::sleep(Duration::from_millis(700)).await;
        User::insert(crate::models::user("late", None))
            .exec(&db)
            .await?;
        eventually("the replica found lagging", 10, async || {
            !db.replica_stats()[0].usable
        })
        .await;
        let before = db.connection_stats();
        assert_eq!(all_users(&db).await?, 4, "a read saw the lagging replica");
        let spent = db.connection_stats() - before;
        assert_eq!((spent.primary_reads, spent.replica_reads), (1, 0));
        Ok::<_, Error>(())
    }
    .await;
    replica_admin
        .execute_raw("SELECT pg_wal_replay_resume()", [])
        .await
        .unwrap_or_else(|e| panic!("resume: {e}"));
    paused.unwrap_or_else(|e| panic!("{e:?}"));
    eventually("the replica usable again", 10, async || {
        db.replica_stats()[0].usable
    })
    .await;
    // Usable again means at most `max_replica_lag` behind, not caught up with every write:
    // reads go to it again, and soon see the row written while it was paused.
    eventually(
        "reads on the replica again, with the late row",
        10,
        async || {
            let before = db.connection_stats();
            let users = all_users(&db).await.unwrap_or_default();
            users == 4 && (db.connection_stats() - before).replica_reads == 1
        },
    )
    .await;
    replica_admin.close().await;
    db.close().await;
    cluster.finish().await;
}

// --- PgBouncer in transaction mode -----------------------------------------------------------

/// Through PgBouncer in transaction mode without `transaction_pooler`, a prepared statement
/// meets another client's on the same server connection: the failure is
/// `Error::PreparedStatementLost`, whose message names the option.
#[tokio::test]
async fn pgbouncer_without_the_option_is_a_typed_error_naming_it() {
    let (Some(bouncer), Some(direct)) = (
        env("TRELLIS_TEST_PGBOUNCER_URL"),
        crate::support::postgres_direct_url(),
    ) else {
        return;
    };
    let admin = Db::connect(&direct).await.unwrap_or_else(|e| panic!("{e}"));
    // Named for this run: PgBouncer remembers a failed login to a database name (the last
    // run's database, dropped under it) and refuses the next client of that name.
    let name = &format!("trellis_t_pgbouncer_unprepared_{}", std::process::id());
    let q = admin.dialect().quote(name);
    raw(&admin, &format!("DROP DATABASE IF EXISTS {q} WITH (FORCE)")).await;
    raw(&admin, &format!("CREATE DATABASE {q}")).await;
    let url = with_database(&bouncer, name);
    let setup = Db::connect_with(&url, ConnectOptions::new().transaction_pooler(true))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    crate::relations::seed(&setup)
        .await
        .unwrap_or_else(|e| panic!("seed: {e}"));
    // One client after the other, each naming its first statement `sqlx_s_1`: PgBouncer hands
    // the second the server connection the first left it on.
    let mut failure = None;
    for _ in 0..10 {
        let db = Db::connect_with(&url, ConnectOptions::new().max_connections(1))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let read = User::count().fetch(&db).await;
        db.close().await;
        match read {
            Ok(n) => assert_eq!(n, 3),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    match failure {
        Some(e @ Error::PreparedStatementLost { .. }) => {
            assert!(e.to_string().contains("transaction_pooler(true)"), "{e}");
        }
        other => panic!("expected PreparedStatementLost: {other:?}"),
    }
    // With the option, the same reads succeed.
    let db = Db::connect_with(
        &url,
        ConnectOptions::new()
            .max_connections(1)
            .transaction_pooler(true),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..10 {
        assert_eq!(User::count().fetch(&db).await.ok(), Some(3));
    }
    db.close().await;
    setup.close().await;
    raw(&admin, &format!("DROP DATABASE IF EXISTS {q} WITH (FORCE)")).await;
    admin.close().await;
}

// --- Galera ----------------------------------------------------------------------------------

/// The three nodes' URLs, with a database of the test's own made on the first (Galera
/// replicates it to the others).
async fn galera(test: &str) -> Option<(Db, String, Vec<Db>)> {
    let urls: Vec<String> = env("TRELLIS_TEST_GALERA_URLS")?
        .split(',')
        .map(|u| u.trim().to_owned())
        .collect();
    assert_eq!(urls.len(), 3, "TRELLIS_TEST_GALERA_URLS names three nodes");
    let admin = Db::connect(&urls[0])
        .await
        .unwrap_or_else(|e| panic!("Galera node {}: {e}", urls[0]));
    let name = format!("trellis_t_{test}");
    let q = admin.dialect().quote(&name);
    raw(&admin, &format!("DROP DATABASE IF EXISTS {q}")).await;
    raw(&admin, &format!("CREATE DATABASE {q}")).await;
    // Each node runs the DDL in the cluster's order, the others a moment after the first:
    // a node's `Db` opens once it has the database.
    let mut dbs = Vec::new();
    for url in urls.iter().map(|u| with_database(u, &name)) {
        let mut opened = None;
        eventually("the database on every node", 10, async || {
            opened = Db::connect(&url).await.ok();
            opened.is_some()
        })
        .await;
        dbs.extend(opened);
    }
    Some((admin, name, dbs))
}

async fn galera_finish(admin: Db, name: &str) {
    let q = admin.dialect().quote(name);
    raw(&admin, &format!("DROP DATABASE IF EXISTS {q}")).await;
    admin.close().await;
}

/// 16 tasks × 50 increments through the three nodes at once: a write that loses a
/// certification conflict to another node's is run again, and the counter ends at 800.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn galera_increments_through_three_nodes_run_again_until_they_commit() {
    let Some((admin, name, dbs)) = galera("galera_increments").await else {
        return;
    };
    let retries = counted_under_conflicts(&dbs)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    eprintln!("Galera, three nodes: 800 increments, {retries} runs again");
    // Every node has the count.
    for db in &dbs {
        eventually("800 on every node", 10, async || {
            Counter::find_by_id(1)
                .fetch_one(db)
                .await
                .is_ok_and(|c| c.value == 800)
        })
        .await;
        db.close().await;
    }
    galera_finish(admin, &name).await;
}

/// Users with their sessions (a page per user), organizations (many-to-many) and profile,
/// written through different nodes (nested creates through the second, plain inserts
/// through the third): a `select!` reads the same rows from each node.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn galera_nodes_read_what_each_other_wrote() {
    let Some((admin, name, dbs)) = galera("galera_reads").await else {
        return;
    };
    let written = async {
        dbs[0].create_schema(&schema()).await?;
        let tables = async |db: &Db| {
            db.fetch_raw(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()",
                [],
            )
            .await
            .map_or(0, |rows| rows.len())
        };
        let created = tables(&dbs[0]).await;
        for db in &dbs {
            eventually("the tables on every node", 10, async || {
                tables(db).await == created
            })
            .await;
        }
        // A node that is still applying the schema's replicated statements can abort a
        // write that touches the same tables (a deadlock, `Error::Conflict`): it runs again.
        dbs[2]
            .transaction_with_retry(&RetryPolicy::new(), async |tx| {
                Organization::insert_many(["o1", "o2"].map(|id| organization::New {
                    id: id.into(),
                    name: format!("Org {id}"),
                }))
                .exec(tx)
                .await
            })
            .await?;
        // The memberships below reference these rows on every node: each node applies them
        // a moment after the third committed.
        for db in &dbs {
            eventually("the organizations on every node", 10, async || {
                Organization::count().fetch(db).await.ok() == Some(2)
            })
            .await;
        }
        for (i, db) in dbs.iter().enumerate() {
            let id = format!("u{i}");
            let member = || user::organizations::New {
                role: "member".into(),
            };
            // Rows written on one node at the same time as another node's can lose
            // certification (`Error::Conflict`): the nested create runs again then.
            db.transaction_with_retry(&RetryPolicy::new(), async |tx| {
                User::create(user::New {
                    id: id.clone(),
                    email: format!("{id}@example.com"),
                    name: format!("User {id}"),
                    age: None,
                })
                .with(user::profile::create(user::profile::New {
                    id: format!("p{i}"),
                    bio: Some(format!("written through node {}", i + 1)),
                }))
                .with(user::sessions::create((0..4).map(|s| {
                    user::sessions::New {
                        token: format!("t{s}"),
                    }
                })))
                .with(user::organizations::connect("o1", member()))
                .with(user::organizations::connect("o2", member()))
                .exec(tx)
                .await
            })
            .await?;
        }
        Ok::<_, Error>(())
    }
    .await;
    written.unwrap_or_else(|e| panic!("writes through the nodes: {e:?}"));
    let read = async |db: &Db| {
        User::find_many()
            .order_by(user::id.asc())
            .select(select!(User {
                id,
                profile { bio },
                sessions(take = 2, order_by = token.desc()) { token },
                organizations(order_by = name.asc()) { name }
            }))
            .fetch_all(db)
            .await
            .map(|users| format!("{users:?}"))
    };
    let mut first = String::new();
    eventually("every row on the first node", 10, async || {
        first = read(&dbs[0]).await.unwrap_or_default();
        first.matches("written through node").count() == 3
    })
    .await;
    assert!(first.contains("t3") && first.contains("Org o2"), "{first}");
    for db in &dbs[1..] {
        eventually("the same rows on every node", 10, async || {
            read(db).await.is_ok_and(|rows| rows == first)
        })
        .await;
    }
    for db in dbs {
        db.close().await;
    }
    galera_finish(admin, &name).await;
}
