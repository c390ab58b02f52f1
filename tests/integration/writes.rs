//! Inserts that leave keys and defaults to the database, and upserts, on every backend.

use trellis::prelude::*;

use crate::models::{schema, session, user, Session, User};
use crate::support::backend_tests;

backend_tests!(
    insert_new_reads_back_the_generated_key_and_defaults,
    insert_many_new_reads_back_every_generated_key,
    insert_whole_row_writes_columns_with_defaults,
    upsert_updates_the_stored_row_on_a_unique_column,
    upsert_on_the_primary_key_updates_only_the_named_columns,
    upsert_many_mixes_inserts_and_updates_in_order,
    upsert_many_splits_under_the_parameter_limit,
    upsert_conflicting_on_another_unique_key_writes_nothing,
    upsert_on_a_generated_key_is_refused,
);

/// A model with an `auto` key, a unique column and columns with database defaults.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "tickets")]
pub struct Ticket {
    #[field(id, auto)]
    pub id: i64,
    #[field(unique)]
    pub code: String,
    pub title: String,
    #[field(default = "'open'")]
    pub status: String,
    #[field(default = "0")]
    pub votes: i32,
}

async fn setup(db: &Db) -> Result<(), Error> {
    db.create_schema(&schema().model::<Ticket>()).await
}

fn new_ticket(code: &str, title: &str) -> ticket::New {
    ticket::New {
        code: code.into(),
        title: title.into(),
    }
}

async fn insert_new_reads_back_the_generated_key_and_defaults(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let stored = Ticket::insert(new_ticket("a", "First")).exec(&db).await?;
    assert!(stored.id > 0, "{stored:?}");
    assert_eq!((stored.status.as_str(), stored.votes), ("open", 0));
    assert_eq!(Ticket::find_by_id(stored.id).fetch_one(&db).await?, stored);

    User::insert(user("ada", None)).exec(&db).await?;
    let session = Session::insert(session::New {
        user_id: "ada".into(),
        token: "t1".into(),
    })
    .exec(&db)
    .await?;
    assert!(session.id > 0);
    assert_eq!(
        Session::find_by_id(session.id).fetch_one(&db).await?,
        session
    );
    Ok(())
}

async fn insert_many_new_reads_back_every_generated_key(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let codes = ["c", "a", "b"];
    let stored = Ticket::insert_many(codes.map(|c| new_ticket(c, c)))
        .exec(&db)
        .await?;
    assert_eq!(
        stored.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(),
        codes
    );
    let mut ids: Vec<i64> = stored.iter().map(|t| t.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 3, "{stored:?}");
    for ticket in &stored {
        assert_eq!((ticket.status.as_str(), ticket.votes), ("open", 0));
        assert_eq!(&Ticket::find_by_id(ticket.id).fetch_one(&db).await?, ticket);
    }
    Ok(())
}

async fn insert_whole_row_writes_columns_with_defaults(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let stored = Ticket::insert(Ticket {
        id: 0,
        code: "a".into(),
        title: "Closed".into(),
        status: "closed".into(),
        votes: 3,
    })
    .exec(&db)
    .await?;
    assert!(stored.id > 0);
    assert_eq!((stored.status.as_str(), stored.votes), ("closed", 3));
    assert_eq!(Ticket::find_by_id(stored.id).fetch_one(&db).await?, stored);
    Ok(())
}

async fn upsert_updates_the_stored_row_on_a_unique_column(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let first = Ticket::insert(new_ticket("a", "One")).exec(&db).await?;
    Ticket::update_by_id(first.id)
        .set(ticket::votes, 5)
        .exec(&db)
        .await?;
    let updated = Ticket::upsert(new_ticket("a", "Two"))
        .on(ticket::code)
        .exec(&db)
        .await?;
    // Same row, new title; the columns the value does not give keep their values.
    assert_eq!(updated.id, first.id);
    assert_eq!(
        (
            updated.title.as_str(),
            updated.status.as_str(),
            updated.votes
        ),
        ("Two", "open", 5)
    );
    assert_eq!(Ticket::find_by_id(first.id).fetch_one(&db).await?, updated);

    let inserted = Ticket::upsert(new_ticket("b", "New"))
        .on(ticket::code)
        .exec(&db)
        .await?;
    assert_ne!(inserted.id, first.id);
    assert_eq!(
        (inserted.code.as_str(), inserted.title.as_str()),
        ("b", "New")
    );
    assert_eq!(Ticket::count().fetch(&db).await?, 2);
    Ok(())
}

