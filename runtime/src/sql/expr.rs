//! Rendering of conditions and orderings: filter expressions into a `WHERE` clause, and the
//! subqueries they contain (relation filters as `EXISTS`, relation counts), which contain
//! filters in turn; hence one module.

use super::{Dialect, Writer};
use crate::ir::{
    Aggregate, CmpOp, Expr, MatchKind, Nulls, Operand, OrderKey, OrderTerm, RelationLink,
    RelationTest,
};
use crate::meta::model::ModelMeta;
use crate::meta::model::RelationKind;
use crate::values::value::{KeyArray, Value};

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
            render_related(w, *link, *test, filter);
        }
        Expr::AggregateCompare {
            link,
            aggregate,
            op,
            value,
        } => {
            render_related_aggregate(w, *link, *aggregate);
            w.push(" ").push(op.sql()).push(" ");
            w.param(value.clone());
        }
        Expr::GroupCompare {
            aggregate,
            op,
            value,
        } => {
            render_aggregate(w, *aggregate);
            w.push(" ").push(op.sql()).push(" ");
            w.param(value.clone());
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
                crate::ir::MAX_FILTER_DEPTH
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
        KeyArray::of(&present).filter(|a| super::keys::fits_one_parameter(w.dialect(), a.kind()))
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
    super::keys::render_in_array(w, array, &|w| {
        w.column(column);
    });
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
    wrap(like_escaped(needle), kind, '%')
}

/// `needle` with `LIKE`'s own characters escaped by `!`: a pattern that matches it alone.
fn like_escaped(needle: &str) -> String {
    let mut escaped = String::with_capacity(needle.len() + 2);
    for c in needle.chars() {
        if matches!(c, '!' | '%' | '_') {
            escaped.push('!');
        }
        escaped.push(c);
    }
    escaped
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
    // PostgreSQL and MySQL, spelled so that the database's work is linear in the text: a
    // `LIKE` pattern that starts with `%` makes both try the rest of it at every position of
    // the text, minutes on a text of megabytes, in a loop neither interrupts. On MySQL in the
    // binary collation, so that only `ignore_case` ignores case.
    let collate = if dialect == Dialect::MySql {
        " COLLATE utf8mb4_bin"
    } else {
        ""
    };
    let (open, close) = if ignore_case {
        ("LOWER(", ")")
    } else {
        ("", "")
    };
    match kind {
        // A substring search.
        MatchKind::Contains => {
            w.push("POSITION(").push(open);
            w.param(Value::Text(needle.to_owned()));
            w.push(close)
                .push(" IN ")
                .push(open)
                .column(column)
                .push(close);
            w.push(collate).push(") > 0");
        }
        // A literal prefix, then `%`: compared from the start.
        MatchKind::StartsWith => {
            w.push(open)
                .column(column)
                .push(close)
                .push(collate)
                .push(" LIKE ");
            w.push(open);
            w.param(Value::Text(like_pattern(needle, kind)));
            w.push(close).push(" ESCAPE '!'");
        }
        // `RIGHT` takes as many characters as the needle has, and `LIKE` without a wildcard
        // compares them exactly (no padding, unlike `=` in MySQL's collations).
        MatchKind::EndsWith => {
            w.push("RIGHT(").push(open).column(column).push(close);
            w.push(", CHAR_LENGTH(").push(open);
            w.param(Value::Text(needle.to_owned()));
            w.push(close)
                .push("))")
                .push(collate)
                .push(" LIKE ")
                .push(open);
            w.param(Value::Text(like_escaped(needle)));
            w.push(close).push(" ESCAPE '!'");
        }
    }
}

// Subqueries: relation filters, relation counts and orderings.

