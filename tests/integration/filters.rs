//! Text filters: every operator against hostile strings, with the expected rows computed in
//! plain Rust over the inserted data.

use std::collections::BTreeSet;

use trellis::prelude::*;

use crate::models::{schema, user, User};
use crate::support::backend_tests;

backend_tests!(text_operators_match_literally);

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
    "plain", "PLAIN", "Plain", "%", "_", "!", r"\", "'", "\"", "straße", "✓", "[glob]", "*", "?",
    "a", "b", "", "100%", "a_", r"\s", "; DROP",
];

/// Builds the filter under test.
type Op = fn(trellis::Col<User, String, trellis::filter::Plain>, &str) -> Filter<User>;
/// The same test in plain Rust: does the haystack match the needle?
type Expected = fn(&str, &str) -> bool;

fn ops() -> Vec<(&'static str, Op, Expected)> {
    fn lower(s: &str) -> String {
        s.to_ascii_lowercase()
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

    for (name, op, expected) in ops() {
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
