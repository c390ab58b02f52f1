//! A query read as a stream (`find_many().select(..).stream(&db)`, and with `include`
//! `find_many().include(..).stream(&db)`): the roots in chunks,
//! each chunk one statement that starts after the last row of the one before in the query's
//! order and the primary key (keyset pagination, never `OFFSET`), each chunk's relations
//! loaded before its outputs are handed out. On a pool one chunk is read ahead, on a
//! connection of its own, while the one before is handed out ([`Pipeline`]); no further:
//! memory is bounded by two chunks, not the result.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::future::BoxFuture;
use futures_util::stream::{FuturesOrdered, Stream, StreamExt, TryStreamExt};
use tokio::sync::oneshot;

use crate::driver::executor::{ConnRef, Executor};
use crate::dsl::filter::{CmpOp, Expr, OrderKey, OrderTerm};
use crate::dsl::model::Model;
use crate::dsl::paging::RowCount;
use crate::meta::model::ColumnMeta;
use crate::run::load::{Include, Parents};
use crate::run::query::cursor::{self, CursorModel};
use crate::run::query::Find;
use crate::run::select::{Level, Selected};
use crate::sql::{render_select, Dialect, SelectQuery};
use crate::values::error::{Error, Result};
use crate::values::row::Row;
use crate::values::value::{SqlType, Value};

/// One term of a stream's order: its column, where the column is in the select list, and
/// which way rows after a value lie.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyTerm {
    pub(crate) column: &'static ColumnMeta,
    pub(crate) at: usize,
    pub(crate) descending: bool,
    /// Whether rows with `NULL` in the column come after every value.
    pub(crate) nulls_after: bool,
    /// The key of an order by a relation aggregate: the next chunk starts after its row as
    /// a cursor does (see `key_terms`).
    pub(crate) by_cursor: bool,
}

/// The condition "after the row whose values of `terms` are `last`", in the terms' order:
/// `(a > x) OR (a = x AND b > y) OR ..` (`<` for a descending term; `IS NULL` for equal to
/// `NULL`; past a value, the `NULL`s too where they come after the values; past `NULL`, the
/// values where the `NULL`s come first, and nothing where they come last).
pub(crate) fn after(terms: &[KeyTerm], last: &[Value]) -> Expr {
    let equal = |term: &KeyTerm, value: &Value| match value {
        Value::Null(_) => Expr::IsNull {
            column: term.column.name,
            negated: false,
        },
        value => Expr::Compare {
            column: term.column.name,
            op: CmpOp::Eq,
            value: value.clone(),
        },
    };
    let past = |term: &KeyTerm, value: &Value| -> Option<Expr> {
        let column = term.column.name;
        match value {
            Value::Null(_) if term.nulls_after => None,
            Value::Null(_) => Some(Expr::IsNull {
                column,
                negated: true,
            }),
            value => {
                let beyond = Expr::Compare {
                    column,
                    op: if term.descending {
                        CmpOp::Lt
                    } else {
                        CmpOp::Gt
                    },
                    value: value.clone(),
                };
                Some(if term.nulls_after {
                    Expr::Or(vec![
                        beyond,
                        Expr::IsNull {
                            column,
                            negated: false,
                        },
                    ])
                } else {
                    beyond
                })
            }
        }
    };
    let alternatives = terms
        .iter()
        .zip(last)
        .enumerate()
        .filter_map(|(i, (term, value))| {
            let mut all: Vec<Expr> = terms
                .iter()
                .zip(last)
                .take(i)
                .map(|(t, v)| equal(t, v))
                .collect();
            all.push(past(term, value)?);
            Some(Expr::And(all))
        })
        .collect();
    Expr::Or(alternatives)
}

/// The value of the column at `index` of `row`, read as the column's type.
fn value_at(row: &Row, index: usize, column: &ColumnMeta) -> Result<Value> {
    let read = crate::values::types::value_reader(column.sql_type).ok_or_else(|| {
        Error::InvalidQuery(format!(
            "a stream cannot order by `{}`: its type is not one Trellis reads itself",
            column.name
        ))
    })?;
    read(row, index, column.sql_type).map_err(|e| Error::decode("stream", column.name, e))
}

/// What makes a chunk's rows into outputs: a selection's level, or whole rows with their
/// includes.
pub(crate) trait ChunkRows: Send + Sync {
    /// The model whose rows are read.
    type Model: Model;
    /// What a row becomes.
    type Output: Send;

