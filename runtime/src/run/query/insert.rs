//! Inserting rows, and inserting-or-updating them (upserts), and reading them back as stored.

use std::collections::HashMap;

use crate::driver::executor::{ConnRef, Executor};
use crate::dsl::model::{Insertable, Model};
use crate::sql::{
    render_insert, render_insert_returning, render_select, render_upsert, Dialect, OnConflict,
    SelectQuery,
};
use crate::values::error::{Error, Result};
use crate::values::types::PrimaryKey;
use crate::values::value::KeyRepr;
use crate::values::value::Value;

/// Inserts rows of a model: values of the model itself or of its `New` struct.
#[must_use = "a query does nothing until it is executed"]
pub struct Insert<I> {
    rows: Vec<I>,
}

impl<I: Insertable> Insert<I> {
    pub(crate) fn new(rows: Vec<I>) -> Self {
        Self { rows }
    }

    /// Runs the insert: one statement per chunk of rows that fits the backend's parameter
    /// limit, all chunks in one transaction. Returns the rows as stored, in the order given,
    /// with generated keys and database defaults filled in.
    pub async fn exec<'a>(self, ex: impl Executor<'a>) -> Result<Vec<I::Model>> {
        write(ex.conn(), self.rows, None).await
    }

    /// Runs the insert as [`Insert::exec`] does (the same chunks, in one transaction), but
    /// reads nothing back: no `RETURNING`, no `SELECT`. Returns how many rows it wrote.
    pub async fn exec_without_rows<'a>(self, ex: impl Executor<'a>) -> Result<u64> {
        write_counted(ex.conn(), self.rows).await
    }
}

/// Inserts one row of a model.
#[must_use = "a query does nothing until it is executed"]
pub struct InsertOne<I> {
    row: I,
}

impl<I: Insertable> InsertOne<I> {
    pub(crate) fn new(row: I) -> Self {
        Self { row }
    }

    /// Runs the insert and returns the row as stored, with generated keys and database
    /// defaults filled in.
    pub async fn exec<'a>(self, ex: impl Executor<'a>) -> Result<I::Model> {
        let mut stored = write(ex.conn(), vec![self.row], None).await?;
        stored.pop().ok_or(Error::NotFound {
            model: I::Model::META.name,
        })
    }

    /// Runs the insert and reads nothing back; returns how many rows it wrote (1).
    pub async fn exec_without_rows<'a>(self, ex: impl Executor<'a>) -> Result<u64> {
        write_counted(ex.conn(), vec![self.row]).await
    }
}

/// Writes `rows` with `INSERT` (or an upsert, with `conflict`) and returns them as stored, in
/// the order given. SQLite and PostgreSQL return the rows with `RETURNING`, and so do
/// MariaDB's inserts from 10.5 (see [`returns_rows`]). MySQL has none: whole rows get the
/// generated keys `LAST_INSERT_ID()` reports (InnoDB hands a multi-row insert ids
/// `auto_increment_increment` apart: see [`id_step`]); `New` values and upserts are read back
/// by key in the same transaction.
pub(super) async fn write<I: Insertable>(
    conn: ConnRef<'_>,
    mut rows: Vec<I>,
    conflict: Option<&OnConflict>,
) -> Result<Vec<I::Model>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let (columns, chunks) = prepare(conn.dialect(), &mut rows);
    // Several statements, or a write and its read, land together or not at all.
    let atomic =
        chunks.len() > 1 || (!returns_rows(conn, conflict) && (conflict.is_some() || !I::__WHOLE));
    let columns = &columns;
    let run = async |conn: ConnRef<'_>| {
        let mut stored = Vec::with_capacity(rows.len());
        let mut rest = rows.into_iter();
        for chunk in chunks {
            let written: Vec<I> = rest.by_ref().take(chunk.len()).collect();
            stored.extend(write_chunk(conn, columns, chunk, written, conflict).await?);
        }
        Ok(stored)
    };
    if atomic {
        conn.atomically(run).await
    } else {
        run(conn).await
    }
}

/// Writes `rows` with `INSERT`, reading nothing back (the chunks of [`write`], in one
/// transaction); returns how many rows the statements wrote.
pub(super) async fn write_counted<I: Insertable>(
    conn: ConnRef<'_>,
    mut rows: Vec<I>,
) -> Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let (columns, chunks) = prepare(conn.dialect(), &mut rows);
    drop(rows);
    let atomic = chunks.len() > 1;
    let run = async |conn: ConnRef<'_>| {
        let mut written = 0;
        for chunk in chunks {
            let stmt = render_insert(conn.dialect(), I::Model::META, &columns, chunk, false);
            written += conn.execute(&stmt).await?.rows_affected;
        }
        Ok(written)
    };
    if atomic {
        conn.atomically(run).await
    } else {
        run(conn).await
    }
}

