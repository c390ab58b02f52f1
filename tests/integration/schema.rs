//! Creating and dropping tables from the models.

use trellis::prelude::*;

use crate::models::{schema, user, Profile, Session, User};
use crate::support::backend_tests;

backend_tests!(
    create_is_idempotent_and_drop_removes_tables,
    tables_are_created_in_dependency_order
);

async fn create_is_idempotent_and_drop_removes_tables(db: Db) -> Result<(), Error> {
    let schema = schema();
    db.create_schema(&schema).await?;
    db.create_schema(&schema).await?;
    User::insert(user("a", None)).exec(&db).await?;
    db.drop_schema(&schema).await?;
    let gone = User::count().fetch(&db).await;
    assert!(
        matches!(gone, Err(Error::Database { .. })),
        "table is gone: {gone:?}"
    );
    db.create_schema(&schema).await?;
    assert_eq!(User::count().fetch(&db).await?, 0);
    Ok(())
}

async fn tables_are_created_in_dependency_order(db: Db) -> Result<(), Error> {
    let order: Vec<&str> = schema()
        .in_dependency_order()
        .iter()
        .map(|m| m.table)
        .collect();
    let position = |t: &str| order.iter().position(|x| *x == t);
    assert!(position("users") < position("sessions"), "{order:?}");
    assert!(position("users") < position("profiles"), "{order:?}");
    // Only these three, referencing each other: must work from any starting order.
    let children_first = Schema::new()
        .model::<Session>()
        .model::<Profile>()
        .model::<User>();
    db.create_schema(&children_first).await?;
    db.drop_schema(&children_first).await?;
    Ok(())
}