    /// The outputs of `rows` (whose columns are `names`; empty: every column in field
    /// order), their relations loaded.
    fn outputs<'a>(
        &'a self,
        conn: ConnRef<'a>,
        rows: Vec<Row>,
        names: &'a [&'static str],
        which: Parents,
    ) -> BoxFuture<'a, Result<Vec<Self::Output>>>;
}

impl<L: Level> ChunkRows for L {
    type Model = L::Model;
    type Output = L::Output;

    fn outputs<'a>(
        &'a self,
        conn: ConnRef<'a>,
        rows: Vec<Row>,
        names: &'a [&'static str],
        which: Parents,
    ) -> BoxFuture<'a, Result<Vec<L::Output>>> {
        self.build(conn, rows, names, which)
    }
}

/// Whole rows of `M` with their includes.
pub(crate) struct Includes<M>(Vec<Include<M>>);

impl<M: Model> ChunkRows for Includes<M> {
    type Model = M;
    type Output = M;

    fn outputs<'a>(
        &'a self,
        conn: ConnRef<'a>,
        rows: Vec<Row>,
        _: &'a [&'static str],
        which: Parents,
    ) -> BoxFuture<'a, Result<Vec<M>>> {
        Box::pin(async move {
            let mut models = rows.iter().map(M::__decode).collect::<Result<Vec<M>>>()?;
            Include::load_all(&self.0, conn, &mut models, which).await?;
            Ok(models)
        })
    }
}

/// What every chunk of a stream shares: where it reads, what makes its rows into outputs,
/// and the query each chunk narrows.
struct Plan<'a, L> {
    conn: ConnRef<'a>,
    level: L,
    /// The query of every chunk: the selection's columns and the order's, ordered by the
    /// query's order then the primary key.
    query: SelectQuery,
    terms: Vec<KeyTerm>,
    chunk: u64,
    /// How many chunks are read ahead of the one handed out, on a pool.
    ahead: usize,
    /// Each chunk is every row of the table between its first and last key (see
    /// [`in_key_order`]).
    key_ranges: bool,
}

/// Where a chunk starts: after the last row of the chunk before (`None` for the first), with
/// how many rows `take` leaves to read and how many `skip` passes over (the first chunk
/// only).
struct Start {
    after: Option<Expr>,
    left: Option<u64>,
    skip: Option<u64>,
}

impl<'a, L: ChunkRows + 'a> Plan<'a, L> {
    /// The outputs of the chunk that begins at `start`. Once the chunk's rows are read, and
    /// before its relations load, where the next chunk starts goes to `next` (`None`: this
    /// chunk is the last).
    fn chunk(
        self: Arc<Self>,
        start: Start,
        next: oneshot::Sender<Option<Start>>,
    ) -> BoxFuture<'a, Result<Vec<L::Output>>> {
        Box::pin(async move {
            let limit = start.left.map_or(self.chunk, |left| left.min(self.chunk));
            if limit == 0 {
                let _ = next.send(None);
                return Ok(Vec::new());
            }
            let mut query = self.query.clone();
            if let Some(after) = start.after {
                query.filter = Some(match query.filter.take() {
                    Some(filter) => Expr::And(vec![filter, after]),
                    None => after,
                });
            }
            query.limit = Some(limit);
            query.offset = start.skip;
            let mut next = Some(next);
            let mut read = self.conn.reading().await?;
            loop {
                let done = self.read(read.conn(), &query, start.left, &mut next).await;
                match done {
                    Err(e) if read.again(&e).await? => {}
                    done => break read.end(done).await,
                }
            }
        })
    }

    /// One chunk's outputs on `conn`, telling `next` where the next chunk starts as soon as
    /// the rows are read (the first time: a read that runs again keeps the start it gave).
    async fn read(
        &self,
        conn: ConnRef<'_>,
        query: &SelectQuery,
        left: Option<u64>,
        next: &mut Option<oneshot::Sender<Option<Start>>>,
    ) -> Result<Vec<L::Output>> {
        let plain = L::Model::META.plain_columns(&query.columns);
        let rows = conn
            .fetch_read(&render_select(conn.dialect(), query), plain)
            .await?;
        let values_of = |row: &Row| {
            self.terms
                .iter()
                .map(|t| value_at(row, t.at, t.column))
                .collect::<Result<Vec<_>>>()
        };
        let last = rows.last().map(values_of).transpose()?;
        if next.is_some() {
            let start = self
                .next_start(conn, query, rows.len(), left, &last)
                .await?;
            if let Some(next) = next.take() {
                let _ = next.send(start);
            }
        }
        let which = match (self.key_ranges, rows.first(), &last) {
            (true, Some(first), Some(last)) => {
                match (integer(values_of(first)?.first()), integer(last.first())) {
                    (Some(a), Some(b)) => Parents::Range(a.min(b), a.max(b)),
                    _ => Parents::Some,
                }
            }
            _ => Parents::of_root(query),
        };
        self.level.outputs(conn, rows, &query.columns, which).await
    }

    /// Where the chunk after one of `count` rows of `query` ends with `last` starts: `None`
    /// when that chunk is the last (fewer rows than asked for, or `take` reached).
    async fn next_start(
        &self,
        conn: ConnRef<'_>,
        query: &SelectQuery,
        count: usize,
        left: Option<u64>,
        last: &Option<Vec<Value>>,
    ) -> Result<Option<Start>> {
        let count = count as u64;
        let left = left.map(|left| left - count.min(left));
        let (Some(last), true) = (last, query.limit.is_some_and(|limit| count >= limit)) else {
            return Ok(None);
        };
        if left == Some(0) {
            return Ok(None);
        }
        let after = match self.terms.first() {
            Some(key) if key.by_cursor => {
                let value = last.first().cloned().ok_or_else(|| {
                    Error::InvalidQuery("internal: a chunk's last key was not read".to_owned())
                })?;
                let cursor = cursor::Cursor {
                    column: key.column.name,
                    value,
                };
                let model = CursorModel::of::<L::Model>();
                let mut order_by = self.query.order_by.clone();
                cursor::after_row(conn, model, &mut order_by, &cursor, true).await?
            }
            _ => after(&self.terms, last),
        };
        Ok(Some(Start {
            after: Some(after),
            left,
            skip: None,
        }))
    }
}

