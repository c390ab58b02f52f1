//! The round trip of the integration suite's models (`tests/integration/models.rs`) on each
//! backend: `create_schema` -> `trellis pull` -> the pulled file (committed as
//! `pulled/seed_<backend>.rs`, compiled here) -> its `schema()` creates the same tables in a
//! fresh database, compared catalog to catalog.

mod common;

#[allow(dead_code, unused_imports)]
#[path = "../../tests/integration/models.rs"]
mod seed;

#[allow(dead_code)]
#[path = "pulled/seed_sqlite.rs"]
mod seed_sqlite;

#[allow(dead_code)]
#[path = "pulled/seed_postgres.rs"]
mod seed_postgres;

#[allow(dead_code)]
#[path = "pulled/seed_mysql.rs"]
mod seed_mysql;

use common::{created, tables};
use trellis::Schema;
use trellis_cli::pull::pull;

/// Pulls the seed's tables from `first`, checks the pull against its committed file, creates
/// that file's schema in `second`, and compares: equal but for `changed`, the lines of the
/// first database that the round trip changes, each with the line it becomes.
async fn round_trip(
    first: &str,
    second: &str,
    file: &str,
    pulled_schema: Schema,
    changed: &[(&str, &str)],
) {
    let (dialect, original) = created(first, &seed::schema()).await;
    let pulled = pull(dialect, &original);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/pulled")
        .join(file);
    if std::env::var_os("TRELLIS_BLESS").is_some() {
        std::fs::write(&path, &pulled.source).expect("the file writes");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        pulled.source, committed,
        "{file} changed: write it with TRELLIS_BLESS=1"
    );
    let (_, recreated) = created(second, &pulled_schema).await;
    let mut expected = tables(dialect, &original);
    for (from, to) in changed {
        let at = expected.iter().position(|l| l.as_str() == *from);
        let at = at.unwrap_or_else(|| panic!("no line `{from}` in {expected:#?}"));
        expected[at] = (*to).to_owned();
    }
    expected.sort();
    assert_eq!(tables(dialect, &recreated), expected);
}

#[tokio::test]
async fn sqlite() {
    let dir = common::temp_dir("round-trip-sqlite");
    let url = |name: &str| format!("sqlite://{}?mode=rwc", dir.join(name).display());
    round_trip(
        &url("first.db"),
        &url("second.db"),
        "seed_sqlite.rs",
        seed_sqlite::schema(),
        &[
            // SQLite's `REAL` pulls as `f64` (it is an 8-byte float however declared), which
            // Trellis declares `DOUBLE PRECISION`.
            (
                "all_types.real: real null=false default=None auto=false",
                "all_types.real: double precision null=false default=None auto=false",
            ),
            // A `sql_type` column pulls as the Rust type of its database type (`String`, so
            // that it can be filtered), which Trellis declares as its own text type.
            (
                "codes.code: varchar(32) null=false default=None auto=false",
                "codes.code: text null=false default=None auto=false",
            ),
            (
                "codes.label: varchar(64) null=true default=None auto=false",
                "codes.label: text null=true default=None auto=false",
            ),
        ],
    )
    .await;
}

#[tokio::test]
async fn postgres() {
    let Ok(server) = std::env::var("TRELLIS_TEST_POSTGRES_URL") else {
        return;
    };
    let first = common::Fresh::on(&server, "seed_pg_1").await;
    let second = common::Fresh::on(&server, "seed_pg_2").await;
    // The `sql_type` columns, as on SQLite.
    let changed = [
        (
            "codes.code: character varying(32) null=false default=None auto=false",
            "codes.code: text null=false default=None auto=false",
        ),
        (
            "codes.label: character varying(64) null=true default=None auto=false",
            "codes.label: text null=true default=None auto=false",
        ),
    ];
    round_trip(
        &first.url,
        &second.url,
        "seed_postgres.rs",
        seed_postgres::schema(),
        &changed,
    )
    .await;
    first.drop().await;
    second.drop().await;
}

#[tokio::test]
async fn mysql() {
    let Ok(server) = std::env::var("TRELLIS_TEST_MYSQL_URL") else {
        return;
    };
    let first = common::Fresh::on(&server, "seed_my_1").await;
    let second = common::Fresh::on(&server, "seed_my_2").await;
    // The `sql_type` columns, as on SQLite (a text key is `VARCHAR(255)` on MySQL).
    let changed = [
        (
            "codes.code: varchar(32) null=false default=None auto=false",
            "codes.code: varchar(255) null=false default=None auto=false",
        ),
        (
            "codes.label: varchar(64) null=true default=None auto=false",
            "codes.label: longtext null=true default=None auto=false",
        ),
    ];
    round_trip(
        &first.url,
        &second.url,
        "seed_mysql.rs",
        seed_mysql::schema(),
        &changed,
    )
    .await;
    first.drop().await;
    second.drop().await;
}
