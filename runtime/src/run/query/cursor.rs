//! Cursor pagination: the rows after a given row in the query's order (keyset pagination),
//! the row named by a unique column.

use crate::driver::executor::ConnRef;
use crate::dsl::filter::{CmpOp, Expr, Nulls, OrderKey, OrderTerm, RelationLink, RelationTest};
use crate::dsl::model::Model;
use crate::ir::{Aggregate, Operand};
use crate::meta::model::{ColumnMeta, ModelMeta};
use crate::sql::{render_row_aggregate, render_select, Dialect, SelectQuery};
use crate::values::error::{Error, Result};
use crate::values::row::Row;
use crate::values::types::value_reader;
use crate::values::value::{SqlType, Value};

/// The row to start after: a unique column and its value.
#[derive(Debug, Clone)]
pub(crate) struct Cursor {
    pub(crate) column: &'static str,
    pub(crate) value: Value,
}

/// The model a cursor row is read as: its metadata, and how to read a field's value of one of
/// its rows. What [`after`] needs of the model's type, so that one copy of it serves every model.
#[derive(Clone, Copy)]
pub(crate) struct CursorModel {
    meta: &'static ModelMeta,
    value: fn(&Row, &str) -> Result<Option<Value>>,
}

impl CursorModel {
    /// The model's metadata.
    pub(crate) fn meta(self) -> &'static ModelMeta {
        self.meta
    }

    /// Model `M`.
    pub(crate) fn of<M: Model>() -> CursorModel {
        CursorModel {
            meta: M::META,
            value: |row, field| Ok(M::__decode(row)?.__column(field)),
        }
    }
}

/// `query` with the cursor's condition added (see [`after`]), as a copy, so that `query` stays
/// as it was for a read that runs again (see `ConnRef::reading`); `query` itself without one.
pub(crate) async fn applied<'q>(
    conn: ConnRef<'_>,
    model: CursorModel,
    query: &'q SelectQuery,
    cursor: Option<&Cursor>,
) -> Result<std::borrow::Cow<'q, SelectQuery>> {
    let Some(cursor) = cursor else {
        return Ok(std::borrow::Cow::Borrowed(query));
    };
    let mut query = query.clone();
    let after = after(conn, model, &mut query.order_by, cursor).await?;
    query.filter = Some(match query.filter.take() {
        Some(existing) => Expr::And(vec![existing, after]),
        None => after,
    });
    Ok(std::borrow::Cow::Owned(query))
}

/// Whether, in the order of `term` on `dialect`, rows with `NULL` in `column` come after every
/// value (never for a column that cannot hold one).
pub(crate) fn nulls_after(dialect: Dialect, column: &ColumnMeta, term: &OrderTerm) -> bool {
    column.nullable
        && match term.nulls {
            Some(Nulls::Last) => true,
            Some(Nulls::First) => false,
            // PostgreSQL sorts `NULL` above every value, SQLite and MySQL below.
            None => (dialect == Dialect::Postgres) != term.descending,
        }
}

/// What an ordering term orders by, as the cursor's condition compares it.
#[derive(Clone, Copy)]
enum Key {
    Column(&'static str),
    Aggregate(RelationLink, Aggregate),
}

impl Key {
    /// `key op value`.
    fn compare(self, op: CmpOp, value: Value) -> Expr {
        match self {
            Key::Column(column) => Expr::Compare { column, op, value },
            Key::Aggregate(link, aggregate) => Expr::AggregateCompare {
                link,
                aggregate,
                op,
                value,
            },
        }
    }

