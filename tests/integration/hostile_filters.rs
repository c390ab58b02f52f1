//! Filters as a client or an attacker would send them: `null` where a value belongs, arrays
//! where objects belong, NUL bytes, nesting as deep as a parser allows, value lists past the
//! database's parameter limit, and random filters shaped like the language with misfits mixed
//! in. Each either means what the docs say or is an error; none widens the filter, and none can
//! take the process down.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use trellis::prelude::*;

use crate::models::{
    membership, organization, profile, schema, session, user, Membership, Organization, Profile,
    Session, User,
};
use crate::support::backend_tests;

backend_tests!(
    null_comparisons_in_where_json_match_no_row_or_fail,
    where_json_accepts_objects_only,
    where_json_nesting_is_bounded_without_exhausting_the_stack,
    deep_filters_built_in_code_fail_without_exhausting_the_stack,
    nul_bytes_match_exactly,
    in_lists_past_the_parameter_limit,
    random_where_json_is_read_or_refused_and_every_filter_read_runs,
);

async fn seed(db: &Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    User::insert_many([
        crate::models::user("ada", Some(36)),
        crate::models::user("bob", None),
        crate::models::user("cy", Some(19)),
    ])
    .exec(db)
    .await?;
    Session::insert_many([
        crate::models::session("ada", "t1"),
        crate::models::session("cy", "t2"),
    ])
    .exec(db)
    .await?;
    Ok(())
}

