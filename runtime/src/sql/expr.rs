//! Rendering of filter expressions into a `WHERE` clause.

use super::{Dialect, Writer};
use crate::filter::{CmpOp, Expr, MatchKind};
use crate::value::{KeyArray, Value};

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
        } if values.len() > LONG_LIST => render_long_list(w, column, values, *negated),
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
        Expr::TooDeep => {
            w.fail(format!(
                "the filter nests more than {} levels deep",
                crate::filter::MAX_FILTER_DEPTH
            ));
            w.push("1=0");
        }
    }
}

/// Lists longer than this go as one parameter where their type allows: a placeholder per value
/// would run into the database's limit on parameters (32,766 on SQLite, 65,535 elsewhere).
const LONG_LIST: usize = 100;

/// `column [NOT] IN (...)` with the values as one parameter: an array on PostgreSQL, a JSON
/// array elsewhere (`json_each` on SQLite, `JSON_TABLE` on MySQL). Only integers and text go
/// this way (and UUIDs on PostgreSQL); other lists keep a placeholder per value.
///
/// `NULL`s in the list cannot be in the array; `IN` with a `NULL` among the values is never
/// false, only true or unknown, which `(.. OR NULL)` keeps, so `NOT IN` still matches nothing
/// when the list holds a `NULL`, as SQL has it.
fn render_long_list(w: &mut Writer, column: &str, values: &[Value], negated: bool) {
    let has_null = values.iter().any(|v| matches!(v, Value::Null(_)));
    let present: Vec<Value> = values
        .iter()
        .filter(|v| !matches!(v, Value::Null(_)))
        .cloned()
        .collect();
    let Some(array) =
        KeyArray::of(&present).filter(|a| super::keys::fits_one_parameter(w.dialect(), a))
    else {
        w.column(column);
        w.push(if negated { " NOT IN (" } else { " IN (" });
        w.list(values, |w, v| {
            w.param(v.clone());
        });
        w.push(")");
        return;
    };
    if negated {
        w.push("NOT ");
    }
    w.push("(");
    w.column(column);
    super::keys::render_in_array(w, array);
    if has_null {
        w.push(" OR NULL");
    }
    w.push(")");
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

/// Text matching, spelled so that it means the same on every dialect: SQLite's `LIKE` ignores
/// ASCII case and stops at NUL bytes, so SQLite uses functions Trellis registers; MySQL's
/// `LIKE` follows the column's collation, so it compares in the binary one; case-insensitive
/// matches lower both sides.
fn render_match(w: &mut Writer, column: &str, needle: &str, kind: MatchKind, ignore_case: bool) {
    let dialect = w.dialect();
    if dialect == Dialect::Sqlite {
        // Functions of Trellis's own: SQLite's GLOB and LIKE stop at a NUL byte.
        use super::sqlite_names as f;
        let function = match kind {
            MatchKind::Contains => f::CONTAINS,
            MatchKind::StartsWith => f::STARTS_WITH,
            MatchKind::EndsWith => f::ENDS_WITH,
        };
        w.push(function).push("(");
        if ignore_case {
            w.push(f::LOWER)
                .push("(")
                .column(column)
                .push("), ")
                .push(f::LOWER)
                .push("(");
            w.param(Value::Text(needle.to_owned()));
            w.push("))");
        } else {
            w.column(column).push(", ");
            w.param(Value::Text(needle.to_owned()));
            w.push(")");
        }
        return;
    }
    // PostgreSQL and MySQL: LIKE with the pattern characters escaped; on MySQL in the binary
    // collation, so that only `ignore_case` ignores case.
    let collate = if dialect == Dialect::MySql {
        " COLLATE utf8mb4_bin"
    } else {
        ""
    };
    if ignore_case {
        w.push("LOWER(").column(column).push(")").push(collate);
        w.push(" LIKE LOWER(");
        w.param(Value::Text(like_pattern(needle, kind)));
        w.push(") ESCAPE '!'");
    } else {
        w.column(column).push(collate).push(" LIKE ");
        w.param(Value::Text(like_pattern(needle, kind)));
        w.push(" ESCAPE '!'");
    }
}
