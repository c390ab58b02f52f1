//! Upserts: inserting rows, or updating the stored row a new one conflicts with on a unique
//! column.

use super::insert::write;
use crate::driver::executor::Executor;
use crate::dsl::filter::{Col, Unique};
use crate::dsl::model::{Insertable, Model};
use crate::sql::OnConflict;
use crate::values::error::{Error, Result};

/// Inserts rows of a model, or updates the stored rows they conflict with.
#[must_use = "a query does nothing until it is executed"]
pub struct Upsert<I> {
    rows: Vec<I>,
    target: Option<&'static str>,
    update: Vec<&'static str>,
}

impl<I: Insertable> Upsert<I> {
    pub(crate) fn new(rows: Vec<I>) -> Self {
        Self {
            rows,
            target: None,
            update: Vec::new(),
        }
    }

    /// The unique column whose value decides whether a row is new (default: the primary
    /// key). On MySQL every unique key decides: see `docs/writes.md`.
    pub fn on<T>(mut self, column: Col<I::Model, T, Unique>) -> Self {
        self.target = Some(column.name());
        self
    }

    /// Updates only the columns named (each call adds one) when a row conflicts; by default,
    /// every column the value gives except the primary key and the conflict column.
    pub fn update<T, K>(mut self, column: Col<I::Model, T, K>) -> Self {
        if !self.update.contains(&column.name()) {
            self.update.push(column.name());
        }
        self
    }

    /// Runs the upsert: one statement per chunk of rows that fits the backend's parameter
    /// limit, all chunks in one transaction. Returns the rows as stored, in the order given.
    pub async fn exec<'a>(self, ex: impl Executor<'a>) -> Result<Vec<I::Model>> {
        let conflict = self.conflict()?;
        write(ex.conn(), self.rows, Some(&conflict)).await
    }

    /// The conflict clause, checked against the columns the rows give.
    fn conflict(&self) -> Result<OnConflict> {
        let meta = I::Model::META;
        let columns = meta.insert_columns(I::__WHOLE);
        let key: Vec<&'static str> = meta.key_columns().map(|c| c.name).collect();
        let target = self.target.map_or_else(|| key.clone(), |t| vec![t]);
        if let Some(missing) = target.iter().find(|t| !columns.contains(t)) {
            return Err(Error::InvalidQuery(format!(
                "an upsert of `{}` on `{missing}` needs the value of `{missing}`, which the rows \
                 leave to the database; name a unique column they give with `.on(..)`",
                meta.name
            )));
        }
        if let Some(column) = self.update.iter().find(|c| !columns.contains(c)) {
            return Err(Error::InvalidQuery(format!(
                "an upsert of `{}` cannot update `{column}`: the rows do not give it",
                meta.name
            )));
        }
        let mut update = if self.update.is_empty() {
            columns
                .iter()
                .copied()
                .filter(|c| !target.contains(c) && !key.contains(c))
                .collect()
        } else {
            self.update.clone()
        };
        // Nothing to update: set the target to itself, so that the stored row still comes
        // back (`DO NOTHING` returns no row for it).
        if update.is_empty() {
            update.extend(target.iter().copied());
        }
        Ok(OnConflict { target, update })
    }
}

/// Inserts one row of a model, or updates the stored row it conflicts with.
#[must_use = "a query does nothing until it is executed"]
pub struct UpsertOne<I> {
    inner: Upsert<I>,
}

impl<I: Insertable> UpsertOne<I> {
    pub(crate) fn new(row: I) -> Self {
        Self {
            inner: Upsert::new(vec![row]),
        }
    }

    /// The unique column whose value decides whether the row is new (default: the primary
    /// key). On MySQL every unique key decides: see `docs/writes.md`.
    pub fn on<T>(self, column: Col<I::Model, T, Unique>) -> Self {
        Self {
            inner: self.inner.on(column),
        }
    }

    /// Updates only the columns named (each call adds one) when the row conflicts; by
    /// default, every column the value gives except the primary key and the conflict column.
    pub fn update<T, K>(self, column: Col<I::Model, T, K>) -> Self {
        Self {
            inner: self.inner.update(column),
        }
    }

    /// Runs the upsert and returns the row as stored.
    pub async fn exec<'a>(self, ex: impl Executor<'a>) -> Result<I::Model> {
        let mut stored = self.inner.exec(ex).await?;
        stored.pop().ok_or(Error::NotFound {
            model: I::Model::META.name,
        })
    }
}
