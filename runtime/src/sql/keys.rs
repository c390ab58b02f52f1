//! Many keys as one parameter, so that a statement's text and plan do not depend on how many
//! keys it carries, and no list runs into the database's limit on parameters.

use super::{Dialect, Writer};
use crate::values::value::{KeyArray, KeyKind, Value};

/// Whether keys of this kind can go as one parameter on this dialect: PostgreSQL takes any key
/// array; SQLite and MySQL take integers and text as a JSON array (JSON cannot carry bytes).
pub(crate) fn fits_one_parameter(dialect: Dialect, kind: KeyKind) -> bool {
    match dialect {
        Dialect::Postgres => true,
        Dialect::Sqlite | Dialect::MySql => kind != KeyKind::Uuid,
    }
}

/// ` = ANY($1)` on PostgreSQL, ` IN (SELECT value FROM json_each(?))` on SQLite and
/// ` IN (SELECT .. FROM JSON_TABLE(?, ..))` on MySQL, after the column the caller wrote.
/// The caller has checked [`fits_one_parameter`].
pub(crate) fn render_in_array(w: &mut Writer, keys: KeyArray) {
    match w.dialect() {
        Dialect::Postgres => {
            w.push(" = ANY(");
            w.param(Value::Array(keys));
            w.push(")");
        }
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
