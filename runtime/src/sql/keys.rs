//! Many keys as one parameter, so that a statement's text and plan do not depend on how many
//! keys it carries, and no list runs into the database's limit on parameters.

use super::{Dialect, Writer};
use crate::values::value::{KeyArray, KeyKind, KeySpan, Value};

/// Whether keys of this kind can go as one parameter on this dialect: PostgreSQL takes any key
/// array; SQLite and MySQL take integers and text as a JSON array (JSON cannot carry bytes).
pub(crate) fn fits_one_parameter(dialect: Dialect, kind: KeyKind) -> bool {
    match dialect {
        Dialect::Postgres => true,
        Dialect::Sqlite | Dialect::MySql => kind != KeyKind::Uuid,
    }
}

/// The column `column` writes, matched against the keys: `column = ANY($1)` on PostgreSQL,
/// `column IN (SELECT value FROM json_each(?))` on SQLite and `column IN (SELECT .. FROM
/// JSON_TABLE(?, ..))` on MySQL. The caller has checked [`fits_one_parameter`].
///
/// On PostgreSQL, integer and UUID keys also bound the column by their least and greatest key
/// (`AND column >= $2 AND column <= $3`), which matches the same rows; consecutive integers
/// (every value between the two a key) are matched by the range alone. The planner estimates
/// `= ANY` of a long array from the column's statistics; without them (a table just written,
/// before autovacuum analysed it) it guesses a large share of the table and scans it whole,
/// where the range's default estimate is small enough that it reads the column's index.
pub(crate) fn render_in_array(w: &mut Writer, keys: KeyArray, column: &dyn Fn(&mut Writer)) {
    column(w);
    match w.dialect() {
        Dialect::Postgres => match keys.span() {
            Some(span) if span.whole => within(w, column, span),
            span => {
                w.push(" = ANY(");
                w.param(Value::Array(keys));
                w.push(")");
                if let Some(span) = span {
                    w.push(" AND ");
                    column(w);
                    within(w, column, span);
                }
            }
        },
        Dialect::Sqlite => {
            w.push(" IN (SELECT value FROM json_each(");
            w.param(Value::Text(keys.to_json().unwrap_or_default()));
            w.push("))");
        }
        Dialect::MySql => {
            // The values take the column's collation in the comparison, as a list of
            // placeholders would.
            w.push(" IN (SELECT ")
                .ident(KEYS)
                .push(".")
                .ident("v")
                .push(" FROM ");
            render_json_table(w, keys, KEYS);
            w.push(")");
        }
    }
}

/// ` >= $n AND column <= $m`, after the column the caller wrote.
fn within(w: &mut Writer, column: &dyn Fn(&mut Writer), span: KeySpan) {
    w.push(" >= ");
    w.param(span.least);
    w.push(" AND ");
    column(w);
    w.push(" <= ");
    w.param(span.greatest);
}

/// Alias of the keys table in `IN (SELECT ..)`.
const KEYS: &str = "trellis_keys";

/// The columns of a table of keys: each key, and its position in the list.
pub(crate) struct KeyColumns {
    pub(crate) value: &'static str,
    pub(crate) ordinal: &'static str,
}

/// The keys as a table named `alias`, one row per key with its position: `unnest($1) WITH
/// ORDINALITY` on PostgreSQL, `json_each(?)` on SQLite, `JSON_TABLE(?, ..)` on MySQL. The caller
/// has checked [`fits_one_parameter`].
pub(crate) fn render_key_table(w: &mut Writer, keys: KeyArray, alias: &str) -> KeyColumns {
    match w.dialect() {
        Dialect::Postgres => {
            w.push("unnest(");
            w.param(Value::Array(keys));
            w.push(") WITH ORDINALITY AS ")
                .ident(alias)
                .push("(")
                .ident("v")
                .push(", ")
                .ident("i")
                .push(")");
            KeyColumns {
                value: "v",
                ordinal: "i",
            }
        }
        Dialect::Sqlite => {
            w.push("json_each(");
            w.param(Value::Text(keys.to_json().unwrap_or_default()));
            w.push(") AS ").ident(alias);
            KeyColumns {
                value: "value",
                ordinal: "key",
            }
        }
        Dialect::MySql => {
            render_json_table(w, keys, alias);
            KeyColumns {
                value: "v",
                ordinal: "i",
            }
        }
    }
}

/// The position [`render_key_table`] gives the first key: `json_each` counts from 0, the others
/// from 1.
pub(crate) fn first_ordinal(dialect: Dialect) -> i64 {
    match dialect {
        Dialect::Sqlite => 0,
        Dialect::Postgres | Dialect::MySql => 1,
    }
}

/// MySQL: `JSON_TABLE(?, '$[*]' COLUMNS (i FOR ORDINALITY, v <type> PATH '$')) AS <alias>`.
fn render_json_table(w: &mut Writer, keys: KeyArray, alias: &str) {
    let ty = match keys {
        KeyArray::Int(_) => "BIGINT",
        _ => "LONGTEXT",
    };
    w.push("JSON_TABLE(");
    w.param(Value::Text(keys.to_json().unwrap_or_default()));
    w.push(", '$[*]' COLUMNS (")
        .ident("i")
        .push(" FOR ORDINALITY, ")
        .ident("v")
        .push(" ")
        .push(ty)
        .push(" PATH '$')) AS ")
        .ident(alias);
}
