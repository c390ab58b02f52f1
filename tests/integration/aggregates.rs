//! Aggregates of a relation's rows: `count`, `sum`, `avg`, `min` and `max` in a selection
//! (per parent, each with its own `where`, under names of their own, at any depth), and as
//! filters and orderings (`shop::sales.sum(sale::amount).gt(100)`), checked against what the
//! inserted rows give when added up in Rust.

use chrono::{NaiveDate, NaiveDateTime};
use trellis::aggregate::count;
use trellis::prelude::*;

use crate::support::backend_tests;

backend_tests!(
    a_selection_reads_every_aggregate_of_a_relation,
    aggregates_nest_and_share_a_statement_per_relation_and_where,
    many_to_many_relations_aggregate_through_their_join_model,
    rows_are_filtered_and_ordered_by_relation_aggregates,
    a_where_filters_by_relation_aggregates,
    a_query_aggregates_its_rows_and_its_groups,
    counts_come_with_included_rows,
    a_derived_selection_reads_aggregates,
    a_cursor_pages_an_order_by_an_aggregate,
);

/// A shop with aggregates of its relations, as a type of its own.
#[derive(Selection, Debug, Clone, PartialEq)]
#[selection(model = Shop)]
pub struct ShopStats {
    pub id: i64,
    #[selection(count)]
    pub sales: i64,
    #[selection(of = sales, sum = amount)]
    pub total: i64,
    #[selection(of = sales, max = sold_at, where = amount.gte(25))]
    pub last_big: Option<NaiveDateTime>,
    #[selection(of = suppliers, avg = rating)]
    pub rating: Option<f64>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "ag_shops")]
pub struct Shop {
    #[field(id)]
    pub id: i64,
    pub name: String,
    #[relation(has_many = Sale, foreign_key = "shop_id")]
    pub sales: HasMany<Sale>,
    #[relation(many_to_many = Supplier, through = Supply, from = "shop_id", to = "supplier_id")]
    pub suppliers: ManyToMany<Supplier>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "ag_sales")]
pub struct Sale {
    #[field(id)]
    pub id: i64,
    #[field(references = Shop)]
    pub shop_id: i64,
    pub amount: i32,
    pub small: i16,
    pub big: i64,
    pub weight: Option<f64>,
    pub sold_at: NaiveDateTime,
    pub note: String,
    #[relation(has_many = Refund, foreign_key = "sale_id")]
    pub refunds: HasMany<Refund>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "ag_refunds")]
pub struct Refund {
    #[field(id)]
    pub id: i64,
    #[field(references = Sale)]
    pub sale_id: i64,
    pub amount: i32,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "ag_suppliers")]
pub struct Supplier {
    #[field(id)]
    pub id: i64,
    pub rating: f32,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "ag_supplies")]
pub struct Supply {
    #[field(id)]
    pub id: i64,
    #[field(references = Shop)]
    pub shop_id: i64,
    #[field(references = Supplier)]
    pub supplier_id: i64,
}

/// What was inserted: shop `s` has `2 (s - 1)` sales (shop 1 none), sale `i` has `i % 3`
/// refunds, and shop `s` buys from suppliers 1 to `s - 1`.
struct Data {
    sales: Vec<sale::New>,
    refunds: Vec<refund::New>,
    suppliers: Vec<supplier::New>,
    supplies: Vec<supply::New>,
}

fn day(n: i64) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(|d| d + chrono::Duration::days(n))
        .expect("a valid date")
}

