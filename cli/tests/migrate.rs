//! `trellis::cli::run_from` (what an application's `src/bin/db.rs` runs): `migrate diff`, then
//! `migrate run`, then `migrate status`, in a temporary directory, on SQLite and on each
//! server the suite is given; `migrate new` and `generate`. The models are the ones `trellis
//! pull` wrote for `shop.sql` (`pulled/shop.rs`).

mod common;

#[path = "pulled/shop.rs"]
#[allow(dead_code)]
mod shop;

use trellis::migrate::read_catalog;
use trellis::Db;

/// Runs `db` with `args` against the shop's models; what it printed.
async fn db(args: &[&str]) -> String {
    let mut out = Vec::new();
    let args = std::iter::once("db").chain(args.iter().copied());
    trellis::cli::run_from(&shop::schema(), args, &mut out)
        .await
        .expect("the command succeeds");
    String::from_utf8(out).expect("UTF-8 output")
}

/// diff, status, run, status, diff again, on the empty database at `url`.
async fn diff_run_status(url: &str, name: &str) {
    let dir = common::temp_dir(name);
    let dir = dir.to_str().expect("a UTF-8 path");

    let wrote = db(&[
        "migrate", "diff", "--url", url, "--name", "shop", "--dir", dir,
    ])
    .await;
    assert!(
        wrote.contains("wrote ") && wrote.contains("_shop.sql"),
        "{wrote}"
    );
    let files: Vec<_> = std::fs::read_dir(dir).expect("the directory").collect();
    assert_eq!(files.len(), 1);

    let status = db(&["migrate", "status", "--url", url, "--dir", dir]).await;
    assert!(
        status.starts_with("pending ") && status.trim_end().ends_with(" shop"),
        "{status}"
    );

    let ran = db(&["migrate", "run", "--url", url, "--dir", dir]).await;
    assert!(ran.ends_with("1 migrations applied\n"), "{ran}");
    let database = Db::connect(url).await.expect("the database opens");
    let catalog = read_catalog(&database).await.expect("the catalog reads");
    database.close().await;
    for table in [
        "addresses",
        "customers",
        "order_lines",
        "orders",
        "products",
    ] {
        assert!(
            catalog.table(table).is_some(),
            "no table {table} after `migrate run`"
        );
    }

    let status = db(&["migrate", "status", "--url", url, "--dir", dir]).await;
    assert!(
        status.starts_with("applied ") && status.trim_end().ends_with(" shop"),
        "{status}"
    );
    let again = db(&["migrate", "run", "--url", url, "--dir", dir]).await;
    assert_eq!(again, "0 migrations applied\n");
    let matches = db(&["migrate", "diff", "--url", url, "--dir", dir]).await;
    assert!(
        matches.ends_with("the database matches the models: nothing written\n"),
        "{matches}"
    );
}

#[tokio::test]
async fn sqlite() {
    let file = common::temp_dir("migrate-sqlite-db").join("shop.db");
    let url = format!("sqlite://{}?mode=rwc", file.display());
    diff_run_status(&url, "migrate-sqlite").await;
}

#[tokio::test]
async fn postgres() {
    let Ok(server) = std::env::var("TRELLIS_TEST_POSTGRES_URL") else {
        return;
    };
    let fresh = common::Fresh::on(&server, "migrate_pg").await;
    diff_run_status(&fresh.url, "migrate-pg").await;
    fresh.drop().await;
}

#[tokio::test]
async fn mysql() {
    let Ok(server) = std::env::var("TRELLIS_TEST_MYSQL_URL") else {
        return;
    };
    let fresh = common::Fresh::on(&server, "migrate_my").await;
    diff_run_status(&fresh.url, "migrate-my").await;
    fresh.drop().await;
}

