//! Differential property tests: random data for users with a profile (has_one / belongs_to),
//! sessions (has_many) and organizations (many_to_many through memberships), random `Where`
//! filters read from JSON, and a nested `select!` of every relation kind, run on every
//! configured backend (SQLite with each way of reading rows, PostgreSQL, MariaDB). All must
//! return the same rows; proptest shrinks a disagreement to a small case.
//!
//! `TRELLIS_DIFF_CASES` sets the number of cases (24 unless set). Where backends differ by
//! nature the generators keep out of it, as `docs/filters.md` documents: MySQL compares text
//! with `equals`/`in` under the column's collation (letter case and accents ignored, trailing
//! spaces padded), so the texts compared that way differ in more than case, accents and
//! trailing spaces; `contains`/`starts_with`/`ends_with` compare every byte everywhere, so
//! they get any text. Ordering by text follows the collation on every backend (PostgreSQL's
//! is the server's locale), so rows are ordered by keys made of ASCII digits and letters.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Value as Json};
use trellis::prelude::*;

use crate::models::{membership, session, user, Membership, Organization, Profile, Session, User};
use crate::support::{backends, TestDb};

/// Texts stored in `name`, `bio` and `token`: empty, case pairs, LIKE's wildcards and escape,
/// non-ASCII.
const TEXTS: &[&str] = &[
    "", "ada", "Ada", "bob", "a%b", "x_y", "b\\c", "zoë", "ZOË", "日本", "ab", "a b",
];
/// Texts stored in `name`, which `equals`/`in` compare: none differs from one of `EXACT` by
/// case or accents alone.
const NAMES: &[&str] = &[
    "", "ada", "ADAM", "bob", "a%b", "x_y", "b\\c", "zoë", "ZOË", "日本", "ab", "a b",
];
/// Needles for the byte-wise text operators.
const NEEDLES: &[&str] = &["", "a", "A", "%", "_", "\\", "ë", "Ë", "本", "b", " "];
/// Texts `equals`/`in` compare with: distinct under any collation.
const EXACT: &[&str] = &["ada", "bob", "ab", "日本", "nobody"];
const AGES: &[Option<i32>] = &[
    None,
    Some(i32::MIN),
    Some(-1),
    Some(0),
    Some(17),
    Some(i32::MAX),
];

/// One user: name, age, profile (`Some(bio)`), session tokens, organizations (indexes).
type UserData = (
    String,
    Option<i32>,
    Option<Option<String>>,
    Vec<String>,
    Vec<usize>,
);

#[derive(Debug, Clone)]
struct Data {
    users: Vec<UserData>,
    /// Organization names.
    organizations: Vec<String>,
}

fn text() -> impl Strategy<Value = String> {
    prop::sample::select(TEXTS).prop_map(str::to_owned)
}

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_owned)
}

fn data() -> impl Strategy<Value = Data> {
    let org_names = prop::collection::vec(prop::sample::select(EXACT), 0..4)
        .prop_map(|v| v.into_iter().map(str::to_owned).collect::<Vec<_>>());
    org_names.prop_flat_map(|organizations| {
        let orgs = organizations.len();
        let one_user = (
            name(),
            prop::sample::select(AGES),
            prop::option::of(prop::option::of(text())),
            prop::collection::vec(text(), 0..4),
            prop::collection::btree_set(0..orgs.max(1), 0..=orgs),
        )
            .prop_map(move |(name, age, profile, tokens, memberships)| {
                let memberships = memberships.into_iter().filter(|&o| o < orgs).collect();
                (name, age, profile, tokens, memberships)
            });
        prop::collection::vec(one_user, 0..6).prop_map(move |users| Data {
            users,
            organizations: organizations.clone(),
        })
    })
}

/// One condition on a user, as `user::Where` JSON.
fn leaf() -> impl Strategy<Value = Json> {
    let needle = || prop::sample::select(NEEDLES);
    let exact = || prop::sample::select(EXACT);
    let age = prop::sample::select(AGES);
    prop_oneof![
        (
            prop::sample::select(&["contains", "starts_with", "ends_with"][..]),
            needle()
        )
            .prop_map(|(op, s)| json!({ "name": { op: s } })),
        exact().prop_map(|s| json!({ "name": { "equals": s } })),
        prop::collection::vec(exact(), 0..3).prop_map(|v| json!({ "name": { "in": v } })),
        (
            prop::sample::select(&["lt", "lte", "gt", "gte", "equals", "not"][..]),
            age
        )
            .prop_map(|(op, a)| json!({ "age": { op: a } })),
        (
            prop::sample::select(&["some", "every", "none"][..]),
            needle()
        )
            .prop_map(|(op, s)| json!({ "sessions": { op: { "token": { "contains": s } } } })),
        (prop::sample::select(&["is", "is_not"][..]), needle())
            .prop_map(|(op, s)| json!({ "profile": { op: { "bio": { "contains": s } } } })),
        prop::sample::select(&["is", "is_not"][..])
            .prop_map(|op| json!({ "profile": { op: { "bio": { "equals": null } } } })),
        (
            prop::sample::select(&["some", "every", "none"][..]),
            exact()
        )
            .prop_map(|(op, s)| {
                json!({ "organizations": { op: { "name": { "equals": s } } } })
            }),
    ]
}