async fn setup(db: &Db) -> Result<Data, Error> {
    db.create_schema(
        &Schema::new()
            .model::<Shop>()
            .model::<Sale>()
            .model::<Refund>()
            .model::<Supplier>()
            .model::<Supply>(),
    )
    .await?;
    Shop::insert_many((1..=4).map(|id| shop::New {
        id,
        name: format!("shop {id}"),
    }))
    .exec(db)
    .await?;
    let mut sales = Vec::new();
    for s in 1..=4_i64 {
        for n in 0..(s - 1) * 2 {
            let id = s * 100 + n;
            sales.push(sale::New {
                id,
                shop_id: s,
                amount: i32::try_from(id * 7 % 50).expect("small"),
                small: i16::try_from(n % 5).expect("small"),
                big: id * 1_000_000_007,
                weight: (n % 3 != 0).then_some(n as f64 * 1.5),
                sold_at: day(id % 17),
                note: format!("n{}", id % 13),
            });
        }
    }
    Sale::insert_many(sales.clone()).exec(db).await?;
    let refunds: Vec<refund::New> = sales
        .iter()
        .flat_map(|s| {
            (0..s.id % 3).map(move |r| refund::New {
                id: s.id * 10 + r,
                sale_id: s.id,
                amount: i32::try_from(s.id % 11 + r).expect("small"),
            })
        })
        .collect();
    Refund::insert_many(refunds.clone()).exec(db).await?;
    let suppliers: Vec<supplier::New> = (1..=3)
        .map(|id| supplier::New {
            id,
            rating: id as f32 / 2.0,
        })
        .collect();
    Supplier::insert_many(suppliers.clone()).exec(db).await?;
    let supplies: Vec<supply::New> = (1..=4_i64)
        .flat_map(|s| {
            (1..s).map(move |p| supply::New {
                id: s * 10 + p,
                shop_id: s,
                supplier_id: p,
            })
        })
        .collect();
    Supply::insert_many(supplies.clone()).exec(db).await?;
    Ok(Data {
        sales,
        refunds,
        suppliers,
        supplies,
    })
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        (a, b) => a == b,
    }
}

