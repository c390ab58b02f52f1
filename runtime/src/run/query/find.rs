//! Reading whole model rows.

use std::marker::PhantomData;

use super::{and_filter, key_filter};
use crate::driver::executor::{ConnRef, Executor};
use crate::dsl::filter::Order;
use crate::dsl::filter::{filter_on, FilterOn, IntoFilter};
use crate::dsl::model::Model;
use crate::dsl::paging::RowCount;
use crate::run::load::{Include, IncludeOn, IntoInclude};
use crate::sql::{render_select, SelectQuery};
use crate::values::error::{Error, Result};

/// A query for rows of `M`.
#[must_use = "a query does nothing until it is fetched"]
pub struct Find<M> {
    pub(crate) query: SelectQuery,
    pub(crate) includes: Vec<Include<M>>,
    pub(crate) cursor: Option<super::cursor::Cursor>,
    /// How many rows [`Find::stream`] reads at a time.
    pub(crate) chunk: u64,
    /// How many chunks [`Find::stream`] reads ahead on a pool.
    pub(crate) ahead: usize,
    _model: PhantomData<fn() -> M>,
}

impl<M: Model> Find<M> {
    pub(crate) fn new() -> Self {
        Self {
            query: SelectQuery::new(M::META),
            includes: Vec::new(),
            cursor: None,
            chunk: crate::dsl::paging::DEFAULT_CHUNK,
            ahead: crate::dsl::paging::DEFAULT_READ_AHEAD,
            _model: PhantomData,
        }
    }

    pub(crate) fn by_key(key: M::Key) -> Self {
        let mut find = Self::new();
        find.query.filter = Some(key_filter::<M>(&key));
        find
    }

    /// Keeps the rows the filter matches (several calls must all match).
    pub fn filter<F>(mut self, filter: F) -> Self
    where
        F: IntoFilter,
        F::Model: FilterOn<M>,
    {
        self.query.filter = and_filter(self.query.filter.take(), filter_on(filter));
        self
    }

    /// Orders by a column; later calls break ties of earlier ones.
    pub fn order_by(mut self, order: Order<M>) -> Self {
        self.query.order_by.push(order.term);
        self
    }

    /// Loads a relation into the rows' relation fields: one more query for all rows.
    pub fn include<I>(mut self, include: I) -> Self
    where
        I: IntoInclude,
        I::Model: IncludeOn<M>,
    {
        self.includes
            .push(<I::Model as IncludeOn<M>>::cast(include.into_include()));
        self
    }

    /// Starts after the row whose unique `column` holds `value`, in this query's order (the
    /// column breaks ties last): keyset pagination. The cursor row must exist
    /// ([`Error::NotFound`] otherwise) and have values in the ordering columns.
    pub fn cursor<T: crate::values::types::FieldType>(
        mut self,
        column: crate::dsl::filter::Col<M, T, crate::dsl::filter::Unique>,
        value: impl Into<T>,
    ) -> Self {
        self.cursor = Some(super::cursor::Cursor {
            column: column.name(),
            value: value.into().to_value(),
        });
        self
    }

    /// Returns at most `n` rows.
    pub fn take(mut self, n: impl RowCount) -> Self {
        self.query.limit = Some(n.row_count());
        self
    }

    /// Skips the first `n` rows.
    pub fn skip(mut self, n: impl RowCount) -> Self {
        self.query.offset = Some(n.row_count());
        self
    }

    /// Reads only what a selection names, as its typed output: `.select(select!(User { id }))`.
    /// The selection must be of `M`. Includes are for whole rows and do not apply to a
    /// selection. A [`chunk_size`](Find::chunk_size) or [`read_ahead`](Find::read_ahead)
    /// given before applies to the selection's stream.
    pub fn select<L>(self, level: L) -> crate::run::select::Selected<M, L>
    where
        L: crate::run::select::Level,
        L::Model: crate::run::select::SelectionFor<M>,
    {
        let sizes = (self.chunk, self.ahead);
        crate::run::select::Selected::new(self.query, level, self.cursor, sizes)
    }

    /// The query as it is sent, for logging or tests.
    pub fn to_statement(&self, dialect: crate::sql::Dialect) -> crate::sql::Statement {
        render_select(dialect, &self.query)
    }

    /// Every matching row.
    pub async fn fetch_all<'a>(self, ex: impl Executor<'a>) -> Result<Vec<M>> {
        let mut read = ex.conn().reading().await?;
        loop {
            match self.fetch_rows(read.conn()).await {
                Err(e) if read.again(&e).await? => {}
                done => return read.end(done).await,
            }
        }
    }

    /// The statements of [`Find::fetch_all`], on one connection (run again from the start when
    /// it breaks: see [`ConnRef::reading`]).
    async fn fetch_rows(&self, conn: ConnRef<'_>) -> Result<Vec<M>> {
        let query = super::cursor::applied(
            conn,
            super::cursor::CursorModel::of::<M>(),
            &self.query,
            self.cursor.as_ref(),
        )
        .await?;
        let query = &*query;
        let plain = M::META.plain_columns(&[]);
        let rows = conn
            .fetch_read(&render_select(conn.dialect(), query), plain)
            .await?;
        let mut models = rows.iter().map(M::__decode).collect::<Result<Vec<M>>>()?;
        let which = crate::run::load::Parents::of_root(query);
        crate::run::load::Include::load_all(&self.includes, conn, &mut models, which).await?;
        Ok(models)
    }

    /// The first matching row, if any.
    pub async fn fetch_optional<'a>(self, ex: impl Executor<'a>) -> Result<Option<M>> {
        Ok(self.take(1).fetch_all(ex).await?.into_iter().next())
    }

    /// The first matching row; [`Error::NotFound`] when there is none.
    pub async fn fetch_one<'a>(self, ex: impl Executor<'a>) -> Result<M> {
        self.fetch_optional(ex).await?.ok_or(Error::NotFound {
            model: M::META.name,
        })
    }
}