    /// `key IS NULL`: for an aggregate that can be `NULL` (an average, least or greatest
    /// value), no related row has a value in its column.
    fn is_null(self) -> Expr {
        match self {
            Key::Column(column) => Expr::IsNull {
                column,
                negated: false,
            },
            Key::Aggregate(link, aggregate) => match aggregate.column() {
                Some(column) if nullable(aggregate) => Expr::Related {
                    link,
                    test: RelationTest::None,
                    filter: Box::new(Expr::IsNull {
                        column,
                        negated: true,
                    }),
                },
                _ => Expr::Or(Vec::new()),
            },
        }
    }
}

/// Whether an aggregate can be `NULL`: an average, least or greatest value of no values.
fn nullable(aggregate: Aggregate) -> bool {
    matches!(
        aggregate,
        Aggregate::Avg(..) | Aggregate::Min(..) | Aggregate::Max(..)
    )
}

/// Whether, in the order of `term` on `dialect`, keys that can be `NULL` (`nullable`) come
/// after every value when they are.
fn nulls_last(dialect: Dialect, nullable: bool, term: &OrderTerm) -> bool {
    nullable
        && match term.nulls {
            Some(Nulls::Last) => true,
            Some(Nulls::First) => false,
            // PostgreSQL sorts `NULL` above every value, SQLite and MySQL below.
            None => (dialect == Dialect::Postgres) != term.descending,
        }
}

/// The aggregate `aggregate` of the rows `link` leads to from the row `lookup` finds, read as
/// a value: one statement.
async fn aggregate_of(
    conn: ConnRef<'_>,
    model: &'static ModelMeta,
    lookup: &Expr,
    link: RelationLink,
    aggregate: Aggregate,
) -> Result<Option<Value>> {
    let sql_type = match aggregate {
        Aggregate::Count | Aggregate::Sum(_, Operand::Integers) => SqlType::BigInt,
        Aggregate::Sum(_, Operand::Decimals) | Aggregate::Avg(_, Operand::Decimals) => {
            SqlType::Decimal
        }
        Aggregate::Sum(..) | Aggregate::Avg(..) => SqlType::Double,
        Aggregate::Min(column, _) | Aggregate::Max(column, _) => (link.relation.target)()
            .columns
            .iter()
            .find(|c| c.name == column)
            .map_or(SqlType::Text, |c| c.sql_type),
    };
    let read = value_reader(sql_type).ok_or_else(|| {
        Error::InvalidQuery(format!(
            "a cursor cannot follow an order by an aggregate of `{}`: its type is not one Trellis reads itself",
            link.relation.name
        ))
    })?;
    let stmt = render_row_aggregate(conn.dialect(), model, lookup, link, aggregate);
    let rows = conn.fetch(&stmt).await?;
    rows.first()
        .map(|row| read(row, 0, sql_type).map_err(|e| Error::decode(model.name, "an aggregate", e)))
        .transpose()
}

/// The condition "after the cursor row in `order_by`", which gets the cursor's column as its
/// last tie-break; for a root query or for each parent's related rows.
///
/// The cursor row is read first (one statement); its values of the ordering columns give
/// `(a > x) OR (a = x AND b > y) OR ..` (`<` for descending terms), and an order by a
/// relation's aggregate reads the cursor row's aggregate (one more statement each) and
/// compares the same subquery the order sorts by. Ordering keys must be non-`NULL` in the
/// cursor row. Where a term puts `NULL`s after the values (`nulls_last`, or the database's
/// default), rows with `NULL` there come after the cursor row too: `(a > x OR a IS NULL)`.
pub(crate) async fn after(
    conn: ConnRef<'_>,
    model: CursorModel,
    order_by: &mut Vec<OrderTerm>,
    cursor: &Cursor,
) -> Result<Expr> {
    after_row(conn, model, order_by, cursor, false).await
}

/// [`after`]; with `nulls`, the cursor row may have `NULL` ordering keys (a stream's chunk
/// ends wherever it ends): rows after it are those with `NULL` there too and after it in the
/// later terms, and, where `NULL`s come first, every row with a value there.
pub(crate) async fn after_row(
    conn: ConnRef<'_>,
    model: CursorModel,
    order_by: &mut Vec<OrderTerm>,
    cursor: &Cursor,
    nulls: bool,
) -> Result<Expr> {
    let CursorModel { meta, value } = model;
    if !order_by
        .iter()
        .any(|t| matches!(t.key, OrderKey::Column(c) if c == cursor.column))
    {
        order_by.push(OrderTerm {
            key: OrderKey::Column(cursor.column),
            descending: false,
            nulls: None,
        });
    }
    let mut lookup = SelectQuery::new(meta);
    lookup.filter = Some(Expr::Compare {
        column: cursor.column,
        op: CmpOp::Eq,
        value: cursor.value.clone(),
    });
    lookup.limit = Some(1);
    let rows = conn.fetch(&render_select(conn.dialect(), &lookup)).await?;
    let row = rows.first().ok_or(Error::NotFound { model: meta.name })?;

    let mut terms = Vec::new();
    for term in order_by.iter() {
        let (key, found, nulls_after, named) = match term.key {
            OrderKey::Column(column) => {
                let column_meta = meta.columns.iter().find(|c| c.name == column);
                let nulls_after = column_meta.is_some_and(|c| nulls_after(conn.dialect(), c, term));
                let found = match column_meta {
                    Some(c) => value(row, c.field)?,
                    None => None,
                };
                (
                    Key::Column(column),
                    found,
                    nulls_after,
                    format!("column `{column}`"),
                )
            }
            OrderKey::Aggregate(link, aggregate) => {
                let filter = lookup
                    .filter
                    .as_ref()
                    .ok_or(Error::NotFound { model: meta.name })?;
                let found = aggregate_of(conn, meta, filter, link, aggregate).await?;
                let nulls_after = nulls_last(conn.dialect(), nullable(aggregate), term);
                let named = format!("aggregate of `{}`", link.relation.name);
                (Key::Aggregate(link, aggregate), found, nulls_after, named)
            }
            OrderKey::Grouped(_) => {
                return Err(Error::InvalidQuery(
                    "a cursor follows the order of model rows, not of groups".into(),
                ));
            }
        };
        let value = found.filter(|v| !matches!(v, Value::Null(_)));
        if value.is_none() && !nulls {
            return Err(Error::InvalidQuery(format!(
                "the cursor row of `{}` has no value in the ordering {named}",
                meta.name
            )));
        }
        terms.push((key, term.descending, value, nulls_after));
    }
    let equal = |key: &Key, value: &Option<Value>| match value {
        Some(value) => key.compare(CmpOp::Eq, value.clone()),
        None => key.is_null(),
    };
    // Row after the cursor: equal on the first i - 1 terms, past it on the i-th.
    let alternatives = terms
        .iter()
        .enumerate()
        .filter_map(|(i, (key, descending, value, nulls_after))| {
            let mut all: Vec<Expr> = terms
                .iter()
                .take(i)
                .map(|(key, _, value, _)| equal(key, value))
                .collect();
            let past = match value {
                // Past `NULL`: nothing where the `NULL`s come last, every value where first.
                None if *nulls_after => return None,
                None => Expr::Not(Box::new(key.is_null())),
                Some(value) => {
                    let op = if *descending { CmpOp::Lt } else { CmpOp::Gt };
                    let past = key.compare(op, value.clone());
                    if *nulls_after {
                        Expr::Or(vec![past, key.is_null()])
                    } else {
                        past
                    }
                }
            };
            all.push(past);
            Some(Expr::And(all))
        })
        .collect();
    Ok(Expr::Or(alternatives))
}
