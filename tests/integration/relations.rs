//! Relations loaded with `include`: one query per relation edge whatever the row count, per
//! parent paging, results compared with hand-written SQL.

use trellis::prelude::*;
use trellis::Value;

use crate::models::{
    membership, organization, profile, schema, session, user, Membership, Organization, Profile,
    Session, User,
};
use crate::support::backend_tests;

backend_tests!(
    one_to_one_matches_hand_written_sql,
    one_to_many_pages_per_parent,
    many_to_many_through_the_join_model,
    belongs_to_loads_each_parent_once,
    nested_relations_take_one_query_per_edge,
    relation_filters_and_transactions,
    related_rows_page_with_a_cursor,
);

async fn related_rows_page_with_a_cursor(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let t2 = Session::find_first()
        .filter(session::token.eq("t2"))
        .fetch_one(&db)
        .await?;
    // Each parent's sessions after the cursor row's token, in token order.
    let users = User::find_many()
        .order_by(user::id.asc())
        .include(user::sessions.with(|q| {
            q.order_by(session::token.asc())
                .cursor(session::id, t2.id)
                .take(3)
        }))
        .fetch_all(&db)
        .await?;
    let tokens = session_tokens(&users);
    assert_eq!(tokens, [vec!["t3", "t4", "t5"], vec![], vec![]]);

    let selected = User::find_by_id("ada")
        .select(
            select!(User { id, sessions(order_by = token.desc(), cursor = (id, t2.id)) { token } }),
        )
        .fetch_one(&db)
        .await?;
    let tokens: Vec<String> = selected.sessions.into_iter().map(|s| s.token).collect();
    assert_eq!(tokens, ["t1", "t0"]);
    Ok(())
}

/// ada: profile, 7 sessions, 2 organizations; bob: profile, 2 sessions, 1 organization;
/// cy: nothing.
pub(crate) async fn seed(db: &Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    User::insert_many([
        crate::models::user("ada", Some(36)),
        crate::models::user("bob", Some(40)),
        crate::models::user("cy", None),
    ])
    .exec(db)
    .await?;
    Profile::insert_many([
        profile::New {
            id: "p-ada".into(),
            user_id: "ada".into(),
            bio: Some("Counts things.".into()),
        },
        profile::New {
            id: "p-bob".into(),
            user_id: "bob".into(),
            bio: None,
        },
    ])
    .exec(db)
    .await?;
    let tokens = ["t3", "t0", "t6", "t1", "t5", "t2", "t4"];
    Session::insert_many(
        tokens
            .iter()
            .map(|t| crate::models::session("ada", t))
            .chain([
                crate::models::session("bob", "b1"),
                crate::models::session("bob", "b0"),
            ]),
    )
    .exec(db)
    .await?;
    Organization::insert_many([
        organization::New {
            id: "o1".into(),
            name: "Globex".into(),
        },
        organization::New {
            id: "o2".into(),
            name: "Acme".into(),
        },
        organization::New {
            id: "o3".into(),
            name: "Initech".into(),
        },
    ])
    .exec(db)
    .await?;
    Membership::insert_many([
        membership::New {
            user_id: "ada".into(),
            organization_id: "o1".into(),
            role: "admin".into(),
        },
        membership::New {
            user_id: "ada".into(),
            organization_id: "o2".into(),
            role: "member".into(),
        },
        membership::New {
            user_id: "bob".into(),
            organization_id: "o2".into(),
            role: "member".into(),
        },
    ])
    .exec(db)
    .await?;
    Ok(())
}

/// Each user's loaded session tokens, in order.
fn session_tokens(users: &[User]) -> Vec<Vec<&str>> {
    users
        .iter()
        .map(|u| {
            u.sessions
                .get()
                .unwrap_or_default()
                .iter()
                .map(|s| s.token.as_str())
                .collect()
        })
        .collect()
}

