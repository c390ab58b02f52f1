//! Text filters: every operator against hostile strings, with the expected rows computed in
//! plain Rust over the inserted data.

use std::collections::BTreeSet;

use trellis::prelude::*;

use crate::models::{schema, user, User};
use crate::support::backend_tests;

backend_tests!(
    text_operators_match_literally,
    comparison_operators_follow_sql_null_rules,
    relation_filters_are_exists_subqueries,
    ordering_by_nulls_and_relation_counts,
);

const TEXTS: &[&str] = &[
    "plain",
    "PLAIN upper",
    "100% sure",
    "a_b",
    "a!b",
    r"back\slash",
    "O'Brien",
    "quote\"d",
    "semi; DROP TABLE users; --",
    "[glob]*?",
    "ÜBER straße ✓",
    "",
];

const NEEDLES: &[&str] = &[
    "über",
    "ÜBER",
    "Straße",
    "✓",
    "a_b",
    "a!b",
    "O'Brien",
    "quote\"d",
    r"back\slash",
    "semi; DROP TABLE users; --",
    "100% sure",
    "plain",
    "PLAIN",
    "Plain",
    "%",
    "_",
    "!",
    r"\",
    "'",
    "\"",
    "straße",
    "✓",
    "[glob]",
    "*",
    "?",
    "a",
    "b",
    "",
    "100%",
    "a_",
    r"\s",
    "; DROP",
];

/// Builds the filter under test.
type Op = fn(trellis::Col<User, String, trellis::filter::Plain>, &str) -> Filter<User>;
/// The same test in plain Rust: does the haystack match the needle?
type Expected = fn(&str, &str) -> bool;

fn ops() -> Vec<(&'static str, Op, Expected)> {
    // Case folding as every backend does it (Unicode-aware; SQLite through Trellis's function).
    fn lower(s: &str) -> String {
        s.to_lowercase()
    }
    vec![
        ("contains", |c, n| c.contains(n), |h, n| h.contains(n)),
        (
            "starts_with",
            |c, n| c.starts_with(n),
            |h, n| h.starts_with(n),
        ),
        ("ends_with", |c, n| c.ends_with(n), |h, n| h.ends_with(n)),
        (
            "contains_ignore_case",
            |c, n| c.contains_ignore_case(n),
            |h, n| lower(h).contains(&lower(n)),
        ),
        (
            "starts_with_ignore_case",
            |c, n| c.starts_with_ignore_case(n),
            |h, n| lower(h).starts_with(&lower(n)),
        ),
        (
            "ends_with_ignore_case",
            |c, n| c.ends_with_ignore_case(n),
            |h, n| lower(h).ends_with(&lower(n)),
        ),
    ]
}

/// Equality on text, as the database compares it: MySQL's default `utf8mb4` collation ignores
/// letter case (documented in docs/filters.md); the other two compare exactly.
fn text_equality(db: &Db) -> Vec<(&'static str, Op, Expected)> {
    if db.dialect() == trellis::Dialect::MySql {
        vec![
            ("eq", |c, n| c.eq(n), |h, n| h.eq_ignore_ascii_case(n)),
            ("ne", |c, n| c.ne(n), |h, n| !h.eq_ignore_ascii_case(n)),
            (
                "in",
                |c, n| c.in_([n, "plain"]),
                |h, n| h.eq_ignore_ascii_case(n) || h.eq_ignore_ascii_case("plain"),
            ),
            (
                "not in",
                |c, n| c.not_in([n]),
                |h, n| !h.eq_ignore_ascii_case(n),
            ),
        ]
    } else {
        vec![
            ("eq", |c, n| c.eq(n), |h, n| h == n),
            ("ne", |c, n| c.ne(n), |h, n| h != n),
            (
                "in",
                |c, n| c.in_([n, "plain"]),
                |h, n| h == n || h == "plain",
            ),
            ("not in", |c, n| c.not_in([n]), |h, n| h != n),
        ]
    }
}

