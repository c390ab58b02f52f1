//! `select(..).stream(&db)`: the roots in chunks by keyset, each chunk's relations loaded with
//! it, the same outputs as `fetch_all` in the same order, at most one chunk read ahead.

use futures_util::{Stream, StreamExt, TryStreamExt};
use trellis::prelude::*;

use crate::support::backend_tests;

backend_tests!(
    a_stream_yields_what_fetch_all_returns_in_order,
    a_stream_keeps_null_order_values_and_paging,
    a_stream_reads_at_most_one_chunk_ahead_of_its_consumer,
    a_stream_follows_an_order_by_relation_aggregates,
    a_stream_runs_on_a_transaction,
    whole_rows_stream_with_their_includes,
    a_stream_reads_aggregates_with_one_statement_per_relation_and_where_per_chunk,
    a_stream_in_key_order_reads_relations_by_key_range,
);

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "st_writers")]
pub struct Writer {
    #[field(id)]
    pub id: i64,
    pub name: String,
    pub age: Option<i32>,
    #[relation(has_many = Note, foreign_key = "writer_id")]
    pub notes: HasMany<Note>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "st_notes")]
pub struct Note {
    #[field(id)]
    pub id: i64,
    #[field(references = Writer)]
    pub writer_id: i64,
    pub body: String,
    #[relation(belongs_to = Writer, foreign_key = "writer_id")]
    pub writer: BelongsTo<Writer>,
}

/// 23 writers, names repeating every 5 (so the order by name needs the key to be total), ages
/// missing on every third; writer `i` has `i % 4` notes.
async fn setup(db: &Db) -> Result<(), Error> {
    db.create_schema(&Schema::new().model::<Writer>().model::<Note>())
        .await?;
    Writer::insert_many((1..=23).map(|i| writer::New {
        id: i,
        name: format!("w{}", i % 5),
        age: (i % 3 != 0).then_some(20 + (i % 7) as i32),
    }))
    .exec(db)
    .await?;
    let mut notes = Vec::new();
    for w in 1..=23i64 {
        for n in 0..(w % 4) {
            notes.push(note::New {
                id: w * 10 + n,
                writer_id: w,
                body: format!("note {n} of {w}"),
            });
        }
    }
    Note::insert_many(notes).exec(db).await?;
    Ok(())
}

async fn a_stream_yields_what_fetch_all_returns_in_order(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    // Names repeat: the stream breaks their ties by the key, which `fetch_all` leaves to the
    // database unless told.
    let query = || {
        Writer::find_many()
            .order_by(writer::name.desc())
            .select(select!(Writer {
                id,
                name,
                notes(order_by = id.asc()) { body, writer { id } },
            }))
    };
    let all = query().order_by(writer::id.asc()).fetch_all(&db).await?;
    assert_eq!(all.len(), 23);
    for chunk in [1_u64, 4, 7, 23, 100] {
        let streamed: Vec<_> = query().chunk_size(chunk).stream(&db).try_collect().await?;
        assert_eq!(streamed, all, "chunks of {chunk}");
    }
    // A filter holds in every chunk.
    let filtered = || {
        Writer::find_many()
            .filter(writer::name.ne("w0"))
            .order_by(writer::id.asc())
            .select(select!(Writer { id, notes { id } }))
    };
    let streamed: Vec<_> = filtered().chunk_size(3).stream(&db).try_collect().await?;
    assert_eq!(streamed, filtered().fetch_all(&db).await?);
    Ok(())
}

async fn a_stream_keeps_null_order_values_and_paging(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    // Nullable order terms, each way and with the NULLs placed either end: chunk borders
    // fall on NULLs and on values alike.
    for order in [
        writer::age.asc(),
        writer::age.desc(),
        writer::age.asc().nulls_first(),
        writer::age.asc().nulls_last(),
        writer::age.desc().nulls_first(),
        writer::age.desc().nulls_last(),
    ] {
        let query = || {
            Writer::find_many()
                .order_by(order.clone())
                .select(select!(Writer { id, age }))
        };
        let all = query().order_by(writer::id.asc()).fetch_all(&db).await?;
        let streamed: Vec<_> = query().chunk_size(2).stream(&db).try_collect().await?;
        assert_eq!(streamed, all);
    }
    // `skip` and `take` page the stream as they page `fetch_all`.
    let paged = || {
        Writer::find_many()
            .order_by(writer::name.asc())
            .order_by(writer::id.asc())
            .skip(3)
            .take(11)
            .select(select!(Writer { id, notes { id } }))
    };
    let all = paged().fetch_all(&db).await?;
    assert_eq!(all.len(), 11);
    let streamed: Vec<_> = paged().chunk_size(4).stream(&db).try_collect().await?;
    assert_eq!(streamed, all);
    Ok(())
}

