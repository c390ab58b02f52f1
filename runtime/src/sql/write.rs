//! `INSERT`, `UPDATE` and `DELETE` rendering.

use super::expr::render_where;
use super::{Dialect, Statement, Writer};
use crate::ir::Expr;
use crate::meta::model::ModelMeta;
use crate::values::value::Value;

/// Renders one multi-row `INSERT` of the model's written columns (all but database-generated
/// ones), each row's values in that column order. With `returning`, the stored rows come back
/// with every column, in field order.
pub fn render_insert(
    dialect: Dialect,
    model: &ModelMeta,
    rows: Vec<Vec<Value>>,
    returning: bool,
) -> Statement {
    let mut w = Writer::new(dialect);
    w.push("INSERT INTO ").ident(model.table).push(" (");
    w.list(model.columns.iter().filter(|c| !c.generated), |w, c| {
        w.ident(c.name);
    });
    w.push(") VALUES ");
    w.list(rows, |w, row| {
        w.push("(");
        w.list(row, |w, v| {
            w.param(v);
        });
        w.push(")");
    });
    if returning {
        w.push(" RETURNING ");
        w.list(model.columns, |w, c| {
            w.ident(c.name);
        });
    }
    w.finish()
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