fn average(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

async fn a_selection_reads_every_aggregate_of_a_relation(db: Db) -> Result<(), Error> {
    let data = setup(&db).await?;
    let shops = Shop::find_many()
        .order_by(shop::id.asc())
        .select(select!(Shop {
            id,
            sales: count,
            total: sales: sum(amount),
            smalls: sales: sum(small),
            bigs: sales: sum(big),
            weights: sales: sum(weight),
            mean: sales: avg(amount),
            mean_weight: sales: avg(weight),
            least: sales: min(amount),
            first_sold: sales: min(sold_at),
            last_sold: sales: max(sold_at),
            last_note: sales: max(note),
            heaviest: sales: max(weight),
            big_total: sales(where = amount.gte(25)): sum(amount),
            big_count: sales(where = amount.gte(25)): count,
        }))
        .fetch_all(&db)
        .await?;
    assert_eq!(shops.len(), 4);
    for shop in &shops {
        let sales: Vec<&sale::New> = data.sales.iter().filter(|s| s.shop_id == shop.id).collect();
        // The types a user reads them as.
        let (count, total, weights): (i64, i64, f64) = (shop.sales, shop.total, shop.weights);
        let (mean, least): (Option<f64>, Option<i32>) = (shop.mean, shop.least);
        let last_sold: Option<NaiveDateTime> = shop.last_sold;
        assert_eq!(count, sales.len() as i64, "shop {}", shop.id);
        assert_eq!(
            total,
            sales.iter().map(|s| i64::from(s.amount)).sum::<i64>()
        );
        assert_eq!(
            shop.smalls,
            sales.iter().map(|s| i64::from(s.small)).sum::<i64>()
        );
        assert_eq!(shop.bigs, sales.iter().map(|s| s.big).sum::<i64>());
        let present: Vec<f64> = sales.iter().filter_map(|s| s.weight).collect();
        assert!(
            close(Some(weights), Some(present.iter().sum())),
            "{weights}"
        );
        let amounts: Vec<f64> = sales.iter().map(|s| f64::from(s.amount)).collect();
        assert!(close(mean, average(&amounts)), "{mean:?}");
        assert!(
            close(shop.mean_weight, average(&present)),
            "{:?}",
            shop.mean_weight
        );
        assert_eq!(least, sales.iter().map(|s| s.amount).min());
        assert_eq!(shop.first_sold, sales.iter().map(|s| s.sold_at).min());
        assert_eq!(last_sold, sales.iter().map(|s| s.sold_at).max());
        assert_eq!(shop.last_note, sales.iter().map(|s| s.note.clone()).max());
        assert!(close(
            shop.heaviest,
            present.iter().copied().reduce(f64::max)
        ));
        let big: Vec<&&sale::New> = sales.iter().filter(|s| s.amount >= 25).collect();
        assert_eq!(
            shop.big_total,
            big.iter().map(|s| i64::from(s.amount)).sum::<i64>()
        );
        assert_eq!(shop.big_count, big.len() as i64);
    }
    // Shop 1 has no sales: counts and sums are 0, the rest `None`.
    let empty = shops.first().expect("shop 1");
    assert_eq!((empty.sales, empty.total, empty.weights), (0, 0, 0.0));
    assert_eq!(
        (empty.mean, empty.least, empty.last_sold),
        (None, None, None)
    );
    Ok(())
}

async fn aggregates_nest_and_share_a_statement_per_relation_and_where(db: Db) -> Result<(), Error> {
    let data = setup(&db).await?;
    let before = db.statement_count();
    let shops = Shop::find_many()
        .order_by(shop::id.asc())
        .select(select!(Shop {
            id,
            sales(order_by = id.asc()) {
                id,
                refunded: refunds: sum(amount),
                refunds: count,
                largest: refunds(where = amount.gt(2)): max(amount),
                large: refunds(where = amount.gt(2)): count,
            },
            total: sales: sum(amount),
        }))
        .fetch_all(&db)
        .await?;
    // The shops, their sales, the shops' sum, and the sales' refunds' aggregates: the sum
    // and the count (no `where`) in one statement, the greatest and the count of the large
    // ones (the same `where`) in another; whatever the number of rows.
    assert_eq!(db.statement_count() - before, 5);
    let mut seen = 0;
    for shop in &shops {
        for sale in &shop.sales {
            let refunds: Vec<&refund::New> = data
                .refunds
                .iter()
                .filter(|r| r.sale_id == sale.id)
                .collect();
            assert_eq!(sale.refunds, refunds.len() as i64);
            assert_eq!(
                sale.refunded,
                refunds.iter().map(|r| i64::from(r.amount)).sum::<i64>()
            );
            assert_eq!(
                sale.largest,
                refunds.iter().map(|r| r.amount).filter(|a| *a > 2).max()
            );
            assert_eq!(
                sale.large,
                refunds.iter().filter(|r| r.amount > 2).count() as i64
            );
            seen += 1;
        }
    }
    assert_eq!(seen, data.sales.len());
    Ok(())
}

async fn many_to_many_relations_aggregate_through_their_join_model(db: Db) -> Result<(), Error> {
    let data = setup(&db).await?;
    let shops = Shop::find_many()
        .order_by(shop::id.asc())
        .select(select!(Shop {
            id,
            suppliers: count,
            rating: suppliers: sum(rating),
            mean: suppliers: avg(rating),
            best: suppliers: max(rating),
        }))
        .fetch_all(&db)
        .await?;
    for shop in &shops {
        let ratings: Vec<f32> = data
            .supplies
            .iter()
            .filter(|s| s.shop_id == shop.id)
            .filter_map(|s| data.suppliers.iter().find(|p| p.id == s.supplier_id))
            .map(|p| p.rating)
            .collect();
        let rating: f64 = shop.rating;
        let best: Option<f32> = shop.best;
        assert_eq!(shop.suppliers, ratings.len() as i64);
        assert!(close(
            Some(rating),
            Some(ratings.iter().map(|r| f64::from(*r)).sum())
        ));
        let wide: Vec<f64> = ratings.iter().map(|r| f64::from(*r)).collect();
        assert!(close(shop.mean, average(&wide)));
        assert_eq!(best, ratings.iter().copied().reduce(f32::max));
    }
    Ok(())
}

async fn ids(db: &Db, filter: Filter<Shop>) -> Result<Vec<i64>, Error> {
    let rows = Shop::find_many()
        .filter(filter)
        .order_by(shop::id.asc())
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|s| s.id).collect())
}