/// A stream's chunks: the outputs being handed out, and the chunks read ahead of them. On a
/// pool, the next chunk starts as soon as the last one started has read its rows, on a
/// connection of its own, so that its statements run while the chunk before loads its
/// relations and is handed out; but never more than `depth` chunks are held (read, being
/// read, or being handed out; one more than the chunks read ahead): a consumer that does not
/// take its outputs makes the stream read no further. In a transaction, or on a held
/// connection, the chunks are read in turn.
struct Pipeline<'a, L: ChunkRows> {
    plan: Arc<Plan<'a, L>>,
    depth: usize,
    /// The outputs being handed out.
    ready: std::vec::IntoIter<L::Output>,
    /// The outputs of the next chunk, read while `ready` is handed out.
    stash: Option<std::vec::IntoIter<L::Output>>,
    /// The chunks being read, in order.
    reading: FuturesOrdered<BoxFuture<'a, Result<Vec<L::Output>>>>,
    /// Where the chunk after the last one started begins, once that one has read its rows;
    /// `None` when no chunk follows it.
    next: Option<oneshot::Receiver<Option<Start>>>,
    /// After an error: the stream ends.
    failed: bool,
}

impl<'a, L: ChunkRows + 'a> Pipeline<'a, L> {
    fn new(plan: Plan<'a, L>, start: Start) -> Self {
        let depth = if matches!(plan.conn, ConnRef::Pool(_)) {
            plan.ahead.saturating_add(1)
        } else {
            1
        };
        let mut pipeline = Pipeline {
            plan: Arc::new(plan),
            depth,
            ready: Vec::new().into_iter(),
            stash: None,
            reading: FuturesOrdered::new(),
            next: None,
            failed: false,
        };
        pipeline.begin(start);
        pipeline
    }

    /// Starts reading the chunk that begins at `start`.
    fn begin(&mut self, start: Start) {
        let (sender, receiver) = oneshot::channel();
        self.reading
            .push_back(self.plan.clone().chunk(start, sender));
        self.next = Some(receiver);
    }

    /// The chunks held: being handed out, read ahead, or being read.
    fn held(&self) -> usize {
        usize::from(self.ready.len() > 0) + usize::from(self.stash.is_some()) + self.reading.len()
    }
}

// Nothing in a pipeline is pinned in place: its chunks are boxed.
impl<L: ChunkRows> Unpin for Pipeline<'_, L> {}