/// A filter: conditions combined with `AND`, `OR` and `NOT`, two levels deep at most.
fn filter() -> impl Strategy<Value = Json> {
    leaf().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|v| json!({ "AND": v })),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|v| json!({ "OR": v })),
            inner.prop_map(|f| json!({ "NOT": f })),
        ]
    })
}

/// Replaces the data of the tables the cases use.
async fn store(db: &Db, data: &Data) -> Result<(), Error> {
    for table in [
        "memberships",
        "sessions",
        "profiles",
        "organizations",
        "users",
    ] {
        let sql = format!("DELETE FROM {}", db.dialect().quote(table));
        db.execute_raw(&sql, []).await?;
    }
    let ids: Vec<String> = (0..data.users.len()).map(|i| format!("u{i}")).collect();
    User::insert_many(data.users.iter().zip(&ids).map(|((name, age, ..), id)| {
        let mut u = crate::models::user(id, *age);
        u.name = name.clone();
        u
    }))
    .exec(db)
    .await?;
    Organization::insert_many(data.organizations.iter().enumerate().map(|(i, name)| {
        organization::New {
            id: format!("o{i}"),
            name: name.clone(),
        }
    }))
    .exec(db)
    .await?;
    Profile::insert_many(
        data.users
            .iter()
            .zip(&ids)
            .filter_map(|((_, _, p, ..), id)| {
                p.as_ref().map(|bio| profile::New {
                    id: format!("p-{id}"),
                    user_id: id.clone(),
                    bio: bio.clone(),
                })
            }),
    )
    .exec(db)
    .await?;
    Session::insert_many(
        data.users
            .iter()
            .zip(&ids)
            .flat_map(|((_, _, _, tokens, _), id)| tokens.iter().map(move |t| session(id, t))),
    )
    .exec(db)
    .await?;
    Membership::insert_many(
        data.users
            .iter()
            .zip(&ids)
            .flat_map(|((_, _, _, _, orgs), id)| {
                orgs.iter()
                    .map(move |o| membership(id, &format!("o{o}"), "member"))
            }),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// The rows a filter selects, with every relation kind nested, as text to compare.
async fn run(db: &Db, filter: &Json) -> Result<String, Error> {
    let filter: user::Where = serde_json::from_value(filter.clone())
        .map_err(|e| Error::InvalidQuery(format!("the generated filter: {e}")))?;
    let rows = User::find_many()
        .filter(filter)
        .order_by(user::id.asc())
        .select(select!(User {
            id,
            name,
            age,
            profile { bio, user { id } },
            sessions(order_by = id.asc()) { token },
            organizations(order_by = id.asc()) { id, name },
            session_count: sessions: count,
        }))
        .fetch_all(db)
        .await?;
    Ok(format!("{rows:?}"))
}

use crate::models::{organization, profile};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_backend_returns_the_same_rows_for_random_data_and_filters() {
    let mut dbs = Vec::new();
    for backend in backends() {
        let test_db = TestDb::new(&backend, "differential").await;
        test_db
            .db
            .create_schema(&crate::models::schema())
            .await
            .unwrap_or_else(|e| panic!("[{}] schema: {e}", backend.name));
        dbs.push((backend.name, test_db));
    }
    let cases = std::env::var("TRELLIS_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let handle = tokio::runtime::Handle::current();
    let strategy = (data(), prop::collection::vec(filter(), 1..4));
    let outcome = tokio::task::block_in_place(|| {
        runner.run(&strategy, |(data, filters)| {
            handle.block_on(async {
                let mut reference: Option<(&str, Vec<String>)> = None;
                for (name, test_db) in &dbs {
                    store(&test_db.db, &data)
                        .await
                        .map_err(|e| TestCaseError::fail(format!("[{name}] storing: {e:?}")))?;
                    let mut results = Vec::new();
                    for filter in &filters {
                        results.push(run(&test_db.db, filter).await.map_err(|e| {
                            TestCaseError::fail(format!("[{name}] {filter}: {e:?}"))
                        })?);
                    }
                    match &reference {
                        None => reference = Some((name, results)),
                        Some((first, expected)) => {
                            for ((filter, got), want) in filters.iter().zip(&results).zip(expected)
                            {
                                prop_assert_eq!(
                                    got,
                                    want,
                                    "{} and {} disagree on {}",
                                    name,
                                    first,
                                    filter
                                );
                            }
                        }
                    }
                }
                Ok(())
            })
        })
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    eprintln!("{cases} cases agreed on {} backends", dbs.len());
    for (_, test_db) in dbs {
        test_db.finish().await;
    }
}