async fn rows_are_filtered_and_ordered_by_relation_aggregates(db: Db) -> Result<(), Error> {
    let data = setup(&db).await?;
    let total = |shop: i64| -> i64 {
        data.sales
            .iter()
            .filter(|s| s.shop_id == shop)
            .map(|s| i64::from(s.amount))
            .sum()
    };
    let expected: Vec<i64> = (1..=4).filter(|s| total(*s) > 60).collect();
    assert_eq!(
        ids(&db, shop::sales.sum(sale::amount).gt(60)).await?,
        expected
    );
    // A sum of no rows is 0, so shop 1 is among the small ones.
    let expected: Vec<i64> = (1..=4).filter(|s| total(*s) <= 60).collect();
    assert_eq!(
        ids(&db, shop::sales.sum(sale::amount).lte(60)).await?,
        expected
    );
    // The average of no rows is unknown: shop 1 matches neither side.
    assert_eq!(
        ids(&db, shop::sales.avg(sale::amount).gte(0.0)).await?,
        [2, 3, 4]
    );
    assert_eq!(
        ids(&db, shop::sales.avg(sale::amount).lt(0.0)).await?,
        [] as [i64; 0]
    );
    let latest = |shop: i64| {
        data.sales
            .iter()
            .filter(|s| s.shop_id == shop)
            .map(|s| s.sold_at)
            .max()
    };
    let expected: Vec<i64> = (1..=4).filter(|s| latest(*s) >= Some(day(15))).collect();
    assert_eq!(
        ids(&db, shop::sales.max(sale::sold_at).gte(day(15))).await?,
        expected
    );
    assert_eq!(
        ids(&db, shop::suppliers.min(supplier::rating).eq(0.5)).await?,
        [2, 3, 4]
    );
    // Inside a relation's filter: shops with a sale refunded more than 15 in all.
    let refunded = |sale: i64| -> i64 {
        data.refunds
            .iter()
            .filter(|r| r.sale_id == sale)
            .map(|r| i64::from(r.amount))
            .sum()
    };
    let expected: Vec<i64> = (1..=4)
        .filter(|s| {
            data.sales
                .iter()
                .any(|x| x.shop_id == *s && refunded(x.id) > 15)
        })
        .collect();
    assert_eq!(
        ids(
            &db,
            shop::sales.some(sale::refunds.sum(refund::amount).gt(15))
        )
        .await?,
        expected
    );

    // Ordered by an aggregate, the key breaking ties.
    let by_total = Shop::find_many()
        .order_by(shop::sales.sum(sale::amount).desc())
        .order_by(shop::id.asc())
        .fetch_all(&db)
        .await?;
    let mut expected: Vec<i64> = (1..=4).collect();
    expected.sort_by_key(|s| (std::cmp::Reverse(total(*s)), *s));
    assert_eq!(by_total.iter().map(|s| s.id).collect::<Vec<_>>(), expected);
    // And per parent, inside a selection: each shop's sales, most refunded first.
    let shops = Shop::find_many()
        .order_by(shop::id.asc())
        .select(select!(Shop {
            id,
            sales(order_by = refunds.sum(refund::amount).desc(), order_by = id.asc(), take = 2) { id },
        }))
        .fetch_all(&db)
        .await?;
    for shop in &shops {
        let mut expected: Vec<i64> = data
            .sales
            .iter()
            .filter(|s| s.shop_id == shop.id)
            .map(|s| s.id)
            .collect();
        expected.sort_by_key(|id| (std::cmp::Reverse(refunded(*id)), *id));
        expected.truncate(2);
        assert_eq!(
            shop.sales.iter().map(|s| s.id).collect::<Vec<_>>(),
            expected
        );
    }
    Ok(())
}

