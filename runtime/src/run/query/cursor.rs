//! Cursor pagination: the rows after a given row in the query's order (keyset pagination),
//! the row named by a unique column.

use crate::driver::executor::ConnRef;
use crate::dsl::filter::{CmpOp, Expr, Nulls, OrderKey, OrderTerm};
use crate::dsl::model::Model;
use crate::meta::model::{ColumnMeta, ModelMeta};
use crate::sql::{render_select, Dialect, SelectQuery};
use crate::values::error::{Error, Result};
use crate::values::row::Row;
use crate::values::value::Value;

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

/// The condition "after the cursor row in `order_by`", which gets the cursor's column as its
/// last tie-break; for a root query or for each parent's related rows.
///
/// The cursor row is read first (one statement); its values of the ordering columns give
/// `(a > x) OR (a = x AND b > y) OR ..` (`<` for descending terms). Ordering columns must be
/// non-`NULL` in the cursor row, and relation counts cannot be cursor keys. Where a term puts
/// `NULL`s after the values (`nulls_last`, or the database's default), rows with `NULL` there
/// come after the cursor row too: `(a > x OR a IS NULL)`.
pub(crate) async fn after(
    conn: ConnRef<'_>,
    model: CursorModel,
    order_by: &mut Vec<OrderTerm>,
    cursor: &Cursor,
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
        let OrderKey::Column(column) = term.key else {
            return Err(Error::InvalidQuery(
                "cursor pagination orders by columns only, not by relation counts".into(),
            ));
        };
        let column_meta = meta.columns.iter().find(|c| c.name == column);
        let nulls_after = column_meta.is_some_and(|c| nulls_after(conn.dialect(), c, term));
        let found = match column_meta {
            Some(c) => value(row, c.field)?,
            None => None,
        };
        let value = found
            .filter(|v| !matches!(v, Value::Null(_)))
            .ok_or_else(|| {
                Error::InvalidQuery(format!(
                    "the cursor row of `{}` has no value in the ordering column `{column}`",
                    meta.name
                ))
            })?;
        terms.push((column, term.descending, value, nulls_after));
    }
    // Row after the cursor: equal on the first i - 1 terms, past it on the i-th.
    let alternatives = terms
        .iter()
        .enumerate()
        .map(|(i, (column, descending, value, nulls_after))| {
            let mut all: Vec<Expr> = terms
                .iter()
                .take(i)
                .map(|(column, _, value, _)| Expr::Compare {
                    column,
                    op: CmpOp::Eq,
                    value: value.clone(),
                })
                .collect();
            let past = Expr::Compare {
                column,
                op: if *descending { CmpOp::Lt } else { CmpOp::Gt },
                value: value.clone(),
            };
            all.push(if *nulls_after {
                Expr::Or(vec![
                    past,
                    Expr::IsNull {
                        column,
                        negated: false,
                    },
                ])
            } else {
                past
            });
            Expr::And(all)
        })
        .collect();
    Ok(Expr::Or(alternatives))
}
