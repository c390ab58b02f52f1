//! Deleting rows.

use std::marker::PhantomData;

use super::{and_filter, key_filter};
use crate::driver::executor::Executor;
use crate::dsl::filter::Expr;
use crate::dsl::filter::{filter_on, FilterOn, IntoFilter};
use crate::dsl::model::Model;
use crate::sql::render_delete;
use crate::values::error::{Error, Result};

/// Deletes the rows of `M` a filter matches.
#[must_use = "a query does nothing until it is executed"]
pub struct Delete<M> {
    filter: Option<Expr>,
    _model: PhantomData<fn() -> M>,
}

impl<M: Model> Delete<M> {
    pub(crate) fn new() -> Self {
        Self {
            filter: None,
            _model: PhantomData,
        }
    }

    /// Deletes only the rows the filter matches; without one, every row.
    pub fn filter<F>(mut self, filter: F) -> Self
    where
        F: IntoFilter,
        F::Model: FilterOn<M>,
    {
        self.filter = and_filter(self.filter.take(), filter_on(filter));
        self
    }

    /// Runs the delete and returns how many rows it removed.
    pub async fn exec<'a>(self, ex: impl Executor<'a>) -> Result<u64> {
        let conn = ex.conn();
        let stmt = render_delete(conn.dialect(), M::META, self.filter.as_ref());
        Ok(conn.execute(&stmt).await?.rows_affected)
    }
}

/// Deletes the row with a given primary key.
#[must_use = "a query does nothing until it is executed"]
pub struct DeleteOne<M: Model> {
    key: M::Key,
}

impl<M: Model> DeleteOne<M> {
    pub(crate) fn new(key: M::Key) -> Self {
        Self { key }
    }

    /// Runs the delete; [`Error::NotFound`] when no row had the key.
    pub async fn exec<'a>(self, ex: impl Executor<'a>) -> Result<()> {
        let conn = ex.conn();
        let filter = key_filter::<M>(&self.key);
        let stmt = render_delete(conn.dialect(), M::META, Some(&filter));
        match conn.execute(&stmt).await?.rows_affected {
            0 => Err(Error::NotFound {
                model: M::META.name,
            }),
            _ => Ok(()),
        }
    }
}
