//! Inserting rows and reading them back as stored.

use crate::driver::executor::{ConnRef, Executor};
use crate::dsl::model::Model;
use crate::sql::{render_insert, Dialect};
use crate::values::error::{Error, Result};

/// Inserts rows of `M`.
#[must_use = "a query does nothing until it is executed"]
pub struct Insert<M> {
    rows: Vec<M>,
}

impl<M: Model> Insert<M> {
    pub(crate) fn new(rows: Vec<M>) -> Self {
        Self { rows }
    }

    /// Runs the insert: one statement per chunk of rows that fits the backend's parameter
    /// limit, all chunks in one transaction. Returns the rows as stored, in the order given.
    pub async fn exec<'a>(self, ex: impl Executor<'a>) -> Result<Vec<M>> {
        let mut rows = self.rows;
        if rows.is_empty() {
            return Ok(rows);
        }
        let conn = ex.conn();
        let values: Vec<_> = rows.iter_mut().map(M::__insert_values).collect();
        let per_row = values.first().map_or(1, Vec::len).max(1);
        let chunk_len = (conn.dialect().max_params() / per_row).max(1);
        let chunks: Vec<Vec<_>> = chunk(values, chunk_len);
        if chunks.len() == 1 {
            let chunk = chunks.into_iter().next().unwrap_or_default();
            return insert_chunk(conn, chunk, rows).await;
        }
        conn.atomically(async |conn| {
            let mut stored = Vec::with_capacity(rows.len());
            let mut rest = rows.into_iter();
            for chunk in chunks {
                let written: Vec<M> = rest.by_ref().take(chunk.len()).collect();
                stored.extend(insert_chunk(conn, chunk, written).await?);
            }
            Ok(stored)
        })
        .await
    }
}

fn chunk<T>(items: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let mut out = Vec::with_capacity(items.len().div_ceil(size));
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        out.push(items.by_ref().take(size).collect());
    }
    out
}

/// Inserts one chunk. SQLite and PostgreSQL return the stored rows with `RETURNING`; MySQL has
/// no `RETURNING`, so the written rows get the generated keys that `LAST_INSERT_ID()` reports
/// (InnoDB hands a multi-row insert consecutive ids).
async fn insert_chunk<M: Model>(
    conn: ConnRef<'_>,
    values: Vec<Vec<crate::values::value::Value>>,
    mut written: Vec<M>,
) -> Result<Vec<M>> {
    let dialect = conn.dialect();
    let returning = dialect != Dialect::MySql;
    let stmt = render_insert(dialect, M::META, values, returning);
    if returning {
        let rows = conn.fetch(&stmt).await?;
        return rows.iter().map(M::__decode).collect();
    }
    let outcome = conn.execute(&stmt).await?;
    if M::META.has_generated_column() {
        let first = i64::try_from(outcome.last_insert_id).map_err(|e| Error::Decode {
            model: M::META.name,
            column: M::META.primary_key().name,
            source: Box::new(e),
        })?;
        for (offset, row) in (0..).zip(written.iter_mut()) {
            row.__set_generated_key(first + offset)?;
        }
    }
    Ok(written)
}

/// Inserts one row of `M`.
#[must_use = "a query does nothing until it is executed"]
pub struct InsertOne<M> {
    row: M,
}

impl<M: Model> InsertOne<M> {
    pub(crate) fn new(row: M) -> Self {
        Self { row }
    }

    /// Runs the insert and returns the row as stored, with generated keys filled in.
    pub async fn exec<'a>(self, ex: impl Executor<'a>) -> Result<M> {
        let mut stored = Insert::new(vec![self.row]).exec(ex).await?;
        stored.pop().ok_or(Error::NotFound {
            model: M::META.name,
        })
    }
}