impl<'a, L: ChunkRows + 'a> Stream for Pipeline<'a, L> {
    type Item = Result<L::Output>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.failed {
                return Poll::Ready(None);
            }
            // The chunks being read go on; the first one's outputs wait in `stash`.
            if this.stash.is_none() {
                if let Poll::Ready(Some(done)) = this.reading.poll_next_unpin(cx) {
                    match done {
                        Ok(outputs) => this.stash = Some(outputs.into_iter()),
                        Err(e) => {
                            this.failed = true;
                            return Poll::Ready(Some(Err(e)));
                        }
                    }
                    continue;
                }
            }
            // The next chunk starts once the last one started has read its rows, while
            // fewer chunks than `depth` are held.
            if this.held() < this.depth {
                if let Some(next) = &mut this.next {
                    match Pin::new(next).poll(cx) {
                        Poll::Ready(Ok(Some(start))) => {
                            this.begin(start);
                            continue;
                        }
                        // The last chunk; or it failed, and its error comes with its outputs.
                        Poll::Ready(_) => this.next = None,
                        Poll::Pending => {}
                    }
                }
            }
            if let Some(output) = this.ready.next() {
                return Poll::Ready(Some(Ok(output)));
            }
            if let Some(stash) = this.stash.take() {
                this.ready = stash;
                continue;
            }
            if this.reading.is_empty() && this.next.is_none() {
                return Poll::Ready(None);
            }
            return Poll::Pending;
        }
    }
}

/// An integer key's value as `i64`.
fn integer(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::I16(v) => Some(i64::from(*v)),
        Value::I32(v) => Some(i64::from(*v)),
        Value::I64(v) => Some(*v),
        _ => None,
    }
}

/// Whether each chunk of a stream ordered by `terms` is every row of its table between the
/// chunk's first and last key: the query has no filter (`unfiltered`, before a cursor
/// applies) and orders by the table's integer key alone. The chunk's relations then read
/// the related rows whose key column is in that range ([`Parents::Range`]) rather than look
/// up each of its keys: on MariaDB, one range of the foreign key's index against a thousand
/// lookups. (`skip`, `take` and a cursor in key order keep a chunk's rows contiguous in key
/// order; a row the range reads whose parent is not in the chunk, written meanwhile, is
/// passed over as the whole-table reads pass over rows of no parent.)
fn in_key_order(
    unfiltered: bool,
    meta: &'static crate::meta::model::ModelMeta,
    terms: &[KeyTerm],
) -> bool {
    unfiltered
        && !meta.has_composite_key()
        && matches!(terms, [term] if !term.by_cursor
            && term.column.name == meta.primary_key().name
            && matches!(term.column.sql_type, SqlType::SmallInt | SqlType::Int | SqlType::BigInt))
}

/// The terms a stream orders by: the query's, then each key column it does not order by;
/// each column added to the select list where the selection does not read it (an empty list
/// reads every column, in field order).
fn key_terms(
    dialect: Dialect,
    meta: &'static crate::meta::model::ModelMeta,
    order_by: &mut Vec<OrderTerm>,
    columns: &mut Vec<&'static str>,
) -> Result<Vec<KeyTerm>> {
    for key in meta.key_columns() {
        if !order_by
            .iter()
            .any(|t| matches!(t.key, OrderKey::Column(c) if c == key.name))
        {
            order_by.push(OrderTerm {
                key: OrderKey::Column(key.name),
                descending: false,
                nulls: None,
            });
        }
    }
    // An order by a relation's aggregate: each chunk starts after the last row's key as a
    // cursor does (`cursor::after`), which reads that row's aggregates; the stream reads the
    // key alone.
    if order_by
        .iter()
        .any(|t| !matches!(t.key, OrderKey::Column(_)))
    {
        if order_by
            .iter()
            .any(|t| matches!(t.key, OrderKey::Grouped(_)))
        {
            return Err(Error::InvalidQuery(
                "a stream orders by columns and relation aggregates, not by a group's".into(),
            ));
        }
        if meta.has_composite_key() {
            return Err(Error::InvalidQuery(format!(
                "a stream of `{}` cannot order by a relation aggregate: its key has several columns",
                meta.name
            )));
        }
        let key = meta.primary_key();
        let mut keyed = vec![OrderTerm {
            key: OrderKey::Column(key.name),
            descending: false,
            nulls: None,
        }];
        let mut terms = key_terms(dialect, meta, &mut keyed, columns)?;
        for term in &mut terms {
            term.by_cursor = true;
        }
        return Ok(terms);
    }
    let mut terms = Vec::with_capacity(order_by.len());
    for term in order_by.iter() {
        let OrderKey::Column(name) = term.key else {
            continue;
        };
        let (position, column) = (meta.columns.iter().enumerate())
            .find(|(_, c)| c.name == name)
            .ok_or_else(|| {
                Error::InvalidQuery(format!("`{}` has no column `{name}`", meta.name))
            })?;
        let at = if columns.is_empty() {
            position
        } else if let Some(at) = columns.iter().position(|c| *c == name) {
            at
        } else {
            columns.push(name);
            columns.len() - 1
        };
        terms.push(KeyTerm {
            column,
            at,
            descending: term.descending,
            nulls_after: cursor::nulls_after(dialect, column, term),
            by_cursor: false,
        });
    }
    Ok(terms)
}

