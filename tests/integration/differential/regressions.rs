//! Cases the random tests found, kept as fixed cases run through the same comparison with
//! the reference, on every backend.

use trellis::filter::Nulls;

use super::query::{
    ColLeaf, Filter, Many, Nested, NoteCol, One, Op, PersonCol, PersonKey, PersonLeaf, Query,
    Scalar, Term,
};
use super::reference::{Data, NoteRow, PersonRow};
use super::{check_case, databases};

fn person(id: &str, age: Option<i32>, manager: Option<&str>) -> PersonRow {
    PersonRow {
        id: id.to_owned(),
        name: String::new(),
        code: String::new(),
        nick: None,
        age,
        score: 0,
        manager_id: manager.map(str::to_owned),
    }
}

fn note(id: &str, person: &str, rank: Option<i32>) -> NoteRow {
    NoteRow {
        id: id.to_owned(),
        person_id: person.to_owned(),
        body: String::new(),
        rank,
        amount: None,
    }
}

fn unnested<C, L>() -> Nested<C, L> {
    Nested {
        filter: None,
        order: Vec::new(),
        cursor: None,
        skip: None,
        take: None,
    }
}

/// All people, ordered by id, their relations loaded whole.
fn query(filter: Filter<PersonLeaf>) -> Query {
    Query {
        filter,
        order: Vec::new(),
        cursor: None,
        skip: None,
        take: None,
        notes: unnested(),
        reports: unnested(),
        teams: unnested(),
        typed: false,
    }
}

/// Runs the case on every backend, through the typed API and through `Where` JSON.
async fn check(test: &str, data: Data, query: Query) {
    let dbs = databases(test).await;
    let typed = Query {
        typed: true,
        ..query.clone()
    };
    let spent = std::sync::Mutex::new(Vec::new());
    if let Err(message) = check_case(&dbs, &data, &[query, typed], &spent).await {
        panic!("{message}");
    }
    for (_, test_db) in dbs {
        test_db.finish().await;
    }
}

/// `every` holds when each related row matches; a row whose condition is unknown (a
/// comparison with `NULL`) does not match, so `every` is false for its parent.
#[tokio::test]
async fn every_is_false_when_a_related_row_compares_with_null() {
    let data = Data {
        people: vec![person("p0", None, None), person("p1", None, None)],
        notes: vec![note("n0", "p0", None), note("n1", "p1", Some(5))],
        ..Data::default()
    };
    let rank_positive = Filter::Leaf(ColLeaf(NoteCol::Rank, Op::Gt(Some(Scalar::Int(0)))));
    let q = query(Filter::Leaf(PersonLeaf::Notes(Many::Every, rank_positive)));
    check("differential every null", data, q).await;
}

/// A cursor in an order that puts `NULL`s last keeps the rows with `NULL` there: they come
/// after the cursor row.
#[tokio::test]
async fn a_cursor_keeps_the_rows_whose_nulls_come_after_it() {
    let data = Data {
        people: vec![
            person("p0", None, None),
            person("p1", Some(3), None),
            person("p2", Some(1), None),
            person("p3", None, None),
        ],
        ..Data::default()
    };
    for (desc, nulls) in [
        (false, Nulls::Last),
        (false, Nulls::First),
        (true, Nulls::Last),
        (true, Nulls::First),
    ] {
        let q = Query {
            order: vec![Term {
                key: PersonKey::Col(PersonCol::Age),
                desc,
                nulls: Some(nulls),
            }],
            cursor: Some("p2".to_owned()),
            ..query(Filter::And(Vec::new()))
        };
        check("differential cursor nulls", data.clone(), q).await;
    }
}

/// `skip` counts each parent once, however many related rows its relation filter matches
/// (SQLite 3.51 counted a parent once per matching related row when a plain `EXISTS` was
/// its filter).
#[tokio::test]
async fn skip_counts_a_parent_matched_through_several_related_rows_once() {
    let data = Data {
        people: vec![person("p0", None, None), person("p1", None, Some("p0"))],
        notes: vec![note("n0", "p0", None), note("n1", "p0", None)],
        ..Data::default()
    };
    let any_note = Filter::Leaf(ColLeaf(NoteCol::Body, Op::NotIn(Vec::new())));
    let manager_has_notes = Filter::Leaf(PersonLeaf::Notes(Many::Some, any_note));
    let q = Query {
        skip: Some(1),
        ..query(Filter::Leaf(PersonLeaf::Manager(
            One::Is,
            Box::new(manager_has_notes),
        )))
    };
    check("differential skip exists", data.clone(), q).await;
    let q = Query {
        skip: Some(1),
        ..query(Filter::Leaf(PersonLeaf::Notes(
            Many::Some,
            Filter::And(Vec::new()),
        )))
    };
    check("differential skip exists", data, q).await;
}

/// Without `nulls_first`/`nulls_last` each database puts `NULL`s where it does; a cursor's
/// page is still the rest of the same order, `NULL`s included where they fall after it.
#[tokio::test]
async fn a_cursor_page_is_the_rest_of_the_order_where_the_database_puts_nulls() {
    use super::schema::{person, Person};
    use trellis::prelude::*;

    let data = Data {
        people: vec![
            person("p0", None, None),
            person("p1", Some(3), None),
            person("p2", Some(1), None),
            person("p3", None, None),
        ],
        ..Data::default()
    };
    let dbs = databases("differential cursor default nulls").await;
    for (name, test_db) in &dbs {
        let db = &test_db.db;
        super::store(db, &data)
            .await
            .unwrap_or_else(|e| panic!("[{name}] storing: {e}"));
        for order in [person::age.asc(), person::age.desc()] {
            let ids = |rows: Vec<Person>| rows.into_iter().map(|p| p.id).collect::<Vec<_>>();
            let all = Person::find_many()
                .order_by(order.clone())
                .order_by(person::id.asc())
                .fetch_all(db)
                .await
                .map(ids)
                .unwrap_or_else(|e| panic!("[{name}] {e}"));
            let after = Person::find_many()
                .order_by(order.clone())
                .order_by(person::id.asc())
                .cursor(person::id, "p2")
                .fetch_all(db)
                .await
                .map(ids)
                .unwrap_or_else(|e| panic!("[{name}] {e}"));
            let at = all.iter().position(|id| id == "p2").expect("p2 is stored");
            assert_eq!(after, all[at + 1..], "[{name}] in the order {all:?}");
        }
    }
    for (_, test_db) in dbs {
        test_db.finish().await;
    }
}
