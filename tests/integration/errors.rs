//! Bad input at run time: a typed error, and the database left as it was.

use trellis::prelude::*;

use crate::models::{schema, session, user, Gauge, Profile, Session, User};
use crate::support::backend_tests;

backend_tests!(
    duplicate_unique_value_is_a_typed_error_and_writes_nothing,
    dangling_foreign_key_is_a_typed_error_and_writes_nothing,
    failed_chunked_insert_leaves_no_rows,
    undecodable_column_names_model_and_column,
    null_in_a_selected_plain_field_is_a_decode_error,
    a_related_row_that_fails_to_decode_leaves_the_connection_usable,
    error_messages_do_not_repeat_their_sources,
);

/// A `NULL` read into a field that is not an `Option` is an error naming the column, never a
/// zero, whether the row is a whole model or a selection.
async fn null_in_a_selected_plain_field_is_a_decode_error(db: Db) -> Result<(), Error> {
    db.execute_raw(
        "CREATE TABLE gauges (id BIGINT NOT NULL PRIMARY KEY, level INTEGER)",
        [],
    )
    .await?;
    db.execute_raw("INSERT INTO gauges (id, level) VALUES (1, NULL)", [])
        .await?;
    let whole = Gauge::find_by_id(1).fetch_one(&db).await.map(|g| g.level);
    let selected = Gauge::find_many()
        .select(select!(Gauge { level }))
        .fetch_all(&db)
        .await
        .map(|rows| rows.into_iter().map(|g| g.level).collect::<Vec<_>>());
    for (read, result) in [
        ("whole row", whole.map(|l| vec![l])),
        ("selection", selected),
    ] {
        match result {
            Err(Error::Decode { model, column, .. }) => {
                assert_eq!((model, column), ("Gauge", "level"), "{read}");
            }
            other => panic!("{read}: expected a decode error, got {other:?}"),
        }
    }
    Ok(())
}

/// A related row that fails to decode, far into its statement's rows (which become outputs as
/// they arrive): the load is a `Decode` error, and the connection serves the next load whole.
async fn a_related_row_that_fails_to_decode_leaves_the_connection_usable(
    db: Db,
) -> Result<(), Error> {
    use crate::models::{session, user, User};
    let q = |name: &str| db.dialect().quote(name);
    let text = if db.dialect() == trellis::Dialect::MySql {
        "VARCHAR(255)"
    } else {
        "TEXT"
    };
    let users = format!(
        "CREATE TABLE users (id {text} NOT NULL PRIMARY KEY, email {text} NOT NULL, name {text} NOT NULL, age INTEGER)"
    );
    let sessions = format!(
        "CREATE TABLE sessions (id BIGINT NOT NULL PRIMARY KEY, {} {text} NOT NULL, token {text})",
        q("userId")
    );
    db.execute_raw(&users, []).await?;
    db.execute_raw(&sessions, []).await?;
    db.execute_raw(
        "INSERT INTO users (id, email, name) VALUES ('u', 'u@example.com', 'U')",
        [],
    )
    .await?;
    // 3,000 sessions; the 2,500th has no token, which the model's `String` cannot hold.
    for chunk in 0..3 {
        let values: Vec<String> = (chunk * 1000 + 1..=chunk * 1000 + 1000)
            .map(|i| {
                let token = if i == 2500 {
                    "NULL".to_owned()
                } else {
                    format!("'t{i:05}'")
                };
                format!("({i}, 'u', {token})")
            })
            .collect();
        let insert = format!(
            "INSERT INTO sessions (id, {}, token) VALUES {}",
            q("userId"),
            values.join(", ")
        );
        db.execute_raw(&insert, []).await?;
    }
    let load = || {
        User::find_many()
            .order_by(user::id.asc())
            .select(select!(User { id, sessions(order_by = id.asc()) { token } }))
            .fetch_all(&db)
    };
    let include = || {
        User::find_many()
            .order_by(user::id.asc())
            .include(user::sessions.with(|q| q.order_by(session::id.asc())))
            .fetch_all(&db)
    };
    match load().await {
        Err(Error::Decode { model, column, .. }) => {
            assert_eq!((model, column), ("Session", "token"));
        }
        other => panic!("selected: expected a decode error, got {other:?}"),
    }
    // `include` decodes each related row as it arrives too.
    match include().await {
        Err(Error::Decode { model, column, .. }) => {
            assert_eq!((model, column), ("Session", "token"));
        }
        other => panic!("included: expected a decode error, got {other:?}"),
    }
    db.execute_raw(
        "UPDATE sessions SET token = 'fixed' WHERE token IS NULL",
        [],
    )
    .await?;
    let users = load().await?;
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].sessions.len(), 3000);
    assert_eq!(users[0].sessions[2499].token, "fixed");
    let users = include().await?;
    let sessions = users[0].sessions.get().unwrap_or_default();
    assert_eq!(sessions.len(), 3000);
    assert_eq!(sessions[2499].token, "fixed");
    Ok(())
}

