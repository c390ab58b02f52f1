//! `trellis pull` of a shop's schema written by hand, not for Trellis, on each backend:
//! `shop.sql` for SQLite, `shop_postgres.sql` and `shop_mysql.sql` for the suite's servers.
//! The file it writes is `pulled/shop.rs`, `pulled/shop_postgres.rs` and
//! `pulled/shop_mysql.rs`, compiled here as modules; its `schema()` creates the tables it was
//! pulled from in a fresh database; its models load every relation kind with the rows
//! hand-written SQL reads.

mod common;

#[path = "pulled/shop.rs"]
mod shop;

#[path = "pulled/shop_postgres.rs"]
mod shop_postgres;

#[path = "pulled/shop_mysql.rs"]
mod shop_mysql;

use trellis::migrate::{read_catalog, Catalog};
use trellis::prelude::*;
use trellis::Dialect;
use trellis_cli::pull::pull;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
    MySql,
}

impl Backend {
    /// The shop's tables, as written for the backend.
    fn ddl(self) -> &'static str {
        match self {
            Backend::Sqlite => include_str!("shop.sql"),
            Backend::Postgres => include_str!("shop_postgres.sql"),
            Backend::MySql => include_str!("shop_mysql.sql"),
        }
    }

    /// The committed pull, under `tests/pulled/`.
    fn file(self) -> &'static str {
        match self {
            Backend::Sqlite => "shop.rs",
            Backend::Postgres => "shop_postgres.rs",
            Backend::MySql => "shop_mysql.rs",
        }
    }

    /// The server's URL; `None` when the suite was given none.
    fn server(self) -> Option<String> {
        match self {
            Backend::Sqlite => Some(String::new()),
            Backend::Postgres => std::env::var("TRELLIS_TEST_POSTGRES_URL").ok(),
            Backend::MySql => std::env::var("TRELLIS_TEST_MYSQL_URL").ok(),
        }
    }
}

/// An empty database of its own on the backend.
struct Shop {
    db: Db,
    url: String,
    fresh: Option<common::Fresh>,
}

impl Shop {
    /// A new empty database named for `name`; `None` when the backend's server is not given.
    async fn empty(backend: Backend, name: &str) -> Option<Shop> {
        let server = backend.server()?;
        let (url, fresh) = match backend {
            Backend::Sqlite => {
                let dir = common::temp_dir(name);
                let url = format!("sqlite://{}?mode=rwc", dir.join("shop.db").display());
                (url, None)
            }
            Backend::Postgres | Backend::MySql => {
                let fresh = common::Fresh::on(&server, &format!("shop_{name}")).await;
                (fresh.url.clone(), Some(fresh))
            }
        };
        let db = Db::connect(&url).await.expect("the database opens");
        Some(Shop { db, url, fresh })
    }

    /// A new database holding the shop's tables as written for the backend.
    async fn open(backend: Backend, name: &str) -> Option<Shop> {
        let shop = Shop::empty(backend, name).await?;
        for statement in backend.ddl().split(';') {
            let statement: String = statement
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n");
            if !statement.trim().is_empty() {
                shop.db
                    .execute_raw(&statement, [])
                    .await
                    .expect("the shop's DDL runs");
            }
        }
        Some(shop)
    }

    async fn close(self) {
        self.db.close().await;
        if let Some(fresh) = self.fresh {
            fresh.drop().await;
        }
    }
}

/// Pulls the shop on `backend` and checks the file against its committed one (written again
/// with `TRELLIS_BLESS=1`); the reports, as text.
async fn pulled_file(backend: Backend) -> Option<Vec<String>> {
    let shop = Shop::open(backend, "file").await?;
    let catalog = read_catalog(&shop.db).await.expect("the catalog reads");
    let pulled = pull(shop.db.dialect(), &catalog);
    shop.close().await;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/pulled")
        .join(backend.file());
    if std::env::var_os("TRELLIS_BLESS").is_some() {
        std::fs::write(&path, &pulled.source).expect("the file writes");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        pulled.source == committed,
        "the pull of {backend:?} changed: look at the difference, then write it with TRELLIS_BLESS=1"
    );
    assert_eq!(pulled.models, 7);
    Some(pulled.reports.iter().map(ToString::to_string).collect())
}

