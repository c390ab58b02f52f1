//! Counting rows.

use std::marker::PhantomData;

use super::and_filter;
use crate::driver::executor::Executor;
use crate::dsl::filter::Expr;
use crate::dsl::filter::{filter_on, FilterOn, IntoFilter};
use crate::dsl::model::Model;
use crate::sql::render_count;
use crate::values::error::{Error, Result};

/// `SELECT COUNT(*)` over the rows of `M` a filter matches.
#[must_use = "a query does nothing until it is fetched"]
pub struct Count<M> {
    filter: Option<Expr>,
    _model: PhantomData<fn() -> M>,
}

impl<M: Model> Count<M> {
    pub(crate) fn new() -> Self {
        Self {
            filter: None,
            _model: PhantomData,
        }
    }

    /// Counts only the rows the filter matches.
    pub fn filter<F>(mut self, filter: F) -> Self
    where
        F: IntoFilter,
        F::Model: FilterOn<M>,
    {
        self.filter = and_filter(self.filter.take(), filter_on(filter));
        self
    }

    /// The number of matching rows.
    pub async fn fetch<'a>(self, ex: impl Executor<'a>) -> Result<i64> {
        // A read: on a replica where the `Db` has some.
        let mut read = ex.conn().reading().await?;
        let stmt = render_count(read.conn().dialect(), M::META, self.filter.as_ref());
        let rows = loop {
            match read.conn().fetch(&stmt).await {
                Err(e) if read.again(&e).await? => {}
                done => break read.end(done).await?,
            }
        };
        let row = rows.first().ok_or(Error::NotFound {
            model: M::META.name,
        })?;
        row.get_native::<i64>(0)
            .map_err(|e| Error::decode(M::META.name, "COUNT(*)", e))
    }

    /// Whether any row matches.
    pub async fn exists<'a>(self, ex: impl Executor<'a>) -> Result<bool> {
        Ok(self.fetch(ex).await? > 0)
    }
}
