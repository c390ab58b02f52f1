//! The statement that loads one relation for a batch of parent rows.

use super::expr::render;
use super::{Dialect, Statement, Writer};
use crate::filter::Expr;
use crate::schema::ModelMeta;
use crate::value::{KeyArray, Value};

/// Alias of the related table.
const TARGET: &str = "t";
/// Alias of the join table of a many-to-many relation.
const JOIN: &str = "j";
/// Alias of the windowed subquery.
const WINDOW: &str = "w";
/// The extra column holding the parent key each related row belongs to.
pub const PARENT_KEY: &str = "__trellis_key";
const ROW_NUMBER: &str = "__trellis_rn";

/// Related rows of one relation, for a batch of parent keys.
#[derive(Debug)]
pub struct RelatedQuery<'a> {
    /// The related model.
    pub target: &'static ModelMeta,
    /// The target's columns read, in this order (empty: all, in field order); the parent key
    /// follows them.
    pub columns: &'a [&'static str],
    /// The column matched against the parent keys: on the target (belongs_to, has_one,
    /// has_many) or on the join table (many_to_many).
    pub key_column: &'static str,
    /// many_to_many: the join table and its column that points at the target's key.
    pub join: Option<(&'static ModelMeta, &'static str)>,
    /// The parent keys, each bound as a parameter.
    pub keys: &'a [Value],
    /// Narrows the related rows.
    pub filter: Option<&'a Expr>,
    /// Orders each parent's related rows (the target's key breaks ties).
    pub order_by: &'a [crate::filter::OrderTerm],
    /// At most this many related rows per parent.
    pub take: Option<u64>,
    /// Skips this many related rows per parent.
    pub skip: Option<u64>,
}

/// Renders the batch query. Per-parent `take`/`skip` number each parent's rows with
/// `ROW_NUMBER() OVER (PARTITION BY parent key ..)`, so every parent gets its own page.
pub fn render_related(dialect: Dialect, q: &RelatedQuery<'_>) -> Statement {
    let windowed = q.take.is_some() || q.skip.is_some();
    let key_alias = if q.join.is_some() { JOIN } else { TARGET };
    let mut w = Writer::new(dialect);
    if windowed {
        w.push("SELECT * FROM (");
    }
    w.push("SELECT ");
    w.qualify(Some(TARGET));
    if q.columns.is_empty() {
        w.list(q.target.columns, |w, c| {
            w.column(c.name);
        });
    } else {
        w.list(q.columns, |w, c| {
            w.column(c);
        });
    }
    w.push(", ").ident(key_alias).push(".").ident(q.key_column);
    w.push(" AS ").ident(PARENT_KEY);
    if windowed {
        w.push(", ROW_NUMBER() OVER (PARTITION BY ")
            .ident(key_alias)
            .push(".")
            .ident(q.key_column)
            .push(" ORDER BY ");
        order(&mut w, q);
        w.push(") AS ").ident(ROW_NUMBER);
    }
    w.push(" FROM ")
        .ident(q.target.table)
        .push(" AS ")
        .ident(TARGET);
    if let Some((join, to_column)) = q.join {
        w.push(" JOIN ")
            .ident(join.table)
            .push(" AS ")
            .ident(JOIN)
            .push(" ON ")
            .ident(JOIN)
            .push(".")
            .ident(to_column)
            .push(" = ")
            .column(q.target.primary_key().name);
    }
    w.push(" WHERE ")
        .ident(key_alias)
        .push(".")
        .ident(q.key_column);
    render_keys(&mut w, q.keys);
    if let Some(filter) = q.filter {
        w.push(" AND (");
        render(&mut w, filter);
        w.push(")");
    }
    w.qualify(None);
    if windowed {
        w.push(") AS ").ident(WINDOW).push(" WHERE ");
        let skip = q.skip.unwrap_or(0);
        w.ident(WINDOW).push(".").ident(ROW_NUMBER).push(" > ");
        w.param(Value::I64(to_i64(skip)));
        if let Some(take) = q.take {
            w.push(" AND ")
                .ident(WINDOW)
                .push(".")
                .ident(ROW_NUMBER)
                .push(" <= ");
            w.param(Value::I64(to_i64(skip.saturating_add(take))));
        }
        w.push(" ORDER BY ")
            .ident(WINDOW)
            .push(".")
            .ident(ROW_NUMBER);
    } else {
        w.push(" ORDER BY ");
        w.qualify(Some(TARGET));
        order(&mut w, q);
        w.qualify(None);
    }
    w.finish()
}

/// How many related rows each parent key has: `SELECT key, COUNT(*) .. GROUP BY key`, with
/// the same keys, join and filter as [`render_related`] (its columns, order and paging unused).
pub fn render_related_count(dialect: Dialect, q: &RelatedQuery<'_>) -> Statement {
    let key_alias = if q.join.is_some() { JOIN } else { TARGET };
    let mut w = Writer::new(dialect);
    w.push("SELECT ")
        .ident(key_alias)
        .push(".")
        .ident(q.key_column);
    w.push(" AS ").ident(PARENT_KEY).push(", COUNT(*) FROM ");
    w.ident(q.target.table).push(" AS ").ident(TARGET);
    if let Some((join, to_column)) = q.join {
        w.push(" JOIN ").ident(join.table).push(" AS ").ident(JOIN);
        w.push(" ON ").ident(JOIN).push(".").ident(to_column);
        w.push(" = ")
            .ident(TARGET)
            .push(".")
            .ident(q.target.primary_key().name);
    }
    w.push(" WHERE ")
        .ident(key_alias)
        .push(".")
        .ident(q.key_column);
    render_keys(&mut w, q.keys);
    if let Some(filter) = q.filter {
        w.qualify(Some(TARGET));
        w.push(" AND (");
        render(&mut w, filter);
        w.push(")");
        w.qualify(None);
    }
    w.push(" GROUP BY ")
        .ident(key_alias)
        .push(".")
        .ident(q.key_column);
    w.finish()
}

/// `IN (...)` of the parent keys. PostgreSQL takes them as one array (`= ANY($1)`) and SQLite
/// as one JSON array (`IN (SELECT value FROM json_each(?))`), so the statement's text and its
/// plan stay the same whatever the number of keys; MySQL, and key types JSON cannot carry,
/// get one placeholder per key.
fn render_keys(w: &mut Writer, keys: &[Value]) {
    match (w.dialect(), KeyArray::of(keys)) {
        (Dialect::Postgres, Some(array)) => {
            w.push(" = ANY(");
            w.param(Value::Array(array));
            w.push(")");
        }
        (Dialect::Sqlite, Some(array)) if array.to_json().is_some() => {
            w.push(" IN (SELECT value FROM json_each(");
            w.param(Value::Text(array.to_json().unwrap_or_default()));
            w.push("))");
        }
        _ => {
            w.push(" IN (");
            w.list(keys, |w, v| {
                w.param(v.clone());
            });
            w.push(")");
        }
    }
}

/// Whether `keys` go as one parameter on this dialect (no need to split them).
pub(crate) fn keys_fit_one_parameter(dialect: Dialect, keys: &[Value]) -> bool {
    match (dialect, KeyArray::of(keys)) {
        (Dialect::Postgres, Some(_)) => true,
        (Dialect::Sqlite, Some(array)) => array.to_json().is_some(),
        _ => false,
    }
}

/// The per-parent order, the target's key breaking ties; column references are qualified with
/// the target's alias by the caller.
fn order(w: &mut Writer, q: &RelatedQuery<'_>) {
    super::subquery::render_order(w, q.order_by, Some(q.target.primary_key().name));
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
