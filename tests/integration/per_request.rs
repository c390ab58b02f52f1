//! What a request costs in connections, on every backend: a small load takes one connection
//! once and runs its statements in turn on it, the next request finds that connection as the
//! last one left it (SQLite: with its statements prepared), writes and transactions find the
//! connections reads kept, and a `Db` closes and drops cleanly with connections kept.

use std::time::Duration;

use trellis::prelude::*;
use trellis::ConnectOptions;

use crate::models::{session, user, Session, User};
use crate::support::{backends, TestDb};

/// Fails the test instead of hanging it.
async fn bounded<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within 30 s"))
}

/// A user with the bio of its profile and its first three sessions by token, as a request
/// reads it.
type Card = (String, Option<Option<String>>, Vec<String>);

async fn card(db: &Db, id: &str) -> Result<Option<Card>, Error> {
    let email = format!("{id}@example.com");
    let user = User::find_first()
        .filter(user::email.eq(email.as_str()))
        .select(select!(User {
            id,
            profile { bio },
            sessions(take = 3, order_by = token.asc()) { token }
        }))
        .fetch_optional(db)
        .await?;
    Ok(user.map(|u| {
        (
            u.id,
            u.profile.map(|p| p.bio),
            u.sessions.into_iter().map(|s| s.token).collect(),
        )
    }))
}

fn ada() -> Card {
    (
        "ada".to_owned(),
        Some(Some("Counts things.".to_owned())),
        vec!["t0".to_owned(), "t1".to_owned(), "t2".to_owned()],
    )
}

/// Every backend's database, opened with `options` (SQLite in a file, so that the pool has
/// more than the one connection of an in-memory database), seeded with the relations' rows.
async fn each_backend(
    test: &str,
    options: impl Fn() -> ConnectOptions,
    run: impl AsyncFn(&Db, &str) -> Result<(), Error>,
) {
    for backend in backends() {
        let test_db = TestDb::pooled(&backend, test, options()).await;
        let outcome = async {
            crate::relations::seed(&test_db.db).await?;
            run(&test_db.db, backend.name).await
        }
        .await;
        if let Err(e) = outcome {
            panic!("[{}] {test}: {e:?}", backend.name);
        }
        test_db.finish().await;
    }
}

/// Ten requests one after the other: three statements each, all on the connection the first
/// request took, which no request hands back to the pool; SQLite prepares each statement
/// once and, on a multi-threaded runtime, wakes no other thread for them. (Behind a pooler in
/// transaction mode each read is a transaction of its own, whose connection sqlx takes back.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_in_turn_run_on_one_kept_connection() {
    each_backend(
        "requests_on_one_connection",
        ConnectOptions::new,
        async |db, backend| {
            if backend == "pgbouncer" {
                return Ok(());
            }
            assert_eq!(card(db, "ada").await?, Some(ada()));
            let before = db.connection_stats();
            for _ in 0..10 {
                assert_eq!(card(db, "ada").await?, Some(ada()));
            }
            let spent = db.connection_stats() - before;
            assert_eq!(spent.statements, 30, "{spent:?}");
            assert_eq!(
                (spent.acquired, spent.released, spent.reused),
                (0, 0, 10),
                "{spent:?}"
            );
            assert_eq!(
                spent.parallel_loads, 0,
                "a request loads its relations in turn"
            );
            if backend.starts_with("sqlite") {
                assert_eq!(
                    spent.prepared, 0,
                    "prepared by the first request: {spent:?}"
                );
                assert_eq!(spent.handoffs, 0, "no thread woken: {spent:?}");
            }
            Ok(())
        },
    )
    .await;
}

/// With `keep_connections(false)` every request hands its connection back to sqlx's pool.
#[tokio::test]
async fn without_kept_connections_each_request_goes_back_to_the_pool() {
    let options = || ConnectOptions::new().keep_connections(false);
    each_backend("requests_without_kept", options, async |db, _| {
        assert_eq!(card(db, "ada").await?, Some(ada()));
        let before = db.connection_stats();
        for _ in 0..5 {
            assert_eq!(card(db, "ada").await?, Some(ada()));
        }
        let spent = db.connection_stats() - before;
        assert_eq!(
            (spent.acquired, spent.released, spent.reused),
            (5, 5, 0),
            "{spent:?}"
        );
        Ok(())
    })
    .await;
}

/// A pool of one connection, kept by the reads: a write, a transaction and a nested write
/// outside it each find that connection instead of waiting for the pool's (here one second)
/// acquire timeout, and the reads after them see what they wrote.
#[tokio::test]
async fn writes_and_transactions_find_the_connection_reads_kept() {
    let options = || {
        ConnectOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(1))
    };
    each_backend("writes_after_kept_reads", options, async |db, _| {
        assert_eq!(card(db, "ada").await?, Some(ada()));
        bounded(
            "a write",
            Session::insert(session::New {
                user_id: "ada".into(),
                token: "a0".into(),
            })
            .exec(db),
        )
        .await?;
        assert_eq!(
            card(db, "ada").await?.map(|c| c.2[0].clone()),
            Some("a0".into())
        );
        bounded(
            "a transaction",
            db.transaction(async |tx| {
                Session::delete_many()
                    .filter(session::token.eq("a0"))
                    .exec(tx)
                    .await
            }),
        )
        .await?;
        assert_eq!(card(db, "ada").await?, Some(ada()));
        Ok(())
    })
    .await;
}

