//! Values as a client or an attacker would send them: filters nested far past any limit,
//! ten-megabyte texts, floats that are not numbers, integers that do not fit their column.
//! Each is a correct answer or a typed error on every backend (`docs/reliability.md` lists
//! what each backend does), and none takes the process down.

use trellis::prelude::*;

use crate::models::{all_types, schema, user, AllTypes, User};
use crate::support::backend_tests;

backend_tests!(
    where_json_nested_100_000_deep_is_refused,
    ten_megabyte_texts_round_trip_and_filter,
    non_finite_floats,
    integers_that_do_not_fit_their_column_are_refused,
);

fn row(text: String, double: f64) -> AllTypes {
    let at = chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    AllTypes {
        id: uuid::Uuid::nil(),
        flag: false,
        small: 0,
        int: 0,
        big: 0,
        real: 0.0,
        double,
        text,
        bytes: Vec::new(),
        maybe_text: None,
        maybe_big: None,
        maybe_bytes: None,
        chrono_at: at,
        chrono_utc: at.and_utc(),
        chrono_date: at.date(),
        time_at: time::macros::datetime!(2024-01-01 00:00:00),
        time_date: time::macros::date!(2024 - 01 - 01),
        maybe_time: None,
        amount: rust_decimal::Decimal::ZERO,
        maybe_amount: None,
        doc: serde_json::Value::Null,
        maybe_doc: None,
        maybe_uuid: None,
    }
}

async fn where_json_nested_100_000_deep_is_refused(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    // On a runtime worker thread (2 MiB of stack), as a server's handler would run.
    let handle = tokio::spawn(async move {
        const DEPTH: usize = 100_000;
        let mut json = String::with_capacity(DEPTH * 10);
        for _ in 0..DEPTH {
            json.push_str(r#"{"NOT":"#);
        }
        json.push_str("{}");
        json.push_str(&"}".repeat(DEPTH));
        let err = serde_json::from_str::<user::Where>(&json)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(!err.is_empty(), "100,000 levels must be refused");
        // The same through a relation chain.
        let levels = DEPTH / 2;
        let mut chain = r#"{"sessions":{"some":{"user":{"is":"#.repeat(levels);
        chain.push_str("{}");
        chain.push_str(&"}}}}".repeat(levels));
        assert!(serde_json::from_str::<user::Where>(&chain).is_err());
        // The database is untouched and still answers.
        assert_eq!(User::count().fetch(&db).await?, 0);
        Ok::<_, Error>(())
    });
    handle.await.unwrap_or_else(|e| panic!("task failed: {e}"))
}

async fn ten_megabyte_texts_round_trip_and_filter(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    let big: String = "ab%_\\üc".repeat(10 * 1024 * 1024 / 8);
    assert!(big.len() >= 10 * 1024 * 1024 - 8);
    let stored = AllTypes::insert(row(big.clone(), 1.0)).exec(&db).await?;
    AllTypes::insert(row("small".into(), 2.0)).exec(&db).await?;
    assert_eq!(stored.text, big);
    let read = AllTypes::find_by_id(stored.id).fetch_one(&db).await?;
    assert_eq!(read.text.len(), big.len());
    assert!(read.text == big, "the text reads back byte for byte");
    // A ten-megabyte needle is a bound parameter like any other, its wildcards escaped.
    for filter in [
        all_types::text.eq(big.clone()),
        all_types::text.contains(&big),
        all_types::text.starts_with(&big[..big.len() / 2]),
        all_types::text.ends_with(&big[big.len() / 2..]),
    ] {
        let found = AllTypes::find_many().filter(filter).fetch_all(&db).await?;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, stored.id);
    }
    let longer = format!("{big}x");
    let none = AllTypes::count()
        .filter(all_types::text.contains(&longer))
        .fetch(&db)
        .await?;
    assert_eq!(none, 0);
    Ok(())
}

async fn non_finite_floats(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    let finite = AllTypes::insert(row("finite".into(), 1.5))
        .exec(&db)
        .await?;
    let doubles = |rows: Vec<AllTypes>| {
        let mut found: Vec<f64> = rows.into_iter().map(|r| r.double).collect();
        found.sort_by(f64::total_cmp);
        found
    };
    // NaN: refused before it reaches any backend, in a write and in a filter alike (SQLite
    // would store NULL, MySQL refuses it, PostgreSQL calls it equal to itself).
    let err = AllTypes::insert(row("nan".into(), f64::NAN))
        .exec(&db)
        .await;
    assert!(matches!(err, Err(Error::Encode { .. })), "{err:?}");
    for filter in [
        all_types::double.eq(f64::NAN),
        all_types::double.gt(f64::NAN),
        all_types::double.ne(f64::NAN),
    ] {
        let err = AllTypes::find_many().filter(filter).fetch_all(&db).await;
        assert!(matches!(err, Err(Error::Encode { .. })), "{err:?}");
    }
    assert_eq!(AllTypes::count().fetch(&db).await?, 1);
    // Infinities: stored and compared on SQLite and PostgreSQL; MySQL's DOUBLE holds none and
    // refuses the write, writing nothing.
    let mysql = db.dialect() == trellis::Dialect::MySql;
    for value in [f64::INFINITY, f64::NEG_INFINITY] {
        let stored = AllTypes::insert(row(format!("{value}"), value))
            .exec(&db)
            .await;
        if mysql {
            assert!(matches!(stored, Err(Error::Database { .. })), "{stored:?}");
        } else {
            assert_eq!(stored?.double, value);
        }
    }
    let all = doubles(AllTypes::find_many().fetch_all(&db).await?);
    let want: Vec<f64> = if mysql {
        vec![1.5]
    } else {
        vec![f64::NEG_INFINITY, 1.5, f64::INFINITY]
    };
    assert_eq!(all, want);
    // As filter values, infinities compare as the numbers they are on every backend.
    let below = AllTypes::find_many()
        .filter(all_types::double.lt(f64::INFINITY))
        .fetch_all(&db)
        .await?;
    assert_eq!(doubles(below), &want[..want.len() - usize::from(!mysql)]);
    let above = AllTypes::find_many()
        .filter(all_types::double.gt(f64::NEG_INFINITY))
        .fetch_all(&db)
        .await?;
    assert_eq!(doubles(above), &want[usize::from(!mysql)..]);
    let at = AllTypes::find_many()
        .filter(all_types::double.eq(f64::INFINITY))
        .fetch_all(&db)
        .await?;
    assert_eq!(doubles(at).len(), usize::from(!mysql));
    assert_eq!(
        AllTypes::find_by_id(finite.id).fetch_one(&db).await?.double,
        1.5
    );
    Ok(())
}

async fn integers_that_do_not_fit_their_column_are_refused(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    for json in [
        r#"{"age": {"gt": 2147483648}}"#,
        r#"{"age": {"equals": -2147483649}}"#,
        r#"{"age": {"in": [1, 99999999999999999999]}}"#,
        r#"{"age": {"lt": 1.5}}"#,
        r#"{"age": {"lt": 1e400}}"#,
    ] {
        let err = serde_json::from_str::<user::Where>(json);
        assert!(err.is_err(), "{json} must be refused: {err:?}");
    }
    Ok(())
}
