//! Runs each integration test on every configured backend, each in a database of its own.
//!
//! SQLite (in memory) always runs twice: with the defaults (rows stepped directly on SQLite's
//! handle, relations of every row of a table read from the whole related table), and with
//! both turned off (rows through sqlx's rows, every relation looked up by key). PostgreSQL and MySQL/MariaDB run
//! when `TRELLIS_TEST_POSTGRES_URL` / `TRELLIS_TEST_MYSQL_URL` are set; a set URL whose server
//! cannot be reached fails the test rather than skipping it.

use std::future::Future;

use trellis::prelude::*;
use trellis::LoadStrategy;

#[derive(Debug, Clone)]
pub struct Backend {
    pub name: &'static str,
    pub url: Option<String>,
    pub strategy: LoadStrategy,
    /// `ConnectOptions::whole_table_reads`.
    pub whole_table_reads: bool,
    /// PostgreSQL through PgBouncer in transaction mode: `ConnectOptions::transaction_pooler`.
    pub pooler: bool,
    /// The server each test's database is made and dropped on, when not `url`'s: PgBouncer's
    /// tests make theirs on PostgreSQL directly ([`postgres_direct_url`], when set), as schema
    /// work is done past a pooler.
    pub admin_url: Option<String>,
}

impl Backend {
    /// A server reached directly at `url`.
    pub fn server(name: &'static str, url: String) -> Backend {
        Backend {
            name,
            url: Some(url),
            strategy: LoadStrategy::Auto,
            whole_table_reads: true,
            pooler: false,
            admin_url: None,
        }
    }

    /// The options every database of this backend is opened with, on top of a test's own.
    pub fn options(&self, options: ConnectOptions) -> ConnectOptions {
        options.transaction_pooler(self.pooler)
    }

    /// Whether it is PostgreSQL (directly or through PgBouncer).
    pub fn is_postgres(&self) -> bool {
        self.url
            .as_deref()
            .is_some_and(|u| u.starts_with("postgres"))
    }
}

pub fn backends() -> Vec<Backend> {
    let mut list = vec![
        Backend {
            name: "sqlite",
            url: None,
            strategy: LoadStrategy::Direct,
            whole_table_reads: true,
            pooler: false,
            admin_url: None,
        },
        Backend {
            name: "sqlite (driver rows, by key)",
            url: None,
            strategy: LoadStrategy::Driver,
            whole_table_reads: false,
            pooler: false,
            admin_url: None,
        },
    ];
    for (name, var) in [
        ("postgres", "TRELLIS_TEST_POSTGRES_URL"),
        ("mysql", "TRELLIS_TEST_MYSQL_URL"),
        ("pgbouncer", "TRELLIS_TEST_PGBOUNCER_URL"),
    ] {
        if let Ok(url) = std::env::var(var) {
            if !url.is_empty() {
                list.push(Backend {
                    name,
                    url: Some(url),
                    strategy: LoadStrategy::Auto,
                    whole_table_reads: true,
                    pooler: name == "pgbouncer",
                    admin_url: (name == "pgbouncer").then(postgres_direct_url).flatten(),
                });
            }
        }
    }
    list
}

/// PostgreSQL reached directly, past PgBouncer: `TRELLIS_TEST_POSTGRES_URL`, else
/// `TRELLIS_TEST_POSTGRES_ADMIN_URL` (which makes the databases of the tests through PgBouncer
/// without running the suite on PostgreSQL directly as well).
pub fn postgres_direct_url() -> Option<String> {
    [
        "TRELLIS_TEST_POSTGRES_URL",
        "TRELLIS_TEST_POSTGRES_ADMIN_URL",
    ]
    .iter()
    .find_map(|var| std::env::var(var).ok().filter(|u| !u.is_empty()))
}

/// `scheme://user@host:port/db?query` with the database replaced.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority_start..].find('/') {
        Some(i) => &base[..authority_start + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{database}?{q}"),
        None => format!("{root}/{database}"),
    }
}

/// A database name per test, short enough for MySQL's 64-character limit.
fn database_name(test: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    test.hash(&mut hasher);
    let short: String = test.chars().take(40).collect();
    format!("trellis_t_{short}_{:08x}", hasher.finish() as u32)
}

