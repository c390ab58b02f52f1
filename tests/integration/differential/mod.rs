//! Differential property tests: random data for people with a manager among themselves
//! (`belongs_to` and `has_many` on one table), a badge (`has_one`), notes (`has_many`) and
//! teams (`many_to_many` through seats), and random queries (filters with every operator of
//! `Where` JSON and relation tests, ordering with `NULL`s placed, `take`/`skip`/cursor, the
//! relations loaded with their own filter, order and paging, relation counts and aggregates,
//! and the people grouped by a column with aggregates, a `having` and a page), built
//! through the typed API or through `Where` JSON. Every configured backend (SQLite with each
//! way of reading rows, PostgreSQL, MariaDB) must return what the reference computes in plain
//! Rust from the documented semantics (`reference`); proptest shrinks a disagreement to a
//! small case, which then belongs in `regressions`.
//!
//! `TRELLIS_DIFF_CASES` sets the number of cases (64 unless set; `10000` for a long run).
//! The generators keep out of what differs between backends by nature (`generate`).

mod generate;
mod query;
mod reference;
mod regressions;
mod schema;

use std::fmt::Debug;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use trellis::filter::IntoFilter as _;
use trellis::prelude::*;

use crate::support::{backends, TestDb};
use query::{
    from_json, note_order, person_col_order, person_order, team_order, typed_note, typed_person,
    typed_team, ToJson,
};
use reference::{BadgeRow, Data, Expected, Found, NoteRow, PersonRow, TeamRow};
use schema::{badge, note, person, seat, team, Badge, Note, Person, Seat, Team};

/// Replaces the rows of the differential tables with `data`, in one transaction.
async fn store(db: &Db, data: &Data) -> Result<(), Error> {
    let tx = db.begin_write().await?;
    // A manager row cannot go before its reports, whatever order the database deletes in.
    Person::update_many()
        .set(person::manager_id, None)
        .exec(&tx)
        .await?;
    Seat::delete_many().exec(&tx).await?;
    Note::delete_many().exec(&tx).await?;
    Badge::delete_many().exec(&tx).await?;
    Team::delete_many().exec(&tx).await?;
    Person::delete_many().exec(&tx).await?;
    Person::insert_many(data.people.iter().map(|p| person::New {
        id: p.id.clone(),
        name: p.name.clone(),
        code: p.code.clone(),
        nick: p.nick.clone(),
        age: p.age,
        score: p.score,
        manager_id: p.manager_id.clone(),
    }))
    .exec(&tx)
    .await?;
    Badge::insert_many(data.badges.iter().map(|b| badge::New {
        id: b.id.clone(),
        person_id: b.person_id.clone(),
        label: b.label.clone(),
    }))
    .exec(&tx)
    .await?;
    Note::insert_many(data.notes.iter().map(|n| note::New {
        id: n.id.clone(),
        person_id: n.person_id.clone(),
        body: n.body.clone(),
        rank: n.rank,
        amount: n.amount,
    }))
    .exec(&tx)
    .await?;
    Team::insert_many(data.teams.iter().map(|t| team::New {
        id: t.id.clone(),
        name: t.name.clone(),
    }))
    .exec(&tx)
    .await?;
    Seat::insert_many(data.seats.iter().map(|s| seat::New {
        id: s.id.clone(),
        person_id: s.person_id.clone(),
        team_id: s.team_id.clone(),
    }))
    .exec(&tx)
    .await?;
    tx.commit().await
}

fn person_row(p: &Person) -> PersonRow {
    PersonRow {
        id: p.id.clone(),
        name: p.name.clone(),
        code: p.code.clone(),
        nick: p.nick.clone(),
        age: p.age,
        score: p.score,
        manager_id: p.manager_id.clone(),
    }
}

fn found(p: &Person) -> Found {
    Found {
        person: person_row(p),
        manager: p.manager.get().map(person_row),
        badge: p.badge.get().map(|b| BadgeRow {
            id: b.id.clone(),
            person_id: b.person_id.clone(),
            label: b.label.clone(),
        }),
        notes: p
            .notes
            .rows()
            .iter()
            .map(|n| NoteRow {
                id: n.id.clone(),
                person_id: n.person_id.clone(),
                body: n.body.clone(),
                rank: n.rank,
                amount: n.amount,
            })
            .collect(),
        reports: p.reports.rows().iter().map(person_row).collect(),
        teams: p
            .teams
            .rows()
            .iter()
            .map(|t| TeamRow {
                id: t.id.clone(),
                name: t.name.clone(),
            })
            .collect(),
    }
}

