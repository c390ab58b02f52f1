//! Fresh databases on the suite's servers (`TRELLIS_TEST_POSTGRES_URL`,
//! `TRELLIS_TEST_MYSQL_URL`), temporary directories (one per test, named for the test run),
//! and the catalogs the round trips compare. `scale/tests/round_trip.rs` uses it too.

// Each test file uses part of it.
#![allow(dead_code)]

use trellis::migrate::{normalize_type, read_catalog, Catalog};
use trellis::{Db, Dialect, Schema};

/// `url` with its database replaced by `database`.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    match base.rsplit_once('/') {
        Some((server, _)) if server.contains("://") && !server.ends_with('/') => {
            format!("{server}/{database}{query}")
        }
        _ => format!("{base}/{database}{query}"),
    }
}

/// A database of its own on a server.
pub struct Fresh {
    admin: Db,
    name: String,
    /// Its URL.
    pub url: String,
}

impl Fresh {
    /// A new empty database `trellis_cli_<name>_<pid>` on the server of `server_url`.
    pub async fn on(server_url: &str, name: &str) -> Fresh {
        let admin = Db::connect(server_url)
            .await
            .expect("the server is reachable");
        let name = format!("trellis_cli_{name}_{}", std::process::id());
        admin
            .execute_raw(&format!("DROP DATABASE IF EXISTS {name}"), [])
            .await
            .expect("an old database drops");
        admin
            .execute_raw(&format!("CREATE DATABASE {name}"), [])
            .await
            .expect("the database is created");
        let url = with_database(server_url, &name);
        Fresh { admin, name, url }
    }

    /// Drops the database (every connection to it closed first).
    pub async fn drop(self) {
        self.admin
            .execute_raw(&format!("DROP DATABASE {}", self.name), [])
            .await
            .expect("the database drops");
    }
}

/// A new directory under the system's temporary one, for this run and `name`.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("trellis-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

/// Compares `text` with the snapshot `help/<name>` (written again with `TRELLIS_BLESS=1`).
pub fn snapshot(text: &str, name: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/help")
        .join(name);
    if std::env::var_os("TRELLIS_BLESS").is_some() {
        std::fs::write(&path, text).expect("the snapshot writes");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        text, expected,
        "{name} changed: write it with TRELLIS_BLESS=1"
    );
}

/// Every table as the catalog has it, with the parts a model declares: column types as the
/// dialect normalizes them, nullability, defaults, generated keys, the key, the indexes by
/// their columns, the foreign keys with their actions. Names the database makes up (of
/// indexes and constraints) are left out.
pub fn tables(dialect: Dialect, catalog: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    for table in &catalog.tables {
        for c in &table.columns {
            out.push(format!(
                "{}.{}: {} null={} default={:?} auto={}",
                table.name,
                c.name,
                normalize_type(dialect, &c.data_type),
                c.nullable,
                c.default,
                c.auto_increment
            ));
        }
        out.push(format!("{} key {:?}", table.name, table.primary_key));
        for i in &table.indexes {
            out.push(format!(
                "{} index {:?} unique={}",
                table.name, i.columns, i.unique
            ));
        }
        for fk in &table.foreign_keys {
            out.push(format!(
                "{} {:?} references {} on delete {:?} on update {:?}",
                table.name, fk.columns, fk.referenced_table, fk.on_delete, fk.on_update
            ));
        }
    }
    out.sort();
    out
}

/// The catalog of `schema` created in the empty database at `url`.
pub async fn created(url: &str, schema: &Schema) -> (Dialect, Catalog) {
    let db = Db::connect(url).await.expect("the database opens");
    db.create_schema(schema)
        .await
        .expect("the schema creates its tables");
    let catalog = read_catalog(&db).await.expect("the catalog reads");
    let dialect = db.dialect();
    db.close().await;
    (dialect, catalog)
}