/// Writes `rows` with `INSERT` and returns the primary key each was stored under, in the
/// order given, for the rows written under them: a key the rows give is taken from them,
/// with nothing read back; a key the database generates comes back alone (`RETURNING` the
/// key) where the server can, else from MySQL's `LAST_INSERT_ID()` (as for whole rows in
/// [`write`]).
pub(super) async fn write_keyed<I: Insertable>(
    conn: ConnRef<'_>,
    mut rows: Vec<I>,
) -> Result<Vec<Value>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let meta = I::Model::META;
    let key = meta.primary_key();
    let (columns, chunks) = prepare(conn.dialect(), &mut rows);
    drop(rows);
    let given = columns.iter().position(|c| *c == key.name);
    let atomic = chunks.len() > 1;
    let run = async |conn: ConnRef<'_>| {
        let dialect = conn.dialect();
        let mut keys = Vec::new();
        for chunk in chunks {
            let count = chunk.len();
            if let Some(at) = given {
                keys.extend(chunk.iter().filter_map(|row| row.get(at).cloned()));
                conn.execute(&render_insert(dialect, meta, &columns, chunk, false))
                    .await?;
            } else if conn.insert_returns_rows() {
                let stmt = render_insert_returning(dialect, meta, &columns, chunk, &[key.name]);
                let rows = conn
                    .fetch_read(&stmt, meta.plain_columns(&[key.name]))
                    .await?;
                if rows.len() != count {
                    return Err(Error::NotFound { model: meta.name });
                }
                for row in rows {
                    let value = <<I::Model as Model>::Key as PrimaryKey>::__decode_one(&row, 0)
                        .map_err(|e| Error::decode(meta.name, key.name, e))?;
                    keys.push(value);
                }
            } else {
                let outcome = conn
                    .execute(&render_insert(dialect, meta, &columns, chunk, false))
                    .await?;
                let first = i64::try_from(outcome.last_insert_id).map_err(|e| Error::Decode {
                    model: meta.name,
                    column: key.name,
                    source: Box::new(e),
                })?;
                let step = id_step(conn, count).await?;
                keys.extend((0..).take(count).map(|k: i64| Value::I64(first + k * step)));
            }
        }
        Ok(keys)
    };
    if atomic {
        conn.atomically(run).await
    } else {
        run(conn).await
    }
}

/// How far apart the keys of one multi-row insert are on MySQL: `auto_increment_increment`,
/// one unless a cluster spreads its nodes' keys (Galera's `wsrep_auto_increment_control`, group
/// replication in multi-primary mode, set to the number of nodes). Asked of the connection
/// that inserted (a session setting), only for more than one row.
async fn id_step(conn: ConnRef<'_>, rows: usize) -> Result<i64> {
    if rows < 2 {
        return Ok(1);
    }
    let stmt = crate::sql::Statement::raw(
        "SELECT CAST(@@auto_increment_increment AS SIGNED)",
        Vec::new(),
    );
    let rows = conn.fetch(&stmt).await?;
    let step = match rows.first() {
        Some(row) => row
            .get_native::<i64>(0)
            .map_err(|e| Error::decode("@@auto_increment_increment", "value", e))?,
        None => 1,
    };
    Ok(step.max(1))
}

/// The columns an insert of `rows` writes, and each row's values split into chunks of rows
/// that fit the backend's parameter limit.
fn prepare<I: Insertable>(
    dialect: Dialect,
    rows: &mut [I],
) -> (Vec<&'static str>, Vec<Vec<Vec<Value>>>) {
    let columns = I::Model::META.insert_columns(I::__WHOLE);
    let values: Vec<Vec<Value>> = rows.iter_mut().map(I::__insert_values).collect();
    let chunk_len = (dialect.max_params() / columns.len().max(1)).max(1);
    (columns, chunk(values, chunk_len))
}

fn chunk<T>(items: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let mut out = Vec::with_capacity(items.len().div_ceil(size));
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        out.push(items.by_ref().take(size).collect());
    }
    out
}