/// A relation's rows narrowed, ordered and paged per parent as `nested` says, the key `id`
/// breaking ties last.
fn refine<T: trellis::Model, C: trellis::relation::Paged, K, L>(
    mut r: trellis::RelQuery<T, C>,
    nested: &query::Nested<K, L>,
    filter: Option<trellis::Filter<T>>,
    order: impl Fn(&query::Term<K>) -> trellis::Order<T>,
    id: trellis::Col<T, String, trellis::filter::Unique>,
) -> trellis::RelQuery<T, C> {
    if let Some(f) = filter {
        r = r.filter(f);
    }
    for term in &nested.order {
        r = r.order_by(order(term));
    }
    r = r.order_by(id.asc());
    if let Some(key) = &nested.cursor {
        r = r.cursor(id, key.clone());
    }
    if let Some(n) = nested.skip {
        r = r.skip(n);
    }
    if let Some(n) = nested.take {
        r = r.take(n);
    }
    r
}

/// The query on a backend, the filters through the typed API or `Where` JSON as it says.
async fn run(db: &Db, q: &query::Query) -> Result<Vec<Found>, Error> {
    let mut find = Person::find_many();
    find = if q.typed {
        find.filter(typed_person(&q.filter))
    } else {
        find.filter(from_json::<person::Where>(&q.filter)?)
    };
    for term in &q.order {
        find = find.order_by(person_order(term));
    }
    find = find.order_by(person::id.asc());
    if let Some(id) = &q.cursor {
        find = find.cursor(person::id, id.clone());
    }
    if let Some(n) = q.skip {
        find = find.skip(n);
    }
    if let Some(n) = q.take {
        find = find.take(n);
    }
    let (notes, reports, teams) = (&q.notes, &q.reports, &q.teams);
    let note_filter = match &notes.filter {
        Some(f) if q.typed => Some(typed_note(f)),
        Some(f) => Some(from_json::<note::Where>(f)?.into_filter()),
        None => None,
    };
    let report_filter = match &reports.filter {
        Some(f) if q.typed => Some(typed_person(f)),
        Some(f) => Some(from_json::<person::Where>(f)?.into_filter()),
        None => None,
    };
    let team_filter = match &teams.filter {
        Some(f) if q.typed => Some(typed_team(f)),
        Some(f) => Some(from_json::<team::Where>(f)?.into_filter()),
        None => None,
    };
    find = find
        .include(person::notes.with(|r| refine(r, notes, note_filter, note_order, note::id)))
        .include(
            person::reports
                .with(|r| refine(r, reports, report_filter, person_col_order, person::id)),
        )
        .include(person::teams.with(|r| refine(r, teams, team_filter, team_order, team::id)))
        .include(person::manager)
        .include(person::badge);
    Ok(find.fetch_all(db).await?.iter().map(found).collect())
}

/// One person of a `select!` two levels deep: id, counts of the to-many relations, the
/// manager with its number of reports, a page of the reports with their notes' ids, and the
/// [`Aggregates`].
type Selected = (
    String,
    i64,
    i64,
    i64,
    Option<(String, i64)>,
    Vec<(String, Vec<String>)>,
    Aggregates,
);

/// The sum of a person's notes' ranks, their average to a thousandth, the greatest positive
/// rank, the least of the reports' codes, and the sum and average of the notes' amounts.
type Aggregates = (
    i64,
    Option<i64>,
    Option<i32>,
    Option<String>,
    rust_decimal::Decimal,
    Option<rust_decimal::Decimal>,
);

/// The filter through the other way than `run`'s, with counts and two levels of `select!`.
async fn run_select(db: &Db, q: &query::Query) -> Result<Vec<Selected>, Error> {
    let mut find = Person::find_many();
    find = if q.typed {
        find.filter(from_json::<person::Where>(&q.filter)?)
    } else {
        find.filter(typed_person(&q.filter))
    };
    // Each person's reports paged as the query pages them in `run`.
    let (skip, take) = (
        q.reports.skip.unwrap_or(0),
        q.reports.take.unwrap_or(u64::MAX),
    );
    let rows = find
        .order_by(person::id.asc())
        .select(select!(Person {
            id,
            notes: count,
            report_count: reports: count,
            teams: count,
            manager { id, reports: count },
            reports(order_by = id.asc(), skip = skip, take = take) {
                id,
                notes(order_by = id.desc()) { id },
            },
            rank_sum: notes: sum(rank),
            rank_avg: notes: avg(rank),
            top_rank: notes(where = rank.gt(Some(0))): max(rank),
            low_code: reports: min(code),
            amount_sum: notes: sum(amount),
            amount_avg: notes: avg(amount),
        }))
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.id,
                r.notes,
                r.report_count,
                r.teams,
                r.manager.map(|m| (m.id, m.reports)),
                r.reports
                    .into_iter()
                    .map(|p| (p.id, p.notes.into_iter().map(|n| n.id).collect()))
                    .collect(),
                (
                    r.rank_sum,
                    r.rank_avg.map(|a| (a * 1e3).round() as i64),
                    r.top_rank,
                    r.low_code,
                    r.amount_sum,
                    r.amount_avg,
                ),
            )
        })
        .collect())
}