async fn text_operators_match_literally(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    let users: Vec<User> = TEXTS
        .iter()
        .enumerate()
        .map(|(i, text)| {
            user::New {
                id: format!("u{i:02}"),
                email: format!("u{i}@example.com"),
                name: (*text).to_owned(),
                age: None,
            }
            .into()
        })
        .collect();
    User::insert_many(users.clone()).exec(&db).await?;
    // Hostile text is stored and read back unchanged.
    let stored = User::find_many()
        .order_by(user::id.asc())
        .fetch_all(&db)
        .await?;
    assert_eq!(stored, users);

    for (name, op, expected) in ops().into_iter().chain(text_equality(&db)) {
        for needle in NEEDLES {
            let found: BTreeSet<String> = User::find_many()
                .filter(op(user::name, needle))
                .fetch_all(&db)
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect();
            let want: BTreeSet<String> = users
                .iter()
                .filter(|u| expected(&u.name, needle))
                .map(|u| u.id.clone())
                .collect();
            assert_eq!(found, want, "{name}({needle:?})");
        }
    }
    Ok(())
}

/// `(name, filter, the same test in plain Rust over `age`)` for each comparison operator.
type Case = (&'static str, Filter<User>, fn(Option<i32>) -> bool);

async fn comparison_operators_follow_sql_null_rules(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    let ages = [Some(10), Some(20), None, Some(30), Some(20), None];
    let users: Vec<User> = ages
        .iter()
        .enumerate()
        .map(|(i, age)| crate::models::user(&format!("u{i}"), *age))
        .collect();
    User::insert_many(users.clone()).exec(&db).await?;
    // A comparison with a value never matches NULL (SQL's rule); `eq(None)` is `IS NULL`.
    let cases: Vec<Case> = vec![
        ("eq", user::age.eq(Some(20)), |a| a == Some(20)),
        ("eq none", user::age.eq(None), |a| a.is_none()),
        ("ne", user::age.ne(Some(20)), |a| a.is_some_and(|a| a != 20)),
        ("ne none", user::age.ne(None), |a| a.is_some()),
        ("lt", user::age.lt(Some(20)), |a| a.is_some_and(|a| a < 20)),
        ("lte", user::age.lte(Some(20)), |a| {
            a.is_some_and(|a| a <= 20)
        }),
        ("gt", user::age.gt(Some(20)), |a| a.is_some_and(|a| a > 20)),
        ("gte", user::age.gte(Some(20)), |a| {
            a.is_some_and(|a| a >= 20)
        }),
        ("in", user::age.in_([Some(10), Some(30)]), |a| {
            matches!(a, Some(10 | 30))
        }),
        ("not in", user::age.not_in([Some(10), Some(30)]), |a| {
            a.is_some_and(|a| a != 10 && a != 30)
        }),
        ("in empty", user::age.in_(Vec::<Option<i32>>::new()), |_| {
            false
        }),
        (
            "not in empty",
            user::age.not_in(Vec::<Option<i32>>::new()),
            |_| true,
        ),
        ("is null", user::age.is_null(), |a| a.is_none()),
        ("is not null", user::age.is_not_null(), |a| a.is_some()),
        (
            "and",
            user::age.gt(Some(10)).and(user::age.lt(Some(30))),
            |a| a.is_some_and(|a| a > 10 && a < 30),
        ),
        ("or", user::age.eq(Some(10)).or(user::age.is_null()), |a| {
            a.is_none() || a == Some(10)
        }),
        ("not", not(user::age.eq(Some(20))), |a| {
            a.is_some_and(|a| a != 20)
        }),
        (
            "nested",
            Filter::any([
                Filter::all([user::age.gte(Some(20)), not(user::age.eq(Some(30)))]),
                user::id.eq("u2"),
            ]),
            |a| a.is_some_and(|a| a >= 20 && a != 30),
        ),
    ];
    for (name, filter, expected) in cases {
        let found: BTreeSet<String> = User::find_many()
            .filter(filter)
            .fetch_all(&db)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect();
        let mut want: BTreeSet<String> = users
            .iter()
            .filter(|u| expected(u.age))
            .map(|u| u.id.clone())
            .collect();
        if name == "nested" {
            want.insert("u2".into());
        }
        assert_eq!(found, want, "{name}");
    }
    Ok(())
}

async fn ids(db: &Db, filter: Filter<User>) -> Result<Vec<String>, Error> {
    Ok(User::find_many()
        .filter(filter)
        .order_by(user::id.asc())
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}

async fn relation_filters_are_exists_subqueries(db: Db) -> Result<(), Error> {
    use crate::models::{organization, profile, session, Session};
    crate::relations::seed(&db).await?;
    let q = |name: &str| db.dialect().quote(name);

    let some = ids(&db, user::sessions.some(session::token.starts_with("t"))).await?;
    let query = format!(
        "SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.{} = u.id AND s.token LIKE 't%') ORDER BY u.id",
        q("userId")
    );
    let by_hand = crate::relations::texts(&db, &query, Vec::new()).await?;
    assert_eq!(some, by_hand);
    assert_eq!(some, ["ada"]);
    assert_eq!(
        ids(&db, user::sessions.every(session::token.starts_with("t"))).await?,
        ["ada", "cy"]
    );
    assert_eq!(
        ids(&db, user::sessions.none(session::token.starts_with("t"))).await?,
        ["bob", "cy"]
    );

    // To-one relations: `is` / `is_not`.
    assert_eq!(
        ids(&db, user::profile.is(profile::bio.is_not_null())).await?,
        ["ada"]
    );
    assert_eq!(
        ids(&db, user::profile.is_not(profile::bio.is_not_null())).await?,
        ["bob", "cy"]
    );

    // Nested to any depth: users with a session whose user is in an organization named Acme,
    // and through the join model.
    let nested = user::sessions
        .some(session::user.is(user::organizations.some(organization::name.eq("Acme"))));
    assert_eq!(ids(&db, nested).await?, ["ada", "bob"]);
    let combined = user::sessions
        .some(session::token.starts_with("b"))
        .and(user::organizations.some(organization::name.eq("Acme")));
    assert_eq!(ids(&db, combined).await?, ["bob"]);

    // belongs_to, and relation filters in counts, updates and deletes.
    let bobs = Session::count()
        .filter(session::user.is(user::age.gt(Some(38))))
        .fetch(&db)
        .await?;
    assert_eq!(bobs, 2);
    let renamed = User::update_many()
        .filter(user::organizations.none(organization::name.eq("Acme")))
        .set(user::name, "outsider")
        .exec(&db)
        .await?;
    assert_eq!(renamed, 1);
    assert_eq!(ids(&db, user::name.eq("outsider")).await?, ["cy"]);
    Ok(())
}

async fn ordering_by_nulls_and_relation_counts(db: Db) -> Result<(), Error> {
    crate::relations::seed(&db).await?;
    let ordered = |users: Vec<User>| users.into_iter().map(|u| u.id).collect::<Vec<_>>();
    let by_sessions = User::find_many()
        .order_by(user::sessions.count().desc())
        .fetch_all(&db)
        .await?;
    assert_eq!(ordered(by_sessions), ["ada", "bob", "cy"]);
    let by_organizations = User::find_many()
        .order_by(user::organizations.count().asc())
        .order_by(user::id.desc())
        .fetch_all(&db)
        .await?;
    assert_eq!(ordered(by_organizations), ["cy", "bob", "ada"]);
    // ages: ada 36, bob 40, cy NULL.
    let nulls_first = User::find_many()
        .order_by(user::age.asc().nulls_first())
        .fetch_all(&db)
        .await?;
    assert_eq!(ordered(nulls_first), ["cy", "ada", "bob"]);
    let nulls_last = User::find_many()
        .order_by(user::age.desc().nulls_last())
        .fetch_all(&db)
        .await?;
    assert_eq!(ordered(nulls_last), ["bob", "ada", "cy"]);
    let nulls_last_asc = User::find_many()
        .order_by(user::age.asc().nulls_last())
        .fetch_all(&db)
        .await?;
    assert_eq!(ordered(nulls_last_asc), ["ada", "bob", "cy"]);
    Ok(())
}
