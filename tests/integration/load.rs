//! Many tasks loading nested data at once, on a SQLite file and on each configured server: no
//! load fails, and every result equals the one a single task got alone.
//!
//! 64 tasks each run `TRELLIS_LOAD_ROUNDS` loads (20 unless set; the figures in
//! `docs/performance.md` are from 200). The loads per second are printed, not asserted.

use std::time::{Duration, Instant};

use trellis::prelude::*;
use trellis::ConnectOptions;

use crate::models::{user, User};
use crate::support::{backends, TestDb};

const TASKS: usize = 64;

fn rounds() -> usize {
    std::env::var("TRELLIS_LOAD_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

/// A SQLite file in the temporary directory, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("trellis-{name}-{}.db", std::process::id()));
        TempFile(path).cleaned()
    }

    fn cleaned(self) -> TempFile {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
        self
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

/// Loads every user with a profile, the first sessions and the organizations from `TASKS`
/// tasks at once, `rounds()` times each, and compares each result with a single task's.
async fn many_tasks_at_once(db: &Db, backend: &str) -> Result<(), Error> {
    crate::relations::seed(db).await?;
    let load = |db: Db| async move {
        User::find_many()
            .order_by(user::id.asc())
            .select(select!(User {
                id,
                profile { bio },
                sessions(take = 5, order_by = token.asc()) { token },
                organizations(order_by = name.asc()) { name },
                session_count: sessions: count,
            }))
            .fetch_all(&db)
            .await
    };
    let expected = load(db.clone()).await?;
    assert_eq!(expected.len(), 3, "[{backend}] the seed's users");
    let rounds = rounds();
    let start = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let db = db.clone();
            let expected = expected.clone();
            tokio::spawn(async move {
                for _ in 0..rounds {
                    let got = load(db.clone()).await?;
                    if got != expected {
                        return Ok::<_, Error>(Some(format!("{got:?}")));
                    }
                }
                Ok(None)
            })
        })
        .collect();
    for task in tasks {
        let outcome = task
            .await
            .unwrap_or_else(|e| panic!("[{backend}] a task panicked: {e}"));
        match outcome {
            Ok(None) => {}
            Ok(Some(got)) => panic!("[{backend}] a load differed: {got}\nexpected {expected:?}"),
            Err(e) => panic!("[{backend}] a load failed: {e:?}"),
        }
    }
    let elapsed = start.elapsed().max(Duration::from_micros(1));
    let loads = TASKS * rounds;
    eprintln!(
        "[{backend}] {loads} nested loads from {TASKS} tasks in {elapsed:?}: {:.0} loads/s",
        loads as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}

/// Eight connections for 64 tasks: most tasks wait for one.
fn pool_of_eight() -> ConnectOptions {
    ConnectOptions::new().max_connections(8)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_tasks_load_the_same_rows_on_a_sqlite_file() -> Result<(), Error> {
    let file = TempFile::new("load");
    let url = format!("sqlite://{}", file.0.display());
    let db = Db::connect_with(&url, pool_of_eight()).await?;
    many_tasks_at_once(&db, "sqlite file").await?;
    db.close().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_tasks_load_the_same_rows_on_each_server() -> Result<(), Error> {
    for backend in backends().into_iter().filter(|b| b.url.is_some()) {
        let test_db = TestDb::pooled(&backend, "many_tasks_load", pool_of_eight()).await;
        many_tasks_at_once(&test_db.db, backend.name).await?;
        test_db.finish().await;
    }
    Ok(())
}
