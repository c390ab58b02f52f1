//! Writes answered with a selection: the rows written, read back as `select!` shapes (with
//! relations) in the same transaction as the write.

use trellis::prelude::*;

use crate::models::{user, Session, User};
use crate::relations::seed;
use crate::support::backend_tests;

backend_tests!(
    inserts_answer_with_a_selection_in_the_order_given,
    upserts_and_updates_answer_with_a_selection,
    nested_creates_answer_with_a_selection,
    a_failed_write_answers_nothing_and_leaves_nothing,
);

async fn inserts_answer_with_a_selection_in_the_order_given(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    // A child, answered with its parent (belongs_to).
    let written = Session::insert(crate::models::session("cy", "c0"))
        .select(select!(Session { token, user { id, name } }))
        .exec(&db)
        .await?;
    assert_eq!(written.token, "c0");
    assert_eq!(written.user.id, "cy");
    assert_eq!(written.user.name, "User cy");
    // Several rows, keys given out of order and not selected: answered in the order given.
    let written = User::insert_many(["zed", "dan", "mo"].map(|id| crate::models::user(id, None)))
        .select(select!(User { email, sessions { token }, session_count: sessions: count }))
        .exec(&db)
        .await?;
    let emails: Vec<&str> = written.iter().map(|u| u.email.as_str()).collect();
    assert_eq!(
        emails,
        ["zed@example.com", "dan@example.com", "mo@example.com"]
    );
    assert!(written
        .iter()
        .all(|u| u.sessions.is_empty() && u.session_count == 0));
    // Generated keys: sessions of many users, with the user each belongs to.
    let written = Session::insert_many(
        [("dan", "d1"), ("ada", "a9"), ("dan", "d0")]
            .map(|(user, token)| crate::models::session(user, token)),
    )
    .select(select!(Session { id, token, user { email } }))
    .exec(&db)
    .await?;
    let got: Vec<(&str, &str)> = written
        .iter()
        .map(|s| (s.token.as_str(), s.user.email.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("d1", "dan@example.com"),
            ("a9", "ada@example.com"),
            ("d0", "dan@example.com")
        ]
    );
    assert!(written.windows(2).all(|w| w[0].id < w[1].id));
    Ok(())
}

async fn upserts_and_updates_answer_with_a_selection(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let upserted = User::upsert(user::New {
        id: "bob".into(),
        email: "bob@example.com".into(),
        name: "Robert".into(),
        age: Some(41),
    })
    .select(
        select!(User { name, age, profile { bio }, sessions(order_by = token.asc()) { token } }),
    )
    .exec(&db)
    .await?;
    assert_eq!(upserted.name, "Robert");
    assert_eq!(upserted.age, Some(41));
    assert_eq!(upserted.profile.map(|p| p.bio), Some(None));
    let tokens: Vec<&str> = upserted.sessions.iter().map(|s| s.token.as_str()).collect();
    assert_eq!(tokens, ["b0", "b1"]);

    let upserted = User::upsert_many([
        crate::models::user("eve", Some(20)),
        crate::models::user("ada", Some(37)),
    ])
    .select(select!(User { id, age, profile { bio } }))
    .exec(&db)
    .await?;
    let got: Vec<(&str, Option<i32>, bool)> = upserted
        .iter()
        .map(|u| (u.id.as_str(), u.age, u.profile.is_some()))
        .collect();
    assert_eq!(got, [("eve", Some(20), false), ("ada", Some(37), true)]);

    let updated = User::update_by_id("ada")
        .set(user::name, "Ada L.")
        .select(select!(User { name, profile { bio }, session_count: sessions: count }))
        .exec(&db)
        .await?;
    assert_eq!(updated.name, "Ada L.");
    assert_eq!(
        updated.profile.and_then(|p| p.bio).as_deref(),
        Some("Counts things.")
    );
    assert_eq!(updated.session_count, 7);
    // Inside a transaction of the caller's, on its connection.
    let inside = db
        .transaction(async |tx| {
            Session::insert(crate::models::session("cy", "c1"))
                .select(select!(Session { token, user { id } }))
                .exec(tx)
                .await
        })
        .await?;
    assert_eq!(
        (inside.token.as_str(), inside.user.id.as_str()),
        ("c1", "cy")
    );
    Ok(())
}

async fn a_failed_write_answers_nothing_and_leaves_nothing(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let before = User::count().fetch(&db).await?;
    // The second row repeats a stored e-mail: the first is not left behind.
    let err = User::insert_many([
        crate::models::user("new", None),
        user::New {
            id: "dup".into(),
            email: "ada@example.com".into(),
            name: "dup".into(),
            age: None,
        }
        .into(),
    ])
    .select(select!(User { id }))
    .exec(&db)
    .await;
    assert!(matches!(err, Err(Error::UniqueViolation { .. })), "{err:?}");
    assert_eq!(User::count().fetch(&db).await?, before);
    // An update of a key that is not there.
    let err = User::update_by_id("nobody")
        .set(user::name, "x")
        .select(select!(User { id }))
        .exec(&db)
        .await;
    assert!(matches!(err, Err(Error::NotFound { .. })), "{err:?}");
    Ok(())
}

async fn nested_creates_answer_with_a_selection(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let eve = User::create(user::New {
        id: "eve".into(),
        email: "eve@example.com".into(),
        name: "Eve".into(),
        age: Some(30),
    })
    .with(user::profile::create(user::profile::New {
        id: "p-eve".into(),
        bio: Some("Listens.".into()),
    }))
    .with(user::sessions::create(
        ["e2", "e1"].map(|t| user::sessions::New { token: t.into() }),
    ))
    .with(user::organizations::connect(
        "o2",
        user::organizations::New {
            role: "admin".into(),
        },
    ))
    .select(select!(User {
        name,
        profile { bio },
        sessions(order_by = token.asc()) { token },
        organizations { name },
    }))
    .exec(&db)
    .await?;
    assert_eq!(eve.name, "Eve");
    assert_eq!(eve.profile.and_then(|p| p.bio).as_deref(), Some("Listens."));
    let tokens: Vec<&str> = eve.sessions.iter().map(|s| s.token.as_str()).collect();
    assert_eq!(tokens, ["e1", "e2"]);
    let organizations: Vec<&str> = eve.organizations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(organizations, ["Acme"]);

    let many = User::create_many(["fay", "gus"].map(|id| {
        User::create(crate::models::user(id, None)).with(user::sessions::create([
            user::sessions::New {
                token: format!("{id}-1"),
            },
        ]))
    }))
    .select(select!(User { id, session_count: sessions: count }))
    .exec(&db)
    .await?;
    let got: Vec<(&str, i64)> = many
        .iter()
        .map(|u| (u.id.as_str(), u.session_count))
        .collect();
    assert_eq!(got, [("fay", 1), ("gus", 1)]);
    Ok(())
}
