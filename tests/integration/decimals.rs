//! Decimals compare, order and aggregate as numbers on every backend, exactly: SQLite, which
//! keeps them as text, included (where `"9" > "10.5"` as text, and a sum of doubles gives
//! `0.1 + 0.2 = 0.30000000000000004`).

use std::str::FromStr;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use rust_decimal::{Decimal, RoundingStrategy};
use trellis::prelude::*;

use crate::support::backend_tests;

backend_tests!(
    decimals_compare_and_order_as_numbers,
    decimals_aggregate_exactly,
    a_where_filters_by_decimal_aggregates,
    random_decimals_agree_with_exact_arithmetic,
);

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "dec_ledgers")]
pub struct Ledger {
    #[field(id)]
    pub id: i64,
    pub name: String,
    #[relation(has_many = Entry, foreign_key = "ledger_id")]
    pub entries: HasMany<Entry>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "dec_entries")]
pub struct Entry {
    #[field(id)]
    pub id: i64,
    #[field(references = Ledger)]
    pub ledger_id: i64,
    pub amount: Decimal,
    pub fee: Option<Decimal>,
}

/// A ledger's aggregates of its entries, as a type of its own.
#[derive(Selection, Debug, Clone, PartialEq)]
#[selection(model = Ledger)]
pub struct Totals {
    pub id: i64,
    #[selection(of = entries, sum = amount)]
    pub total: Decimal,
    #[selection(of = entries, avg = amount)]
    pub mean: Option<Decimal>,
    #[selection(of = entries, min = amount)]
    pub low: Option<Decimal>,
    #[selection(of = entries, max = fee)]
    pub high: Option<Decimal>,
    #[selection(of = entries, sum = fee)]
    pub fees: Decimal,
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Three ledgers: `sums` (0.1, 0.2 and 0.3, which doubles do not add up to 0.6), `texts` (9,
/// 10.5 and -10, whose text orders differently from their numbers) and `empty`.
async fn setup(db: &Db) -> Result<Vec<entry::New>, Error> {
    db.create_schema(&Schema::new().model::<Ledger>().model::<Entry>())
        .await?;
    Ledger::insert_many(
        [(1, "sums"), (2, "texts"), (3, "empty")].map(|(id, name)| ledger::New {
            id,
            name: name.into(),
        }),
    )
    .exec(db)
    .await?;
    let entries = [
        (1, "0.1", Some("0.01")),
        (1, "0.2", None),
        (1, "0.30", Some("0.02")),
        (2, "9", Some("1")),
        (2, "10.5", Some("2")),
        (2, "-10", Some("2")),
    ]
    .into_iter()
    .zip(1..)
    .map(|((ledger_id, amount, fee), id)| entry::New {
        id,
        ledger_id,
        amount: dec(amount),
        fee: fee.map(dec),
    })
    .collect::<Vec<_>>();
    Entry::insert_many(entries.clone()).exec(db).await?;
    Ok(entries)
}

async fn amounts(db: &Db, filter: Filter<Entry>) -> Result<Vec<Decimal>, Error> {
    Ok(Entry::find_many()
        .filter(filter)
        .order_by(entry::amount.asc())
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|e| e.amount)
        .collect())
}

async fn decimals_compare_and_order_as_numbers(db: Db) -> Result<(), Error> {
    let entries = setup(&db).await?;
    let mut all: Vec<Decimal> = entries.iter().map(|e| e.amount).collect();
    all.sort();
    assert_eq!(
        amounts(&db, entry::amount.ne(dec("1000"))).await?,
        all,
        "ordered as numbers"
    );
    assert_eq!(
        amounts(&db, entry::amount.gt(dec("9"))).await?,
        [dec("10.5")]
    );
    assert_eq!(
        amounts(&db, entry::amount.lte(dec("0.2"))).await?,
        [dec("-10"), dec("0.1"), dec("0.2")]
    );
    // Equal as numbers, whatever their scale: as PostgreSQL and MySQL compare them.
    assert_eq!(
        amounts(&db, entry::amount.eq(dec("0.3"))).await?,
        [dec("0.3")]
    );
    assert_eq!(
        amounts(&db, entry::amount.in_([dec("9.00"), dec("-10.0")])).await?,
        [dec("-10"), dec("9")]
    );
    // Descending, and the rows after a cursor in that order.
    let desc = Entry::find_many()
        .order_by(entry::amount.desc())
        .fetch_all(&db)
        .await?;
    let mut expected = all.clone();
    expected.reverse();
    assert_eq!(desc.iter().map(|e| e.amount).collect::<Vec<_>>(), expected);
    let after = Entry::find_many()
        .order_by(entry::amount.desc())
        .cursor(entry::id, desc[1].id)
        .fetch_all(&db)
        .await?;
    assert_eq!(
        after.iter().map(|e| e.amount).collect::<Vec<_>>(),
        expected[2..]
    );
    Ok(())
}

async fn decimals_aggregate_exactly(db: Db) -> Result<(), Error> {
    let entries = setup(&db).await?;
    let of = |ledger: i64| entries.iter().filter(move |e| e.ledger_id == ledger);
    // Per ledger, in a selection.
    let ledgers = Ledger::find_many()
        .order_by(ledger::id.asc())
        .select(select!(Ledger {
            id,
            total: entries: sum(amount),
            mean: entries: avg(amount),
            low: entries: min(amount),
            high: entries: max(amount),
            fees: entries: sum(fee),
            big: entries(where = amount.gt(dec("1"))): sum(amount),
        }))
        .fetch_all(&db)
        .await?;
    assert_eq!(ledgers.len(), 3);
    for ledger in &ledgers {
        let amounts: Vec<Decimal> = of(ledger.id).map(|e| e.amount).collect();
        let total: Decimal = amounts.iter().sum();
        assert_eq!(ledger.total, total, "ledger {}", ledger.id);
        assert_eq!(
            ledger.fees,
            of(ledger.id).filter_map(|e| e.fee).sum::<Decimal>()
        );
        assert_eq!(
            ledger.big,
            amounts.iter().filter(|a| **a > dec("1")).sum::<Decimal>()
        );
        assert_eq!(ledger.low, amounts.iter().min().copied());
        assert_eq!(ledger.high, amounts.iter().max().copied());
    }
    assert_eq!(
        ledgers[0].total,
        dec("0.6"),
        "exact, not 0.6000000000000001"
    );
    assert_eq!(ledgers[0].mean, Some(dec("0.2")));
    assert_eq!(ledgers[1].high, Some(dec("10.5")), "not the text \"9\"");
    assert_eq!(ledgers[1].low, Some(dec("-10")));
    // 9.5 / 3, to ten places, half away from zero, on every backend.
    assert_eq!(ledgers[1].mean, Some(dec("3.1666666667")));
    assert_eq!(ledgers[2].total, Decimal::ZERO);
    assert_eq!(
        (ledgers[2].mean, ledgers[2].low, ledgers[2].high),
        (None, None, None)
    );
    // Over the rows of a query, and per group.
    let (total, mean, high): (Decimal, Option<Decimal>, Option<Decimal>) =
        Entry::aggregate((entry::amount.sum(), entry::fee.avg(), entry::amount.max()))
            .fetch(&db)
            .await?;
    assert_eq!(total, dec("10.1"));
    assert_eq!(mean, Some(dec("1.006")));
    assert_eq!(high, Some(dec("10.5")));
    let groups: Vec<(i64, Decimal)> = Entry::group_by(entry::ledger_id)
        .aggregate(entry::amount.sum())
        .having(entry::amount.sum().lt(dec("1")))
        .order_by(entry::amount.sum().desc())
        .fetch_all(&db)
        .await?;
    assert_eq!(groups, [(1, dec("0.6"))]);
    // Parents filtered and ordered by an aggregate of decimals.
    let by_max = Ledger::find_many()
        .filter(ledger::entries.max(entry::amount).gt(dec("9")))
        .fetch_all(&db)
        .await?;
    assert_eq!(by_max.iter().map(|l| l.id).collect::<Vec<_>>(), [2]);
    let by_sum = Ledger::find_many()
        .order_by(ledger::entries.sum(entry::amount).desc())
        .fetch_all(&db)
        .await?;
    assert_eq!(by_sum.iter().map(|l| l.id).collect::<Vec<_>>(), [2, 1, 3]);
    let by_avg = Ledger::find_many()
        .filter(ledger::entries.avg(entry::amount).lt(dec("1")))
        .fetch_all(&db)
        .await?;
    assert_eq!(by_avg.iter().map(|l| l.id).collect::<Vec<_>>(), [1]);
    Ok(())
}

async fn a_where_filters_by_decimal_aggregates(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let pairs: [(&str, Filter<Ledger>); 3] = [
        (
            r#"{"entries": {"_sum": {"amount": {"gt": "0.59"}}}}"#,
            ledger::entries.sum(entry::amount).gt(dec("0.59")),
        ),
        (
            r#"{"entries": {"_max": {"amount": {"gte": "10"}}}}"#,
            ledger::entries.max(entry::amount).gte(dec("10")),
        ),
        (
            r#"{"entries": {"_avg": {"fee": {"lt": "1"}}}}"#,
            ledger::entries.avg(entry::fee).lt(dec("1")),
        ),
    ];
    let ids = |filter: Filter<Ledger>| {
        let db = db.clone();
        async move {
            let rows = Ledger::find_many()
                .filter(filter)
                .order_by(ledger::id.asc())
                .fetch_all(&db)
                .await?;
            Ok::<_, Error>(rows.into_iter().map(|l| l.id).collect::<Vec<_>>())
        }
    };
    let expected: [&[i64]; 3] = [&[1, 2], &[2], &[1]];
    for ((json, typed), expected) in pairs.into_iter().zip(expected) {
        let from_json: Filter<Ledger> = serde_json::from_str::<ledger::Where>(json)
            .map(Into::into)
            .map_err(|e| Error::InvalidQuery(format!("{json}: {e}")))?;
        assert_eq!(ids(from_json).await?, expected, "{json}");
        assert_eq!(ids(typed).await?, expected, "{json}, typed");
    }
    // A value that is no decimal is refused when the JSON is read, naming where it was.
    let bad = r#"{"entries": {"_sum": {"amount": {"gt": "ten"}}}}"#;
    let error = serde_json::from_str::<ledger::Where>(bad)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(error.contains("`_sum` of `amount`"), "{error}");
    Ok(())
}

/// A decimal of up to twelve integer digits and four places, either sign: every backend
/// stores it exactly (MySQL's column keeps ten places), and its text orders unlike its number
/// often (`"-0.5" < "-10"`, `"9" > "10.25"`).
fn any_decimal() -> impl Strategy<Value = Decimal> {
    (
        -999_999_999_999_999_i64..=999_999_999_999_999,
        0_u32..=4,
        0_u32..=11,
    )
        .prop_map(|(mantissa, scale, shift)| {
            // Shifted right to spread the magnitudes: 123456789012.3456 down to 0.0001.
            Decimal::new(mantissa / 10_i64.pow(shift), scale)
        })
}

/// Random entries and a random bound, on every backend, against `rust_decimal`'s exact
/// arithmetic in Rust: filters, orders, and every aggregate per ledger and over the table.
async fn random_decimals_agree_with_exact_arithmetic(db: Db) -> Result<(), Error> {
    db.create_schema(&Schema::new().model::<Ledger>().model::<Entry>())
        .await?;
    let case = (
        proptest::collection::vec(
            (
                1_i64..=3,
                any_decimal(),
                proptest::option::of(any_decimal()),
            ),
            0..12,
        ),
        any_decimal(),
    );
    let mut runner = TestRunner::deterministic();
    for round in 0..40 {
        let (rows, bound) = case
            .new_tree(&mut runner)
            .map_err(|e| Error::InvalidQuery(e.to_string()))?
            .current();
        Entry::delete_many().exec(&db).await?;
        Ledger::delete_many().exec(&db).await?;
        Ledger::insert_many((1..=3).map(|id| ledger::New {
            id,
            name: format!("l{id}"),
        }))
        .exec(&db)
        .await?;
        let entries: Vec<entry::New> = rows
            .iter()
            .zip(1..)
            .map(|((ledger_id, amount, fee), id)| entry::New {
                id,
                ledger_id: *ledger_id,
                amount: *amount,
                fee: *fee,
            })
            .collect();
        Entry::insert_many(entries.clone()).exec(&db).await?;
        let at = format!("round {round}: {entries:?}, bound {bound}");

        // Filters and the order, ties broken by the key.
        let mut above: Vec<(Decimal, i64)> = entries
            .iter()
            .filter(|e| e.amount > bound)
            .map(|e| (e.amount, e.id))
            .collect();
        above.sort();
        let found = Entry::find_many()
            .filter(entry::amount.gt(bound))
            .order_by(entry::amount.asc())
            .order_by(entry::id.asc())
            .fetch_all(&db)
            .await?;
        let found: Vec<(Decimal, i64)> = found.iter().map(|e| (e.amount, e.id)).collect();
        assert_eq!(found, above, "{at}");
        let equal = Entry::find_many()
            .filter(entry::fee.eq(Some(bound)).or(entry::amount.lte(bound)))
            .order_by(entry::id.asc())
            .fetch_all(&db)
            .await?;
        let expected: Vec<i64> = entries
            .iter()
            .filter(|e| e.fee == Some(bound) || e.amount <= bound)
            .map(|e| e.id)
            .collect();
        assert_eq!(
            equal.iter().map(|e| e.id).collect::<Vec<_>>(),
            expected,
            "{at}"
        );

        // Per ledger, in a derived selection, and ledgers ordered by a sum.
        let ledgers = Ledger::find_many()
            .order_by(ledger::id.asc())
            .select(Totals::level())
            .fetch_all(&db)
            .await?;
        let mut by_total = Vec::new();
        for ledger in &ledgers {
            let of: Vec<&entry::New> = entries
                .iter()
                .filter(|e| e.ledger_id == ledger.id)
                .collect();
            let total: Decimal = of.iter().map(|e| e.amount).sum();
            let mean = (!of.is_empty()).then(|| {
                (total / Decimal::from(of.len()))
                    .round_dp_with_strategy(10, RoundingStrategy::MidpointAwayFromZero)
            });
            let low = of.iter().map(|e| e.amount).min();
            let high = of.iter().filter_map(|e| e.fee).max();
            let fees: Decimal = of.iter().filter_map(|e| e.fee).sum();
            assert_eq!(
                (
                    ledger.total,
                    ledger.mean,
                    ledger.low,
                    ledger.high,
                    ledger.fees
                ),
                (total, mean, low, high, fees),
                "ledger {}, {at}",
                ledger.id
            );
            by_total.push((std::cmp::Reverse(total), ledger.id));
        }
        by_total.sort();
        let ordered = Ledger::find_many()
            .order_by(ledger::entries.sum(entry::amount).desc())
            .order_by(ledger::id.asc())
            .fetch_all(&db)
            .await?;
        assert_eq!(
            ordered.iter().map(|l| l.id).collect::<Vec<_>>(),
            by_total.iter().map(|(_, id)| *id).collect::<Vec<_>>(),
            "{at}"
        );
        let (total, high): (Decimal, Option<Decimal>) =
            Entry::aggregate((entry::amount.sum(), entry::amount.max()))
                .fetch(&db)
                .await?;
        assert_eq!(
            total,
            entries.iter().map(|e| e.amount).sum::<Decimal>(),
            "{at}"
        );
        assert_eq!(high, entries.iter().map(|e| e.amount).max(), "{at}");
    }
    Ok(())
}

/// On SQLite, text that is no decimal (written by another program) sorts after every decimal,
/// and a sum of it is an error that names the text, not a wrong number.
#[tokio::test]
async fn sqlite_text_that_is_no_decimal_sorts_last_and_is_not_summed() -> Result<(), Error> {
    let db = Db::connect("sqlite::memory:").await?;
    setup(&db).await?;
    crate::support::raw(
        &db,
        "INSERT INTO dec_entries (id, ledger_id, amount) VALUES (99, 3, 'n/a')",
    )
    .await;
    let texts: Vec<String> = db
        .fetch_raw("SELECT amount FROM dec_entries ORDER BY amount", [])
        .await?
        .iter()
        .map(|row| row.get_native::<String>(0))
        .collect::<Result<_, _>>()
        .map_err(|e| Error::InvalidQuery(e.to_string()))?;
    assert_eq!(texts.first().map(String::as_str), Some("-10"));
    assert_eq!(texts.last().map(String::as_str), Some("n/a"));
    let sum = Ledger::find_many()
        .select(select!(Ledger { id, total: entries: sum(amount) }))
        .fetch_all(&db)
        .await;
    // The database's message, in the error's sources.
    let reported = |e: &Error| {
        let mut chain = Vec::new();
        let mut at: Option<&dyn std::error::Error> = Some(e);
        while let Some(e) = at {
            chain.push(e.to_string());
            at = e.source();
        }
        chain.join(": ")
    };
    assert!(
        matches!(&sum, Err(e @ Error::Database { .. }) if reported(e).contains("`n/a` is not a decimal")),
        "{sum:?}"
    );
    Ok(())
}
