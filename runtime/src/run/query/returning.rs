//! Writes that answer with a selection: `insert`, `upsert`, `create` (nested) and
//! `update_by_id` followed by
//! `.select(select!(..))` write, then read the written rows back as the selection's output
//! (relations included), both in one transaction.

use std::collections::HashMap;

use futures_util::future::BoxFuture;

use super::{Create, CreateMany, Insert, InsertOne, UpdateOne, Upsert, UpsertOne};
use crate::driver::executor::{ConnRef, Executor};
use crate::dsl::model::{Insertable, Model};
use crate::run::select::{Level, SelectionFor};
use crate::sql::{render_select, SelectQuery};
use crate::values::error::{Error, Result};
use crate::values::row::Row;
use crate::values::types::PrimaryKey;
use crate::values::value::{KeyRepr, Value};

/// A write of rows of one model that can run on a connection Trellis lends it.
#[doc(hidden)]
pub trait WriteRows: Send {
    /// The model written.
    type Model: Model;
    /// Runs the write; the rows as stored, in the order given.
    fn write_rows<'c>(self, conn: ConnRef<'c>) -> BoxFuture<'c, Result<Vec<Self::Model>>>
    where
        Self: 'c;
}

/// A write whose rows are answered as a selection (see [`Insert::select`]).
#[must_use = "a query does nothing until it is executed"]
pub struct Returning<W, L> {
    write: W,
    level: L,
}

/// A write of one row answered as a selection (see [`InsertOne::select`]).
#[must_use = "a query does nothing until it is executed"]
pub struct ReturningOne<W, L> {
    inner: Returning<W, L>,
}

impl<W: WriteRows, L: Level> Returning<W, L>
where
    L::Model: SelectionFor<W::Model>,
{
    pub(crate) fn new(write: W, level: L) -> Self {
        Self { write, level }
    }

    /// Runs the write and reads what it wrote back as the selection, in one transaction:
    /// one output per row written, in the order given (a row written twice, by an upsert of
    /// the same key twice, is answered once).
    pub async fn exec<'a>(self, ex: impl Executor<'a>) -> Result<Vec<L::Output>> {
        let Self { write, level } = self;
        ex.conn()
            .atomically(async |conn| {
                let stored = write.write_rows(conn).await?;
                read_back(conn, &stored, &level).await
            })
            .await
    }
}

impl<W: WriteRows, L: Level> ReturningOne<W, L>
where
    L::Model: SelectionFor<W::Model>,
{
    pub(crate) fn new(write: W, level: L) -> Self {
        Self {
            inner: Returning::new(write, level),
        }
    }

    /// Runs the write and reads the row back as the selection, in one transaction.
    pub async fn exec<'a>(self, ex: impl Executor<'a>) -> Result<L::Output> {
        let mut outputs = self.inner.exec(ex).await?;
        outputs.pop().ok_or(Error::NotFound {
            model: <W::Model as Model>::META.name,
        })
    }
}

/// A key's values as one hashable key; `None` when one is `NULL`.
fn key_repr(values: &[Value]) -> Option<Vec<KeyRepr>> {
    values.iter().map(Value::key).collect()
}

/// Reads `stored` again by primary key, as `level` selects them, in the order of `stored`.
async fn read_back<M: Model, L: Level>(
    conn: ConnRef<'_>,
    stored: &[M],
    level: &L,
) -> Result<Vec<L::Output>> {
    let key: Vec<&'static str> = M::META.key_columns().map(|c| c.name).collect();
    let keys: Vec<Vec<Value>> = stored
        .iter()
        .filter_map(|m| {
            M::META
                .key_columns()
                .map(|c| m.__column(c.field))
                .collect::<Option<Vec<_>>>()
        })
        .collect();
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let position: HashMap<_, usize> = keys
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(i, k)| Some((key_repr(k)?, i)))
        .collect();
    // The selection's columns, and the key to put the rows in order by (read last when the
    // selection does not name it).
    let mut columns = level.columns();
    let key_at: Vec<usize> = key
        .iter()
        .map(|name| match columns.iter().position(|c| c == name) {
            Some(at) => at,
            None => {
                columns.push(name);
                columns.len() - 1
            }
        })
        .collect();
    let mut query = SelectQuery::new(M::META);
    query.columns = columns.clone();
    query.filter = Some(super::keys_filter(&key, keys));
    let rows = conn.fetch(&render_select(conn.dialect(), &query)).await?;
    let mut ordered: Vec<(usize, Row)> = Vec::with_capacity(rows.len());
    for row in rows {
        let values = <M::Key as PrimaryKey>::__decode_values(&row, &key_at)
            .map_err(|e| Error::decode(M::META.name, M::META.primary_key().name, e))?;
        let at = key_repr(&values).and_then(|k| position.get(&k).copied());
        ordered.push((at.unwrap_or(usize::MAX), row));
    }
    ordered.sort_by_key(|(at, _)| *at);
    let rows: Vec<Row> = ordered.into_iter().map(|(_, row)| row).collect();
    level
        .build(conn, rows, &columns, crate::run::load::Parents::Some)
        .await
}

