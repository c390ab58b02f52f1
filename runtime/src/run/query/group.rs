//! Aggregates over a query's rows: `Sale::aggregate((count(), sale::amount.sum()))` gives one
//! value of each over every matching row; `Sale::group_by(sale::shop_id)` one per group, with
//! a `having` on the groups, an order and a page.

use std::marker::PhantomData;

use super::and_filter;
use crate::driver::executor::Executor;
use crate::dsl::aggregate::{ColumnAggregate, GroupOrder, Having};
use crate::dsl::filter::{filter_on, Col, Expr, FilterOn, IntoFilter, OrderKey};
use crate::dsl::model::Model;
use crate::dsl::paging::RowCount;
use crate::ir::Aggregate;
use crate::sql::{render_group, GroupQuery};
use crate::values::error::{Error, Result};
use crate::values::row::Row;
use crate::values::types::FieldType;

/// The aggregates a query reads: one [`ColumnAggregate`] of `M`, or a tuple of up to eight.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list of aggregates of `{M}`",
    label = "aggregates of `{M}` only",
    note = "pass `count()`, a column's `sum()`, `avg()`, `min()` or `max()` of `{M}`, or a tuple of them"
)]
pub trait Aggregates<M>: Send {
    /// What a row of them reads as.
    type Output: Send;
    /// The aggregates, in order.
    fn aggregates(&self, out: &mut Vec<Aggregate>);
    /// Reads them from `row`, starting at column `at`.
    fn decode(row: &Row, at: &mut usize, model: &'static str) -> Result<Self::Output>;
}

fn decode_at<V: FieldType>(row: &Row, at: &mut usize, model: &'static str) -> Result<V> {
    let index = *at;
    *at += 1;
    V::decode(row, index).map_err(|e| Error::decode(model, "an aggregate", e))
}

impl<M, V: FieldType> Aggregates<M> for ColumnAggregate<M, V> {
    type Output = V;
    fn aggregates(&self, out: &mut Vec<Aggregate>) {
        out.push(self.aggregate());
    }
    fn decode(row: &Row, at: &mut usize, model: &'static str) -> Result<V> {
        decode_at(row, at, model)
    }
}

impl<M> Aggregates<M> for () {
    type Output = ();
    fn aggregates(&self, _: &mut Vec<Aggregate>) {}
    fn decode(_: &Row, _: &mut usize, _: &'static str) -> Result<()> {
        Ok(())
    }
}

macro_rules! tuple_aggregates {
    ($($name:ident $index:tt),*) => {
        impl<M, $($name: Aggregates<M>),*> Aggregates<M> for ($($name,)*) {
            type Output = ($($name::Output,)*);
            fn aggregates(&self, out: &mut Vec<Aggregate>) {
                $(self.$index.aggregates(out);)*
            }
            fn decode(row: &Row, at: &mut usize, model: &'static str) -> Result<Self::Output> {
                Ok(($($name::decode(row, at, model)?,)*))
            }
        }
    };
}

tuple_aggregates!(A 0);
tuple_aggregates!(A 0, B 1);
tuple_aggregates!(A 0, B 1, C 2);
tuple_aggregates!(A 0, B 1, C 2, D 3);
tuple_aggregates!(A 0, B 1, C 2, D 3, E 4);
tuple_aggregates!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_aggregates!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_aggregates!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// The columns a query groups by: one column of `M`, or a tuple of up to four.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list of columns of `{M}` to group by",
    label = "columns of `{M}` only",
    note = "group by a column of `{M}`, like `group_by(sale::shop_id)`, or a tuple of them"
)]
pub trait GroupKeys<M>: Send {
    /// What a group's key reads as.
    type Output: Send;
    /// The columns, in order.
    fn columns(&self, out: &mut Vec<&'static str>);
    /// Reads the key from `row`, starting at column `at`.
    fn decode(row: &Row, at: &mut usize, model: &'static str) -> Result<Self::Output>;
}

impl<M, V: FieldType, K> GroupKeys<M> for Col<M, V, K> {
    type Output = V;
    fn columns(&self, out: &mut Vec<&'static str>) {
        out.push(self.name());
    }
    fn decode(row: &Row, at: &mut usize, model: &'static str) -> Result<V> {
        let index = *at;
        *at += 1;
        V::decode(row, index).map_err(|e| Error::decode(model, "a group's key", e))
    }
}

macro_rules! tuple_keys {
    ($($name:ident $index:tt),*) => {
        impl<M, $($name: GroupKeys<M>),*> GroupKeys<M> for ($($name,)*) {
            type Output = ($($name::Output,)*);
            fn columns(&self, out: &mut Vec<&'static str>) {
                $(self.$index.columns(out);)*
            }
            fn decode(row: &Row, at: &mut usize, model: &'static str) -> Result<Self::Output> {
                Ok(($($name::decode(row, at, model)?,)*))
            }
        }
    };
}

tuple_keys!(A 0);
tuple_keys!(A 0, B 1);
tuple_keys!(A 0, B 1, C 2);
tuple_keys!(A 0, B 1, C 2, D 3);

/// Runs a grouped query's statement on a read connection, each row made by `each`.
async fn fetch_groups<'a, T>(
    ex: impl Executor<'a>,
    query: &GroupQuery,
    each: impl Fn(&Row) -> Result<T>,
) -> Result<Vec<T>> {
    let mut read = ex.conn().reading().await?;
    let stmt = render_group(read.conn().dialect(), query);
    let rows = loop {
        match read.conn().fetch(&stmt).await {
            Err(e) if read.again(&e).await? => {}
            done => break read.end(done).await?,
        }
    };
    rows.iter().map(each).collect()
}

/// Aggregates over every row of `M` a filter matches: one value each (`M::aggregate(..)`).
#[must_use = "a query does nothing until it is fetched"]
pub struct AggregateQuery<M, A> {
    query: GroupQuery,
    _aggregates: PhantomData<fn() -> (M, A)>,
}

impl<M: Model, A: Aggregates<M>> AggregateQuery<M, A> {
    pub(crate) fn new(aggregates: A) -> Self {
        let mut list = Vec::new();
        aggregates.aggregates(&mut list);
        Self {
            query: GroupQuery {
                model: M::META,
                keys: Vec::new(),
                aggregates: list,
                filter: None,
                having: None,
                order_by: Vec::new(),
                limit: None,
                offset: None,
            },
            _aggregates: PhantomData,
        }
    }