async fn a_where_filters_by_relation_aggregates(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let read = |json: &str| -> Result<Filter<Shop>, serde_json::Error> {
        serde_json::from_str::<shop::Where>(json).map(Into::into)
    };
    // The same conditions as the typed API's, shop by shop.
    let pairs: [(&str, Filter<Shop>); 6] = [
        (
            r#"{"sales": {"_sum": {"amount": {"gt": 60}}}}"#,
            shop::sales.sum(sale::amount).gt(60),
        ),
        (
            r#"{"sales": {"_sum": {"weight": {"gte": 10.5}}, "_count": {"lt": 6}}}"#,
            shop::sales
                .sum(sale::weight)
                .gte(10.5)
                .and(shop::sales.count().lt(6)),
        ),
        (
            r#"{"sales": {"_avg": {"amount": {"lt": 30, "gt": 1.5}}}}"#,
            shop::sales
                .avg(sale::amount)
                .lt(30.0)
                .and(shop::sales.avg(sale::amount).gt(1.5)),
        ),
        (
            r#"{"sales": {"_min": {"note": {"equals": "n0"}}}}"#,
            shop::sales.min(sale::note).eq("n0".to_owned()),
        ),
        (
            r#"{"sales": {"_max": {"small": {"in": [3, 4]}, "amount": {"not": 49}}}}"#,
            shop::sales
                .max(sale::small)
                .eq(3)
                .or(shop::sales.max(sale::small).eq(4))
                .and(shop::sales.max(sale::amount).ne(49)),
        ),
        (
            r#"{"suppliers": {"_max": {"rating": {"lte": 1.0}}}}"#,
            shop::suppliers.max(supplier::rating).lte(1.0),
        ),
    ];
    for (json, typed) in pairs {
        let from_json = read(json).map_err(|e| Error::InvalidQuery(format!("{json}: {e}")))?;
        assert_eq!(ids(&db, from_json).await?, ids(&db, typed).await?, "{json}");
    }
    // What a `Where` cannot read says why, at parse time.
    let error = |json: &str| read(json).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        error(r#"{"sales": {"_sum": {"amout": {"gt": 1}}}}"#).contains(
            "unknown field `amout` under `_sum`: `Sale`'s fields are `id`, `shop_id`, `amount`"
        ),
        "{}",
        error(r#"{"sales": {"_sum": {"amout": {"gt": 1}}}}"#)
    );
    assert!(error(r#"{"sales": {"_avg": {"note": {"gt": 1}}}}"#)
        .contains("`_avg` takes a numeric column, and `note` of `Sale` is not one"));
    assert!(
        error(r#"{"sales": {"_max": {"sold_at": {"gt": "2026-01-01"}}}}"#)
            .contains("compare `sold_at` of `Sale` with the typed API")
    );
    assert!(error(r#"{"sales": {"_sum": {"amount": {"gt": 1.5}}}}"#).contains("`_sum` of `amount`"));
    assert!(error(r#"{"sales": {"_total": {}}}"#).contains(
        "expected one of `some`, `every`, `none`, `_count`, `_sum`, `_avg`, `_min`, `_max`"
    ));
    Ok(())
}

async fn a_query_aggregates_its_rows_and_its_groups(db: Db) -> Result<(), Error> {
    let data = setup(&db).await?;
    // Over every matching row: one value each, typed by its column.
    let big: Vec<&sale::New> = data.sales.iter().filter(|s| s.amount >= 20).collect();
    let (n, total, mean, last, first_note): (
        i64,
        i64,
        Option<f64>,
        Option<NaiveDateTime>,
        Option<String>,
    ) = Sale::aggregate((
        count(),
        sale::amount.sum(),
        sale::weight.avg(),
        sale::sold_at.max(),
        sale::note.min(),
    ))
    .filter(sale::amount.gte(20))
    .fetch(&db)
    .await?;
    assert_eq!(n, big.len() as i64);
    assert_eq!(total, big.iter().map(|s| i64::from(s.amount)).sum::<i64>());
    let weights: Vec<f64> = big.iter().filter_map(|s| s.weight).collect();
    assert!(close(mean, average(&weights)), "{mean:?}");
    assert_eq!(last, big.iter().map(|s| s.sold_at).max());
    assert_eq!(first_note, big.iter().map(|s| s.note.clone()).min());
    // Over no rows: a count and a sum of 0, the rest `None`.
    let none = Sale::aggregate((
        count(),
        sale::big.sum(),
        sale::amount.avg(),
        sale::amount.min(),
    ))
    .filter(sale::amount.lt(0))
    .fetch(&db)
    .await?;
    assert_eq!(none, (0, 0, None, None));

    // Per group, kept by a `having`, ordered by an aggregate, paged.
    let totals = |shop: i64| -> (i64, i64, i32) {
        let sales: Vec<&sale::New> = data.sales.iter().filter(|s| s.shop_id == shop).collect();
        let total = sales.iter().map(|s| i64::from(s.amount)).sum();
        let top = sales.iter().map(|s| s.amount).max().unwrap_or_default();
        (sales.len() as i64, total, top)
    };
    let groups = Sale::group_by(sale::shop_id)
        .aggregate((count(), sale::amount.sum(), sale::amount.max()))
        .having(sale::amount.sum().gt(20))
        .order_by(sale::amount.sum().desc())
        .fetch_all(&db)
        .await?;
    type Group = (i64, (i64, i64, Option<i32>));
    let mut expected: Vec<Group> = (2..=4)
        .map(|shop| {
            let (n, total, top) = totals(shop);
            (shop, (n, total, Some(top)))
        })
        .filter(|(_, (_, total, _))| *total > 20)
        .collect();
    expected.sort_by_key(|(shop, (_, total, _))| (std::cmp::Reverse(*total), *shop));
    assert_eq!(groups, expected);
    let page = Sale::group_by(sale::shop_id)
        .aggregate(count())
        .order_by(sale::shop_id.desc())
        .skip(1)
        .take(2)
        .fetch_all(&db)
        .await?;
    assert_eq!(page, [(3, totals(3).0), (2, totals(2).0)]);
    // Several keys, no aggregate: the distinct pairs, in key order; a filter through a
    // relation narrows the rows first.
    let pairs = Sale::group_by((sale::shop_id, sale::small))
        .filter(sale::refunds.count().gt(0))
        .fetch_all(&db)
        .await?;
    let mut expected: Vec<((i64, i16), ())> = data
        .sales
        .iter()
        .filter(|s| s.id % 3 != 0)
        .map(|s| ((s.shop_id, s.small), ()))
        .collect();
    expected.sort();
    expected.dedup();
    assert_eq!(pairs, expected);
    // Ordered by a column it does not group by: refused, with the reason.
    let wrong = Sale::group_by(sale::shop_id)
        .aggregate(count())
        .order_by(sale::amount.asc())
        .fetch_all(&db)
        .await;
    assert!(
        matches!(&wrong, Err(Error::InvalidQuery(m)) if m.contains("ordered by `amount`, which it does not group by")),
        "{wrong:?}"
    );
    // Ordered by a relation's aggregate, which differs row by row within a group: refused.
    let by_relation = Sale::group_by(sale::shop_id)
        .aggregate(count())
        .order_by(sale::refunds.count().desc())
        .fetch_all(&db)
        .await;
    assert!(
        matches!(&by_relation, Err(Error::InvalidQuery(m)) if m.contains("not by a relation's")),
        "{by_relation:?}"
    );
    Ok(())
}

async fn counts_come_with_included_rows(db: Db) -> Result<(), Error> {
    let data = setup(&db).await?;
    let before = db.statement_count();
    let shops = Shop::find_many()
        .order_by(shop::id.asc())
        .include(shop::sales.with(|q| {
            q.order_by(sale::id.asc())
                .take(1)
                .include(sale::refunds.counted())
        }))
        .include(shop::sales.counted())
        .include(shop::suppliers.counted_with(|q| q.filter(supplier::rating.gt(0.5))))
        .fetch_all(&db)
        .await?;
    // The shops, their first sale, its refunds' count, the sales' count, the suppliers' count.
    assert_eq!(db.statement_count() - before, 5);
    for shop in &shops {
        let sales = data.sales.iter().filter(|s| s.shop_id == shop.id).count() as i64;
        // The count is of every sale; the rows are the page of one.
        assert_eq!(shop.sales.count(), Some(sales), "shop {}", shop.id);
        assert_eq!(shop.sales.rows().len(), usize::from(sales > 0));
        for sale in shop.sales.rows() {
            let refunds = data.refunds.iter().filter(|r| r.sale_id == sale.id).count();
            assert_eq!(sale.refunds.count(), Some(refunds as i64));
            assert!(!sale.refunds.is_loaded());
        }
        let rated = data
            .supplies
            .iter()
            .filter(|s| s.shop_id == shop.id)
            .filter_map(|s| data.suppliers.iter().find(|p| p.id == s.supplier_id))
            .filter(|p| p.rating > 0.5)
            .count();
        assert_eq!(shop.suppliers.count(), Some(rated as i64));
        assert!(!shop.suppliers.is_loaded());
    }
    // Without `counted`, there is no count.
    let plain = Shop::find_first()
        .include(shop::sales)
        .fetch_one(&db)
        .await?;
    assert_eq!(plain.sales.count(), None);
    Ok(())
}

async fn a_derived_selection_reads_aggregates(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let derived: Vec<ShopStats> = Shop::find_many()
        .order_by(shop::id.asc())
        .select(ShopStats::level())
        .fetch_all(&db)
        .await?;
    let written = Shop::find_many()
        .order_by(shop::id.asc())
        .select(select!(Shop {
            id,
            sales: count,
            total: sales: sum(amount),
            last_big: sales(where = amount.gte(25)): max(sold_at),
            rating: suppliers: avg(rating),
        }))
        .fetch_all(&db)
        .await?;
    assert_eq!(derived.len(), 4);
    for (d, w) in derived.iter().zip(&written) {
        assert_eq!(
            (d.id, d.sales, d.total, d.last_big, d.rating),
            (w.id, w.sales, w.total, w.last_big, w.rating)
        );
    }
    Ok(())
}

async fn a_cursor_pages_an_order_by_an_aggregate(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    // Shops by their sales' total weight, greatest first, then by their number of suppliers:
    // page after page by cursor, the same as the whole order.
    let ordered = || {
        Shop::find_many()
            .order_by(shop::sales.sum(sale::weight).desc())
            .order_by(shop::suppliers.count().asc())
    };
    let all: Vec<i64> = ordered()
        .fetch_all(&db)
        .await?
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(all.len(), 4);
    let mut paged = Vec::new();
    let mut after: Option<i64> = None;
    loop {
        let mut page = ordered().take(1);
        if let Some(id) = after {
            page = page.cursor(shop::id, id);
        }
        let rows = page.fetch_all(&db).await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id);
        paged.extend(rows.iter().map(|s| s.id));
    }
    assert_eq!(paged, all);
    // Shop 1 has no sales, so no latest sale: it cannot be a cursor row of that order.
    let none = Shop::find_many()
        .order_by(shop::sales.max(sale::sold_at).asc())
        .cursor(shop::id, 1)
        .fetch_all(&db)
        .await;
    assert!(
        matches!(&none, Err(Error::InvalidQuery(m)) if m.contains("no value in the ordering aggregate of `sales`")),
        "{none:?}"
    );
    // Per parent: each shop's sales after sale 301 (or 201, 401) by refunds' total.
    let shops = Shop::find_many()
        .order_by(shop::id.asc())
        .select(select!(Shop {
            id,
            sales(order_by = refunds.count().desc(), order_by = id.asc()) { id },
        }))
        .fetch_all(&db)
        .await?;
    let after_first = Shop::find_many()
        .order_by(shop::id.asc())
        .select(select!(Shop {
            id,
            sales(order_by = refunds.count().desc(), order_by = id.asc(), cursor = (id, 301)) { id },
        }))
        .fetch_all(&db)
        .await?;
    for (whole, paged) in shops.iter().zip(&after_first) {
        let ids: Vec<i64> = whole.sales.iter().map(|s| s.id).collect();
        let expected: Vec<i64> = match ids.iter().position(|id| *id == 301) {
            Some(at) => ids.iter().skip(at + 1).copied().collect(),
            // The cursor row is another shop's: its place in this shop's order still counts.
            None => {
                let refunds = |id: i64| id % 3;
                ids.iter()
                    .copied()
                    .filter(|id| {
                        (std::cmp::Reverse(refunds(*id)), *id)
                            > (std::cmp::Reverse(refunds(301)), 301)
                    })
                    .collect()
            }
        };
        assert_eq!(
            paged.sales.iter().map(|s| s.id).collect::<Vec<_>>(),
            expected,
            "shop {}",
            whole.id
        );
    }
    Ok(())
}
