//! Transactions: commit on `Ok`, roll back on `Err` or drop, same query API inside.

use trellis::prelude::*;

use crate::models::{schema, user, User};
use crate::support::backend_tests;

backend_tests!(
    closure_commits_on_ok,
    closure_rolls_back_on_err,
    dropped_transaction_rolls_back,
    reads_inside_see_own_writes,
    a_panic_inside_the_closure_rolls_back_and_the_pool_recovers,
);

async fn closure_commits_on_ok(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    let stored = db
        .transaction(async |tx| {
            User::insert(user("a", None)).exec(tx).await?;
            User::insert(user("b", None)).exec(tx).await
        })
        .await?;
    assert_eq!(stored.id, "b");
    assert_eq!(User::count().fetch(&db).await?, 2);
    Ok(())
}

async fn closure_rolls_back_on_err(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    let result: Result<(), Error> = db
        .transaction(async |tx| {
            User::insert(user("a", None)).exec(tx).await?;
            // Same primary key again: fails, and the first insert must vanish with it.
            User::insert(user("a", None)).exec(tx).await?;
            Ok(())
        })
        .await;
    assert!(
        matches!(result, Err(Error::UniqueViolation { .. })),
        "{result:?}"
    );
    assert_eq!(User::count().fetch(&db).await?, 0);

    // An error of the caller's own also rolls back.
    #[derive(Debug)]
    enum AppError {
        Db(#[allow(dead_code)] Error),
        Rejected,
    }
    impl From<Error> for AppError {
        fn from(e: Error) -> Self {
            AppError::Db(e)
        }
    }
    let result: Result<(), AppError> = db
        .transaction(async |tx| {
            User::insert(user("b", None)).exec(tx).await?;
            Err(AppError::Rejected)
        })
        .await;
    assert!(matches!(result, Err(AppError::Rejected)));
    assert_eq!(User::count().fetch(&db).await?, 0);
    Ok(())
}

async fn dropped_transaction_rolls_back(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    {
        let tx = db.begin().await?;
        User::insert(user("a", None)).exec(&tx).await?;
        assert_eq!(User::count().fetch(&tx).await?, 1);
    }
    assert_eq!(User::count().fetch(&db).await?, 0);
    let tx = db.begin().await?;
    User::insert(user("b", None)).exec(&tx).await?;
    tx.commit().await?;
    assert_eq!(User::count().fetch(&db).await?, 1);
    Ok(())
}

async fn reads_inside_see_own_writes(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    db.transaction(async |tx| {
        User::insert(user("a", Some(1))).exec(tx).await?;
        let a = User::update_by_id("a")
            .set(crate::models::user::age, Some(2))
            .exec(tx)
            .await?;
        assert_eq!(a.age, Some(2));
        assert_eq!(User::find_by_id("a").fetch_one(tx).await?.age, Some(2));
        User::delete_by_id("a").exec(tx).await?;
        Ok::<_, Error>(())
    })
    .await?;
    assert_eq!(User::count().fetch(&db).await?, 0);
    Ok(())
}

async fn a_panic_inside_the_closure_rolls_back_and_the_pool_recovers(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    User::insert(user("before", None)).exec(&db).await?;
    // The panic unwinds through the transaction on a task of its own, as a request handler's
    // would.
    let inside = db.clone();
    let joined = tokio::spawn(async move {
        let _: Result<(), Error> = inside
            .transaction(async |tx| {
                User::insert(user("a", None)).exec(tx).await?;
                User::insert(user("b", None)).exec(tx).await?;
                panic!("a bug in the closure");
            })
            .await;
    })
    .await;
    assert!(joined.is_err_and(|e| e.is_panic()));
    // Nothing of the transaction remains, and the pool still serves reads, writes and
    // transactions, as many as it has connections and more.
    for round in 0..12 {
        let ids: Vec<String> = User::find_many()
            .order_by(crate::models::user::id.asc())
            .fetch_all(&db)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        assert_eq!(ids, ["before"], "round {round}");
    }
    db.transaction(async |tx| User::insert(user("after", None)).exec(tx).await)
        .await?;
    assert_eq!(User::count().fetch(&db).await?, 2);
    Ok(())
}