#[tokio::test]
async fn the_pulled_files_are_the_ones_in_the_repository() {
    let reports = pulled_file(Backend::Sqlite).await.expect("SQLite is there");
    assert_eq!(
        reports,
        ["table `audit_log` has no primary key: left out (a model needs one)",]
    );
    if let Some(reports) = pulled_file(Backend::Postgres).await {
        assert_eq!(
            reports,
            [
                "table `audit_log` has no primary key: left out (a model needs one)",
                "column `products.labels` is of type `text[]`, which Trellis cannot hold: left out",
            ]
        );
    }
    if let Some(reports) = pulled_file(Backend::MySql).await {
        assert_eq!(
            reports,
            [
                "table `audit_log` has no primary key: left out (a model needs one)",
                "column `products.views` is of type `int(10) unsigned`, which Trellis cannot \
                 hold: left out",
            ]
        );
    }
}

/// A table as a model declares it: columns with their Rust types, nullability, defaults (but
/// of generated keys, whose default is how the database generates them), the key, the
/// indexes and the foreign keys; the columns in `left_out` (a type Trellis
/// cannot hold) are left out. On SQLite, whose integers are all 64-bit, a foreign key's
/// integer type is any integer (the pull gives it the referenced key's type); and
/// `create_schema` indexes every foreign key, which a table written by hand may not.
fn declared(dialect: Dialect, catalog: &Catalog, table: &str, left_out: &[&str]) -> Vec<String> {
    let Some(table) = catalog.table(table) else {
        return vec!["no such table".to_owned()];
    };
    let foreign = |column: &String| {
        table
            .foreign_keys
            .iter()
            .any(|fk| fk.columns[..] == [column.clone()])
    };
    let mut out: Vec<String> = table
        .columns
        .iter()
        .filter(|c| !left_out.contains(&c.name.as_str()))
        .map(|c| {
            let key = table.primary_key.contains(&c.name);
            let ty = trellis_cli::pull::rust_type_of(dialect, &c.data_type, key);
            let ty = match ty {
                Some("i16" | "i32" | "i64") if dialect == Dialect::Sqlite && foreign(&c.name) => {
                    Some("an integer")
                }
                ty => ty,
            };
            let default = c.default.as_ref().filter(|_| !c.auto_increment);
            format!(
                "{} {ty:?} null={} auto={} default={default:?}",
                c.name, c.nullable, c.auto_increment
            )
        })
        .collect();
    out.push(format!("key {:?}", table.primary_key));
    for index in table.indexes.iter() {
        let foreign_key_index = matches!(index.columns.as_slice(), [column] if foreign(column));
        if index.unique || !foreign_key_index {
            out.push(format!("index {:?} unique={}", index.columns, index.unique));
        }
    }
    for fk in &table.foreign_keys {
        out.push(format!(
            "references {} by {:?} on delete {:?} on update {:?}",
            fk.referenced_table, fk.columns, fk.on_delete, fk.on_update
        ));
    }
    out.sort();
    out
}

/// Creates the pulled `schema` in a fresh database and compares its tables with the shop's.
async fn recreates(backend: Backend, schema: trellis::Schema) {
    let Some(shop) = Shop::open(backend, "original").await else {
        return;
    };
    let original = read_catalog(&shop.db).await.expect("the catalog reads");
    let dialect = shop.db.dialect();
    shop.close().await;
    let created = Shop::empty(backend, "created")
        .await
        .expect("the server is there");
    created
        .db
        .create_schema(&schema)
        .await
        .expect("the pulled schema creates its tables");
    let recreated = read_catalog(&created.db).await.expect("the catalog reads");
    created.close().await;
    // The columns the pull reported and left out.
    let left_out = ["labels", "views"];
    for table in [
        "customers",
        "addresses",
        "products",
        "orders",
        "order_lines",
        "product_tags",
        "favorites",
    ] {
        let declared_original = declared(dialect, &original, table, &left_out);
        assert!(
            declared_original.len() > 2,
            "{table} on {backend:?}: {declared_original:?}"
        );
        assert_eq!(
            declared(dialect, &recreated, table, &[]),
            declared_original,
            "table {table} on {backend:?}"
        );
    }
}

#[tokio::test]
async fn the_pulled_schemas_create_the_tables_they_were_pulled_from() {
    recreates(Backend::Sqlite, shop::schema()).await;
    recreates(Backend::Postgres, shop_postgres::schema()).await;
    recreates(Backend::MySql, shop_mysql::schema()).await;
}

