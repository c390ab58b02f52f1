//! `INSERT`, `UPDATE` and `DELETE` rendering.

use super::expr::render_where;
use super::{Dialect, Statement, Writer};
use crate::ir::Expr;
use crate::meta::model::ModelMeta;
use crate::values::value::Value;

/// Renders one multi-row `INSERT` of `columns` (see [`ModelMeta::insert_columns`]), each
/// row's values in that order. With `returning`, the stored rows come back with every column,
/// in field order.
pub fn render_insert(
    dialect: Dialect,
    model: &ModelMeta,
    columns: &[&'static str],
    rows: Vec<Vec<Value>>,
    returning: bool,
) -> Statement {
    let mut w = Writer::new(dialect);
    insert_values(&mut w, model, columns, rows);
    if returning {
        render_returning(&mut w, model);
    }
    w.finish()
}

/// Renders one multi-row `INSERT` as [`render_insert`] does, returning only the columns
/// `returned` (`RETURNING "id"`: the keys the database generated, for rows written under
/// them, where nothing else of the rows is wanted back).
pub fn render_insert_returning(
    dialect: Dialect,
    model: &ModelMeta,
    columns: &[&'static str],
    rows: Vec<Vec<Value>>,
    returned: &[&'static str],
) -> Statement {
    let mut w = Writer::new(dialect);
    insert_values(&mut w, model, columns, rows);
    w.push(" RETURNING ");
    w.list(returned, |w, c| {
        w.ident(c);
    });
    w.finish()
}

/// What an upsert does when a row's `target` columns hold values a stored row has: it sets
/// the `update` columns of the stored row to the new row's values.
#[derive(Debug, Clone)]
pub struct OnConflict {
    /// The unique (or primary-key) columns that decide whether a row is new.
    pub target: Vec<&'static str>,
    /// The columns set from the new row; never empty.
    pub update: Vec<&'static str>,
}

/// Renders an `INSERT` that updates the stored row on a conflict: `ON CONFLICT (target) DO
/// UPDATE SET col = excluded.col` on SQLite and PostgreSQL, `ON DUPLICATE KEY UPDATE col =
/// VALUES(col)` on MySQL, which takes no target: it fires on a conflict on any unique key.
/// `VALUES(col)` rather than MySQL 8's row alias, which MariaDB does not read.
pub fn render_upsert(
    dialect: Dialect,
    model: &ModelMeta,
    columns: &[&'static str],
    rows: Vec<Vec<Value>>,
    conflict: &OnConflict,
    returning: bool,
) -> Statement {
    let mut w = Writer::new(dialect);
    insert_values(&mut w, model, columns, rows);
    if dialect == Dialect::MySql {
        w.push(" ON DUPLICATE KEY UPDATE ");
        w.list(&conflict.update, |w, c| {
            w.ident(c).push(" = VALUES(").ident(c).push(")");
        });
    } else {
        w.push(" ON CONFLICT (");
        w.list(&conflict.target, |w, c| {
            w.ident(c);
        });
        w.push(") DO UPDATE SET ");
        w.list(&conflict.update, |w, c| {
            w.ident(c).push(" = excluded.").ident(c);
        });
    }
    if returning {
        render_returning(&mut w, model);
    }
    w.finish()
}

/// `INSERT INTO t (columns) VALUES (..), (..)`
fn insert_values(
    w: &mut Writer,
    model: &ModelMeta,
    columns: &[&'static str],
    rows: Vec<Vec<Value>>,
) {
    w.push("INSERT INTO ").ident(model.table).push(" (");
    w.list(columns, |w, c| {
        w.ident(c);
    });
    w.push(") VALUES ");
    w.value_rows(rows);
}

/// ` RETURNING` every column, in field order.
fn render_returning(w: &mut Writer, model: &ModelMeta) {
    w.push(" RETURNING ");
    w.list(model.columns, |w, c| {
        w.ident(c.name);
    });
}

/// Renders `UPDATE .. SET .. WHERE ..`.
pub fn render_update(
    dialect: Dialect,
    model: &ModelMeta,
    assignments: Vec<(&'static str, Value)>,
    filter: Option<&Expr>,
) -> Statement {
    let mut w = Writer::new(dialect);
    w.push("UPDATE ").ident(model.table).push(" SET ");
    w.reads(model.table);
    w.list(assignments, |w, (column, value)| {
        w.ident(column).push(" = ").param(value);
    });
    render_where(&mut w, filter);
    w.finish()
}

/// Renders `DELETE FROM .. WHERE ..`.
pub fn render_delete(dialect: Dialect, model: &ModelMeta, filter: Option<&Expr>) -> Statement {
    let mut w = Writer::new(dialect);
    w.push("DELETE FROM ").ident(model.table);
    w.reads(model.table);
    render_where(&mut w, filter);
    w.finish()
}
