//! `trellis pull` of a schema written by hand for SQLite (`shop.sql`): the file it writes is
//! `pulled/shop.rs`, compiled here as a module, and its models load every relation kind with
//! the rows hand-written SQL reads.

mod common;

#[path = "pulled/shop.rs"]
mod shop;

use trellis::migrate::read_catalog;
use trellis::prelude::*;
use trellis_cli::pull::{pull, Report};

use shop::{Customer, Order};

/// A fresh SQLite database holding `shop.sql`'s tables, in a file of its own, and its URL.
async fn shop_db(name: &str) -> (Db, String) {
    let dir = common::temp_dir(name);
    let url = format!("sqlite://{}?mode=rwc", dir.join("shop.db").display());
    let db = Db::connect(&url).await.expect("SQLite opens");
    for statement in include_str!("shop.sql").split(';') {
        let statement: String = statement
            .lines()
            .filter(|l| !l.trim_start().starts_with("--"))
            .collect::<Vec<_>>()
            .join("\n");
        if !statement.trim().is_empty() {
            db.execute_raw(&statement, []).await.expect("shop.sql runs");
        }
    }
    (db, url)
}

#[tokio::test]
async fn the_pulled_file_is_the_one_in_the_repository() {
    let (db, _) = shop_db("file").await;
    let catalog = read_catalog(&db).await.expect("the catalog reads");
    let pulled = pull(db.dialect(), &catalog);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pulled/shop.rs");
    if std::env::var_os("TRELLIS_BLESS").is_some() {
        std::fs::write(&path, &pulled.source).expect("the file writes");
    }
    assert_eq!(
        pulled.source,
        include_str!("pulled/shop.rs"),
        "the pull changed: look at the difference, then write it with TRELLIS_BLESS=1"
    );
    assert_eq!(pulled.models, 7);
    assert_eq!(
        pulled.reports,
        [
            Report::NoPrimaryKey {
                table: "audit_log".to_owned()
            },
            Report::CompositeIndex {
                table: "order_lines".to_owned(),
                index: "sqlite_autoindex_order_lines_1".to_owned(),
                columns: vec!["order_id".to_owned(), "product_id".to_owned()],
            },
        ]
    );
}