fn expected_select(data: &Data, q: &query::Query) -> Vec<Selected> {
    reference::counts(data, &q.filter)
        .into_iter()
        .map(|(id, notes, reports, teams)| {
            let p = data.person(&id).expect("a stored person");
            let manager = data
                .manager(p)
                .map(|m| (m.id.clone(), data.reports(m).count() as i64));
            let mut subordinates: Vec<(String, Vec<String>)> = data
                .reports(p)
                .map(|r| {
                    let mut ids: Vec<String> = data.notes(r).map(|n| n.id.clone()).collect();
                    ids.sort_by(|a, b| b.cmp(a));
                    (r.id.clone(), ids)
                })
                .collect();
            subordinates.sort();
            let subordinates = subordinates
                .into_iter()
                .skip(q.reports.skip.map_or(0, |n| n as usize))
                .take(q.reports.take.map_or(usize::MAX, |n| n as usize))
                .collect();
            let top_rank = data
                .notes(p)
                .filter_map(|n| n.rank)
                .filter(|r| *r > 0)
                .max();
            let low_code = data.reports(p).map(|r| r.code.clone()).min();
            let rank_sum = data.notes(p).filter_map(|n| n.rank).map(i64::from).sum();
            let amount_sum = data.notes(p).filter_map(|n| n.amount).sum();
            let aggregates = (
                rank_sum,
                data.rank_avg_milli(p),
                top_rank,
                low_code,
                amount_sum,
                data.amount_avg(p),
            );
            (id, notes, reports, teams, manager, subordinates, aggregates)
        })
        .collect()
}

/// One group of people sharing a code: the code, how many, the sum, least and average (to a
/// thousandth) of their ages, and the greatest score.
type Group = (String, (i64, i64, Option<i32>, Option<i64>, Option<i64>));

/// The query's people grouped by code, through the filter as `run_select` takes it, kept when
/// the group has at least `skip` people, ordered by the sum of ages (greatest first), paged by
/// the query's `take`.
async fn run_groups(db: &Db, q: &query::Query) -> Result<Vec<Group>, Error> {
    use trellis::aggregate::count;
    let mut groups = Person::group_by(person::code)
        .aggregate((
            count(),
            person::age.sum(),
            person::age.min(),
            person::age.avg(),
            person::score.max(),
        ))
        .having(count().gte(q.skip.unwrap_or(0) as i64))
        .order_by(person::age.sum().desc());
    groups = if q.typed {
        groups.filter(from_json::<person::Where>(&q.filter)?)
    } else {
        groups.filter(typed_person(&q.filter))
    };
    if let Some(take) = q.take {
        groups = groups.take(take);
    }
    Ok(groups
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|(code, (n, sum, min, avg, max))| {
            (
                code,
                (n, sum, min, avg.map(|a| (a * 1e3).round() as i64), max),
            )
        })
        .collect())
}

fn expected_groups(data: &Data, q: &query::Query) -> Vec<Group> {
    let people: Vec<&PersonRow> = data
        .people
        .iter()
        .filter(|p| reference::matches_person(data, &q.filter, p))
        .collect();
    let mut codes: Vec<String> = people.iter().map(|p| p.code.clone()).collect();
    codes.sort();
    codes.dedup();
    let mut groups: Vec<Group> = codes
        .into_iter()
        .map(|code| {
            let members: Vec<&&PersonRow> = people.iter().filter(|p| p.code == code).collect();
            let ages: Vec<i64> = members
                .iter()
                .filter_map(|p| p.age)
                .map(i64::from)
                .collect();
            let avg = (!ages.is_empty()).then(|| {
                (ages.iter().sum::<i64>() as f64 / ages.len() as f64 * 1e3).round() as i64
            });
            let n = members.len() as i64;
            let min = members.iter().filter_map(|p| p.age).min();
            let max = members.iter().map(|p| p.score).max();
            (code, (n, ages.iter().sum(), min, avg, max))
        })
        .filter(|(_, (n, ..))| *n >= q.skip.unwrap_or(0) as i64)
        .collect();
    groups.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then_with(|| a.0.cmp(&b.0)));
    groups.truncate(q.take.map_or(usize::MAX, |n| n as usize));
    groups
}

