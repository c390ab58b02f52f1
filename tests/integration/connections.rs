//! Connection settings as a service sets them: a pool of one connection still serves nested
//! loads (and refuses at once what would wait for itself), a statement timeout and the acquire
//! timeout end in typed errors, and Trellis runs on a pool the application opened with sqlx.

use std::time::{Duration, Instant};

use trellis::prelude::*;
use trellis::Dialect;

use crate::models::{user, User};
use crate::relations::seed;
use crate::support::{backends, TestDb};

/// Fails the test instead of hanging it when `f` does not finish within `limit`.
async fn within<T>(limit: Duration, what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(limit, f)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {limit:?}"))
}

/// The nested selection of the docs page: users, their profile and their first sessions.
async fn nested_load(ex: impl Executor<'_>) -> Result<Vec<(String, Option<String>, usize)>, Error> {
    let users = User::find_many()
        .order_by(user::id.asc())
        .select(select!(User {
            id,
            profile { bio },
            sessions(take = 5) { token }
        }))
        .fetch_all(ex)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| (u.id, u.profile.and_then(|p| p.bio), u.sessions.len()))
        .collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pool_of_one_connection_serves_nested_loads_and_refuses_to_wait_for_itself() {
    let options = ConnectOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(5));
    for backend in backends() {
        let name = "a_pool_of_one_connection_serves_nested_loads";
        let test = TestDb::pooled(&backend, name, options.clone()).await;
        let db = test.db.clone();
        let limit = Duration::from_secs(3);
        let result: Result<(), Error> = async {
            seed(&db).await?;
            let outside = within(limit, "a nested load on &db", nested_load(&db)).await?;
            assert_eq!(outside.len(), 3, "[{}] {outside:?}", backend.name);
            let inside = within(
                limit,
                "a nested load inside a transaction",
                db.transaction(async |tx| {
                    let rows = nested_load(tx).await?;
                    // The transaction holds the pool's one connection: `&db` would wait for
                    // it until the acquire timeout, so it is refused at once.
                    let started = Instant::now();
                    let refused = User::count().fetch(&db).await;
                    assert!(
                        matches!(refused, Err(Error::WouldDeadlock(_))),
                        "{refused:?}"
                    );
                    let nested = nested_load(&db).await;
                    assert!(matches!(nested, Err(Error::WouldDeadlock(_))), "{nested:?}");
                    assert!(started.elapsed() < Duration::from_secs(1));
                    Ok::<_, Error>(rows)
                }),
            )
            .await?;
            assert_eq!(inside, outside, "[{}]", backend.name);
            Ok(())
        }
        .await;
        if let Err(e) = result {
            panic!("[{}] {name}: {e:?}", backend.name);
        }
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_acquire_timeout_bounds_the_wait_for_a_held_connection() {
    let timeout = Duration::from_millis(300);
    let options = ConnectOptions::new()
        .max_connections(1)
        .acquire_timeout(timeout);
    for backend in backends() {
        let name = "the_acquire_timeout_bounds_the_wait";
        let test = TestDb::pooled(&backend, name, options.clone()).await;
        let db = test.db.clone();
        let result: Result<(), Error> = async {
            seed(&db).await?;
            // Not `db.transaction`: the task is not known to hold the connection, so the
            // query waits for it, and the wait is bounded.
            let tx = db.begin().await?;
            let started = Instant::now();
            let waited = within(
                Duration::from_secs(10),
                "a query waiting for the held connection",
                User::count().fetch(&db),
            )
            .await;
            let elapsed = started.elapsed();
            assert!(
                matches!(waited, Err(Error::AcquireTimeout { .. })),
                "{waited:?}"
            );
            assert!(
                elapsed >= timeout && elapsed < timeout * 5,
                "waited {elapsed:?} for a timeout of {timeout:?}"
            );
            tx.rollback().await?;
            // The connection is back: the pool serves again.
            assert_eq!(User::count().fetch(&db).await?, 3);
            Ok(())
        }
        .await;
        if let Err(e) = result {
            panic!("[{}] {name}: {e:?}", backend.name);
        }
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_statement_past_the_statement_timeout_is_a_timeout_postgres_mysql() {
    let options = ConnectOptions::new().statement_timeout(Duration::from_millis(200));
    for backend in backends() {
        let sleep = match backend.name {
            "postgres" => "SELECT pg_sleep(2)",
            "mysql" => "SELECT SLEEP(2)",
            _ => continue, // SQLite has no statement timeout (see `ConnectOptions`).
        };
        let name = "a_statement_past_the_statement_timeout";
        let test = TestDb::pooled(&backend, name, options.clone()).await;
        let db = test.db.clone();
        let started = Instant::now();
        let fetched = within(Duration::from_secs(10), sleep, db.fetch_raw(sleep, [])).await;
        let executed = db.execute_raw(sleep, []).await;
        let elapsed = started.elapsed();
        for outcome in [fetched.map(|_| ()), executed.map(|_| ())] {
            match outcome {
                Err(err @ Error::Timeout { .. }) => {
                    assert!(std::error::Error::source(&err).is_some(), "{err:?}")
                }
                other => panic!("[{}] expected a timeout, got {other:?}", backend.name),
            }
        }
        assert!(
            elapsed < Duration::from_millis(1500),
            "[{}] two statements took {elapsed:?}",
            backend.name
        );
        // Statements within the limit run as before, on the same pool.
        assert_eq!(
            db.fetch_raw("SELECT 1", []).await.map(|r| r.len()).ok(),
            Some(1)
        );
        test.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trellis_runs_on_a_pool_the_application_opened() {
    // A pool the application opened through a pooler in transaction mode is sqlx's to set up
    // for it; Trellis runs on the pool as it is.
    for backend in backends().into_iter().filter(|b| !b.pooler) {
        let name = "trellis_runs_on_a_pool_the_application_opened";
        let test = TestDb::pooled(&backend, name, ConnectOptions::new()).await;
        let url = test.url.clone();
        let result: Result<(), Error> = async {
            let db = match backend.url.as_deref() {
                None => Db::from_pool(sqlx_pool::<sqlx::Sqlite>(&url).await),
                Some(_) if test.db.dialect() == Dialect::Postgres => {
                    Db::from_pool(sqlx_pool::<sqlx::Postgres>(&url).await)
                }
                Some(_) => Db::from_pool(sqlx_pool::<sqlx::MySql>(&url).await),
            };
            assert_eq!(db.dialect(), test.db.dialect());
            seed(&db).await?;
            let rows = within(Duration::from_secs(10), "a nested load", nested_load(&db)).await?;
            assert_eq!(rows.len(), 3, "{rows:?}");
            // On SQLite, matching ignoring case needs Trellis's SQL functions, which a foreign
            // pool's connections did not get when they opened.
            let found = User::find_many()
                .filter(user::email.contains_ignore_case("ADA@"))
                .fetch_all(&db)
                .await?;
            assert_eq!(found.len(), 1, "{found:?}");
            let in_tx = db
                .transaction(async |tx| {
                    User::find_many()
                        .filter(user::email.starts_with("bob"))
                        .fetch_all(tx)
                        .await
                })
                .await?;
            assert_eq!(in_tx.len(), 1, "{in_tx:?}");
            db.close().await;
            Ok(())
        }
        .await;
        if let Err(e) = result {
            panic!("[{}] {name}: {e:?}", backend.name);
        }
        test.finish().await;
    }
}

/// A pool opened with sqlx alone, as a service that already has one would.
async fn sqlx_pool<DB: sqlx::Database>(url: &str) -> sqlx::Pool<DB> {
    sqlx::pool::PoolOptions::<DB>::new()
        .max_connections(2)
        .connect(url)
        .await
        .unwrap_or_else(|e| panic!("sqlx could not open {url}: {e}"))
}