async fn a_stream_reads_at_most_one_chunk_ahead_of_its_consumer(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let before = db.connection_stats();
    let statements = || (db.connection_stats() - before).statements;
    let stream = Writer::find_many()
        .order_by(writer::id.asc())
        .select(select!(Writer { id, notes { id } }))
        .chunk_size(5)
        .stream(&db);
    futures_util::pin_mut!(stream);
    // Nothing runs before the first output is asked for.
    assert_eq!(statements(), 0);
    let first = stream.next().await.expect("a first output")?;
    assert_eq!(first.id, 1);
    // The first chunk (the roots and their notes, two statements), and perhaps some or all
    // of the second, read ahead on a connection of its own.
    assert!((2..=4).contains(&statements()), "{}", statements());
    for id in 2..=5 {
        assert_eq!(stream.next().await.expect("an output")?.id, id);
    }
    // While the first chunk is handed out, nothing past the second is read.
    assert!((2..=4).contains(&statements()), "{}", statements());
    // The sixth output is the second chunk's first: the third may be read now, not the
    // fourth.
    assert_eq!(stream.next().await.expect("an output")?.id, 6);
    assert!((4..=6).contains(&statements()), "{}", statements());
    let rest: Vec<_> = stream.try_collect().await?;
    assert_eq!(rest.len(), 17);
    // 23 rows in chunks of 5: five chunks of two statements each (the last is short).
    assert_eq!(statements(), 10);

    // None read ahead: each chunk once the last one's outputs are taken. The chunk size and
    // the read-ahead given before `select` apply.
    let before = db.connection_stats();
    let statements = || (db.connection_stats() - before).statements;
    let stream = Writer::find_many()
        .order_by(writer::id.asc())
        .chunk_size(5)
        .read_ahead(0)
        .select(select!(Writer { id, notes { id } }))
        .stream(&db);
    read_in_turn(stream.map_ok(|w| w.id), 5, statements).await?;

    // Any number of chunks ahead, more than there are too: the same outputs, in order.
    let query = || {
        Writer::find_many()
            .order_by(writer::id.asc())
            .select(select!(Writer { id, notes { id } }))
    };
    let streamed: Vec<_> = query()
        .chunk_size(2)
        .read_ahead(usize::MAX)
        .stream(&db)
        .try_collect()
        .await?;
    assert_eq!(streamed, query().fetch_all(&db).await?);
    Ok(())
}

/// Takes the first `chunk + 1` of `ids`, a stream of writers from the first read `chunk` at a
/// time, asserting that the second chunk is read only once the first one's outputs are all
/// taken: two statements a chunk (the writers and their notes).
async fn read_in_turn(
    ids: impl Stream<Item = Result<i64, Error>>,
    chunk: i64,
    statements: impl Fn() -> u64,
) -> Result<(), Error> {
    futures_util::pin_mut!(ids);
    for id in 1..=chunk {
        assert_eq!(ids.next().await.expect("an output")?, id);
        assert_eq!(statements(), 2);
    }
    assert_eq!(ids.next().await.expect("an output")?, chunk + 1);
    assert_eq!(statements(), 4);
    Ok(())
}

async fn a_stream_follows_an_order_by_relation_aggregates(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    // Writers by their number of notes (many first), then by their last note's body (none
    // last): chunk after chunk, as `fetch_all` orders them (the key breaking ties in both).
    let query = || {
        Writer::find_many()
            .order_by(writer::notes.count().desc())
            .order_by(writer::notes.max(note::body).asc().nulls_last())
            .select(select!(Writer { id, name, count: notes: count }))
    };
    let all = query().order_by(writer::id.asc()).fetch_all(&db).await?;
    assert_eq!(all.len(), 23);
    for chunk in [1_u64, 4, 23] {
        let streamed: Vec<_> = query().chunk_size(chunk).stream(&db).try_collect().await?;
        assert_eq!(streamed, all, "chunks of {chunk}");
    }
    // Each chunk after the first reads its start as a cursor does: the last row, and its two
    // aggregates. 23 rows in chunks of 10: three chunks of two statements, and two starts.
    let before = db.connection_stats();
    let streamed: Vec<_> = query().chunk_size(10).stream(&db).try_collect().await?;
    assert_eq!(streamed.len(), 23);
    assert_eq!((db.connection_stats() - before).statements, 3 * 2 + 2 * 3);
    // Whole rows with their includes stream the same way.
    let rows: Vec<Writer> = Writer::find_many()
        .order_by(writer::notes.count().desc())
        .order_by(writer::notes.max(note::body).asc().nulls_last())
        .chunk_size(5)
        .stream(&db)
        .try_collect()
        .await?;
    let ids: Vec<i64> = rows.iter().map(|w| w.id).collect();
    assert_eq!(ids, all.iter().map(|w| w.id).collect::<Vec<_>>());
    Ok(())
}