impl<I: Insertable + Send> WriteRows for Insert<I> {
    type Model = I::Model;
    fn write_rows<'c>(self, conn: ConnRef<'c>) -> BoxFuture<'c, Result<Vec<I::Model>>>
    where
        Self: 'c,
    {
        Box::pin(self.exec(conn))
    }
}

impl<I: Insertable + Send> WriteRows for InsertOne<I> {
    type Model = I::Model;
    fn write_rows<'c>(self, conn: ConnRef<'c>) -> BoxFuture<'c, Result<Vec<I::Model>>>
    where
        Self: 'c,
    {
        Box::pin(async move { Ok(vec![self.exec(conn).await?]) })
    }
}

impl<I: Insertable + Send> WriteRows for Upsert<I> {
    type Model = I::Model;
    fn write_rows<'c>(self, conn: ConnRef<'c>) -> BoxFuture<'c, Result<Vec<I::Model>>>
    where
        Self: 'c,
    {
        Box::pin(self.exec(conn))
    }
}

impl<I: Insertable + Send> WriteRows for UpsertOne<I> {
    type Model = I::Model;
    fn write_rows<'c>(self, conn: ConnRef<'c>) -> BoxFuture<'c, Result<Vec<I::Model>>>
    where
        Self: 'c,
    {
        Box::pin(async move { Ok(vec![self.exec(conn).await?]) })
    }
}

impl<I: Insertable + Send> WriteRows for Create<I> {
    type Model = I::Model;
    fn write_rows<'c>(self, conn: ConnRef<'c>) -> BoxFuture<'c, Result<Vec<I::Model>>>
    where
        Self: 'c,
    {
        Box::pin(async move { Ok(vec![self.exec(conn).await?]) })
    }
}

impl<I: Insertable + Send> WriteRows for CreateMany<I> {
    type Model = I::Model;
    fn write_rows<'c>(self, conn: ConnRef<'c>) -> BoxFuture<'c, Result<Vec<I::Model>>>
    where
        Self: 'c,
    {
        Box::pin(self.exec(conn))
    }
}

impl<M: Model> WriteRows for UpdateOne<M> {
    type Model = M;
    fn write_rows<'c>(self, conn: ConnRef<'c>) -> BoxFuture<'c, Result<Vec<M>>>
    where
        Self: 'c,
    {
        Box::pin(async move { Ok(vec![self.exec(conn).await?]) })
    }
}

/// `.select(level)` on a write of many rows.
macro_rules! select_many {
    ($($write:ident),*) => {$(
        impl<I: Insertable + Send> $write<I> {
            /// Answers with a selection of the rows written instead of whole rows:
            /// `.select(select!(User { id, profile { bio } }))`. The rows are read back, with
            /// the selection's relations, in the same transaction as the write.
            pub fn select<L>(self, level: L) -> Returning<Self, L>
            where
                L: Level,
                L::Model: SelectionFor<I::Model>,
            {
                Returning::new(self, level)
            }
        }
    )*};
}
select_many!(Insert, Upsert, CreateMany);

/// `.select(level)` on a write of one row.
macro_rules! select_one {
    ($($write:ident),*) => {$(
        impl<I: Insertable + Send> $write<I> {
            /// Answers with a selection of the row written instead of the whole row:
            /// `.select(select!(User { id, profile { bio } }))`. The row is read back, with the
            /// selection's relations, in the same transaction as the write.
            pub fn select<L>(self, level: L) -> ReturningOne<Self, L>
            where
                L: Level,
                L::Model: SelectionFor<I::Model>,
            {
                ReturningOne::new(self, level)
            }
        }
    )*};
}
select_one!(InsertOne, UpsertOne, Create);

impl<M: Model> UpdateOne<M> {
    /// Answers with a selection of the updated row instead of the whole row:
    /// `.select(select!(User { id, profile { bio } }))`, read in the same transaction as the
    /// update.
    pub fn select<L>(self, level: L) -> ReturningOne<Self, L>
    where
        L: Level,
        L::Model: SelectionFor<M>,
    {
        ReturningOne::new(self, level)
    }
}