/// `?` placeholders, renumbered for PostgreSQL.
fn sql(db: &Db, text: &str) -> String {
    if db.dialect() != trellis::Dialect::Postgres {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut n = 0;
    for c in text.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}

/// One text column of every row a hand-written query returns.
pub(crate) async fn texts(db: &Db, query: &str, params: Vec<Value>) -> Result<Vec<String>, Error> {
    db.fetch_raw(&sql(db, query), params)
        .await?
        .iter()
        .map(|row| {
            row.get_native::<String>(0)
                .map_err(|e| Error::InvalidQuery(e.to_string()))
        })
        .collect()
}

async fn one_to_one_matches_hand_written_sql(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let before = db.statement_count();
    let ada = User::find_first()
        .filter(user::email.eq("ada@example.com"))
        .include(user::profile)
        .fetch_optional(&db)
        .await?
        .ok_or(Error::NotFound { model: "User" })?;
    assert_eq!(
        db.statement_count() - before,
        2,
        "the user, then its profile"
    );
    let by_hand = texts(
        &db,
        "SELECT bio FROM profiles WHERE user_id = ?",
        vec![Value::Text("ada".into())],
    )
    .await?;
    let loaded = ada.profile.get().and_then(|p| p.bio.clone());
    assert_eq!(loaded.as_deref(), by_hand.first().map(String::as_str));

    let users = User::find_many()
        .order_by(user::id.asc())
        .include(user::profile)
        .fetch_all(&db)
        .await?;
    let ids: Vec<Option<&str>> = users
        .iter()
        .map(|u| u.profile.get().map(|p| p.id.as_str()))
        .collect();
    assert_eq!(ids, [Some("p-ada"), Some("p-bob"), None]);
    assert!(users[2].profile.is_loaded(), "loaded, and absent");
    assert!(
        !users[0].sessions.is_loaded(),
        "nothing is loaded that was not asked for"
    );
    Ok(())
}

async fn one_to_many_pages_per_parent(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let before = db.statement_count();
    let users = User::find_many()
        .order_by(user::id.asc())
        .include(user::sessions.with(|q| q.order_by(session::token.asc()).take(5)))
        .fetch_all(&db)
        .await?;
    assert_eq!(db.statement_count() - before, 2);
    for u in &users {
        // `Session` names its columns in camelCase.
        let query = format!(
            "SELECT token FROM sessions WHERE {} = ? ORDER BY token LIMIT 5",
            db.dialect().quote("userId")
        );
        let by_hand = texts(&db, &query, vec![Value::Text(u.id.clone())]).await?;
        let loaded: Vec<String> = u
            .sessions
            .get()
            .unwrap_or_default()
            .iter()
            .map(|s| s.token.clone())
            .collect();
        assert_eq!(loaded, by_hand, "sessions of {}", u.id);
    }
    // ada has more sessions than `take`, bob fewer, cy none.
    let counts: Vec<usize> = users
        .iter()
        .map(|u| u.sessions.get().map_or(99, <[Session]>::len))
        .collect();
    assert_eq!(counts, [5, 2, 0]);

    let page = User::find_many()
        .order_by(user::id.asc())
        .include(user::sessions.with(|q| q.order_by(session::token.desc()).skip(1).take(2)))
        .fetch_all(&db)
        .await?;
    let tokens = session_tokens(&page);
    assert_eq!(tokens, [vec!["t5", "t4"], vec!["b0"], vec![]]);
    Ok(())
}

async fn many_to_many_through_the_join_model(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let before = db.statement_count();
    let users = User::find_many()
        .order_by(user::id.asc())
        .include(user::organizations.with(|q| q.order_by(organization::name.asc())))
        .fetch_all(&db)
        .await?;
    assert_eq!(
        db.statement_count() - before,
        2,
        "the join is part of the one related query"
    );
    for u in &users {
        let by_hand = texts(
            &db,
            "SELECT o.name FROM organizations o JOIN memberships m ON m.organization_id = o.id \
             WHERE m.user_id = ? ORDER BY o.name",
            vec![Value::Text(u.id.clone())],
        )
        .await?;
        let loaded: Vec<String> = u
            .organizations
            .get()
            .unwrap_or_default()
            .iter()
            .map(|o| o.name.clone())
            .collect();
        assert_eq!(loaded, by_hand, "organizations of {}", u.id);
    }
    assert_eq!(
        users[0].organizations.get().map(<[Organization]>::len),
        Some(2)
    );

    // The reverse side swaps `from` and `to`.
    let acme = Organization::find_by_id("o2")
        .include(organization::members.with(|q| q.order_by(user::id.asc())))
        .fetch_one(&db)
        .await?;
    let members: Vec<&str> = acme
        .members
        .get()
        .unwrap_or_default()
        .iter()
        .map(|u| u.id.as_str())
        .collect();
    assert_eq!(members, ["ada", "bob"]);
    Ok(())
}

async fn belongs_to_loads_each_parent_once(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let before = db.statement_count();
    let sessions = Session::find_many()
        .order_by(session::token.asc())
        .include(session::user)
        .fetch_all(&db)
        .await?;
    assert_eq!(db.statement_count() - before, 2);
    assert_eq!(sessions.len(), 9);
    for s in &sessions {
        assert_eq!(
            s.user.get().map(|u| u.id.as_str()),
            Some(s.user_id.as_str())
        );
    }
    let profiles = Profile::find_many()
        .include(profile::user)
        .fetch_all(&db)
        .await?;
    assert!(profiles
        .iter()
        .all(|p| p.user.get().is_some_and(|u| u.id == p.user_id)));
    Ok(())
}

async fn nested_relations_take_one_query_per_edge(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let load = || {
        User::find_many()
            .order_by(user::id.asc())
            .include(user::sessions.with(|q| {
                q.order_by(session::token.asc())
                    .take(3)
                    .include(session::user)
            }))
            .include(user::organizations.with(|q| {
                q.order_by(organization::name.asc())
                    .include(organization::members)
            }))
            .include(user::profile)
    };
    let before = db.statement_count();
    let users = load().fetch_all(&db).await?;
    let small = db.statement_count() - before;
    assert_eq!(
        small, 6,
        "users, sessions, their users, organizations, their members, profiles"
    );
    let ada = &users[0];
    let first = &ada.sessions.get().unwrap_or_default()[0];
    assert_eq!(first.user.get().map(|u| u.id.as_str()), Some("ada"));
    let acme = ada
        .organizations
        .get()
        .unwrap_or_default()
        .iter()
        .find(|o| o.name == "Acme");
    let members = acme.and_then(|o| o.members.get()).map(<[User]>::len);
    assert_eq!(members, Some(2));

    // Ten times the users: the same number of statements.
    User::insert_many((0..30).map(|i| crate::models::user(&format!("x{i:02}"), None)))
        .exec(&db)
        .await?;
    Session::insert_many((0..30).map(|i| crate::models::session(&format!("x{i:02}"), "s")))
        .exec(&db)
        .await?;
    let before = db.statement_count();
    let many = load().fetch_all(&db).await?;
    assert_eq!(many.len(), 33);
    assert_eq!(db.statement_count() - before, small);

    // No rows: no relation queries at all.
    let before = db.statement_count();
    let none = load().filter(user::id.eq("nobody")).fetch_all(&db).await?;
    assert!(none.is_empty());
    assert_eq!(db.statement_count() - before, 1);
    Ok(())
}

async fn relation_filters_and_transactions(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let users = User::find_many()
        .order_by(user::id.asc())
        .include(user::sessions.with(|q| {
            q.filter(session::token.gte("t4").or(session::token.eq("b0")))
                .order_by(session::token.asc())
        }))
        .fetch_all(&db)
        .await?;
    let tokens = session_tokens(&users);
    assert_eq!(tokens, [vec!["t4", "t5", "t6"], vec!["b0"], vec![]]);

    // The same loading inside a transaction sees its own writes.
    db.transaction(async |tx| {
        Session::insert(crate::models::session("cy", "c0"))
            .exec(tx)
            .await?;
        let cy = User::find_by_id("cy")
            .include(user::sessions)
            .fetch_one(tx)
            .await?;
        assert_eq!(cy.sessions.get().map(<[Session]>::len), Some(1));
        Ok::<_, Error>(())
    })
    .await?;
    Ok(())
}