/// A table as a model declares it: columns with their Rust types and nullability, the key,
/// the single-column indexes and the foreign keys. SQLite's integers are all 64-bit, so a
/// foreign key's integer type is any integer (the pull gives it the referenced key's type),
/// and `create_schema` indexes every foreign key, which a table written by hand may not.
fn declared(catalog: &trellis::migrate::Catalog, table: &str) -> Vec<String> {
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
        .map(|c| {
            let key = table.primary_key[..] == [c.name.clone()];
            let ty = trellis_cli::pull::rust_type_of(trellis::Dialect::Sqlite, &c.data_type, key);
            let ty = match ty {
                Some("i16" | "i32" | "i64") if foreign(&c.name) => Some("an integer"),
                ty => ty,
            };
            format!(
                "{} {ty:?} null={} auto={}",
                c.name, c.nullable, c.auto_increment
            )
        })
        .collect();
    out.push(format!("key {:?}", table.primary_key));
    for index in table.indexes.iter() {
        if let [column] = index.columns.as_slice() {
            if index.unique || !foreign(column) {
                out.push(format!("index {:?} unique={}", index.columns, index.unique));
            }
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

#[tokio::test]
async fn the_pulled_schema_creates_the_tables_it_was_pulled_from() {
    let (db, _) = shop_db("round-trip").await;
    let original = read_catalog(&db).await.expect("the catalog reads");
    let dir = common::temp_dir("created");
    let url = format!("sqlite://{}?mode=rwc", dir.join("created.db").display());
    let created = Db::connect(&url).await.expect("SQLite opens");
    created
        .create_schema(&shop::schema())
        .await
        .expect("the pulled schema creates its tables");
    let recreated = read_catalog(&created).await.expect("the catalog reads");
    for table in [
        "customers",
        "addresses",
        "products",
        "orders",
        "order_lines",
        "product_tags",
        "favorites",
    ] {
        assert_eq!(
            declared(&recreated, table),
            declared(&original, table),
            "table {table}"
        );
    }
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

fn int(row: &trellis::Row, index: usize) -> i64 {
    row.get_native(index).expect("an integer column")
}

#[tokio::test]
async fn the_pulled_models_load_every_relation_kind_as_sql_does() {
    let (db, _) = shop_db("load").await;
    fill(&db).await;

    // has_one, has_many with belongs_to below it, a self-reference, and many_to_many.
    let customers = Customer::find_many()
        .order_by(shop::customer::id.asc())
        .select(select!(Customer {
            name,
            address { city },
            orders_as_customer(order_by = id.asc()) { id, gift_for_rel { name } },
            customers_as_referred_by(order_by = id.asc()) { name },
        }))
        .fetch_all(&db)
        .await
        .expect("the customers load");
    let rows = db
        .fetch_raw(
            "SELECT c.name, a.city FROM customers c LEFT JOIN addresses a ON a.customer_id = c.id ORDER BY c.id",
            [],
        )
        .await
        .expect("the SQL runs");
    assert_eq!(customers.len(), rows.len());
    for (customer, row) in customers.iter().zip(&rows) {
        assert_eq!(customer.name, text(row, 0));
        let city: Option<String> = row.get_native(1).expect("a city or NULL");
        assert_eq!(customer.address.as_ref().map(|a| a.city.clone()), city);
    }
    let orders = db
        .fetch_raw(
            "SELECT c.name, o.id, g.name FROM orders o JOIN customers c ON c.id = o.customer_id \
             LEFT JOIN customers g ON g.id = o.gift_for ORDER BY c.id, o.id",
            [],
        )
        .await
        .expect("the SQL runs");
    let loaded: Vec<(String, i64, Option<String>)> = customers
        .iter()
        .flat_map(|c| {
            c.orders_as_customer.iter().map(|o| {
                (
                    c.name.clone(),
                    o.id,
                    o.gift_for_rel.as_ref().map(|g| g.name.clone()),
                )
            })
        })
        .collect();
    let expected: Vec<(String, i64, Option<String>)> = orders
        .iter()
        .map(|r| {
            (
                text(r, 0),
                int(r, 1),
                r.get_native(2).expect("a name or NULL"),
            )
        })
        .collect();
    assert_eq!(loaded, expected);
    let referred: Vec<Vec<String>> = customers
        .iter()
        .map(|c| {
            c.customers_as_referred_by
                .iter()
                .map(|r| r.name.clone())
                .collect()
        })
        .collect();
    assert_eq!(
        referred,
        [vec!["Bob".to_owned(), "Cy".to_owned()], vec![], vec![]]
    );

    // many_to_many through the join model, two levels below the root.
    let orders = Order::find_many()
        .order_by(shop::order::id.asc())
        .select(select!(Order {
            id,
            customer { email },
            products(order_by = id.asc()) { title },
        }))
        .fetch_all(&db)
        .await
        .expect("the orders load");
    let lines = db
        .fetch_raw(
            "SELECT l.order_id, p.title FROM order_lines l JOIN products p ON p.id = l.product_id \
             ORDER BY l.order_id, p.id",
            [],
        )
        .await
        .expect("the SQL runs");
    let loaded: Vec<(i64, String)> = orders
        .iter()
        .flat_map(|o| o.products.iter().map(|p| (o.id, p.title.clone())))
        .collect();
    let expected: Vec<(i64, String)> = lines.iter().map(|r| (int(r, 0), text(r, 1))).collect();
    assert_eq!(loaded, expected);
    assert_eq!(orders[0].customer.email, "ada@example.com");

    // many_to_many through a join model keyed by its two foreign keys, both ways, and
    // has_many of a model with a composite key.
    let products = shop::Product::find_many()
        .order_by(shop::product::id.asc())
        .select(select!(shop::Product {
            id,
            customers(order_by = id.asc()) { name, products(order_by = id.asc()) { title } },
            product_tags { tag },
        }))
        .fetch_all(&db)
        .await
        .expect("the products load");
    let favorites = db
        .fetch_raw(
            "SELECT f.product_id, c.name, \
             (SELECT group_concat(title, ',') FROM (SELECT p.title FROM favorites g \
              JOIN products p ON p.id = g.product_id WHERE g.customer_id = c.id ORDER BY p.id)) \
             FROM favorites f JOIN customers c ON c.id = f.customer_id ORDER BY f.product_id, c.id",
            [],
        )
        .await
        .expect("the SQL runs");
    let loaded: Vec<(i64, String, String)> = products
        .iter()
        .flat_map(|p| {
            p.customers.iter().map(|c| {
                let titles: Vec<&str> = c.products.iter().map(|p| p.title.as_str()).collect();
                (p.id, c.name.clone(), titles.join(","))
            })
        })
        .collect();
    let expected: Vec<(i64, String, String)> = favorites
        .iter()
        .map(|r| (int(r, 0), text(r, 1), text(r, 2)))
        .collect();
    assert_eq!(loaded, expected);
    let tags = db
        .fetch_raw(
            "SELECT product_id, tag FROM product_tags ORDER BY product_id, tag",
            [],
        )
        .await
        .expect("the SQL runs");
    let loaded: Vec<(i64, String)> = products
        .iter()
        .flat_map(|p| p.product_tags.iter().map(|t| (p.id, t.tag.clone())))
        .collect();
    let expected: Vec<(i64, String)> = tags.iter().map(|r| (int(r, 0), text(r, 1))).collect();
    assert_eq!(loaded, expected);
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
    let (_db, url) = shop_db("overwrite").await;
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