    /// Aggregates only the rows the filter matches.
    pub fn filter<F>(mut self, filter: F) -> Self
    where
        F: IntoFilter,
        F::Model: FilterOn<M>,
    {
        self.query.filter = and_filter(self.query.filter.take(), filter_on(filter));
        self
    }

    /// The statement as it is sent.
    pub fn to_statement(&self, dialect: crate::sql::Dialect) -> crate::sql::Statement {
        render_group(dialect, &self.query)
    }

    /// The aggregates: a count and a sum of no rows are 0, the rest `None`.
    pub async fn fetch<'a>(self, ex: impl Executor<'a>) -> Result<A::Output> {
        let name = M::META.name;
        let mut rows = fetch_groups(ex, &self.query, |row| A::decode(row, &mut 0, name)).await?;
        rows.pop().ok_or(Error::NotFound { model: name })
    }
}

/// The groups of the rows of `M` that share the values of columns `G`, with aggregates `A`
/// of each (`M::group_by(..)`): ordered by the key unless told otherwise.
#[must_use = "a query does nothing until it is fetched"]
pub struct GroupBy<M, G, A> {
    query: GroupQuery,
    _types: Types<M, G, A>,
}

/// The types a [`GroupBy`] carries.
type Types<M, G, A> = PhantomData<fn() -> (M, G, A)>;