/// A field's column, or the field's name when the model has no such field (the derive's
/// checks make that impossible for generated metadata).
fn column(model: &ModelMeta, field: &'static str) -> &'static str {
    model.column(field).map_or(field, |c| c.name)
}

/// `FROM target AS alias [JOIN ..] WHERE <the row is related to the outer row>`, the outer
/// row being what the writer's columns referred to before the call.
fn related_rows(w: &mut Writer, link: RelationLink, alias: &str) {
    let outer = w.outer();
    let meta = link.relation;
    let target = (meta.target)();
    let outer_column = |w: &mut Writer, name: &str| {
        if let Some(outer) = &outer {
            w.ident(outer).push(".");
        }
        w.ident(name);
    };
    w.push(" FROM ")
        .ident(target.table)
        .push(" AS ")
        .ident(alias);
    match meta.kind {
        RelationKind::BelongsTo => {
            w.push(" WHERE ")
                .ident(alias)
                .push(".")
                .ident(target.primary_key().name);
            w.push(" = ");
            outer_column(w, column(link.parent, meta.foreign_key));
        }
        RelationKind::HasOne | RelationKind::HasMany => {
            w.push(" WHERE ")
                .ident(alias)
                .push(".")
                .ident(column(target, meta.foreign_key));
            w.push(" = ");
            outer_column(w, link.parent.primary_key().name);
        }
        RelationKind::ManyToMany => {
            let Some(through) = &meta.through else {
                w.push(" WHERE 1=0");
                return;
            };
            let join = (through.model)();
            let join_alias = format!("{alias}_j");
            w.push(" JOIN ")
                .ident(join.table)
                .push(" AS ")
                .ident(&join_alias);
            w.push(" ON ")
                .ident(&join_alias)
                .push(".")
                .ident(column(join, through.to));
            w.push(" = ")
                .ident(alias)
                .push(".")
                .ident(target.primary_key().name);
            w.push(" WHERE ")
                .ident(&join_alias)
                .push(".")
                .ident(column(join, through.from));
            w.push(" = ");
            outer_column(w, link.parent.primary_key().name);
        }
    }
}

/// `[NOT] EXISTS (SELECT 1 FROM related rows WHERE .. AND (filter) [IS NOT TRUE])`, with
/// `LIMIT 1` on SQLite.
pub(crate) fn render_related(
    w: &mut Writer,
    link: RelationLink,
    test: RelationTest,
    filter: &Expr,
) {
    let alias = w.fresh_alias();
    let outer = w.qualifier();
    w.push(match test {
        RelationTest::Some => "EXISTS (SELECT 1",
        RelationTest::Every | RelationTest::None => "NOT EXISTS (SELECT 1",
    });
    related_rows(w, link, &alias);
    w.push(" AND (");
    w.qualify(Some(&alias));
    render(w, filter);
    w.qualify(outer.as_deref());
    w.push(match test {
        // Every related row matches: none fails to. A row whose filter is unknown (a
        // comparison with `NULL`) does not match, so it fails too, which `NOT (..)` would
        // leave unknown and so not count.
        RelationTest::Every => ") IS NOT TRUE",
        RelationTest::Some | RelationTest::None => ")",
    });
    // SQLite 3.51 turns a plain `EXISTS` into a join and then counts a parent once per
    // matching related row towards `OFFSET` (a page skips too few parents); a `LIMIT` keeps
    // the subquery a subquery.
    if w.dialect() == Dialect::Sqlite {
        w.push(" LIMIT 1");
    }
    w.push(")");
}

/// `(SELECT COUNT(*) FROM related rows)`, or another aggregate of them (on SQLite, an
/// aggregate of decimals followed by their collation).
pub(crate) fn render_related_aggregate(w: &mut Writer, link: RelationLink, aggregate: Aggregate) {
    let alias = w.fresh_alias();
    let outer = w.qualifier();
    w.push("(SELECT ");
    w.qualify(Some(&alias));
    render_aggregate(w, aggregate);
    w.qualify(outer.as_deref());
    related_rows(w, link, &alias);
    w.push(")");
    // A subquery's value does not keep the collation of what it selects.
    if aggregate.operand() == Operand::Decimals && w.dialect() == Dialect::Sqlite {
        w.push(" COLLATE ").ident(super::sqlite_names::DECIMAL);
    }
}

/// Decimal places an average of decimals keeps, on every backend: the scale of Trellis's
/// decimal column on MySQL (`DECIMAL(38, 10)`).
pub(crate) const AVG_DECIMAL_PLACES: u32 = 10;

/// `COUNT(*)`, `SUM(column)`, .., its column qualified as the writer qualifies columns, read
/// back as the type the aggregate gives on every backend: a sum as a 64-bit integer or a
/// double, 0 when there are no rows (PostgreSQL sums `BIGINT`s and MySQL every integer as
/// `DECIMAL`); an average as a double (PostgreSQL averages integers as decimals); a minimum
/// or maximum as the column's type.
///
/// Decimals are summed exactly, and averaged to ten places, half away from zero, on every
/// backend. SQLite keeps them as text, which its own `sum` and `avg` would read as doubles:
/// Trellis's functions add them up there, and the `trellis_decimal` collation, named after
/// the aggregate, makes a comparison or an order of it compare numbers, not text (a
/// column's collation does not pass on to an aggregate of it).
pub(crate) fn render_aggregate(w: &mut Writer, aggregate: Aggregate) {
    use super::sqlite_names::{DECIMAL, DECIMAL_AVG, DECIMAL_SUM};
    let dialect = w.dialect();
    let (column, open, close) = match aggregate {
        Aggregate::Count => {
            w.push("COUNT(*)");
            return;
        }
        Aggregate::Sum(column, Operand::Decimals) if dialect == Dialect::Sqlite => {
            w.push("COALESCE(").push(DECIMAL_SUM).push("(");
            w.column(column);
            w.push("), '0') COLLATE ").ident(DECIMAL);
            return;
        }
        Aggregate::Avg(column, Operand::Decimals) if dialect == Dialect::Sqlite => {
            w.push(DECIMAL_AVG).push("(");
            w.column(column);
            w.push(") COLLATE ").ident(DECIMAL);
            return;
        }
        Aggregate::Sum(column, Operand::Decimals) => (column, "COALESCE(SUM(", "), 0)"),
        Aggregate::Avg(column, Operand::Decimals) => {
            // Averaged at thirty places, then rounded: PostgreSQL would keep only sixteen
            // significant digits (or the values' own places), MySQL four places more than the
            // column's, and rounding twice could round a digit the exact value would not.
            let wide = match dialect {
                Dialect::Postgres => " AS NUMERIC(1000, 30))), ",
                Dialect::MySql | Dialect::Sqlite => " AS DECIMAL(65, 30))), ",
            };
            w.push("ROUND(AVG(CAST(");
            w.column(column);
            w.push(wide).push(&AVG_DECIMAL_PLACES.to_string()).push(")");
            return;
        }
        Aggregate::Sum(column, of) => {
            let integers = of == Operand::Integers;
            let close = match dialect {
                Dialect::Postgres if integers => "), 0) AS BIGINT)",
                Dialect::Postgres => "), 0) AS DOUBLE PRECISION)",
                Dialect::MySql if integers => "), 0) AS SIGNED)",
                Dialect::MySql => "), 0) AS DOUBLE)",
                Dialect::Sqlite if integers => "), 0)",
                Dialect::Sqlite => "), 0.0)",
            };
            let open = match dialect {
                Dialect::Sqlite => "COALESCE(SUM(",
                Dialect::Postgres | Dialect::MySql => "CAST(COALESCE(SUM(",
            };
            (column, open, close)
        }
        Aggregate::Avg(column, _) => match dialect {
            Dialect::Postgres => (column, "CAST(AVG(", ") AS DOUBLE PRECISION)"),
            // MySQL averages integers as decimals of four more places, so as doubles here.
            Dialect::MySql => (column, "AVG(CAST(", " AS DOUBLE))"),
            Dialect::Sqlite => (column, "AVG(", ")"),
        },
        Aggregate::Min(column, _) => (column, "MIN(", ")"),
        Aggregate::Max(column, _) => (column, "MAX(", ")"),
    };
    w.push(open);
    w.column(column);
    w.push(close);
    if aggregate.operand() == Operand::Decimals && dialect == Dialect::Sqlite {
        w.push(" COLLATE ").ident(DECIMAL);
    }
}

fn render_key(w: &mut Writer, key: &OrderKey) {
    match key {
        OrderKey::Column(name) => {
            w.column(name);
        }
        OrderKey::Aggregate(link, aggregate) => render_related_aggregate(w, *link, *aggregate),
        OrderKey::Grouped(aggregate) => render_aggregate(w, *aggregate),
    }
}

/// The terms of an `ORDER BY`, comma-separated, then the `tiebreak` columns (ascending) that
/// they do not order by.
/// MySQL has no `NULLS FIRST`/`NULLS LAST`: there an `IS NULL` term goes first.
pub(crate) fn render_order(w: &mut Writer, terms: &[OrderTerm], tiebreak: &[&str]) {
    let mut first = true;
    let mut sep = |w: &mut Writer| {
        if !first {
            w.push(", ");
        }
        first = false;
    };
    for term in terms {
        if let (Dialect::MySql, Some(nulls)) = (w.dialect(), term.nulls) {
            sep(w);
            render_key(w, &term.key);
            w.push(if nulls == Nulls::First {
                " IS NULL DESC"
            } else {
                " IS NULL ASC"
            });
        }
        sep(w);
        render_key(w, &term.key);
        w.push(if term.descending { " DESC" } else { " ASC" });
        match (w.dialect(), term.nulls) {
            (Dialect::MySql, _) | (_, None) => {}
            (_, Some(Nulls::First)) => {
                w.push(" NULLS FIRST");
            }
            (_, Some(Nulls::Last)) => {
                w.push(" NULLS LAST");
            }
        }
    }
    // A tie-break on a column already ordered by would change nothing.
    let ordered = |column: &str| {
        terms
            .iter()
            .any(|t| matches!(t.key, OrderKey::Column(c) if c == column))
    };
    for column in tiebreak.iter().filter(|c| !ordered(c)) {
        sep(w);
        w.column(column).push(" ASC");
    }
}