async fn ids(db: &Db, filter: impl Into<Filter<User>>) -> Result<Vec<String>, Error> {
    Ok(User::find_many()
        .filter(filter.into())
        .order_by(user::id.asc())
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}

fn parse(json: &str) -> Result<user::Where, serde_json::Error> {
    serde_json::from_str(json)
}

async fn null_comparisons_in_where_json_match_no_row_or_fail(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    // Comparisons with NULL match no row, as the typed API and SQL have it.
    for json in [
        r#"{"age": {"lt": null}}"#,
        r#"{"age": {"lte": null}}"#,
        r#"{"age": {"gt": null}}"#,
        r#"{"age": {"gte": null}}"#,
    ] {
        let filter = parse(json)
            .map_err(|e| panic!("{json}: {e}"))
            .unwrap_or_default();
        assert_eq!(ids(&db, filter).await?, Vec::<String>::new(), "{json}");
    }
    assert_eq!(ids(&db, user::age.lt(None)).await?, Vec::<String>::new());
    // `equals`/`not` with null are IS NULL / IS NOT NULL.
    assert_eq!(
        ids(
            &db,
            parse(r#"{"age": {"equals": null}}"#).unwrap_or_default()
        )
        .await?,
        ["bob"]
    );
    assert_eq!(
        ids(&db, parse(r#"{"age": {"not": null}}"#).unwrap_or_default()).await?,
        ["ada", "cy"]
    );

    // Where a null can mean nothing, it is an error rather than a condition left out.
    for json in [
        r#"{"sessions": {"some": null}}"#,
        r#"{"sessions": {"every": null}}"#,
        r#"{"sessions": {"none": null}}"#,
        r#"{"profile": {"is": null}}"#,
        r#"{"profile": {"is_not": null}}"#,
        r#"{"age": null}"#,
        r#"{"sessions": null}"#,
        r#"{"name": {"contains": null}}"#,
        r#"{"name": {"starts_with": null}}"#,
        r#"{"name": {"in": null}}"#,
        r#"{"name": {"not_in": null}}"#,
        r#"{"name": {"lt": null}}"#,
        r#"{"name": {"equals": null}}"#,
        r#"{"AND": null}"#,
        r#"{"OR": null}"#,
        r#"{"NOT": null}"#,
        "null",
    ] {
        assert!(parse(json).is_err(), "{json} must be an error");
    }
    Ok(())
}

async fn where_json_accepts_objects_only(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    // Serde would read an array as the members in order: `[]` as "no condition".
    for json in [
        "[]",
        r#"{"NOT": []}"#,
        r#"{"AND": [[]]}"#,
        r#"{"age": []}"#,
        r#"{"age": [36]}"#,
        r#"{"name": []}"#,
        r#"{"sessions": []}"#,
        r#"{"sessions": {"some": []}}"#,
        r#"{"profile": []}"#,
    ] {
        let err = parse(json).err();
        assert!(err.is_some(), "{json} must be an error");
    }
    let err = parse(r#"{"NOT": []}"#)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("a filter on `User`"), "{err}");
    // A key given twice is an error, not the last one winning, at every level.
    for json in [
        r#"{"age": {"gt": 1}, "age": {"lt": 99}}"#,
        r#"{"NOT": {"name": {"equals": "ada"}, "name": {"equals": "bob"}}}"#,
        r#"{"sessions": {"some": {"AND": [], "AND": []}}}"#,
    ] {
        let err = parse(json).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("duplicate field"), "{json}: {err}");
    }
    // An unknown key names the members there are.
    let err = parse(r#"{"nmae": {"equals": "ada"}}"#)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("unknown field `nmae`") && err.contains("`name`") && err.contains("`AND`"),
        "{err}"
    );
    // The documented meanings of empty objects and lists stay.
    assert_eq!(
        ids(&db, parse(r#"{"NOT": {}}"#).unwrap_or_default()).await?,
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&db, parse(r#"{"OR": []}"#).unwrap_or_default()).await?,
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&db, parse(r#"{"AND": []}"#).unwrap_or_default()).await?,
        ["ada", "bob", "cy"]
    );
    Ok(())
}

/// `{"NOT": {"NOT": ... {} ...}}`, `depth` objects deep.
fn nots(depth: usize) -> String {
    format!(
        "{}{{}}{}",
        r#"{"NOT": "#.repeat(depth - 1),
        "}".repeat(depth - 1)
    )
}

/// `{"sessions": {"some": {"user": {"is": ... {"id": {"equals": "ada"}} ...}}}}`, alternating
/// to-many and to-one relation filters, `levels` `Where` objects deep.
fn relation_chain(levels: usize) -> String {
    let mut json = r#"{"id": {"equals": "ada"}}"#.to_owned();
    for level in 1..levels {
        json = if level % 2 == 1 {
            format!(r#"{{"user": {{"is": {json}}}}}"#)
        } else {
            format!(r#"{{"sessions": {{"some": {json}}}}}"#)
        };
    }
    // The outermost level is a user filter: `levels` must be odd.
    json
}

async fn where_json_nesting_is_bounded_without_exhausting_the_stack(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    // On a runtime worker thread (2 MiB of stack), as a server's handler would run.
    let handle = tokio::spawn(async move {
        // At the limit it still parses and runs: an odd number of NOTs around `{}` matches
        // no row, an even number every row.
        let limit = trellis::input::MAX_WHERE_DEPTH;
        let at_limit = parse(&nots(limit)).unwrap_or_else(|e| panic!("{limit} levels: {e}"));
        let all = ["ada", "bob", "cy"];
        let want: &[&str] = if (limit - 1).is_multiple_of(2) {
            &all
        } else {
            &[]
        };
        assert_eq!(ids(&db, at_limit).await?, want);
        let below = parse(&nots(limit - 1)).unwrap_or_else(|e| panic!("{e}"));
        let want: &[&str] = if (limit - 2).is_multiple_of(2) {
            &all
        } else {
            &[]
        };
        assert_eq!(ids(&db, below).await?, want);
        // Past it, and up to the deepest the JSON parser itself accepts: an error.
        for depth in [trellis::input::MAX_WHERE_DEPTH + 1, 127] {
            let err = parse(&nots(depth)).err().map(|e| e.to_string());
            let err = err.unwrap_or_else(|| panic!("{depth} levels must be refused"));
            assert!(err.contains("levels deep"), "{err}");
        }
        // Relation filters nest too; each level is two JSON objects, so 63 is the parser's limit.
        // At the limit, read, rendered and run on every backend; the deepest the parser takes
        // is refused.
        let chain = parse(&relation_chain(limit - 1)).unwrap_or_else(|e| panic!("chain: {e}"));
        assert_eq!(ids(&db, chain).await?, ["ada"]);
        let err = parse(&relation_chain(63))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("levels deep"), "{err}");
        Ok::<_, Error>(())
    });
    handle.await.unwrap_or_else(|e| panic!("task failed: {e}"))
}

async fn deep_filters_built_in_code_fail_without_exhausting_the_stack(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let handle = tokio::spawn(async move {
        let mut deep = user::age.eq(Some(36));
        for _ in 0..10_000 {
            deep = not(deep);
        }
        assert!(deep.depth() <= trellis::filter::MAX_FILTER_DEPTH + 1);
        let err = ids(&db, deep.clone()).await;
        assert!(matches!(err, Err(Error::InvalidQuery(_))), "{err:?}");
        let err = Session::find_many()
            .filter(session::user.is(deep))
            .fetch_all(&db)
            .await;
        assert!(matches!(err, Err(Error::InvalidQuery(_))), "{err:?}");
        let mut wide = user::age.eq(Some(36));
        for _ in 0..10_000 {
            wide = Filter::any([wide, user::age.eq(Some(19))]);
        }
        assert!(matches!(ids(&db, wide).await, Err(Error::InvalidQuery(_))));
        // An even number of NOTs below the limit is the filter itself.
        let mut fine = user::age.eq(Some(36));
        for _ in 0..(trellis::filter::MAX_FILTER_DEPTH - 2) {
            fine = not(fine);
        }
        assert_eq!(ids(&db, fine).await?, ["ada"]);
        Ok::<_, Error>(())
    });
    handle.await.unwrap_or_else(|e| panic!("task failed: {e}"))
}

const NUL_NAMES: &[&str] = &["ada", "a\0b", "\0lead", "trail\0", "A\0B", "plain"];

async fn nul_bytes_match_exactly(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    let users: Vec<User> = NUL_NAMES
        .iter()
        .enumerate()
        .map(|(i, name)| {
            user::New {
                id: format!("u{i}"),
                email: format!("u{i}@example.com"),
                name: (*name).to_owned(),
                age: None,
            }
            .into()
        })
        .collect();
    if db.dialect() == trellis::Dialect::Postgres {
        // PostgreSQL text cannot hold NUL: a typed error, and no row written.
        let err = User::insert_many(users).exec(&db).await;
        assert!(
            matches!(err, Err(Error::Database { .. }) | Err(Error::Encode { .. })),
            "{err:?}"
        );
        let err = ids(&db, user::name.contains("\0")).await;
        assert!(err.is_err(), "{err:?}");
        assert_eq!(User::count().fetch(&db).await?, 0);
        return Ok(());
    }
    User::insert_many(users.clone()).exec(&db).await?;
    let stored = User::find_many()
        .order_by(user::id.asc())
        .fetch_all(&db)
        .await?;
    assert_eq!(stored, users, "NUL bytes are stored and read back");

    type Op = (
        &'static str,
        fn(&str) -> Filter<User>,
        fn(&str, &str) -> bool,
    );
    let ops: [Op; 7] = [
        ("contains", |n| user::name.contains(n), |h, n| h.contains(n)),
        (
            "starts_with",
            |n| user::name.starts_with(n),
            |h, n| h.starts_with(n),
        ),
        (
            "ends_with",
            |n| user::name.ends_with(n),
            |h, n| h.ends_with(n),
        ),
        ("eq", |n| user::name.eq(n), |h, n| h == n),
        (
            "contains_ignore_case",
            |n| user::name.contains_ignore_case(n),
            |h, n| h.to_lowercase().contains(&n.to_lowercase()),
        ),
        (
            "starts_with_ignore_case",
            |n| user::name.starts_with_ignore_case(n),
            |h, n| h.to_lowercase().starts_with(&n.to_lowercase()),
        ),
        (
            "ends_with_ignore_case",
            |n| user::name.ends_with_ignore_case(n),
            |h, n| h.to_lowercase().ends_with(&n.to_lowercase()),
        ),
    ];
    // MySQL compares text that is not a key under the column's case-insensitive collation
    // (docs/filters.md); NUL bytes count there all the same.
    let mysql = db.dialect() == trellis::Dialect::MySql;
    for needle in [
        "\0", "a\0zzz", "a\0b", "\0b", "\0B", "\0lead", "trail\0", "a", "\0\0",
    ] {
        for (name, op, expected) in ops {
            let want: Vec<String> = users
                .iter()
                .filter(|u| match (mysql, name) {
                    (true, "eq") => u.name.to_lowercase() == needle.to_lowercase(),
                    _ => expected(&u.name, needle),
                })
                .map(|u| u.id.clone())
                .collect();
            assert_eq!(ids(&db, op(needle)).await?, want, "{name}({needle:?})");
            assert_eq!(
                ids(&db, !op(needle)).await?.len(),
                users.len() - want.len(),
                "not {name}({needle:?})"
            );
        }
    }
    // The same through JSON.
    let found = ids(
        &db,
        parse(r#"{"name": {"contains": "\u0000"}}"#).unwrap_or_default(),
    )
    .await?;
    assert_eq!(found, ["u1", "u2", "u3", "u4"]);
    let found = ids(
        &db,
        parse(r#"{"name": {"contains": "A\u0000", "mode": "insensitive"}}"#).unwrap_or_default(),
    )
    .await?;
    assert_eq!(found, ["u1", "u4"]);
    Ok(())
}

async fn in_lists_past_the_parameter_limit(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    const N: usize = 100_000;
    // Integer keys: session ids, with the real ones among many that do not exist.
    let sessions = Session::find_many()
        .order_by(session::id.asc())
        .fetch_all(&db)
        .await?;
    let real: Vec<i64> = sessions.iter().map(|s| s.id).collect();
    let many: Vec<i64> = (1_000_000..1_000_000 + N as i64)
        .chain(real.iter().copied())
        .collect();
    let found = Session::find_many()
        .filter(session::id.in_(many.clone()))
        .order_by(session::id.asc())
        .fetch_all(&db)
        .await?;
    assert_eq!(found, sessions);
    let none = Session::count()
        .filter(session::id.not_in(many.clone()))
        .fetch(&db)
        .await?;
    assert_eq!(none, 0);

    // Text keys, typed and through JSON.
    let names: Vec<String> = (0..N)
        .map(|i| format!("nobody-{i}"))
        .chain(["cy".to_owned()])
        .collect();
    assert_eq!(ids(&db, user::id.in_(names.clone())).await?, ["cy"]);
    assert_eq!(
        ids(&db, user::id.not_in(names.clone())).await?,
        ["ada", "bob"]
    );
    let json =
        serde_json::json!({ "id": { "in": names }, "OR": [{ "name": { "not_in": ["x"] } }] });
    let filter: user::Where =
        serde_json::from_value(json).map_err(|e| Error::InvalidQuery(e.to_string()))?;
    assert_eq!(ids(&db, filter).await?, ["cy"]);
    // Two long lists in one statement.
    let both = user::id
        .in_(names.clone())
        .and(user::email.not_in(names.clone()));
    assert_eq!(ids(&db, both).await?, ["cy"]);
    // Nullable columns: NULL in the list matches nothing, as in a short list.
    let ages: Vec<Option<i32>> = (0..N as i32).map(Some).chain([None]).collect();
    assert_eq!(ids(&db, user::age.in_(ages.clone())).await?, ["ada", "cy"]);
    let found: BTreeSet<String> = ids(&db, user::age.not_in(ages))
        .await?
        .into_iter()
        .collect();
    assert!(
        found.is_empty(),
        "NOT IN with a NULL in the list matches nothing: {found:?}"
    );
    Ok(())
}

/// What a column of the generated filters holds, for the values its conditions are given.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Int,
}

/// A column of the generated filters: its name, kind, and whether it may be `NULL`.
type Column = (&'static str, Kind, bool);

/// The models of [`random_where_json_is_read_or_refused_and_every_filter_read_runs`]: columns,
/// and relations as (name, target, to-many).
struct Shape {
    columns: &'static [Column],
    relations: &'static [(&'static str, usize, bool)],
}

const USER: usize = 0;
const SHAPES: [Shape; 4] = [
    Shape {
        columns: &[
            ("id", Kind::Text, false),
            ("email", Kind::Text, false),
            ("name", Kind::Text, false),
            ("age", Kind::Int, true),
        ],
        relations: &[
            ("profile", 1, false),
            ("sessions", 2, true),
            ("organizations", 3, true),
        ],
    },
    Shape {
        columns: &[
            ("id", Kind::Text, false),
            ("user_id", Kind::Text, false),
            ("bio", Kind::Text, true),
        ],
        relations: &[("user", USER, false)],
    },
    Shape {
        columns: &[
            ("id", Kind::Int, false),
            ("user_id", Kind::Text, false),
            ("token", Kind::Text, false),
        ],
        relations: &[("user", USER, false)],
    },
    Shape {
        columns: &[("id", Kind::Text, false), ("name", Kind::Text, false)],
        relations: &[("members", USER, true)],
    },
];

/// Any JSON scalar a client might send where a value belongs: the right type, the wrong one,
/// out of range, or text that reads as a number, a date or a pattern.
fn any_scalar() -> BoxedStrategy<serde_json::Value> {
    use serde_json::json;
    prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(|b| json!(b)),
        prop_oneof![
            Just(0_i64),
            Just(36),
            Just(-1),
            Just(i64::from(i32::MAX) + 1),
            Just(i64::MAX),
            Just(i64::MIN),
            any::<i64>(),
        ]
        .prop_map(|n| json!(n)),
        Just(json!(u64::MAX)),
        prop_oneof![Just(1.5_f64), Just(-0.0), Just(1e308), Just(36.0)].prop_map(|x| json!(x)),
        prop_oneof![
            Just(""),
            Just("ada"),
            Just("36"),
            Just("9.99"),
            Just("2024-01-01T00:00:00Z"),
            Just("_a\\%"),
            Just("a\0b"),
            Just("é'\""),
            Just("insensitive"),
        ]
        .prop_map(|s| json!(s)),
    ]
    .boxed()
}

/// A value of the column's kind (or `NULL`, where the column may be): text that matches some
/// rows or none, and patterns; integers in range. With `fit` false, now and then any scalar.
fn value_of((_, kind, nullable): Column, fit: bool) -> BoxedStrategy<serde_json::Value> {
    use serde_json::json;
    let typed = match kind {
        Kind::Text => prop_oneof![
            Just("ada"),
            Just("t2"),
            Just("User cy"),
            Just("a"),
            Just(""),
            Just("%"),
            Just("_"),
            Just("A\\"),
        ]
        .prop_map(|s| json!(s))
        .boxed(),
        Kind::Int => prop_oneof![Just(19_i64), Just(36), Just(0), Just(1), Just(-7)]
            .prop_map(|n| json!(n))
            .boxed(),
    };
    let typed = if nullable {
        prop_oneof![4 => typed, 1 => Just(json!(null))].boxed()
    } else {
        typed
    };
    if fit {
        typed
    } else {
        prop_oneof![4 => typed, 1 => any_scalar()].boxed()
    }
}

/// The conditions on one column (`{"gt": 5, "in": [..]}`), with text matching (`contains`,
/// `"mode": "insensitive"`) on a text column unless `compare_only` (as for an aggregate); with
/// `fit` false, now and then an operator or value that does not fit.
fn conditions(column: Column, compare_only: bool, fit: bool) -> BoxedStrategy<serde_json::Value> {
    const COMPARISONS: [&str; 6] = ["equals", "not", "lt", "lte", "gt", "gte"];
    const TEXT: [&str; 3] = ["contains", "starts_with", "ends_with"];
    let (_, kind, _) = column;
    let value = value_of(column, fit);
    let list = proptest::collection::vec(value.clone(), 0..4).prop_map(serde_json::Value::Array);
    let mut entries = vec![
        (proptest::sample::select(&COMPARISONS[..]), value.clone())
            .prop_map(|(op, v)| (op.to_owned(), v))
            .boxed(),
        (prop_oneof![Just("in"), Just("not_in")], list)
            .prop_map(|(op, v)| (op.to_owned(), v))
            .boxed(),
    ];
    if (kind == Kind::Text && !compare_only) || !fit {
        let text = if fit {
            value_of(("", Kind::Text, false), true)
        } else {
            value.clone()
        };
        entries.push(
            (proptest::sample::select(&TEXT[..]), text)
                .prop_map(|(op, v)| (op.to_owned(), v))
                .boxed(),
        );
        entries.push(Just(("mode".to_owned(), serde_json::json!("insensitive"))).boxed());
    }
    if !fit {
        entries.push(
            (
                prop_oneof![Just("_min"), Just("EQUALS"), Just("mode")],
                value,
            )
                .prop_map(|(op, v)| (op.to_owned(), v))
                .boxed(),
        );
    }
    let object = proptest::collection::vec(proptest::strategy::Union::new(entries), 0..3)
        .prop_map(|entries| serde_json::Value::Object(entries.into_iter().collect()));
    if fit {
        object.boxed()
    } else {
        prop_oneof![8 => object, 1 => any_scalar()].boxed()
    }
}

/// A `Where` of model `model` as JSON, `depth` levels of relations and `AND`/`OR`/`NOT` deep
/// at most. With `fit`, every key and value fits the model; without, misfits are mixed in.
fn where_json(model: usize, depth: u32, fit: bool) -> BoxedStrategy<serde_json::Value> {
    let Some(shape) = SHAPES.get(model) else {
        return Just(serde_json::Value::Null).boxed();
    };
    let mut entries: Vec<BoxedStrategy<(String, serde_json::Value)>> = shape
        .columns
        .iter()
        .map(|&column| {
            conditions(column, false, fit)
                .prop_map(move |c| (column.0.to_owned(), c))
                .boxed()
        })
        .collect();
    if !fit {
        entries.push(
            (
                prop_oneof![Just("nmae"), Just("token"), Just("_count"), Just("and")],
                any_scalar(),
            )
                .prop_map(|(k, v)| (k.to_owned(), v))
                .boxed(),
        );
    }
    if depth > 0 {
        for &(name, target, many) in shape.relations {
            entries.push(
                relation_json(target, many, depth - 1, fit)
                    .prop_map(move |r| (name.to_owned(), r))
                    .boxed(),
            );
        }
        let inner = where_json(model, depth - 1, fit);
        entries.push(
            (
                prop_oneof![Just("AND"), Just("OR")],
                proptest::collection::vec(inner.clone(), 0..3),
            )
                .prop_map(|(k, list)| (k.to_owned(), serde_json::Value::Array(list)))
                .boxed(),
        );
        entries.push(inner.prop_map(|w| ("NOT".to_owned(), w)).boxed());
    }
    let object = proptest::collection::vec(proptest::strategy::Union::new(entries), 0..4)
        .prop_map(|entries| serde_json::Value::Object(entries.into_iter().collect()));
    if fit {
        object.boxed()
    } else {
        prop_oneof![12 => object, 1 => any_scalar()].boxed()
    }
}

/// The filter on a relation to `target`: `some`/`every`/`none` and the aggregates of a
/// to-many one (`_sum` and `_avg` of its integer columns, `_min` and `_max` of any), `is` and
/// `is_not` of a to-one one.
fn relation_json(
    target: usize,
    many: bool,
    depth: u32,
    fit: bool,
) -> BoxedStrategy<serde_json::Value> {
    let inner = where_json(target, depth, fit);
    let columns = SHAPES.get(target).map_or(&[][..], |s| s.columns);
    let mut entries: Vec<BoxedStrategy<(String, serde_json::Value)>> = Vec::new();
    if many || !fit {
        entries.push(
            (
                prop_oneof![Just("some"), Just("every"), Just("none")],
                inner.clone(),
            )
                .prop_map(|(k, w)| (k.to_owned(), w))
                .boxed(),
        );
        let count = ("_count", Kind::Int, false);
        entries.push(
            conditions(count, true, fit)
                .prop_map(|c| ("_count".to_owned(), c))
                .boxed(),
        );
        for &column in columns {
            let (name, kind, _) = column;
            // An aggregate's value is compared with a value, never with `NULL`.
            let aggregates = if kind == Kind::Int || !fit {
                prop_oneof![Just("_sum"), Just("_avg"), Just("_min"), Just("_max")].boxed()
            } else {
                prop_oneof![Just("_min"), Just("_max")].boxed()
            };
            entries.push(
                (aggregates, conditions((name, kind, false), true, fit))
                    .prop_map(move |(k, c)| (k.to_owned(), serde_json::json!({ name: c })))
                    .boxed(),
            );
        }
    }
    if !many || !fit {
        entries.push(
            (prop_oneof![Just("is"), Just("is_not")], inner)
                .prop_map(|(k, w)| (k.to_owned(), w))
                .boxed(),
        );
    }
    proptest::collection::vec(proptest::strategy::Union::new(entries), 0..3)
        .prop_map(|entries| serde_json::Value::Object(entries.into_iter().collect()))
        .boxed()
}

/// Random `Where` JSON shaped like the filter language, on every backend: every filter that
/// fits the models is read, and runs; with misfits mixed in (unknown keys, values of the wrong
/// type or out of range, scalars where objects belong), each is either refused when it is read,
/// or runs. A filter that was read and then fails in the database (invalid SQL, a value the
/// column cannot hold) is a bug, and so is a panic.
async fn random_where_json_is_read_or_refused_and_every_filter_read_runs(
    db: Db,
) -> Result<(), Error> {
    seed(&db).await?;
    // A profile, an organization and a membership too, so that every relation has rows.
    Profile::insert(profile::New {
        id: "p1".into(),
        user_id: "ada".into(),
        bio: Some("A%b_c".into()),
    })
    .exec(&db)
    .await?;
    Organization::insert(organization::New {
        id: "o1".into(),
        name: "Analytical".into(),
    })
    .exec(&db)
    .await?;
    Membership::insert(membership::New {
        user_id: "cy".into(),
        organization_id: "o1".into(),
        role: "member".into(),
    })
    .exec(&db)
    .await?;
    let mut runner = TestRunner::deterministic();
    let cases: usize = std::env::var("TRELLIS_WHERE_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    for fit in [true, false] {
        let strategy = where_json(USER, 3, fit);
        let (mut read, mut refused) = (0, 0);
        for _ in 0..cases {
            let json = strategy
                .new_tree(&mut runner)
                .map_err(|e| Error::InvalidQuery(e.to_string()))?
                .current();
            let filter = match serde_json::from_value::<user::Where>(json.clone()) {
                Ok(filter) => filter,
                Err(_) if !fit => {
                    refused += 1;
                    continue;
                }
                Err(e) => panic!("{json} fits the models, and was refused: {e}"),
            };
            read += 1;
            let counted = User::count().filter(filter.clone()).fetch(&db).await;
            let found = User::find_many().filter(filter).fetch_all(&db).await;
            match (found, counted) {
                (Ok(found), Ok(counted)) => assert_eq!(
                    i64::try_from(found.len()).ok(),
                    Some(counted),
                    "{json}: the rows found and their count differ"
                ),
                (Err(e), _) | (_, Err(e)) => {
                    panic!("{json} was read as a filter, then failed: {e:?}")
                }
            }
            if read % 700 == 0 {
                eprintln!("ZJ {json}");
            }
        }
        // The misfits must still reach the database often enough to test it.
        assert!(
            read * 4 >= cases,
            "only {read} of {cases} read ({refused} refused)"
        );
    }
    Ok(())
}
