//! Rendering of filter expressions into a `WHERE` clause.

use super::{Dialect, Writer};
use crate::filter::{CmpOp, Expr, MatchKind};
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
            w.column(column);
            w.push(if *op == CmpOp::Eq {
                " IS NULL"
            } else {
                " IS NOT NULL"
            });
        }
        Expr::Compare { column, op, value } => {
            w.column(column).push(" ").push(op.sql()).push(" ");
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
            w.column(column);
            w.push(if *negated { " NOT IN (" } else { " IN (" });
            w.list(values, |w, v| {
                w.param(v.clone());
            });
            w.push(")");
        }
        Expr::IsNull { column, negated } => {
            w.column(column);
            w.push(if *negated { " IS NOT NULL" } else { " IS NULL" });
        }
        Expr::Match {
            column,
            needle,
            kind,
            ignore_case,
        } => render_match(w, column, needle, *kind, *ignore_case),
        Expr::Related { link, test, filter } => {
            super::subquery::render_related(w, *link, *test, filter);
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

/// Wraps an escaped needle in the wildcard that makes it a contains/starts/ends pattern.
fn wrap(escaped: String, kind: MatchKind, any: char) -> String {
    match kind {
        MatchKind::Contains => format!("{any}{escaped}{any}"),
        MatchKind::StartsWith => format!("{escaped}{any}"),
        MatchKind::EndsWith => format!("{any}{escaped}"),
    }
}

/// `LIKE` pattern with `!` as the escape character: the same spelling works on every
/// dialect (a backslash would need escaping of its own in MySQL string literals).
fn like_pattern(needle: &str, kind: MatchKind) -> String {
    let mut escaped = String::with_capacity(needle.len() + 2);
    for c in needle.chars() {
        if matches!(c, '!' | '%' | '_') {
            escaped.push('!');
        }
        escaped.push(c);
    }
    wrap(escaped, kind, '%')
}

/// SQLite `GLOB` pattern (case-sensitive, unlike SQLite's `LIKE`): `*`, `?` and `[` are
/// escaped by putting each in a character class of its own.
fn glob_pattern(needle: &str, kind: MatchKind) -> String {
    let mut escaped = String::with_capacity(needle.len() + 2);
    for c in needle.chars() {
        match c {
            '*' | '?' | '[' => {
                escaped.push('[');
                escaped.push(c);
                escaped.push(']');
            }
            _ => escaped.push(c),
        }
    }
    wrap(escaped, kind, '*')
}

/// Text matching, spelled so that it means the same on every dialect: SQLite's `LIKE` ignores
/// ASCII case and MySQL's follows the column's collation, so case-sensitive matches use `GLOB`
/// on SQLite and a binary collation on MySQL, and case-insensitive ones lower both sides.
fn render_match(w: &mut Writer, column: &str, needle: &str, kind: MatchKind, ignore_case: bool) {
    let dialect = w.dialect();
    if ignore_case {
        // SQLite's LOWER folds ASCII only: Trellis registers a Unicode-aware one.
        let lower = match dialect {
            Dialect::Sqlite => crate::sqlite_functions::LOWER,
            Dialect::Postgres | Dialect::MySql => "LOWER",
        };
        w.push(lower).push("(").column(column).push(")");
        if dialect == Dialect::MySql {
            w.push(" COLLATE utf8mb4_bin");
        }
        w.push(" LIKE ").push(lower).push("(");
        w.param(Value::Text(like_pattern(needle, kind)));
        w.push(") ESCAPE '!'");
        return;
    }
    match dialect {
        Dialect::Sqlite => {
            w.column(column).push(" GLOB ");
            w.param(Value::Text(glob_pattern(needle, kind)));
        }
        Dialect::Postgres => {
            w.column(column).push(" LIKE ");
            w.param(Value::Text(like_pattern(needle, kind)));
            w.push(" ESCAPE '!'");
        }
        Dialect::MySql => {
            w.column(column).push(" COLLATE utf8mb4_bin LIKE ");
            w.param(Value::Text(like_pattern(needle, kind)));
            w.push(" ESCAPE '!'");
        }
    }
}