async fn upsert_on_the_primary_key_updates_only_the_named_columns(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let ada = |name: &str, age| user::New {
        id: "ada".into(),
        email: format!("{name}@example.com"),
        name: name.into(),
        age,
    };
    let inserted = User::upsert(ada("Ada", Some(36))).exec(&db).await?;
    assert_eq!(inserted, User::from(ada("Ada", Some(36))));
    // By default every column given but the key is updated.
    let all = User::upsert(ada("Lovelace", None)).exec(&db).await?;
    assert_eq!(all, User::from(ada("Lovelace", None)));
    // `.update(..)` names the columns to update.
    let some = User::upsert(ada("Byron", Some(40)))
        .update(user::age)
        .exec(&db)
        .await?;
    assert_eq!(
        (some.name.as_str(), some.email.as_str(), some.age),
        ("Lovelace", "Lovelace@example.com", Some(40))
    );
    assert_eq!(User::find_by_id("ada").fetch_one(&db).await?, some);
    assert_eq!(User::count().fetch(&db).await?, 1);
    Ok(())
}

async fn upsert_many_mixes_inserts_and_updates_in_order(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let a = Ticket::insert(new_ticket("a", "One")).exec(&db).await?;
    let stored = Ticket::upsert_many([
        new_ticket("c", "Three"),
        new_ticket("a", "Updated"),
        new_ticket("b", "Two"),
    ])
    .on(ticket::code)
    .exec(&db)
    .await?;
    assert_eq!(
        stored
            .iter()
            .map(|t| (t.code.as_str(), t.title.as_str()))
            .collect::<Vec<_>>(),
        [("c", "Three"), ("a", "Updated"), ("b", "Two")]
    );
    assert_eq!(stored[1].id, a.id);
    assert_eq!(Ticket::count().fetch(&db).await?, 3);
    let read = Ticket::find_many()
        .order_by(ticket::code.asc())
        .fetch_all(&db)
        .await?;
    assert_eq!(
        read.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(),
        ["Updated", "Two", "Three"]
    );
    Ok(())
}

async fn upsert_many_splits_under_the_parameter_limit(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    Ticket::insert(new_ticket("t000000", "Old"))
        .exec(&db)
        .await?;
    // Two written columns per row: more rows than one statement can bind.
    let n = db.dialect().max_params() / 2 + 10;
    let stored = Ticket::upsert_many((0..n).map(|i| new_ticket(&format!("t{i:06}"), "New")))
        .on(ticket::code)
        .exec(&db)
        .await?;
    assert_eq!(stored.len(), n);
    assert_eq!(Ticket::count().fetch(&db).await?, n as i64);
    assert_eq!(stored[0].title, "New");
    let last = &stored[n - 1];
    assert_eq!(last.code, format!("t{:06}", n - 1));
    assert_eq!(&Ticket::find_by_id(last.id).fetch_one(&db).await?, last);
    Ok(())
}

/// The new row's key is free but its email is taken: PostgreSQL and SQLite refuse it (the
/// conflict is not on the target), MySQL would update the other row, which Trellis finds out
/// and rolls back. The same error everywhere, and nothing written.
async fn upsert_conflicting_on_another_unique_key_writes_nothing(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let ada = User::insert(user("ada", Some(36))).exec(&db).await?;
    let bob = user::New {
        id: "bob".into(),
        email: ada.email.clone(),
        name: "Bob".into(),
        age: None,
    };
    let err = User::upsert(bob).exec(&db).await;
    assert!(matches!(err, Err(Error::UniqueViolation { .. })), "{err:?}");
    assert_eq!(User::find_many().fetch_all(&db).await?, [ada]);
    Ok(())
}

async fn upsert_on_a_generated_key_is_refused(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let err = Ticket::upsert(new_ticket("a", "One")).exec(&db).await;
    assert!(matches!(err, Err(Error::InvalidQuery(_))), "{err:?}");
    assert_eq!(Ticket::count().fetch(&db).await?, 0);
    Ok(())
}