/// Rows through every relation kind, as hand-written SQL puts them.
async fn fill(db: &Db) {
    for sql in [
        "INSERT INTO customers (id, email, name, referred_by) VALUES \
         (1, 'ada@example.com', 'Ada', NULL), (2, 'bob@example.com', 'Bob', 1), \
         (3, 'cy@example.com', 'Cy', 1)",
        "INSERT INTO addresses (id, customer_id, city) VALUES (1, 1, 'Oslo'), (2, 3, 'Lima')",
        "INSERT INTO products (id, title, price) VALUES (1, 'Tea', 4.5), (2, 'Cup', 9), (3, 'Pot', 30)",
        "INSERT INTO orders (id, customer_id, gift_for, placed_at) VALUES \
         (1, 1, NULL, '2026-01-02'), (2, 1, 2, '2026-01-05'), (3, 2, NULL, '2026-02-01')",
        "INSERT INTO order_lines (id, order_id, product_id, quantity) VALUES \
         (1, 1, 1, 2), (2, 1, 2, 1), (3, 2, 3, 1), (4, 3, 1, 5)",
        "INSERT INTO product_tags (product_id, tag) VALUES (1, 'green'), (1, 'loose'), (3, 'clay')",
        "INSERT INTO favorites (customer_id, product_id) VALUES (1, 3), (1, 1), (3, 1)",
    ] {
        db.execute_raw(sql, []).await.expect("the rows insert");
    }
}

fn text(row: &trellis::Row, index: usize) -> String {
    row.get_native(index).expect("a text column")
}

/// An integer column of any width.
fn int(row: &trellis::Row, index: usize) -> i64 {
    row.get_native::<i64>(index)
        .or_else(|_| row.get_native::<i32>(index).map(i64::from))
        .expect("an integer column")
}

/// The rows hand-written SQL reads, in order: each a row of `columns` (`t`: text, `i`: an
/// integer, `n`: text or `NULL`).
async fn rows(db: &Db, sql: &str, columns: &str) -> Vec<Vec<String>> {
    let rows = db.fetch_raw(sql, []).await.expect("the SQL runs");
    rows.iter()
        .map(|row| {
            columns
                .chars()
                .enumerate()
                .map(|(at, kind)| match kind {
                    'i' => int(row, at).to_string(),
                    'n' => format!(
                        "{:?}",
                        row.get_native::<Option<String>>(at).expect("text or NULL")
                    ),
                    _ => text(row, at),
                })
                .collect()
        })
        .collect()
}

/// Loads the shop through every relation kind with the models of the pulled module `$m`, and
/// compares with what hand-written SQL reads.
macro_rules! loads_every_relation_kind {
    ($m:ident, $backend:expr) => {{
        let Some(shop) = Shop::open($backend, "load").await else {
            return;
        };
        let db = &shop.db;
        fill(db).await;
        let row = |values: &[&dyn ToString]| -> Vec<String> {
            values.iter().map(|v| v.to_string()).collect()
        };

        // has_one, has_many with belongs_to below it, and a self-reference.
        let customers = $m::Customer::find_many()
            .order_by($m::customer::id.asc())
            .select(select!($m::Customer {
                name,
                address { city },
                orders_as_customer(order_by = id.asc()) { id, gift_for_rel { name } },
                customers_as_referred_by(order_by = id.asc()) { name },
            }))
            .fetch_all(db)
            .await
            .expect("the customers load");
        let loaded: Vec<Vec<String>> = customers
            .iter()
            .map(|c| row(&[&c.name, &format!("{:?}", c.address.as_ref().map(|a| a.city.clone()))]))
            .collect();
        let expected = rows(
            db,
            "SELECT c.name, a.city FROM customers c LEFT JOIN addresses a ON a.customer_id = c.id \
             ORDER BY c.id",
            "tn",
        )
        .await;
        assert_eq!(loaded, expected);
        let loaded: Vec<Vec<String>> = customers
            .iter()
            .flat_map(|c| {
                c.orders_as_customer.iter().map(|o| {
                    let gift = format!("{:?}", o.gift_for_rel.as_ref().map(|g| g.name.clone()));
                    row(&[&c.name, &i64::from(o.id), &gift])
                })
            })
            .collect();
        let expected = rows(
            db,
            "SELECT c.name, o.id, g.name FROM orders o JOIN customers c ON c.id = o.customer_id \
             LEFT JOIN customers g ON g.id = o.gift_for ORDER BY c.id, o.id",
            "tin",
        )
        .await;
        assert_eq!(loaded, expected);
        let referred: Vec<Vec<String>> = customers
            .iter()
            .map(|c| c.customers_as_referred_by.iter().map(|r| r.name.clone()).collect())
            .collect();
        assert_eq!(referred, [vec!["Bob".to_owned(), "Cy".to_owned()], vec![], vec![]]);

        // many_to_many through a join model with data, two levels below the root.
        let orders = $m::Order::find_many()
            .order_by($m::order::id.asc())
            .select(select!($m::Order {
                id,
                customer { email },
                products(order_by = id.asc()) { title },
            }))
            .fetch_all(db)
            .await
            .expect("the orders load");
        let loaded: Vec<Vec<String>> = orders
            .iter()
            .flat_map(|o| o.products.iter().map(|p| row(&[&i64::from(o.id), &p.title])))
            .collect();
        let expected = rows(
            db,
            "SELECT l.order_id, p.title FROM order_lines l JOIN products p ON p.id = l.product_id \
             ORDER BY l.order_id, p.id",
            "it",
        )
        .await;
        assert_eq!(loaded, expected);
        assert_eq!(orders[0].customer.email, "ada@example.com");

        // many_to_many through a join model keyed by its two foreign keys, both ways, and
        // has_many of a model with a composite key.
        let products = $m::Product::find_many()
            .order_by($m::product::id.asc())
            .select(select!($m::Product {
                id,
                customers(order_by = id.asc()) { name, products(order_by = id.asc()) { title } },
                product_tags { tag },
            }))
            .fetch_all(db)
            .await
            .expect("the products load");
        let loaded: Vec<Vec<String>> = products
            .iter()
            .flat_map(|p| {
                p.customers.iter().flat_map(move |c| {
                    c.products.iter().map(move |q| row(&[&i64::from(p.id), &c.name, &q.title]))
                })
            })
            .collect();
        let expected = rows(
            db,
            "SELECT f.product_id, c.name, p.title FROM favorites f \
             JOIN customers c ON c.id = f.customer_id \
             JOIN favorites g ON g.customer_id = c.id JOIN products p ON p.id = g.product_id \
             ORDER BY f.product_id, c.id, p.id",
            "itt",
        )
        .await;
        assert_eq!(loaded, expected);
        let loaded: Vec<Vec<String>> = products
            .iter()
            .flat_map(|p| p.product_tags.iter().map(|t| row(&[&i64::from(p.id), &t.tag])))
            .collect();
        let expected = rows(
            db,
            "SELECT product_id, tag FROM product_tags ORDER BY product_id, tag",
            "it",
        )
        .await;
        assert_eq!(loaded, expected);
        shop.close().await;
    }};
}

