//! `SELECT` and `SELECT COUNT(*)` rendering.

use super::expr::render_where;
use super::{Dialect, Statement, Writer};
use crate::ir::Expr;
use crate::meta::model::ModelMeta;
use crate::values::value::Value;

/// What a `SELECT` of whole model rows asks for.
#[derive(Debug, Clone)]
pub struct SelectQuery {
    /// The model whose table is read.
    pub model: &'static ModelMeta,
    /// The columns read, in this order; empty for every column in field order.
    pub columns: Vec<&'static str>,
    /// The `WHERE` clause.
    pub filter: Option<Expr>,
    /// `ORDER BY` terms: column and whether descending.
    pub order_by: Vec<crate::ir::OrderTerm>,
    /// `LIMIT`
    pub limit: Option<u64>,
    /// `OFFSET`
    pub offset: Option<u64>,
}

impl SelectQuery {
    /// Every row of the model, unordered.
    pub fn new(model: &'static ModelMeta) -> Self {
        Self {
            model,
            columns: Vec::new(),
            filter: None,
            order_by: Vec::new(),
            limit: None,
            offset: None,
        }
    }
}

/// Renders a `SELECT` of a model's rows.
pub fn render_select(dialect: Dialect, query: &SelectQuery) -> Statement {
    let mut w = Writer::new(dialect);
    w.push("SELECT ");
    if query.columns.is_empty() {
        w.list(query.model.columns, |w, c| {
            w.ident(c.name);
        });
    } else {
        w.list(&query.columns, |w, c| {
            w.ident(c);
        });
    }
    w.push(" FROM ").ident(query.model.table);
    w.reads(query.model.table);
    render_where(&mut w, query.filter.as_ref());
    if !query.order_by.is_empty() {
        w.push(" ORDER BY ");
        super::expr::render_order(&mut w, &query.order_by, &[]);
    }
    render_limit(&mut w, query.limit, query.offset);
    w.finish()
}

/// A grouped query: `SELECT keys, aggregates FROM t WHERE .. GROUP BY keys HAVING ..
/// ORDER BY .. LIMIT ..`; without keys, one row of aggregates over every matching row.
#[derive(Debug, Clone)]
pub struct GroupQuery {
    /// The model whose table is read.
    pub model: &'static ModelMeta,
    /// The columns grouped by, read first.
    pub keys: Vec<&'static str>,
    /// The aggregates read after them.
    pub aggregates: Vec<crate::ir::Aggregate>,
    /// The `WHERE` clause, on the rows before grouping.
    pub filter: Option<Expr>,
    /// The `HAVING` clause, on the groups.
    pub having: Option<Expr>,
    /// `ORDER BY` terms (key columns and aggregates); the keys break ties.
    pub order_by: Vec<crate::ir::OrderTerm>,
    /// `LIMIT`
    pub limit: Option<u64>,
    /// `OFFSET`
    pub offset: Option<u64>,
}

/// Renders a grouped query ([`GroupQuery`]).
pub fn render_group(dialect: Dialect, query: &GroupQuery) -> Statement {
    let mut w = Writer::new(dialect);
    w.push("SELECT ");
    let mut first = true;
    for key in &query.keys {
        if !first {
            w.push(", ");
        }
        first = false;
        w.ident(key);
    }
    for aggregate in &query.aggregates {
        if !first {
            w.push(", ");
        }
        first = false;
        super::expr::render_aggregate(&mut w, *aggregate);
    }
    if first {
        // Neither keys nor aggregates: whether any row matches.
        w.push("COUNT(*)");
    }
    w.push(" FROM ").ident(query.model.table);
    w.reads(query.model.table);
    render_where(&mut w, query.filter.as_ref());
    if !query.keys.is_empty() {
        w.push(" GROUP BY ");
        w.list(&query.keys, |w, c| {
            w.ident(c);
        });
    }
    if let Some(having) = &query.having {
        w.push(" HAVING ");
        super::expr::render(&mut w, having);
    }
    if !query.keys.is_empty() {
        w.push(" ORDER BY ");
        super::expr::render_order(&mut w, &query.order_by, &query.keys);
    }
    render_limit(&mut w, query.limit, query.offset);
    w.finish()
}

/// Renders `SELECT (SELECT COUNT(*) FROM related rows) FROM t WHERE filter LIMIT 1`: an
/// aggregate of the rows relation `link` leads to from the first row `filter` matches (a
/// cursor row's value of an ordering by that aggregate).
pub fn render_row_aggregate(
    dialect: Dialect,
    model: &ModelMeta,
    filter: &Expr,
    link: crate::ir::RelationLink,
    aggregate: crate::ir::Aggregate,
) -> Statement {
    let mut w = Writer::new(dialect);
    w.reads(model.table);
    w.push("SELECT ");
    super::expr::render_related_aggregate(&mut w, link, aggregate);
    w.push(" FROM ").ident(model.table);
    render_where(&mut w, Some(filter));
    render_limit(&mut w, Some(1), None);
    w.finish()
}

/// Renders `SELECT COUNT(*)` over the rows a filter matches.
pub fn render_count(dialect: Dialect, model: &ModelMeta, filter: Option<&Expr>) -> Statement {
    let mut w = Writer::new(dialect);
    w.push("SELECT COUNT(*) FROM ").ident(model.table);
    w.reads(model.table);
    render_where(&mut w, filter);
    w.finish()
}

fn to_param(n: u64) -> Value {
    Value::I64(i64::try_from(n).unwrap_or(i64::MAX))
}

/// ` LIMIT ? OFFSET ?`, as much of it as is asked, in the dialect's spelling.
pub(crate) fn render_limit(w: &mut Writer, limit: Option<u64>, offset: Option<u64>) {
    match (limit, offset) {
        (None, None) => {}
        (Some(limit), offset) => {
            w.push(" LIMIT ").param(to_param(limit));
            if let Some(offset) = offset {
                w.push(" OFFSET ").param(to_param(offset));
            }
        }
        // SQLite and MySQL accept `OFFSET` only after a `LIMIT`; each spells "no limit" its own way.
        (None, Some(offset)) => {
            match w.dialect() {
                Dialect::Sqlite => w.push(" LIMIT -1"),
                Dialect::MySql => w.push(" LIMIT 18446744073709551615"),
                Dialect::Postgres => w.push(""),
            };
            w.push(" OFFSET ").param(to_param(offset));
        }
    }
}
