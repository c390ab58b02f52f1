//! Every supported column type survives a round trip, with and without `NULL`.

use std::str::FromStr;

use trellis::prelude::*;

use crate::models::{schema, AllTypes, Code};
use crate::support::backend_tests;

backend_tests!(
    every_type_round_trips,
    auto_uuid_key_is_generated_when_nil,
    sql_type_columns_round_trip,
);

fn sample(filled: bool) -> AllTypes {
    let at = chrono::NaiveDate::from_ymd_opt(2024, 2, 29)
        .and_then(|d| d.and_hms_micro_opt(13, 14, 15, 123_456))
        .expect("valid date");
    AllTypes {
        id: uuid::Uuid::nil(),
        flag: filled,
        small: -12,
        int: 1 << 30,
        big: i64::MAX - 1,
        real: 1.5,
        double: -2.25e10,
        text: "naïve 'text' \"with\" quotes, \\ and ünïcødé ✓".into(),
        bytes: vec![0, 1, 2, 255],
        maybe_text: filled.then(|| "present".into()),
        maybe_big: filled.then_some(-5),
        maybe_bytes: filled.then(|| vec![9; 3]),
        chrono_at: at,
        chrono_utc: at.and_utc(),
        chrono_date: at.date(),
        time_at: time::macros::datetime!(2023-12-31 23:59:58.5),
        time_date: time::macros::date!(2000 - 01 - 01),
        maybe_time: filled.then_some(time::macros::datetime!(2021-06-01 08:00:00 UTC)),
        amount: rust_decimal::Decimal::from_str("12345.6789").expect("decimal"),
        maybe_amount: filled.then(|| rust_decimal::Decimal::from_str("-0.5").expect("decimal")),
        doc: serde_json::json!({"tags": ["a", "b"], "n": 1}),
        maybe_doc: filled.then(|| serde_json::json!([1, 2, 3])),
        maybe_uuid: filled.then(|| uuid::Uuid::from_u128(42)),
    }
}

async fn every_type_round_trips(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    for filled in [true, false] {
        let stored = AllTypes::insert(sample(filled)).exec(&db).await?;
        let expected = AllTypes {
            id: stored.id,
            ..sample(filled)
        };
        assert_eq!(stored, expected, "as returned by the insert");
        let read = AllTypes::find_by_id(stored.id).fetch_one(&db).await?;
        assert_eq!(read, expected, "as read back");
        // Filters bind every type too.
        let by_value = AllTypes::find_many()
            .filter(crate::models::all_types::amount.eq(expected.amount))
            .filter(crate::models::all_types::flag.eq(filled))
            .filter(crate::models::all_types::chrono_date.eq(expected.chrono_date))
            .filter(crate::models::all_types::maybe_uuid.eq(expected.maybe_uuid))
            .fetch_all(&db)
            .await?;
        assert_eq!(by_value, [expected]);
    }
    Ok(())
}

async fn auto_uuid_key_is_generated_when_nil(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    let a = AllTypes::insert(sample(true)).exec(&db).await?;
    let b = AllTypes::insert(sample(true)).exec(&db).await?;
    assert!(!a.id.is_nil());
    assert_ne!(a.id, b.id);
    let chosen = uuid::Uuid::from_u128(7);
    let c = AllTypes::insert(AllTypes {
        id: chosen,
        ..sample(false)
    })
    .exec(&db)
    .await?;
    assert_eq!(c.id, chosen, "a key that is set is kept");
    Ok(())
}

async fn sql_type_columns_round_trip(db: Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    let rows = [
        Code {
            code: "a".into(),
            label: Some("first".into()),
        },
        Code {
            code: "b".into(),
            label: None,
        },
    ];
    let stored = Code::insert_many(rows.clone()).exec(&db).await?;
    assert_eq!(stored, rows);
    let b = Code::find_by_id("b").fetch_one(&db).await?;
    assert_eq!(b, rows[1]);
    let meta = Code::META.column("label").map(|c| (c.sql_type, c.nullable));
    assert_eq!(meta, Some((trellis::SqlType::Custom("VARCHAR(64)"), true)));
    Ok(())
}
