//! Generators: snapshots of each output (same models, same bytes), and the generated DDL
//! applied to every backend, with the runtime then reading and writing those tables.

use trellis::prelude::*;
use trellis::Dialect;

use crate::models::{schema, session, user, Session, User};
use crate::support::backend_tests;

backend_tests!(generated_ddl_creates_the_tables_the_runtime_uses);

const DIALECTS: [(&str, Dialect); 3] = [
    ("sqlite", Dialect::Sqlite),
    ("postgres", Dialect::Postgres),
    ("mysql", Dialect::MySql),
];

#[test]
fn sql_snapshots() {
    for (name, dialect) in DIALECTS {
        insta::assert_snapshot!(format!("{name}.sql"), schema().to_sql(dialect));
    }
}

#[test]
fn prisma_snapshots() {
    for (name, dialect) in DIALECTS {
        insta::assert_snapshot!(format!("{name}.prisma"), schema().to_prisma(dialect));
    }
}

#[test]
fn drizzle_snapshots() {
    for (name, dialect) in DIALECTS {
        insta::assert_snapshot!(format!("{name}.ts"), schema().to_drizzle(dialect));
    }
}

#[test]
fn output_does_not_depend_on_the_order_of_keys_in_memory() {
    for (_, dialect) in DIALECTS {
        assert_eq!(schema().to_prisma(dialect), schema().to_prisma(dialect));
        assert_eq!(schema().to_drizzle(dialect), schema().to_drizzle(dialect));
    }
}

async fn generated_ddl_creates_the_tables_the_runtime_uses(db: Db) -> Result<(), Error> {
    for statement in schema().to_sql(db.dialect()).split(";\n") {
        if !statement.trim().is_empty() {
            db.execute_raw(statement, []).await?;
        }
    }
    User::insert(crate::models::user("ada", Some(3)))
        .exec(&db)
        .await?;
    Session::insert_many([
        crate::models::session("ada", "a"),
        crate::models::session("ada", "b"),
    ])
    .exec(&db)
    .await?;
    let ada = User::find_by_id("ada")
        .include(user::sessions.with(|q| q.order_by(session::token.desc())))
        .fetch_one(&db)
        .await?;
    let tokens: Vec<&str> = ada
        .sessions
        .get()
        .unwrap_or_default()
        .iter()
        .map(|s| s.token.as_str())
        .collect();
    assert_eq!(tokens, ["b", "a"]);
    // The generated foreign keys hold.
    let dangling = Session::insert(crate::models::session("nobody", "c"))
        .exec(&db)
        .await;
    assert!(
        matches!(dangling, Err(Error::ForeignKeyViolation { .. })),
        "{dangling:?}"
    );
    Ok(())
}