/// Writes one chunk of rows with one statement.
async fn write_chunk<I: Insertable>(
    conn: ConnRef<'_>,
    columns: &[&'static str],
    values: Vec<Vec<Value>>,
    written: Vec<I>,
    conflict: Option<&OnConflict>,
) -> Result<Vec<I::Model>> {
    let meta = I::Model::META;
    let dialect = conn.dialect();
    let returning = returns_rows(conn, conflict);
    // The columns MySQL's rows are read back by: the conflict target (an upsert may have
    // updated a row whose key the new row does not give) or the primary key.
    let lookup: Vec<&'static str> = match conflict {
        Some(c) if !c.target.is_empty() => c.target.clone(),
        _ => meta.key_columns().map(|c| c.name).collect(),
    };
    let at: Option<Vec<usize>> = lookup
        .iter()
        .map(|l| columns.iter().position(|c| c == l))
        .collect();
    let keys: Option<Vec<Vec<Value>>> = at.map(|at| {
        values
            .iter()
            .filter_map(|row| at.iter().map(|&i| row.get(i).cloned()).collect())
            .collect()
    });
    let stmt = match conflict {
        None => render_insert(dialect, meta, columns, values, returning),
        Some(conflict) => render_upsert(dialect, meta, columns, values, conflict, returning),
    };
    if returning {
        // Inside a transaction on SQLite, rows of plain columns come back stepped directly, as
        // reads do: sqlx would hand each one from its worker thread.
        let rows = conn.fetch_read(&stmt, meta.plain_columns(&[])).await?;
        return rows.iter().map(I::Model::__decode).collect();
    }
    let outcome = conn.execute(&stmt).await?;
    let count = written.len();
    let first = match conflict {
        None if meta.has_generated_column() => Some(
            i64::try_from(outcome.last_insert_id).map_err(|e| Error::Decode {
                model: meta.name,
                column: meta.primary_key().name,
                source: Box::new(e),
            })?,
        ),
        _ => None,
    };
    // The generated keys: `first`, and `step` apart after it.
    let step = match first {
        Some(_) => id_step(conn, count).await?,
        None => 1,
    };
    if conflict.is_none() {
        let mut stored = Vec::with_capacity(count);
        for (offset, row) in (0..).zip(written) {
            match row.__stored(first.map(|first| first + offset * step))? {
                Some(row) => stored.push(row),
                None => break,
            }
        }
        if stored.len() == count {
            return Ok(stored);
        }
    }
    let keys = match (keys, first) {
        (Some(keys), _) => keys,
        (None, Some(first)) => (0..)
            .take(count)
            .map(|k: i64| vec![Value::I64(first + k * step)])
            .collect(),
        (None, None) => {
            return Err(Error::InvalidQuery(format!(
                "`{}` rows cannot be read back after an insert on MySQL: the key `{}` is neither given nor generated by `auto`",
                meta.name,
                meta.primary_key().name
            )))
        }
    };
    read_back::<I::Model>(conn, &lookup, keys, conflict).await
}

/// Whether the write's statement returns the rows it wrote (`RETURNING`). Not on MySQL, nor
/// for MariaDB's upserts: a MySQL upsert fires on a conflict on any unique key, and only the
/// read by the conflict column afterwards tells that it updated another row than the one the
/// upsert names (see [`missing`]).
fn returns_rows(conn: ConnRef<'_>, conflict: Option<&OnConflict>) -> bool {
    conn.insert_returns_rows() && (conflict.is_none() || conn.dialect() != Dialect::MySql)
}

/// Reads the rows whose `columns` hold `keys`, one per key, in the keys' order.
async fn read_back<M: Model>(
    conn: ConnRef<'_>,
    columns: &[&'static str],
    keys: Vec<Vec<Value>>,
    conflict: Option<&OnConflict>,
) -> Result<Vec<M>> {
    let mut query = SelectQuery::new(M::META);
    query.filter = Some(super::keys_filter(columns, keys.clone()));
    let rows = conn.fetch(&render_select(conn.dialect(), &query)).await?;
    let fields: Vec<&str> = columns
        .iter()
        .filter_map(|name| M::META.columns.iter().find(|c| c.name == *name))
        .map(|c| c.field)
        .collect();
    let key_of = |model: &M| -> Option<Vec<KeyRepr>> {
        fields
            .iter()
            .map(|f| model.__column(f).and_then(Value::into_key))
            .collect()
    };
    let mut by_key = HashMap::with_capacity(rows.len());
    let mut models = Vec::with_capacity(rows.len());
    for row in &rows {
        let model = M::__decode(row)?;
        if let Some(key) = key_of(&model) {
            by_key.insert(key, models.len());
        }
        models.push(Some(model));
    }
    let missing = || missing::<M>(&columns.join(", "), conflict);
    let mut stored = Vec::with_capacity(keys.len());
    for key in keys {
        let found = key
            .into_iter()
            .map(Value::into_key)
            .collect::<Option<Vec<_>>>()
            .and_then(|k| by_key.get(&k).copied());
        match found {
            // A key given twice (an upsert of the same row twice) reads the row twice.
            Some(at) => match (models.get_mut(at).and_then(Option::take), rows.get(at)) {
                (Some(model), _) => stored.push(model),
                (None, Some(row)) => stored.push(M::__decode(row)?),
                (None, None) => return Err(missing()),
            },
            None => return Err(missing()),
        }
    }
    Ok(stored)
}

/// A row written but not found by its key: on MySQL, an upsert whose row conflicted on
/// another unique key than the target updated that row instead. PostgreSQL and SQLite refuse
/// such a row with a unique violation; so does this, and the transaction is rolled back.
fn missing<M: Model>(column: &str, conflict: Option<&OnConflict>) -> Error {
    match conflict {
        Some(_) => Error::UniqueViolation {
            constraint: None,
            message: format!(
                "an upsert of `{}` on `{column}` conflicted with a stored row on another unique key \
                 (MySQL's `ON DUPLICATE KEY UPDATE` fires on any unique key); nothing was written",
                M::META.name
            ),
        },
        None => Error::NotFound {
            model: M::META.name,
        },
    }
}