#[tokio::test]
async fn migrate_new_writes_the_tables_then_an_empty_file() {
    let dir = common::temp_dir("migrate-new");
    let dir = dir.to_str().expect("a UTF-8 path");
    let first = db(&[
        "migrate",
        "new",
        "init",
        "--dialect",
        "postgres",
        "--dir",
        dir,
    ])
    .await;
    assert!(first.contains("_init.sql"), "{first}");
    let second = db(&[
        "migrate",
        "new",
        "backfill",
        "--dialect",
        "postgres",
        "--dir",
        dir,
    ])
    .await;
    assert!(second.contains("_backfill.sql"), "{second}");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("the directory")
        .map(|e| std::fs::read_to_string(e.expect("an entry").path()).expect("a file"))
        .collect();
    files.sort_by_key(|f| f.len());
    assert_eq!(files[0], "-- backfill: written by hand.\n");
    assert!(
        files[1].contains("CREATE TABLE IF NOT EXISTS \"customers\""),
        "{}",
        files[1]
    );
}

#[tokio::test]
async fn generate_prints_each_schema() {
    let sql = db(&["generate", "sql", "--dialect", "sqlite"]).await;
    assert!(
        sql.contains("CREATE TABLE IF NOT EXISTS \"order_lines\""),
        "{sql}"
    );
    let prisma = db(&["generate", "prisma", "--dialect", "postgres"]).await;
    assert!(
        prisma.contains("model Customer {") || prisma.contains("model customers {"),
        "{prisma}"
    );
    let drizzle = db(&["generate", "drizzle", "--dialect", "mysql"]).await;
    assert!(drizzle.contains("mysqlTable("), "{drizzle}");
}

/// `db --help` and each command's help, as the user reads them: snapshots in `help/`.
#[tokio::test]
async fn every_command_has_its_help() {
    for (args, snapshot) in [
        (&["--help"][..], "db.txt"),
        (&["migrate", "--help"], "db-migrate.txt"),
        (&["migrate", "new", "--help"], "db-migrate-new.txt"),
        (&["migrate", "diff", "--help"], "db-migrate-diff.txt"),
        (&["migrate", "run", "--help"], "db-migrate-run.txt"),
        (&["migrate", "status", "--help"], "db-migrate-status.txt"),
        (&["generate", "--help"], "db-generate.txt"),
    ] {
        common::snapshot(&db(args).await, snapshot);
    }
}

#[tokio::test]
async fn a_mistake_in_the_arguments_is_an_error_with_the_usage() {
    let mut out = Vec::new();
    let args = ["db", "migrate", "run", "--dir", "migrations"];
    let error = trellis::cli::run_from(&shop::schema(), args, &mut out)
        .await
        .expect_err("`--url` is required");
    assert!(
        matches!(error, trellis::Error::InvalidArguments(_)),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(text.contains("--url <URL>"), "{text}");
    assert!(text.contains("Usage: db migrate run"), "{text}");
    assert!(out.is_empty());
}

#[tokio::test]
async fn a_migration_that_fails_is_a_migration_error() {
    let dir = common::temp_dir("migrate-broken");
    std::fs::write(dir.join("0001_broken.sql"), "CREATE TABLE (;\n").expect("the file writes");
    let file = common::temp_dir("migrate-broken-db").join("db.sqlite");
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let dir = dir.to_str().expect("a UTF-8 path");
    let mut out = Vec::new();
    let args = ["db", "migrate", "run", "--url", &url, "--dir", dir];
    let error = trellis::cli::run_from(&shop::schema(), args, &mut out)
        .await
        .expect_err("the migration does not parse");
    assert!(
        matches!(&error, trellis::Error::Migration { what, .. } if what == "a migration failed"),
        "{error:?}"
    );
    // Nothing was recorded as applied.
    let status = db(&["migrate", "status", "--url", &url, "--dir", dir]).await;
    assert_eq!(status, "pending 1 broken\n");
}

#[tokio::test]
async fn a_url_of_no_known_database_is_an_invalid_url() {
    let dir = common::temp_dir("migrate-bad-url");
    let dir = dir.to_str().expect("a UTF-8 path");
    let mut out = Vec::new();
    let args = [
        "db",
        "migrate",
        "status",
        "--url",
        "redis://localhost",
        "--dir",
        dir,
    ];
    let error = trellis::cli::run_from(&shop::schema(), args, &mut out)
        .await
        .expect_err("redis is no database of Trellis's");
    assert!(
        matches!(error, trellis::Error::InvalidUrl { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("redis://localhost"), "{error}");
}
