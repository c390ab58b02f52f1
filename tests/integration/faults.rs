//! Faults: servers that never answer, sessions killed under a transaction, statements past the
//! parameter limit, transactions nested in one task, SQLite writers contending for the lock.
//! Each ends in a typed error, at once or within the documented bound, never in a hang.

use std::time::Duration;

use trellis::prelude::*;
use trellis::ConnectOptions;

use crate::models::{schema, user, User};
use crate::support::backend_tests;

backend_tests!(
    too_many_parameters_is_an_invalid_query,
    savepoints_nest_inside_a_transaction,
    a_killed_session_is_a_connection_error_and_the_pool_recovers,
    nested_loads_while_sessions_are_killed_fail_whole_or_succeed_whole,
    a_transaction_inside_another_is_a_separate_one_or_refused,
);

/// Fails the test instead of hanging it when `f` does not finish within a minute.
async fn bounded<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), f)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within a minute"))
}

#[tokio::test]
async fn connecting_to_a_server_that_never_answers_times_out() {
    // Accepts TCP connections and keeps them open without a word.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let options = ConnectOptions::new().connect_timeout(Duration::from_millis(300));
    for url in [
        format!("postgres://postgres@127.0.0.1:{port}/test"),
        format!("mysql://root@127.0.0.1:{port}/test"),
    ] {
        let result = bounded(&url, Db::connect_with(&url, options.clone())).await;
        match result {
            Err(err @ Error::Connection { .. }) => {
                // The message says what happened at Trellis's level; the cause is its source,
                // not repeated in the message.
                let cause = std::error::Error::source(&err).map(ToString::to_string);
                let cause = cause.unwrap_or_default();
                assert!(cause.contains("did not answer"), "{url}: {cause}");
                assert!(!err.to_string().contains(&cause), "{url}: {err}");
            }
            other => panic!("{url}: expected a connection error, got {other:?}"),
        }
    }
    assert_eq!(
        ConnectOptions::default().connect_timeout,
        Duration::from_secs(10)
    );
}

#[tokio::test]
async fn a_closed_port_fails_at_once_with_a_connection_error() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_default();
    let url = format!("postgres://postgres@127.0.0.1:{port}/test");
    let result = bounded(&url, Db::connect(&url)).await;
    assert!(
        matches!(result, Err(Error::Connection { .. })),
        "{result:?}"
    );
}

async fn too_many_parameters_is_an_invalid_query(db: Db) -> Result<(), Error> {
    let limit = db.dialect().max_params();
    for n in [limit, limit + 1] {
        let placeholders: Vec<String> = (1..=n)
            .map(|i| match db.dialect() {
                trellis::Dialect::Postgres => format!("${i}"),
                _ => "?".to_owned(),
            })
            .collect();
        let from = if db.dialect() == trellis::Dialect::MySql {
            " FROM DUAL"
        } else {
            ""
        };
        let sql = format!("SELECT 1{from} WHERE 1 IN ({})", placeholders.join(", "));
        let rows = db
            .fetch_raw(&sql, (0..n).map(|i| trellis::Value::I64(i as i64)))
            .await;
        if n <= limit {
            assert_eq!(rows?.len(), 1, "{n} parameters are within the limit");
        } else {
            match rows {
                Err(Error::InvalidQuery(message)) => {
                    assert!(message.contains(&n.to_string()), "{message}")
                }
                Err(other) => panic!("{n} parameters: expected an invalid query, got {other:?}"),
                Ok(_) => panic!("{n} parameters: the statement ran"),
            }
        }
    }
    Ok(())
}

fn person(id: &str) -> User {
    crate::models::user(id, None)
}

