//! Rendering of filter expressions into a `WHERE` clause.

use super::Writer;
use crate::filter::{CmpOp, Expr};
use crate::value::Value;

pub(crate) fn render_where(w: &mut Writer, filter: Option<&Expr>) {
    if let Some(expr) = filter {
        w.push(" WHERE ");
        render(w, expr);
    }
}

pub(crate) fn render(w: &mut Writer, expr: &Expr) {
    match expr {
        // `= NULL` is never true in SQL; comparing with a `None` means "is null", as callers expect.
        Expr::Compare {
            column,
            op: op @ (CmpOp::Eq | CmpOp::Ne),
            value: Value::Null(_),
        } => {
            w.ident(column);
            w.push(if *op == CmpOp::Eq {
                " IS NULL"
            } else {
                " IS NOT NULL"
            });
        }
        Expr::Compare { column, op, value } => {
            w.ident(column).push(" ").push(op.sql()).push(" ");
            w.param(value.clone());
        }
        // An empty list would be invalid SQL; it matches nothing (`IN`) or everything (`NOT IN`).
        Expr::InList {
            values, negated, ..
        } if values.is_empty() => {
            w.push(if *negated { "1=1" } else { "1=0" });
        }
        Expr::InList {
            column,
            values,
            negated,
        } => {
            w.ident(column);
            w.push(if *negated { " NOT IN (" } else { " IN (" });
            w.list(values, |w, v| {
                w.param(v.clone());
            });
            w.push(")");
        }
        Expr::IsNull { column, negated } => {
            w.ident(column);
            w.push(if *negated { " IS NOT NULL" } else { " IS NULL" });
        }
        Expr::And(items) => junction(w, items, " AND ", "1=1"),
        Expr::Or(items) => junction(w, items, " OR ", "1=0"),
        Expr::Not(inner) => {
            w.push("NOT (");
            render(w, inner);
            w.push(")");
        }
    }
}

fn junction(w: &mut Writer, items: &[Expr], sep: &str, empty: &str) {
    match items {
        [] => {
            w.push(empty);
        }
        [only] => render(w, only),
        _ => {
            w.push("(");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    w.push(sep);
                }
                render(w, item);
            }
            w.push(")");
        }
    }
}