/// How many server databases this process has made: each gets a name of its own.
static OPENED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A database for one test on one backend, dropped again when the test passes.
pub struct TestDb {
    pub db: Db,
    /// The URL `db` was opened with.
    pub url: String,
    admin: Option<(Db, String, &'static str)>,
    /// A SQLite file to remove when the test passes.
    file: Option<std::path::PathBuf>,
}

impl TestDb {
    pub async fn new(backend: &Backend, test: &str) -> TestDb {
        if backend.url.is_none() {
            let options = ConnectOptions::new()
                .load_strategy(backend.strategy)
                .whole_table_reads(backend.whole_table_reads);
            let db = Db::connect_with("sqlite::memory:", options)
                .await
                .expect("open SQLite in memory");
            return TestDb {
                db,
                url: "sqlite::memory:".to_owned(),
                admin: None,
                file: None,
            };
        }
        TestDb::pooled(backend, test, ConnectOptions::new()).await
    }

    /// A database opened with `options`; on SQLite a file rather than memory, so that the
    /// pool's sizes apply (an in-memory database always has exactly one connection).
    pub async fn pooled(backend: &Backend, test: &str, options: ConnectOptions) -> TestDb {
        let Some(url) = &backend.url else {
            let path = std::env::temp_dir().join(format!(
                "{}_{}.db",
                database_name(&format!("{test} {}", backend.name)),
                std::process::id()
            ));
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            let url = format!("sqlite://{}", path.display());
            let options = options
                .load_strategy(backend.strategy)
                .whole_table_reads(backend.whole_table_reads);
            let db = Db::connect_with(&url, options)
                .await
                .unwrap_or_else(|e| panic!("open {url}: {e}"));
            return TestDb {
                db,
                url,
                admin: None,
                file: Some(path),
            };
        };
        let options = backend.options(options);
        let (admin_url, admin_options) = match &backend.admin_url {
            Some(direct) => (direct, ConnectOptions::new()),
            None => (url, backend.options(ConnectOptions::new())),
        };
        let admin = Db::connect_with(admin_url, admin_options)
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "{} is configured ({url}) but unreachable: {e}",
                    backend.name
                )
            });
        // Named for this run and this database too: PgBouncer remembers a failed login to a
        // database name (the last run's database, dropped under it) and refuses the next client
        // of that name, and the server connections it pooled for a database dropped under it
        // may be handed to the next client of that name before it sees them closed.
        let name = database_name(&format!(
            "{test} {} {}",
            std::process::id(),
            OPENED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let q = admin.dialect().quote(&name);
        let drop = if backend.is_postgres() {
            format!("DROP DATABASE IF EXISTS {q} WITH (FORCE)")
        } else {
            format!("DROP DATABASE IF EXISTS {q}")
        };
        raw(&admin, &drop).await;
        raw(&admin, &format!("CREATE DATABASE {q}")).await;
        let url = with_database(url, &name);
        let db = Db::connect_with(&url, options)
            .await
            .unwrap_or_else(|e| panic!("connect to test database {name}: {e}"));
        TestDb {
            db,
            url,
            admin: Some((admin, drop, backend.name)),
            file: None,
        }
    }

    pub async fn finish(self) {
        self.db.close().await;
        if let Some(path) = self.file {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        if let Some((admin, drop, _)) = self.admin {
            raw(&admin, &drop).await;
            admin.close().await;
        }
    }
}

/// Runs trusted test SQL (no values) on a database.
pub async fn raw(db: &Db, sql: &str) {
    db.execute_raw(sql, [])
        .await
        .unwrap_or_else(|e| panic!("`{sql}` failed: {e}"));
}

/// Runs `test` once per backend, naming the backend in any failure.
pub async fn on_every_backend<F, Fut>(name: &str, test: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = Result<(), Error>>,
{
    for backend in backends() {
        let test_db = TestDb::new(&backend, name).await;
        if let Err(e) = test(test_db.db.clone()).await {
            panic!("[{}] {name} failed: {e:?}", backend.name);
        }
        test_db.finish().await;
    }
}

/// Declares `#[tokio::test]`s that run the named async functions on every backend.
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod on_backends {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::support::on_every_backend(stringify!($name), super::$name).await;
                }
            )*
        }
    };
}
pub(crate) use backend_tests;