/// The backend's answer beside the reference's, as a message naming the case; `Ok` when they
/// agree.
fn compare<T: PartialEq + Debug>(
    backend: &str,
    what: &str,
    q: &query::Query,
    got: Result<Vec<T>, Error>,
    want: Result<Vec<T>, Expected>,
) -> Result<(), String> {
    let same = match (&got, &want) {
        (Ok(g), Ok(w)) => g == w,
        (Err(Error::NotFound { .. }), Err(Expected::NotFound)) => true,
        (Err(Error::InvalidQuery(_)), Err(Expected::InvalidQuery)) => true,
        _ => false,
    };
    if same {
        return Ok(());
    }
    let mut out = format!(
        "[{backend}] {what} differs from the reference\nfilter (typed: {}): {}\nquery: {q:?}\n",
        q.typed,
        q.filter.to_json()
    );
    match (&got, &want) {
        (Ok(g), Ok(w)) => {
            out += &format!("expected {} rows, got {}\n", w.len(), g.len());
            for i in 0..g.len().max(w.len()) {
                match (w.get(i), g.get(i)) {
                    (Some(a), Some(b)) if a == b => out += &format!("  = {a:?}\n"),
                    (a, b) => {
                        if let Some(a) = a {
                            out += &format!("  - expected {a:?}\n");
                        }
                        if let Some(b) = b {
                            out += &format!("  + got      {b:?}\n");
                        }
                    }
                }
            }
        }
        _ => out += &format!("expected {want:?}\ngot {got:?}\n"),
    }
    Err(out)
}

/// Runs `queries` on every database over `data` and compares each answer with the reference.
/// `spent` adds up the time each database takes.
async fn check_case(
    dbs: &[(&str, TestDb)],
    data: &Data,
    queries: &[query::Query],
    spent: &Mutex<Vec<Duration>>,
) -> Result<(), String> {
    for (i, (name, test_db)) in dbs.iter().enumerate() {
        let started = Instant::now();
        let db = &test_db.db;
        store(db, data)
            .await
            .map_err(|e| format!("[{name}] storing {data:?}: {e:?}"))?;
        for q in queries {
            compare(
                name,
                "find_many",
                q,
                run(db, q).await,
                reference::run(data, q),
            )?;
            compare(
                name,
                "select!",
                q,
                run_select(db, q).await,
                Ok(expected_select(data, q)),
            )?;
            compare(
                name,
                "group_by",
                q,
                run_groups(db, q).await,
                Ok(expected_groups(data, q)),
            )?;
        }
        if let Some(total) = spent.lock().expect("not poisoned").get_mut(i) {
            *total += started.elapsed();
        }
    }
    Ok(())
}

/// A database with the differential tables on every configured backend.
async fn databases(test: &str) -> Vec<(&'static str, TestDb)> {
    let mut dbs = Vec::new();
    for backend in backends() {
        let test_db = TestDb::new(&backend, test).await;
        test_db
            .db
            .create_schema(&schema::schema())
            .await
            .unwrap_or_else(|e| panic!("[{}] schema: {e}", backend.name));
        dbs.push((backend.name, test_db));
    }
    dbs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_backend_answers_random_queries_as_the_reference_does() {
    let cases = std::env::var("TRELLIS_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    // A database per number of cases: a long run can go on beside the quick one.
    let dbs = databases(&format!(
        "differential against the reference, {cases} cases"
    ))
    .await;
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..Config::default()
    });
    let handle = tokio::runtime::Handle::current();
    let strategy = (
        generate::data(),
        prop::collection::vec(generate::query(), 1..4),
    );
    let spent = Mutex::new(vec![Duration::ZERO; dbs.len()]);
    let ran = AtomicUsize::new(0);
    let started = Instant::now();
    let outcome = tokio::task::block_in_place(|| {
        runner
            .run(&strategy, |(data, queries)| {
                let outcome = handle
                    .block_on(check_case(&dbs, &data, &queries, &spent))
                    .map_err(TestCaseError::fail);
                // A long run says how far it got (shrinking runs count too).
                let done = ran.fetch_add(1, Ordering::Relaxed) + 1;
                if done.is_multiple_of(1000) {
                    eprintln!("{done} cases run in {:.0?}", started.elapsed());
                }
                outcome
            })
            // The failure holds the whole (shrunk) case: its text is what is reported.
            .map_err(|e| e.to_string())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    let spent = spent.into_inner().expect("not poisoned");
    for ((name, _), spent) in dbs.iter().zip(spent) {
        eprintln!("{name}: {cases} cases agreed with the reference in {spent:.1?}");
    }
    for (_, test_db) in dbs {
        test_db.finish().await;
    }
}