impl<M: Model, G: GroupKeys<M>> GroupBy<M, G, ()> {
    pub(crate) fn new(keys: G) -> Self {
        let mut columns = Vec::new();
        keys.columns(&mut columns);
        Self {
            query: GroupQuery {
                model: M::META,
                keys: columns,
                aggregates: Vec::new(),
                filter: None,
                having: None,
                order_by: Vec::new(),
                limit: None,
                offset: None,
            },
            _types: PhantomData,
        }
    }

    /// What to compute over each group's rows: `count()`, a column's `sum()`, `avg()`,
    /// `min()`, `max()`, or a tuple of them.
    pub fn aggregate<A: Aggregates<M>>(self, aggregates: A) -> GroupBy<M, G, A> {
        let mut query = self.query;
        aggregates.aggregates(&mut query.aggregates);
        GroupBy {
            query,
            _types: PhantomData,
        }
    }
}

impl<M: Model, G: GroupKeys<M>, A: Aggregates<M>> GroupBy<M, G, A> {
    /// Groups only the rows the filter matches (`WHERE`, before grouping).
    pub fn filter<F>(mut self, filter: F) -> Self
    where
        F: IntoFilter,
        F::Model: FilterOn<M>,
    {
        self.query.filter = and_filter(self.query.filter.take(), filter_on(filter));
        self
    }

    /// Keeps the groups whose aggregates the condition holds for (`HAVING`); several
    /// `having`s must all hold.
    pub fn having(mut self, having: Having<M>) -> Self {
        let expr = having.into_expr();
        self.query.having = Some(match self.query.having.take() {
            None => expr,
            Some(Expr::And(mut items)) => {
                items.push(expr);
                Expr::And(items)
            }
            Some(existing) => Expr::And(vec![existing, expr]),
        });
        self
    }

    /// Orders the groups by a key column (`sale::shop_id.desc()`) or an aggregate
    /// (`sale::amount.sum().desc()`); later calls break ties of earlier ones, and the keys
    /// break the rest.
    pub fn order_by(mut self, order: impl Into<GroupOrder<M>>) -> Self {
        self.query.order_by.push(order.into().into_term());
        self
    }

    /// Returns at most `n` groups.
    pub fn take(mut self, n: impl RowCount) -> Self {
        self.query.limit = Some(n.row_count());
        self
    }

    /// Skips the first `n` groups.
    pub fn skip(mut self, n: impl RowCount) -> Self {
        self.query.offset = Some(n.row_count());
        self
    }

    /// The statement as it is sent.
    pub fn to_statement(&self, dialect: crate::sql::Dialect) -> crate::sql::Statement {
        render_group(dialect, &self.query)
    }

    /// Every group: its key and its aggregates. Ordering by a column the query does not group
    /// by is [`Error::InvalidQuery`].
    pub async fn fetch_all<'a>(self, ex: impl Executor<'a>) -> Result<Vec<(G::Output, A::Output)>> {
        for term in &self.query.order_by {
            match term.key {
                OrderKey::Column(column) if !self.query.keys.contains(&column) => {
                    return Err(Error::InvalidQuery(format!(
                        "a grouped query of `{}` is ordered by `{column}`, which it does not group by: order by a key column or an aggregate",
                        M::META.name
                    )));
                }
                OrderKey::Aggregate(..) => {
                    return Err(Error::InvalidQuery(
                        "a grouped query orders by its keys and aggregates, not by a relation's"
                            .to_owned(),
                    ));
                }
                OrderKey::Column(_) | OrderKey::Grouped(_) => {}
            }
        }
        let name = M::META.name;
        fetch_groups(ex, &self.query, |row| {
            let mut at = 0;
            let key = G::decode(row, &mut at, name)?;
            Ok((key, A::decode(row, &mut at, name)?))
        })
        .await
    }
}