#[tokio::test]
async fn the_pulled_models_load_every_relation_kind_as_sql_does_on_sqlite() {
    loads_every_relation_kind!(shop, Backend::Sqlite);
}

#[tokio::test]
async fn the_pulled_models_load_every_relation_kind_as_sql_does_on_postgres() {
    loads_every_relation_kind!(shop_postgres, Backend::Postgres);
}

#[tokio::test]
async fn the_pulled_models_load_every_relation_kind_as_sql_does_on_mysql() {
    loads_every_relation_kind!(shop_mysql, Backend::MySql);
}

/// Runs the `trellis` binary; its exit status and standard error.
fn trellis(args: &[&str]) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_trellis"))
        .args(args)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    (output.status.success(), stderr)
}

#[tokio::test]
async fn a_pull_never_overwrites_a_file_it_did_not_write() {
    let shop = Shop::open(Backend::Sqlite, "overwrite")
        .await
        .expect("SQLite opens");
    let url = shop.url.clone();
    let out = common::temp_dir("overwrite-out").join("models.rs");
    let out_text = out.to_str().expect("a UTF-8 path");
    std::fs::write(&out, "// hand-written\n").expect("the file writes");

    let (ok, stderr) = trellis(&["pull", "--url", &url, "--out", out_text]);
    assert!(!ok);
    assert!(
        stderr.contains("was not written by `trellis pull`"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&out).expect("the file"),
        "// hand-written\n"
    );

    let (ok, stderr) = trellis(&["pull", "--url", &url, "--out", out_text, "--force"]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("wrote 7 models of 8 tables"), "{stderr}");
    // A file the pull wrote, it writes again; the same database leaves it as it is.
    let (ok, stderr) = trellis(&["pull", "--url", &url, "--out", out_text]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("(unchanged)"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&out).expect("the file"),
        include_str!("pulled/shop.rs")
    );
}

#[test]
fn a_database_that_cannot_be_reached_is_an_error() {
    let out = common::temp_dir("unreachable").join("models.rs");
    let out_text = out.to_str().expect("a UTF-8 path");
    let (ok, stderr) = trellis(&[
        "pull",
        "--url",
        "postgres://nobody:secret@127.0.0.1:1/none",
        "--out",
        out_text,
    ]);
    assert!(!ok);
    assert!(stderr.contains("error: cannot connect"), "{stderr}");
    // The password is not printed.
    assert!(!stderr.contains("secret"), "{stderr}");
    assert!(!out.exists());
}