async fn ids(db: &Db) -> Result<Vec<String>, Error> {
    Ok(User::find_many()
        .order_by(user::id.asc())
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}

async fn savepoints_nest_inside_a_transaction(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    db.transaction(async |tx| {
        User::insert(person("outer")).exec(tx).await?;
        // A savepoint that fails is undone; the transaction goes on.
        let failed: Result<(), Error> = tx
            .transaction(async |tx| {
                User::insert(person("undone")).exec(tx).await?;
                User::insert(person("outer")).exec(tx).await?; // duplicate key
                Ok(())
            })
            .await;
        assert!(
            matches!(failed, Err(Error::UniqueViolation { .. })),
            "{failed:?}"
        );
        // Savepoints nest: the inner one is undone, the outer kept.
        tx.transaction(async |tx| {
            User::insert(person("kept")).exec(tx).await?;
            let inner: Result<(), Error> = tx
                .transaction(async |tx| {
                    User::insert(person("inner")).exec(tx).await?;
                    Err(Error::InvalidQuery("the caller's own error".into()))
                })
                .await;
            assert!(inner.is_err());
            Ok::<_, Error>(())
        })
        .await?;
        Ok::<_, Error>(())
    })
    .await?;
    assert_eq!(ids(&db).await?, ["kept", "outer"]);
    Ok(())
}

/// Ends every other session on the test's database, as an administrator or a crash would.
async fn kill_other_sessions(db: &Db) -> Result<(), Error> {
    match db.dialect() {
        trellis::Dialect::Postgres => {
            db.fetch_raw(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
                [],
            )
            .await?;
        }
        trellis::Dialect::MySql => {
            let rows = db
                .fetch_raw(
                    "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()",
                    [],
                )
                .await?;
            for row in rows {
                let id: i64 = row
                    .get_native(0)
                    .map_err(|e| Error::InvalidQuery(e.to_string()))?;
                // A number the server gave: nothing of a user's goes into this text.
                db.execute_raw(&format!("KILL {id}"), []).await?;
            }
        }
        trellis::Dialect::Sqlite => {}
    }
    Ok(())
}

async fn a_killed_session_is_a_connection_error_and_the_pool_recovers(db: Db) -> Result<(), Error> {
    if db.dialect() == trellis::Dialect::Sqlite {
        return Ok(()); // An embedded database has no session to kill.
    }
    db.create_schema(&schema()).await?;
    let tx = db.begin().await?;
    User::insert(person("uncommitted")).exec(&tx).await?;
    kill_other_sessions(&db).await?;
    // The transaction's connection is gone: a connection error, the kind worth a retry.
    let err = bounded(
        "a nested load on a killed session",
        User::find_many().include(user::sessions).fetch_all(&tx),
    )
    .await;
    assert!(matches!(err, Err(Error::Connection { .. })), "{err:?}");
    drop(tx);
    // The pool replaces the dead connections, and nothing of the transaction remains.
    let loaded = bounded(
        "a nested load after the kill",
        User::find_many().include(user::sessions).fetch_all(&db),
    )
    .await?;
    assert!(loaded.is_empty(), "{loaded:?}");
    Ok(())
}

/// Users with three sibling relations, the nested load the session-killing tests run.
async fn load(db: Db) -> Result<Vec<impl PartialEq + std::fmt::Debug>, Error> {
    User::find_many()
        .order_by(user::id.asc())
        .select(select!(User {
            id,
            profile { bio },
            sessions(order_by = token.asc()) { token },
            organizations(order_by = name.asc()) { name },
        }))
        .fetch_all(&db)
        .await
}

/// Sessions killed while nested loads run: each load either returns every row or fails with
/// a connection error (never a partial result), and once the killing stops the next load on
/// the same `Db` succeeds.
async fn nested_loads_while_sessions_are_killed_fail_whole_or_succeed_whole(
    db: Db,
) -> Result<(), Error> {
    if db.dialect() == trellis::Dialect::Sqlite {
        return Ok(()); // An embedded database has no session to kill.
    }
    crate::relations::seed(&db).await?;
    let expected = load(db.clone()).await?;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let killer = {
        let (db, stop) = (db.clone(), stop.clone());
        tokio::spawn(async move {
            let mut kills = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // The killing connection may itself be among the killed ones: try again.
                if kill_other_sessions(&db).await.is_ok() {
                    kills += 1;
                }
                tokio::time::sleep(Duration::from_millis(3)).await;
            }
            kills
        })
    };
    let (mut whole, mut failed) = (0, 0);
    for _ in 0..200 {
        match bounded("a nested load during the kills", load(db.clone())).await {
            Ok(got) => {
                assert_eq!(got, expected, "a load that succeeded returned other rows");
                whole += 1;
            }
            Err(Error::Connection { .. }) => failed += 1,
            Err(e) => panic!("a killed session should be a connection error: {e:?}"),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let kills = killer
        .await
        .unwrap_or_else(|e| panic!("the killer task: {e}"));
    assert!(kills > 0, "no session was killed");
    let after = bounded("a nested load after the kills", load(db.clone())).await?;
    assert_eq!(after, expected);
    eprintln!("{whole} loads whole and {failed} failed while sessions were killed {kills} times");
    Ok(())
}

/// A read takes a connection kept from the statements before it, or idle in the pool, without
/// the check sqlx makes of a connection it lends, and a load runs sibling relations on more
/// connections taken so (here from its first row on: `parallel_from_rows(1)`): after the
/// server closed them all, reads still succeed whole (a read whose connection fails runs again
/// on one the pool checks; a sibling whose spare fails, on the load's own connection).
#[tokio::test]
async fn loads_succeed_whole_after_their_spare_connections_were_killed() {
    let name = "loads_succeed_whole_after_their_spare_connections_were_killed";
    // Behind a pooler in transaction mode each read is one transaction, on one connection:
    // no spares.
    for backend in crate::support::backends().into_iter().filter(|b| !b.pooler) {
        let options = ConnectOptions::new().parallel_from_rows(1);
        let test_db = crate::support::TestDb::pooled(&backend, name, options).await;
        if let Err(e) = loads_succeed_whole_after_kills(test_db.db.clone()).await {
            panic!("[{}] {name} failed: {e:?}", backend.name);
        }
        test_db.finish().await;
    }
}

async fn loads_succeed_whole_after_kills(db: Db) -> Result<(), Error> {
    if db.dialect() == trellis::Dialect::Sqlite {
        return Ok(()); // An embedded database has no session to kill, and no spares.
    }
    crate::relations::seed(&db).await?;
    let expected = load(db.clone()).await?;
    // Until a load finds spare connections idle in the pool (the first ones open them).
    for _ in 0..500 {
        if db.parallel_load_count() > 0 {
            break;
        }
        load(db.clone()).await?;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        db.parallel_load_count() > 0,
        "no load ran on a spare connection"
    );
    let users = ids(&db).await?;
    for round in 0..5 {
        // On MySQL the kills run one by one, each on a connection of the pool, which may be
        // one an earlier kill closed: the error is then the killing statement's own.
        let _ = bounded("killing the idle sessions", kill_other_sessions(&db)).await;
        let got = bounded("a load after the kills", load(db.clone())).await;
        assert_eq!(got?, expected, "round {round}");
        // A read of one statement, on an idle connection the server closed.
        let _ = bounded("killing the idle sessions", kill_other_sessions(&db)).await;
        let got = bounded("a read after the kills", ids(&db)).await;
        assert_eq!(got?, users, "round {round}");
    }
    Ok(())
}

async fn a_transaction_inside_another_is_a_separate_one_or_refused(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    let outcome = bounded(
        "a transaction inside another",
        db.transaction(async |tx| {
            User::insert(person("outer")).exec(tx).await?;
            let inner = db
                .transaction(async |inner| User::insert(person("inner")).exec(inner).await)
                .await;
            let count = User::count().fetch(&db).await;
            Ok::<_, Error>((inner.map(|_| ()), count))
        }),
    )
    .await?;
    if db.dialect() == trellis::Dialect::Sqlite {
        // An in-memory database has one connection, which the outer transaction holds:
        // waiting for it could only time out, so both fail at once.
        assert!(
            matches!(outcome.0, Err(Error::WouldDeadlock(_))),
            "{:?}",
            outcome.0
        );
        assert!(
            matches!(outcome.1, Err(Error::WouldDeadlock(_))),
            "{:?}",
            outcome.1
        );
        assert_eq!(ids(&db).await?, ["outer"]);
    } else {
        // A second transaction on another connection, committed on its own; the pool's
        // statement outside the outer transaction does not see its row.
        outcome.0?;
        assert_eq!(outcome.1?, 1);
        assert_eq!(ids(&db).await?, ["inner", "outer"]);
    }
    Ok(())
}

/// A SQLite file database in the temporary directory, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!("trellis-{name}-{}.db", std::process::id()));
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        TempFile(path)
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.0.display())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_write_transactions_wait_for_each_other_instead_of_failing() -> Result<(), Error> {
    let file = TempFile::new("writers");
    // 400 writers queue for one lock: on a busy two-core machine the last of them can wait
    // longer than the default 5 s, which would be `Busy` by design. The point here is that
    // they wait rather than fail at once.
    let options = ConnectOptions::new().sqlite_busy_timeout(Duration::from_secs(60));
    let db = Db::connect_with(&file.url(), options).await?;
    db.create_schema(&schema()).await?;
    // 400 read-then-write transactions at once, ten connections.
    let tasks: Vec<_> = (0..400)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                db.write_transaction(async |tx| {
                    let before = User::count().fetch(tx).await?;
                    User::insert(person(&format!("u{i:03}"))).exec(tx).await?;
                    Ok::<_, Error>(before)
                })
                .await
            })
        })
        .collect();
    let mut failures = Vec::new();
    for task in tasks {
        if let Err(e) = task.await.unwrap_or_else(|e| panic!("task: {e}")) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed: {:?}",
        failures.len(),
        failures.first()
    );
    assert_eq!(User::count().fetch(&db).await?, 400);

    // Deferred transactions that read before they write may fail to take the write lock;
    // when they do, it is the typed `Busy` error, and the transaction wrote nothing.
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                db.transaction(async |tx| {
                    User::count().fetch(tx).await?;
                    User::insert(person(&format!("d{i:03}"))).exec(tx).await?;
                    Ok::<_, Error>(())
                })
                .await
            })
        })
        .collect();
    let mut done = 0;
    for task in tasks {
        match task.await.unwrap_or_else(|e| panic!("task: {e}")) {
            Ok(()) => done += 1,
            Err(Error::Busy { .. }) => {}
            Err(other) => panic!("expected success or Busy, got {other:?}"),
        }
    }
    assert_eq!(User::count().fetch(&db).await?, 400 + done);
    db.close().await;
    Ok(())
}

#[tokio::test]
async fn sqlite_lock_held_past_the_busy_timeout_is_a_typed_error() -> Result<(), Error> {
    let file = TempFile::new("busy");
    let options = ConnectOptions::new().sqlite_busy_timeout(Duration::from_millis(200));
    let db = Db::connect_with(&file.url(), options).await?;
    db.create_schema(&schema()).await?;
    let holder = db.begin_write().await?;
    User::insert(person("holder")).exec(&holder).await?;
    let err = bounded("a write behind a held lock", db.begin_write()).await;
    assert!(matches!(err, Err(Error::Busy { .. })), "{err:?}");
    let err = bounded(
        "a write behind a held lock",
        User::insert(person("x")).exec(&db),
    )
    .await;
    assert!(matches!(err, Err(Error::Busy { .. })), "{err:?}");
    holder.commit().await?;
    assert_eq!(ids(&db).await?, ["holder"]);
    db.close().await;
    Ok(())
}
