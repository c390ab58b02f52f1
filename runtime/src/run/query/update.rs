//! Updating rows with typed column assignments.

use std::marker::PhantomData;

use super::nested::{run_nested, Nested, Parents};
use super::{and_filter, key_filter};
use crate::driver::executor::Executor;
use crate::dsl::filter::{filter_on, FilterOn, IntoFilter};
use crate::dsl::filter::{Col, Expr};
use crate::dsl::model::Model;
use crate::run::query::Find;
use crate::sql::render_update;
use crate::values::error::{Error, Result};
use crate::values::types::FieldType;
use crate::values::value::Value;

/// Updates the rows of `M` a filter matches.
#[must_use = "a query does nothing until it is executed"]
pub struct Update<M> {
    filter: Option<Expr>,
    assignments: Vec<(&'static str, Value)>,
    _model: PhantomData<fn() -> M>,
}

impl<M: Model> Update<M> {
    pub(crate) fn new() -> Self {
        Self {
            filter: None,
            assignments: Vec::new(),
            _model: PhantomData,
        }
    }

    /// Updates only the rows the filter matches; without one, every row.
    pub fn filter<F>(mut self, filter: F) -> Self
    where
        F: IntoFilter,
        F::Model: FilterOn<M>,
    {
        self.filter = and_filter(self.filter.take(), filter_on(filter));
        self
    }

    /// Sets `column` to `value` in every updated row.
    pub fn set<T: FieldType, K>(mut self, column: Col<M, T, K>, value: impl Into<T>) -> Self {
        self.assignments
            .push((column.name(), value.into().to_value()));
        self
    }

    /// Runs the update and returns how many rows matched the filter.
    pub async fn exec<'a>(self, ex: impl Executor<'a>) -> Result<u64> {
        if self.assignments.is_empty() {
            return Err(Error::InvalidQuery(format!(
                "an update of `{}` needs at least one `.set(..)`",
                M::META.name
            )));
        }
        let conn = ex.conn();
        let stmt = render_update(
            conn.dialect(),
            M::META,
            self.assignments,
            self.filter.as_ref(),
        );
        Ok(conn.execute(&stmt).await?.rows_affected)
    }
}

/// Updates the row with a given primary key and returns it as stored.
#[must_use = "a query does nothing until it is executed"]
pub struct UpdateOne<M: Model> {
    key: M::Key,
    assignments: Vec<(&'static str, Value)>,
    nested: Vec<Nested<M>>,
}

impl<M: Model> UpdateOne<M> {
    pub(crate) fn new(key: M::Key) -> Self {
        Self {
            key,
            assignments: Vec::new(),
            nested: Vec::new(),
        }
    }

    /// Sets `column` to `value`.
    pub fn set<T: FieldType, K>(mut self, column: Col<M, T, K>, value: impl Into<T>) -> Self {
        self.assignments
            .push((column.name(), value.into().to_value()));
        self
    }

    /// Writes a relation of the row too: `user::organizations::connect(..)`,
    /// `disconnect(..)` and `set(..)`; `session::user::connect(..)` (a belongs_to's foreign
    /// key); `user::sessions::create(..)` (new children).
    pub fn with(mut self, nested: Nested<M>) -> Self {
        self.nested.push(nested);
        self
    }

    /// Runs the update and reads the row back, both in one transaction with the relation
    /// writes of `.with(..)`; [`Error::NotFound`] when no row had the key. A relation
    /// written with `create` or `connect` comes back loaded with the rows that call wrote
    /// (not every related row).
    pub async fn exec<'a>(self, ex: impl Executor<'a>) -> Result<M> {
        let Self {
            key,
            assignments,
            nested,
        } = self;
        ex.conn()
            .atomically(async |conn| {
                let filter = key_filter::<M>(&key);
                if !assignments.is_empty() {
                    let stmt = render_update(conn.dialect(), M::META, assignments, Some(&filter));
                    if conn.execute(&stmt).await?.rows_affected == 0 {
                        return Err(Error::NotFound {
                            model: M::META.name,
                        });
                    }
                }
                let find = Find::<M>::by_key(key);
                let rows = conn.fetch(&find.to_statement(conn.dialect())).await?;
                let mut row = match rows.first() {
                    Some(row) => [M::__decode(row)?],
                    None => {
                        return Err(Error::NotFound {
                            model: M::META.name,
                        })
                    }
                };
                if !nested.is_empty() {
                    run_nested(conn, Parents::Rows(&mut row), vec![nested]).await?;
                }
                let [row] = row;
                Ok(row)
            })
            .await
    }
}