async fn a_stream_runs_on_a_transaction(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let tx = db.begin().await?;
    let query = || {
        Writer::find_many()
            .order_by(writer::id.asc())
            .select(select!(Writer { id, notes { id } }))
            .chunk_size(6)
    };
    let before = db.connection_stats();
    let statements = || (db.connection_stats() - before).statements;
    // A transaction is one connection: its chunks are read in turn, none ahead.
    read_in_turn(query().stream(&tx).map_ok(|w| w.id), 6, statements).await?;
    let streamed: Vec<_> = query().stream(&tx).try_collect().await?;
    assert_eq!(streamed.len(), 23);
    tx.commit().await?;
    Ok(())
}

async fn whole_rows_stream_with_their_includes(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let query = || {
        Writer::find_many()
            .filter(writer::age.is_not_null())
            .order_by(writer::age.desc())
            .include(writer::notes.with(|q| q.order_by(note::id.asc())))
    };
    let all = query().order_by(writer::id.asc()).fetch_all(&db).await?;
    assert_eq!(all.len(), 16);
    let streamed: Vec<Writer> = query().chunk_size(3).stream(&db).try_collect().await?;
    assert_eq!(streamed, all);
    assert!(streamed.iter().any(|w| w.notes.rows().len() == 3));
    Ok(())
}

async fn a_stream_reads_aggregates_with_one_statement_per_relation_and_where_per_chunk(
    db: Db,
) -> Result<(), Error> {
    setup(&db).await?;
    let query = || {
        Writer::find_many()
            .order_by(writer::id.asc())
            .select(select!(Writer {
                id,
                notes(order_by = id.asc()) { id },
                count: notes: count,
                last: notes: max(body),
                first_id: notes(where = id.gt(0)): min(id),
            }))
    };
    let all = query().fetch_all(&db).await?;
    let before = db.connection_stats();
    let streamed: Vec<_> = query().chunk_size(5).stream(&db).try_collect().await?;
    assert_eq!(streamed, all);
    // Five chunks, each the roots, their notes, and their aggregates: the count and the
    // greatest body in one statement, the least key of a `where` in another.
    assert_eq!((db.connection_stats() - before).statements, 5 * 4);
    Ok(())
}

/// A query without a filter in key order: each chunk is every row between its first and last
/// key, so its relations are read by that range of the foreign key (where the pool reads
/// whole tables at all), not key by key; the outputs are the same, gaps in the keys and
/// pages and cursors included.
async fn a_stream_in_key_order_reads_relations_by_key_range(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    // Gaps in the keys: writers 6, 12 and 18 are gone, 20 are left.
    Note::delete_many()
        .filter(note::writer_id.in_([6_i64, 12, 18]))
        .exec(&db)
        .await?;
    Writer::delete_many()
        .filter(writer::id.in_([6_i64, 12, 18]))
        .exec(&db)
        .await?;
    let query_after = |descending: bool, cursor: Option<i64>| {
        let find = Writer::find_many().order_by(if descending {
            writer::id.desc()
        } else {
            writer::id.asc()
        });
        match cursor {
            Some(id) => find.cursor(writer::id, id),
            None => find,
        }
        .select(select!(Writer {
            id,
            notes(order_by = id.desc()) { id, body, writer { name } },
            count: notes: count,
        }))
    };
    let query = |descending: bool| query_after(descending, None);
    for descending in [false, true] {
        let all = query(descending).fetch_all(&db).await?;
        assert_eq!(all.len(), 20);
        for chunk in [1_u64, 2, 5, 7, 100] {
            let streamed: Vec<_> = query(descending)
                .chunk_size(chunk)
                .stream(&db)
                .try_collect()
                .await?;
            assert_eq!(streamed, all, "chunks of {chunk}, descending: {descending}");
        }
        let paged: Vec<_> = query(descending)
            .skip(3)
            .take(11)
            .chunk_size(4)
            .stream(&db)
            .try_collect()
            .await?;
        assert_eq!(paged, all[3..14]);
        let after: Vec<_> = query_after(descending, Some(10))
            .chunk_size(3)
            .stream(&db)
            .try_collect()
            .await?;
        let from = all
            .iter()
            .position(|w| w.id == 10)
            .map_or(all.len(), |i| i + 1);
        assert_eq!(after, all[from..]);
    }
    // Where `fetch_all` reads the notes whole (the pool allows it), each chunk of the stream
    // reads its range: four chunks of five, each its notes and their counts.
    let before = db.whole_table_read_count();
    query(false).fetch_all(&db).await?;
    let whole = db.whole_table_read_count() - before > 0;
    let before = db.whole_table_read_count();
    let streamed: Vec<_> = query(false).chunk_size(5).stream(&db).try_collect().await?;
    assert_eq!(streamed.len(), 20);
    let ranges = db.whole_table_read_count() - before;
    assert_eq!(ranges, if whole { 4 * 2 } else { 0 });
    // Included rows follow the same path.
    let included = || {
        Writer::find_many()
            .order_by(writer::id.asc())
            .include(writer::notes.with(|q| q.order_by(note::id.asc())))
    };
    let streamed: Vec<Writer> = included().chunk_size(6).stream(&db).try_collect().await?;
    assert_eq!(streamed, included().fetch_all(&db).await?);
    Ok(())
}