/// Closing a `Db` hands its kept connections back first (sqlx's `close` waits for every
/// connection it lent); on SQLite, the kept connection's prepared statements are finalized
/// before its handle closes.
#[tokio::test]
async fn a_db_closes_with_kept_connections() {
    each_backend("close_with_kept", ConnectOptions::new, async |db, _| {
        assert_eq!(card(db, "ada").await?, Some(ada()));
        assert_eq!(card(db, "bob").await?.map(|c| c.0), Some("bob".to_owned()));
        bounded("close", db.clone().close()).await;
        assert!(card(db, "ada").await.is_err(), "a closed Db still read");
        Ok(())
    })
    .await;
}

/// A `Db` dropped after the runtime it ran on (where sqlx cannot spawn the task that takes a
/// connection back) closes its kept connections instead of panicking.
#[tokio::test]
async fn a_db_outlives_its_runtime() {
    for backend in backends() {
        let test_db = TestDb::pooled(&backend, "outlives_runtime", ConnectOptions::new()).await;
        if let Err(e) = crate::relations::seed(&test_db.db).await {
            panic!("[{}] seed: {e}", backend.name);
        }
        let url = test_db.url.clone();
        // A runtime of its own, on a thread of its own (a runtime cannot start inside another).
        let read = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap_or_else(|e| panic!("a runtime: {e}"));
            let db = runtime.block_on(async {
                let db = Db::connect(&url).await?;
                let read = card(&db, "ada").await?;
                Ok::<_, Error>((db, read))
            });
            drop(runtime);
            db.map(|(db, read)| {
                drop(db);
                read
            })
        })
        .join();
        match read {
            Ok(Ok(read)) => assert_eq!(read, Some(ada()), "[{}]", backend.name),
            Ok(Err(e)) => panic!("[{}] read: {e}", backend.name),
            Err(_) => panic!(
                "[{}] dropping the Db after its runtime panicked",
                backend.name
            ),
        }
        test_db.finish().await;
    }
}

/// A column renamed and another of the old name added under a kept connection's prepared
/// statement: the statement is prepared again (SQLite: by SQLite itself as it steps it) and
/// reads the new column.
#[tokio::test]
async fn a_kept_statement_follows_a_schema_change() {
    each_backend(
        "statement_after_schema_change",
        ConnectOptions::new,
        async |db, _| {
            assert_eq!(card(db, "ada").await?, Some(ada()));
            let q = |name: &str| db.dialect().quote(name);
            let (profiles, bio) = (q("profiles"), q("bio"));
            for sql in [
                format!(
                    "ALTER TABLE {profiles} RENAME COLUMN {bio} TO {}",
                    q("old_bio")
                ),
                format!("ALTER TABLE {profiles} ADD COLUMN {bio} TEXT"),
                format!("UPDATE {profiles} SET {bio} = 'Renamed.'"),
            ] {
                db.execute_raw(&sql, []).await?;
            }
            let renamed = card(db, "ada").await?.and_then(|c| c.1);
            assert_eq!(renamed, Some(Some("Renamed.".to_owned())));
            Ok(())
        },
    )
    .await;
}

/// SQLite: a read stepped on the task's own thread that finds the database locked by another
/// connection's writer moves off the runtime's worker thread and waits for the lock as the
/// busy timeout says, then reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_read_waits_for_a_writers_lock() {
    use sqlx::Connection as _;
    let Some(backend) = backends().into_iter().find(|b| b.name == "sqlite") else {
        panic!("SQLite always runs");
    };
    let test_db = TestDb::pooled(&backend, "sqlite_read_waits", ConnectOptions::new()).await;
    let db = test_db.db.clone();
    let outcome = async {
        crate::relations::seed(&db).await?;
        assert_eq!(card(&db, "ada").await?, Some(ada()));
        let mut writer = sqlx::SqliteConnection::connect(&test_db.url)
            .await
            .map_err(|e| Error::InvalidQuery(e.to_string()))?;
        sqlx::query("BEGIN EXCLUSIVE")
            .execute(&mut writer)
            .await
            .map_err(|e| Error::InvalidQuery(e.to_string()))?;
        let before = db.connection_stats();
        let reader = {
            let db = db.clone();
            tokio::spawn(async move { card(&db, "ada").await })
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!reader.is_finished(), "the read did not wait for the lock");
        sqlx::query("COMMIT")
            .execute(&mut writer)
            .await
            .map_err(|e| Error::InvalidQuery(e.to_string()))?;
        let read = bounded("the waiting read", reader)
            .await
            .unwrap_or_else(|e| panic!("the reading task: {e}"))?;
        assert_eq!(read, Some(ada()));
        let spent = db.connection_stats() - before;
        assert!(spent.handoffs >= 1, "the wait ran on the worker: {spent:?}");
        Ok::<_, Error>(())
    }
    .await;
    if let Err(e) = outcome {
        panic!("{e:?}");
    }
    test_db.finish().await;
}

/// Many requests at once on a pool of eight: connections are opened up to the pool's size
/// (one being opened is never dropped because a kept one came back first), and every request
/// gets its rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_at_once_open_the_pool_up_to_its_size() {
    let options = || ConnectOptions::new().max_connections(8);
    each_backend("requests_at_once", options, async |db, _| {
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(32));
        let tasks: Vec<_> = (0..32)
            .map(|_| {
                let (db, barrier) = (db.clone(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    for _ in 0..20 {
                        if card(&db, "ada").await? != Some(ada()) {
                            return Err(Error::InvalidQuery("another card".to_owned()));
                        }
                    }
                    Ok::<_, Error>(())
                })
            })
            .collect();
        for task in tasks {
            bounded("a task of requests", task)
                .await
                .unwrap_or_else(|e| panic!("a task of requests: {e}"))?;
        }
        let stats = db.connection_stats();
        assert_eq!(stats.open, 8, "{stats:?}");
        Ok(())
    })
    .await;
}