/// The stream of `query`'s outputs made by `reader`, `chunk` roots at a time and up to
/// `ahead` chunks read ahead (see [`Selected::stream`]).
fn stream<'a, R>(
    conn: ConnRef<'a>,
    query: SelectQuery,
    reader: R,
    cursor: Option<cursor::Cursor>,
    chunk: u64,
    ahead: usize,
) -> impl Stream<Item = Result<R::Output>> + Send + 'a
where
    R: ChunkRows + 'a,
{
    // Nothing runs before the first output is asked for.
    let start = async move {
        let model = CursorModel::of::<R::Model>();
        let unfiltered = query.filter.is_none();
        let mut query = cursor::applied(conn, model, &query, cursor.as_ref())
            .await?
            .into_owned();
        let meta = <R::Model as Model>::META;
        let terms = key_terms(
            conn.dialect(),
            meta,
            &mut query.order_by,
            &mut query.columns,
        )?;
        let start = Start {
            after: None,
            left: query.limit.take(),
            skip: query.offset.take(),
        };
        let key_ranges = in_key_order(unfiltered, meta, &terms);
        let plan = Plan {
            conn,
            level: reader,
            query,
            terms,
            chunk,
            ahead,
            key_ranges,
        };
        Ok::<_, Error>(Pipeline::new(plan, start))
    };
    futures_util::stream::once(start).try_flatten()
}

impl<M: Model, L: Level> Selected<M, L> {
    /// Reads the roots `n` at a time in [`Selected::stream`] (1,000 unless told; at least 1).
    pub fn chunk_size(mut self, n: impl RowCount) -> Self {
        self.chunk = n.row_count().max(1);
        self
    }

    /// Reads up to `n` chunks ahead of the one [`Selected::stream`] hands out, each on a
    /// connection of the pool's own (1 unless told; 0: each chunk is read once the consumer
    /// has taken the last one's outputs). Memory holds up to `n + 1` chunks. A stream on a
    /// transaction reads none ahead.
    pub fn read_ahead(mut self, n: usize) -> Self {
        self.ahead = n;
        self
    }

    /// The matching rows as a stream of outputs, in the query's order: the roots are read
    /// [`chunk_size`](Selected::chunk_size) at a time, each chunk after the last row of the
    /// one before in the query's order and then the primary key (so the order is total), and
    /// each chunk's relations are loaded before its outputs are handed out. On a pool, the
    /// next chunk is read ahead on a connection of its own while the last is handed out, and
    /// none further until the consumer has taken every output of the last: memory holds at
    /// most two chunks, whatever the size of the result. On a transaction the chunks are
    /// read in turn.
    ///
    /// Each chunk is its own statements: on a pool, rows written meanwhile may show in later
    /// chunks or not. Run it in a transaction for one view of the data (see
    /// `docs/relations.md`). `take` bounds the rows streamed and `skip` skips the first;
    /// an order by a relation aggregate streams too, each chunk after the first starting
    /// after the last row as a cursor does (one statement more, and one per aggregate term).
    pub fn stream<'a, E>(self, ex: E) -> impl Stream<Item = Result<L::Output>> + Send + 'a
    where
        E: Executor<'a> + 'a,
        M: 'a,
        L: 'a,
    {
        let (chunk, ahead) = (self.chunk, self.ahead);
        stream(ex.conn(), self.query, self.level, self.cursor, chunk, ahead)
    }
}

impl<M: Model> Find<M> {
    /// Reads the rows `n` at a time in [`Find::stream`] (1,000 unless told; at least 1).
    pub fn chunk_size(mut self, n: impl RowCount) -> Self {
        self.chunk = n.row_count().max(1);
        self
    }

    /// Reads up to `n` chunks ahead in [`Find::stream`], as [`Selected::read_ahead`] does
    /// (1 unless told).
    pub fn read_ahead(mut self, n: usize) -> Self {
        self.ahead = n;
        self
    }

    /// The matching rows as a stream, each with its includes loaded, as
    /// [`Selected::stream`] reads a selection: in chunks by keyset, at most one read ahead.
    pub fn stream<'a, E>(self, ex: E) -> impl Stream<Item = Result<M>> + Send + 'a
    where
        E: Executor<'a> + 'a,
        M: 'a,
    {
        stream(
            ex.conn(),
            self.query,
            Includes(self.includes),
            self.cursor,
            self.chunk,
            self.ahead,
        )
    }
}