/// Error reporters print an error and then its sources: each cause must show once.
async fn error_messages_do_not_repeat_their_sources(db: Db) -> Result<(), Error> {
    db.execute_raw(
        "CREATE TABLE gauges (id BIGINT NOT NULL PRIMARY KEY, level VARCHAR(10) NOT NULL)",
        [],
    )
    .await?;
    db.execute_raw("INSERT INTO gauges (id, level) VALUES (1, 'high')", [])
        .await?;
    let decode = Gauge::find_by_id(1).fetch_one(&db).await.err();
    let database = db
        .execute_raw("SELECT * FROM no_such_table", [])
        .await
        .err();
    for err in [decode, database] {
        let err = err.unwrap_or_else(|| panic!("expected an error"));
        let source = std::error::Error::source(&err)
            .map(ToString::to_string)
            .unwrap_or_else(|| panic!("{err:?} keeps its cause as its source"));
        let message = err.to_string();
        assert!(!source.is_empty());
        assert!(!message.contains(&source), "{message:?} repeats {source:?}");
    }
    Ok(())
}

async fn undecodable_column_names_model_and_column(db: Db) -> Result<(), Error> {
    db.execute_raw(
        "CREATE TABLE gauges (id BIGINT NOT NULL PRIMARY KEY, level VARCHAR(10) NOT NULL)",
        [],
    )
    .await?;
    db.execute_raw("INSERT INTO gauges (id, level) VALUES (1, 'high')", [])
        .await?;
    let err = Gauge::find_by_id(1).fetch_one(&db).await;
    match err {
        Err(Error::Decode { model, column, .. }) => {
            assert_eq!((model, column), ("Gauge", "level"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    Ok(())
}

async fn duplicate_unique_value_is_a_typed_error_and_writes_nothing(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    User::insert(user("ada", Some(1))).exec(&db).await?;

    let mut twin = user("twin", None);
    twin.email = "ada@example.com".into();
    let err = User::insert(twin).exec(&db).await;
    match err {
        Err(Error::UniqueViolation { constraint, .. }) => {
            let constraint = constraint.unwrap_or_default();
            assert!(
                constraint.contains("email"),
                "constraint names the column: {constraint}"
            );
        }
        other => panic!("expected a unique violation, got {other:?}"),
    }
    // A batch with one bad row writes none of its rows.
    let mut bad = user("bad", None);
    bad.email = "ada@example.com".into();
    let err = User::insert_many([user("fine", None), bad]).exec(&db).await;
    assert!(matches!(err, Err(Error::UniqueViolation { .. })), "{err:?}");
    let ids: Vec<String> = User::find_many()
        .fetch_all(&db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(ids, ["ada"]);

    let err = User::insert(user("ada", None)).exec(&db).await;
    assert!(
        matches!(err, Err(Error::UniqueViolation { .. })),
        "same primary key: {err:?}"
    );
    Ok(())
}

async fn dangling_foreign_key_is_a_typed_error_and_writes_nothing(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    let err = Profile::insert(crate::models::profile::New {
        id: "p1".into(),
        user_id: "nobody".into(),
        bio: None,
    })
    .exec(&db)
    .await;
    assert!(
        matches!(err, Err(Error::ForeignKeyViolation { .. })),
        "{err:?}"
    );
    assert_eq!(Profile::count().fetch(&db).await?, 0);

    // Deleting a referenced row is refused too.
    User::insert(user("ada", None)).exec(&db).await?;
    Session::insert(session("ada", "t")).exec(&db).await?;
    let err = User::delete_by_id("ada").exec(&db).await;
    assert!(
        matches!(err, Err(Error::ForeignKeyViolation { .. })),
        "{err:?}"
    );
    assert_eq!(User::count().fetch(&db).await?, 1);
    Ok(())
}

async fn failed_chunked_insert_leaves_no_rows(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    User::insert(user("ada", None)).exec(&db).await?;
    // Enough rows for several statements; the very last row points at no user.
    let n = db.dialect().max_params() / 2 + 10;
    let rows = (0..n).map(|i| session(if i + 1 == n { "nobody" } else { "ada" }, "t"));
    let err = Session::insert_many(rows).exec(&db).await;
    assert!(
        matches!(err, Err(Error::ForeignKeyViolation { .. })),
        "{err:?}"
    );
    assert_eq!(Session::count().fetch(&db).await?, 0);
    Ok(())
}

#[tokio::test]
async fn sqlite_file_database_is_created_and_kept() -> Result<(), Error> {
    let dir = std::env::temp_dir().join(format!("trellis-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::InvalidQuery(e.to_string()))?;
    let path = dir.join("file.db");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    {
        let db = Db::connect(&url).await?;
        db.create_schema(&schema()).await?;
        User::insert(user("ada", None)).exec(&db).await?;
        db.close().await;
    }
    let db = Db::connect(&url).await?;
    assert_eq!(User::find_by_id("ada").fetch_one(&db).await?.id, "ada");
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

#[tokio::test]
async fn unknown_url_scheme_is_invalid_url() {
    let err = Db::connect("oracle://scott:tiger@localhost/db").await;
    match err {
        Err(Error::InvalidUrl { url, reason }) => {
            assert!(!url.contains("tiger"), "password is hidden: {url}");
            assert!(reason.contains("sqlite:"), "{reason}");
        }
        other => panic!("expected InvalidUrl, got {other:?}"),
    }
}

#[tokio::test]
async fn malformed_url_is_invalid_url() {
    let err = Db::connect("postgres://localhost:notaport/db").await;
    assert!(matches!(err, Err(Error::InvalidUrl { .. })), "{err:?}");
}

#[tokio::test]
async fn unreachable_server_is_a_connection_error() {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    let err = Db::connect("postgres://postgres@127.0.0.1:1/test").await;
    assert!(matches!(err, Err(Error::Connection { .. })), "{err:?}");
}
