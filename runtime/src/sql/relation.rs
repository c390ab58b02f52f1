//! The statement that loads one relation for a batch of parent rows.

use super::expr::render;
use super::keys::KeyColumns;
use super::{Dialect, Statement, Writer};
use crate::ir::{Aggregate, Expr};
use crate::meta::model::ModelMeta;
use crate::values::value::{KeyArray, KeyKind, Value};

/// Alias of the related table.
const TARGET: &str = "t";
/// Alias of the join table of a many-to-many relation.
const JOIN: &str = "j";
/// Alias of the windowed subquery.
const WINDOW: &str = "w";
/// The extra column telling which parent key each related row belongs to: the key's position
/// in the list of keys when they go as one parameter (see [`parent_key_positions`]), else the
/// key itself.
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
    pub order_by: &'a [crate::ir::OrderTerm],
    /// At most this many related rows per parent.
    pub take: Option<u64>,
    /// Skips this many related rows per parent.
    pub skip: Option<u64>,
    /// At most one row per key (a to-one relation): the rows need no order.
    pub single: bool,
    /// The keys are those of every row of the parent table, and the key column is on the
    /// target (has_one, has_many) or on the join table (many_to_many): see [`reads_whole_table`].
    pub every_parent: bool,
    /// With `every_parent`: the parents are every row of their table whose key is in this
    /// range (`low..=high`), and a statement that [`reads_whole_table`] reads the rows whose
    /// key column is in it (`key >= low AND key <= high`), one range of the key column's
    /// index, not a lookup per key.
    pub key_range: Option<(i64, i64)>,
}

/// What the [`PARENT_KEY`] column of [`render_related`] and [`render_related_aggregate`] holds for
/// these keys: `Some(first)` when it is the key's position in `keys`, numbered from `first`;
/// `None` when it is the key's value (keys a single parameter cannot carry go as a list).
pub fn parent_key_positions(dialect: Dialect, keys: &[Value]) -> Option<i64> {
    match Keys::of(dialect, keys) {
        Keys::Joined(_) => Some(super::keys::first_ordinal(dialect)),
        Keys::Any(_) | Keys::Listed | Keys::Whole => None,
    }
}

/// How the parent keys reach the statement.
enum Keys {
    /// A table of the keys joined on the key column (`JOIN unnest($1) AS k ON key = k.v`, or
    /// `json_each`/`JSON_TABLE`): each row comes back with the key it was asked for, not with
    /// its column's value. The database compares under the key column's collation, which may
    /// ignore case or trailing spaces (MySQL's do, even `utf8mb4_bin` pads with spaces), so
    /// matching rows to parents by the asked key follows what the database itself compares:
    /// loading, paging and counting agree with it. Rows are numbered and counted per key by
    /// its position in the list, which no collation can merge.
    Joined(KeyArray),
    /// PostgreSQL's integer and UUID keys (`WHERE key = ANY($1)`) and SQLite's integer keys
    /// (`WHERE key IN (SELECT value FROM json_each(?))`). These compare the same under any
    /// collation, so the key column's value is the parent key; the plain filter is cheaper
    /// than the join, and the planner reads the key column's index from it. On SQLite the
    /// index also hands each key's rows over in key order, then rowid order, so rows ordered
    /// by key and then by an integer primary key need no sort.
    Any(KeyArray),
    /// `WHERE key IN (...)`, a placeholder per key, for key types a single parameter cannot
    /// carry (and MySQL's integer keys): the key column's value is the parent key.
    Listed,
    /// No keys: the statement reads the whole table ([`reads_whole_table`]), and the key
    /// column's value is the parent key.
    Whole,
}

impl Keys {
    /// How `q`'s keys reach its statement: not at all when it reads the whole table.
    fn of_query(dialect: Dialect, q: &RelatedQuery<'_>) -> Keys {
        if reads_whole_table(dialect, q) {
            Keys::Whole
        } else {
            Keys::of(dialect, q.keys)
        }
    }

    fn of(dialect: Dialect, keys: &[Value]) -> Keys {
        if !keys_fit_one_parameter(dialect, keys) {
            return Keys::Listed;
        }
        match KeyArray::of(keys) {
            Some(array)
                if (dialect == Dialect::Postgres && array.kind() != KeyKind::Text)
                    || (dialect == Dialect::Sqlite && array.kind() == KeyKind::Int) =>
            {
                Keys::Any(array)
            }
            Some(array) => Keys::Joined(array),
            None => Keys::Listed,
        }
    }
}

/// Alias of the keys table.
const KEYS: &str = "k";

/// Where the parent key of each row is read, and what numbers and groups rows per parent.
struct KeyRefs {
    value: (&'static str, &'static str),
    group: (&'static str, &'static str),
}

fn write_ref(w: &mut Writer, (table, column): (&'static str, &'static str)) {
    w.ident(table).push(".").ident(column);
}

/// ` ORDER BY w.key, w.rn`: by parent, then by row number within its page.
fn order_pages(w: &mut Writer) {
    w.push(" ORDER BY ")
        .ident(WINDOW)
        .push(".")
        .ident(PARENT_KEY)
        .push(", ")
        .ident(WINDOW)
        .push(".")
        .ident(ROW_NUMBER);
}

/// The relation's own filter, after `opening` (` WHERE (` or ` AND (`), on the target's
/// columns; nothing without one.
fn filtered_by(w: &mut Writer, q: &RelatedQuery<'_>, opening: &str) {
    if let Some(filter) = q.filter {
        w.qualify(Some(TARGET));
        w.push(opening);
        render(w, filter);
        w.push(")");
        w.qualify(None);
    }
}

/// The selected columns of the target (every column when none is named).
fn select_list(w: &mut Writer, q: &RelatedQuery<'_>) {
    if q.columns.is_empty() {
        w.list(q.target.columns, |w, c| {
            w.column(c.name);
        });
    } else {
        w.list(q.columns, |w, c| {
            w.column(c);
        });
    }
}

/// ` FROM target AS t`, joined with the join table of a many-to-many relation.
fn from_target(w: &mut Writer, q: &RelatedQuery<'_>) {
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
            .ident(TARGET)
            .push(".")
            .ident(q.target.primary_key().name);
    }
}

/// The `FROM` clause (the target, the join table of a many-to-many relation, the table of keys)
/// and the `WHERE` clause (the keys when listed, the filter).
fn from_where(
    w: &mut Writer,
    q: &RelatedQuery<'_>,
    keys: Keys,
    key_alias: &'static str,
) -> KeyRefs {
    from_target(w, q);
    let mut filtered = false;
    let refs = match keys {
        Keys::Joined(array) => {
            w.push(" JOIN ");
            // PostgreSQL: the keys again as `= ANY($n)`, which the planner estimates from the
            // array's length, so it reads the key column's index; on a generic plan it would
            // otherwise guess the join's size and may scan the table. (Text keys take no range
            // beside it, as integer keys do in `render_in_array`: their order is the column's
            // collation, not Rust's.)
            let again = (w.dialect() == Dialect::Postgres).then(|| array.clone());
            let columns = super::keys::render_key_table(w, array, KEYS);
            w.push(" ON ")
                .ident(key_alias)
                .push(".")
                .ident(q.key_column)
                .push(" = ")
                .ident(KEYS)
                .push(".")
                .ident(columns.value);
            if let Some(array) = again {
                w.push(" WHERE ")
                    .ident(key_alias)
                    .push(".")
                    .ident(q.key_column)
                    .push(" = ANY(");
                w.param(Value::Array(array));
                w.push(")");
                filtered = true;
            }
            KeyRefs {
                value: (KEYS, columns.ordinal),
                group: (KEYS, columns.ordinal),
            }
        }
        Keys::Any(array) => {
            w.push(" WHERE ");
            super::keys::render_in_array(w, array, &|w| write_ref(w, (key_alias, q.key_column)));
            filtered = true;
            KeyRefs {
                value: (key_alias, q.key_column),
                group: (key_alias, q.key_column),
            }
        }
        Keys::Whole => {
            if let Some((low, high)) = q.key_range {
                w.push(" WHERE ");
                write_ref(w, (key_alias, q.key_column));
                w.push(" >= ");
                w.param(Value::I64(low));
                w.push(" AND ");
                write_ref(w, (key_alias, q.key_column));
                w.push(" <= ");
                w.param(Value::I64(high));
                filtered = true;
            }
            KeyRefs {
                value: (key_alias, q.key_column),
                group: (key_alias, q.key_column),
            }
        }
        Keys::Listed => {
            w.push(" WHERE ")
                .ident(key_alias)
                .push(".")
                .ident(q.key_column)
                .push(" IN (");
            w.list(&padded(q.keys), |w, v| {
                w.param((*v).clone());
            });
            w.push(")");
            filtered = true;
            KeyRefs {
                value: (key_alias, q.key_column),
                group: (key_alias, q.key_column),
            }
        }
    };
    filtered_by(w, q, if filtered { " AND (" } else { " WHERE (" });
    refs
}

/// Renders the batch query. Per-parent `take`/`skip` give every parent its own page: when the
/// keys go as one parameter, a `LATERAL` subquery per key on PostgreSQL (`render_lateral`) and
/// a correlated subquery per key on SQLite (`render_correlated_page`; many-to-many pages
/// excepted); otherwise each parent's rows are numbered with `ROW_NUMBER() OVER (PARTITION BY
/// parent key ..)`.
///
/// The select list names the parent key before the `FROM` clause that defines it, so the
/// `FROM` and `WHERE` clauses are written first and appended (the select list binds no
/// values, so the placeholders stay in text order).
pub fn render_related(dialect: Dialect, q: &RelatedQuery<'_>) -> Statement {
    let windowed = (q.take.is_some() || q.skip.is_some()) && !pages_in_loader(dialect, q);
    let keys = Keys::of_query(dialect, q);
    if let [key] = q.keys {
        if !matches!(keys, Keys::Whole) {
            return render_one_parent(dialect, q, key, &keys);
        }
    }
    let lateral = windowed && dialect == Dialect::Postgres && key_column_indexed(q);
    let keys = match keys {
        Keys::Joined(array) if lateral => return render_lateral(q, array, true),
        Keys::Any(array) if lateral => return render_lateral(q, array, false),
        Keys::Joined(array) if windowed && correlated_page(dialect, q) => {
            return render_correlated_page(q, array, true)
        }
        Keys::Any(array) if windowed && correlated_page(dialect, q) => {
            return render_correlated_page(q, array, false)
        }
        keys => keys,
    };
    // SQLite, keys by value: by key first, the order the key column's index reads them in.
    let by_key = dialect == Dialect::Sqlite && matches!(keys, Keys::Any(_));
    let key_alias = if q.join.is_some() { JOIN } else { TARGET };
    let mut from = Writer::new(dialect);
    let refs = from_where(&mut from, q, keys, key_alias);
    let mut w = Writer::before(&from);
    if windowed {
        w.push("SELECT * FROM (");
    }
    w.push("SELECT ");
    w.qualify(Some(TARGET));
    select_list(&mut w, q);
    w.push(", ");
    write_ref(&mut w, refs.value);
    w.push(" AS ").ident(PARENT_KEY);
    let in_loader = orders_in_loader(dialect, q);
    if in_loader && selected_order_key(q).is_none() {
        w.push(", CAST(");
        write_ref(&mut w, (TARGET, q.target.primary_key().name));
        w.push(" AS BIGINT) AS ").ident(ORDER_KEY);
    }
    if windowed {
        w.push(", ROW_NUMBER() OVER (PARTITION BY ");
        write_ref(&mut w, refs.group);
        w.push(" ORDER BY ");
        order(&mut w, q);
        w.push(") AS ").ident(ROW_NUMBER);
    }
    w.qualify(None);
    w.append(from);
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
        // By parent, then by number: the order the window already sorted the rows in, so
        // the database need not sort them again.
        order_pages(&mut w);
    } else if !in_loader && (!q.single || !q.order_by.is_empty()) {
        w.push(" ORDER BY ");
        if by_key {
            write_ref(&mut w, refs.value);
            w.push(", ");
        }
        w.qualify(Some(TARGET));
        order(&mut w, q);
        w.qualify(None);
    }
    w.finish()
}

/// Whether [`render_related`]'s statement reads every row of the target (narrowed by the
/// relation's filter alone), not the rows of the keys: the loader keeps the rows of the keys
/// it was given and passes over the others, and the statement orders the rows by the page's
/// order alone, not by parent (the loader groups them, keeping their order within each).
///
/// When the parents are every row of their table ([`RelatedQuery::every_parent`]), by
/// integer keys, and the key column cannot be `NULL`: every related row then belongs to a
/// parent (short of a row whose parent is gone, where no foreign key is enforced), so the
/// rows of the keys are the whole table. On SQLite, found by the keys, each row costs a seek
/// in the key column's index and another in the table, where a scan reads the table's pages
/// in order; MariaDB reads the 1,000 ranges of an `IN (..)` list through the key column's
/// index and then each row by its primary key. In alternating runs of the benchmark's loads
/// in one process, by key against whole: SQLite `seed` 9.8 against 5.9 ms (its 10,000
/// sessions, sorted by token and paged to five per user, 4.5–5.5 against 3.0–3.2 ms) and
/// `chain100` 9.7 against 5.0 ms; MariaDB `seed` 38.0 against 33.7 ms, `chain100` 13.2 against
/// 9.9 ms, `chain9` 2.0 against 1.35 ms; PostgreSQL `chain100` 11.4–12.7 against 9.4–11.5 ms,
/// `chain9` 1.44 against 1.18 ms.
///
/// A page per parent (`take`/`skip`) reads the whole table only where reading by key reads
/// every row of the parents too: on SQLite a page in another order than the target's key
/// (cut by the loader, [`pages_in_loader`]) or through a join model (numbered by a window);
/// on MySQL always (a window numbers each parent's rows, and only the pages are sent). A page
/// in key order on SQLite, and every page on PostgreSQL, is read by key through the key
/// column's index, one page at a time: read whole, a page of one row of a parent with
/// thousands would cost thousands (PostgreSQL's `seed`, its sessions read whole and sorted by
/// token under the column's collation: 23.3 ms against 16.9 ms by key).
pub fn reads_whole_table(dialect: Dialect, q: &RelatedQuery<'_>) -> bool {
    let keyed = q.join.map_or(q.target, |(join, _)| join);
    let not_null = keyed
        .columns
        .iter()
        .any(|c| c.name == q.key_column && !c.nullable);
    let paged = q.take.is_some() || q.skip.is_some();
    let pages_read_whole = match dialect {
        Dialect::Sqlite => q.join.is_some() || !served_by_index(q),
        Dialect::MySql => true,
        Dialect::Postgres => false,
    };
    (!paged || pages_read_whole)
        && q.every_parent
        && not_null
        && q.keys.len() > 1
        && KeyArray::kind_of(q.keys) == Some(KeyKind::Int)
}

/// Whether the key column's index reads each parent's rows in the page's order: no order, or
/// the target's key first.
fn served_by_index(q: &RelatedQuery<'_>) -> bool {
    q.order_by.first().is_none_or(|term| by_target_key(q, term))
}

/// Whether each parent's page (`take`/`skip`) is cut by the loader rather than by
/// [`render_related`]'s statement, which then reads every matching row of each parent, in page
/// order: the loader keeps rows `skip + 1 ..= skip + take` of each parent as they arrive.
///
/// SQLite, many parents with integer keys, a page ordered by something other than the target's
/// key. The rows then come ordered by the key column and the page's order, which SQLite sorts
/// one parent at a time as it reads them through the key column's index (`USE TEMP B-TREE FOR
/// RIGHT PART OF ORDER BY`), under the columns' own collations. A page cut in SQL needs a
/// correlated subquery per parent that reads and sorts that parent's rows all the same (no
/// index serves a key column and another column together), then a seek per kept row and a
/// second sort to put the pages back in order: for 1,000 parents of 10 rows paged to 5, 4.5 ms
/// against 2.6 ms for all 10,000 rows in order. A page ordered by the target's key stays
/// in SQL: the key column's index reads each parent's rows in that order, so the correlated
/// subquery reads only the page.
pub fn pages_in_loader(dialect: Dialect, q: &RelatedQuery<'_>) -> bool {
    let served_by_index = served_by_index(q);
    dialect == Dialect::Sqlite
        && (q.take.is_some() || q.skip.is_some())
        && q.join.is_none()
        && q.keys.len() > 1
        && !served_by_index
        && keys_fit_one_parameter(dialect, q.keys)
        && KeyArray::kind_of(q.keys) == Some(KeyKind::Int)
}

/// Whether [`render_correlated_page`] can cut each parent's page: on SQLite, not through a
/// join table, for a target whose key is one column (the subquery selects rows by it).
fn correlated_page(dialect: Dialect, q: &RelatedQuery<'_>) -> bool {
    dialect == Dialect::Sqlite && q.join.is_none() && !q.target.has_composite_key()
}

/// Whether `term` orders by the target's primary key.
fn by_target_key(q: &RelatedQuery<'_>, term: &crate::ir::OrderTerm) -> bool {
    matches!(term.key, crate::ir::OrderKey::Column(c) if c == q.target.primary_key().name)
}

/// The extra column of [`render_related`] that holds the target's integer key when
/// [`orders_in_loader`]: the loader sorts the rows by it.
pub const ORDER_KEY: &str = "__trellis_order";

/// Whether each parent's rows are put in order by the loader rather than by
/// [`render_related`]'s statement, which then has no `ORDER BY` and reads the target's key as
/// an extra [`ORDER_KEY`] column after the parent key (`CAST(t.id AS BIGINT)`).
///
/// PostgreSQL, many parents, rows in the order of the target's integer key (no `order_by`, or
/// the key alone), not paged. With statistics, PostgreSQL reads such a batch (a large part of
/// the table) with a sequential scan and sorts all of it before it sends the first row, so the
/// client waits for the whole sort and then decodes every row: for `chain100`'s 10,000
/// comments, 2.5–3 ms of the server's time, 1.5–2 ms of it the sort. Without the `ORDER BY`
/// the rows stream as the scan finds them, the client decodes them meanwhile, and sorting
/// integers (which compare the same everywhere) costs it a fraction of that. Any other order
/// stays in SQL, where the column's collation applies.
pub fn orders_in_loader(dialect: Dialect, q: &RelatedQuery<'_>) -> bool {
    let by_key = match q.order_by {
        [] => true,
        [term] => by_target_key(q, term) && !term.descending,
        _ => false,
    };
    dialect == Dialect::Postgres
        && !q.single
        && !q.target.has_composite_key()
        && q.take.is_none()
        && q.skip.is_none()
        && q.keys.len() > 1
        && by_key
        && matches!(
            q.target.primary_key().sql_type,
            crate::values::value::SqlType::SmallInt
                | crate::values::value::SqlType::Int
                | crate::values::value::SqlType::BigInt
        )
}

/// Where the loader reads the target's key to sort by when [`orders_in_loader`]: `Some` with
/// its position in the select list when the selection reads it and it is a `BIGINT` (an `i64`
/// as it is), else `None`, and the statement reads it again as [`ORDER_KEY`], after the parent
/// key. One column less per row: on `chain100`'s 10,000 comments, 7–12% of the load.
pub fn selected_order_key(q: &RelatedQuery<'_>) -> Option<usize> {
    let key = q.target.primary_key();
    if key.sql_type != crate::values::value::SqlType::BigInt {
        return None;
    }
    if q.columns.is_empty() {
        q.target.columns.iter().position(|c| c.name == key.name)
    } else {
        q.columns.iter().position(|c| *c == key.name)
    }
}

/// The related rows of a single parent (a `find_first`, or a page of one row), as the
/// statement a person would write: `SELECT .., t.fk AS key FROM t WHERE t.fk = ? ORDER BY ..
/// LIMIT ? OFFSET ?`, with no table of keys and no per-parent paging, on every key type.
///
/// The parent-key column is what the batch statement for these keys would give (see
/// [`parent_key_positions`]): the key column's value where it is the key under any collation
/// ([`Keys::Any`], [`Keys::Listed`]); else ([`Keys::Joined`], text keys) the one key's
/// position, written as a constant: every row the database finds equal to the key under the
/// column's collation (`'ADA'` for `'ada'` under a case-insensitive one) is that parent's, as
/// in the batch.
fn render_one_parent(
    dialect: Dialect,
    q: &RelatedQuery<'_>,
    key: &Value,
    keys: &Keys,
) -> Statement {
    let key_alias = if q.join.is_some() { JOIN } else { TARGET };
    let mut w = Writer::new(dialect);
    w.push("SELECT ");
    w.qualify(Some(TARGET));
    select_list(&mut w, q);
    w.qualify(None);
    w.push(", ");
    one_parents_key(&mut w, keys, (key_alias, q.key_column));
    w.push(" AS ").ident(PARENT_KEY);
    from_target(&mut w, q);
    one_parents_rows(&mut w, q, key_alias, ParentKey::Bound(key));
    super::read::render_limit(&mut w, q.take, q.skip);
    w.finish()
}

/// The parent-key column of a single parent's statement: the key column itself, or the first
/// position of a table of keys (see [`render_one_parent`]).
fn one_parents_key(w: &mut Writer, keys: &Keys, column: (&'static str, &'static str)) {
    match keys {
        Keys::Joined(_) => {
            let first = super::keys::first_ordinal(w.dialect());
            // A constant of the type the table of keys numbers its rows with (PostgreSQL's
            // `WITH ORDINALITY` counts in BIGINT).
            match w.dialect() {
                Dialect::Postgres => w.push(&format!("CAST({first} AS BIGINT)")),
                Dialect::Sqlite | Dialect::MySql => w.push(&first.to_string()),
            };
        }
        Keys::Any(_) | Keys::Listed | Keys::Whole => write_ref(w, column),
    }
}

/// PostgreSQL's per-parent pages, where the key column has an index ([`key_column_indexed`]):
/// for each key of the array, a `LATERAL` subquery reads that parent's rows through the key
/// column's index, sorts them and cuts them with `LIMIT`/`OFFSET`:
///
/// `SELECT w.* FROM unnest($1) WITH ORDINALITY AS k(v, i) CROSS JOIN LATERAL (SELECT ..,
/// k.i AS key FROM (SELECT t.* FROM t WHERE t.key = k.v OFFSET 0) AS t ORDER BY .. LIMIT ..
/// OFFSET ..) AS w`
///
/// The inner `OFFSET 0` keeps PostgreSQL from planning the parent's rows and the page's order
/// together: it finds each parent's rows by the key column first, whatever it knows of the
/// table. Without statistics (a table just loaded, autovacuum off) PostgreSQL otherwise
/// guessed that walking an index of the page's order (the primary key's, backwards, for
/// `order_by(id.desc()).take(1)`) would meet a parent's row within a few hundred rows, and
/// walked it once per parent: 70,000 parents of one row each took 222 s, against 0.17 s with
/// the inner `OFFSET 0` (0.47 s unfenced after `ANALYZE`). With statistics, a page of 20
/// parents (10 rows each, 5 kept) took 0.103 ms fenced against 0.095 ms, 1,000 parents
/// 4.16 ms against 3.78 ms: PostgreSQL read them the same way, through the key column.
///
/// A window over every parent's rows, sorted before it is cut, took as long as this on a
/// custom plan and six times as long once PostgreSQL switched the prepared statement to a
/// generic plan (after five runs); it is what a key column without an index gets.
///
/// Each page comes out in its own order with no `ORDER BY` around it: a `LATERAL` subquery
/// that refers to the keys and has a `LIMIT` cannot be pulled up into a join, so PostgreSQL
/// runs it as the inner side of a nested loop, once per key, and a nested loop hands over each
/// run's rows as that run produced them, sorted by the subquery. The loader groups rows by
/// their key and keeps their order within a key, so the pages' order among themselves does
/// not matter. Numbering each page (`ROW_NUMBER()`) and sorting the whole result by key and
/// number cost 2 of the 7 ms this statement took for 1,000 keys. `by_position`: the key
/// column of a row is the key's position in the array (text keys, see [`Keys::Joined`]), else
/// the key itself.
fn render_lateral(q: &RelatedQuery<'_>, array: KeyArray, by_position: bool) -> Statement {
    let key_alias = if q.join.is_some() { JOIN } else { TARGET };
    let mut w = Writer::new(Dialect::Postgres);
    w.push("SELECT ").ident(WINDOW).push(".* FROM ");
    let keys = super::keys::render_key_table(&mut w, array, KEYS);
    w.push(" CROSS JOIN LATERAL (SELECT ");
    select_with_key(&mut w, q, &keys, by_position);
    // The parent's rows, found by the key column alone (the fence), named as the target.
    w.push(" FROM (SELECT ").ident(TARGET).push(".*");
    from_target(&mut w, q);
    w.push(" WHERE ");
    write_ref(&mut w, (key_alias, q.key_column));
    w.push(" = ");
    write_ref(&mut w, (KEYS, keys.value));
    filtered_by(&mut w, q, " AND (");
    w.push(" OFFSET 0) AS ").ident(TARGET);
    w.push(" ORDER BY ");
    w.qualify(Some(TARGET));
    order(&mut w, q);
    w.qualify(None);
    if let Some(take) = q.take {
        w.push(" LIMIT ");
        w.param(Value::I64(to_i64(take)));
    }
    w.push(" OFFSET ");
    w.param(Value::I64(to_i64(q.skip.unwrap_or(0))));
    w.push(") AS ").ident(WINDOW);
    w.finish()
}

/// Whether the column the parent keys are matched against has an index, as the model declares
/// it (a primary key, a unique column, `#[field(index)]`, or a foreign key with `references`,
/// which Trellis's DDL indexes): PostgreSQL's per-parent pages then look each parent's rows up
/// through it ([`render_lateral`]). Without one, each parent's lookup would scan the table, and
/// every parent's rows are numbered by a window in one pass instead.
fn key_column_indexed(q: &RelatedQuery<'_>) -> bool {
    let keyed = q.join.map_or(q.target, |(join, _)| join);
    keyed.columns.iter().any(|c| {
        c.name == q.key_column && (c.primary_key || c.unique || c.index || c.references.is_some())
    })
}

/// The target's selected columns and the parent key from the table of keys: the key's
/// position in the array (`by_position`, text keys: see [`Keys::Joined`]), else the key.
fn select_with_key(w: &mut Writer, q: &RelatedQuery<'_>, keys: &KeyColumns, by_position: bool) {
    w.qualify(Some(TARGET));
    select_list(w, q);
    w.qualify(None);
    w.push(", ");
    let key = if by_position {
        keys.ordinal
    } else {
        keys.value
    };
    write_ref(w, (KEYS, key));
    w.push(" AS ").ident(PARENT_KEY);
}

/// The parent key one parent's rows are matched against.
enum ParentKey<'k> {
    /// The table of keys' column of that name, in a subquery that refers to it.
    Keys(&'static str),
    /// The key itself, bound.
    Bound(&'k Value),
}

/// ` WHERE key = <parent key> AND (filter) ORDER BY ..`: one parent's rows, in the page's
/// order (a to-one relation's one row, unordered, needs none).
fn one_parents_rows(
    w: &mut Writer,
    q: &RelatedQuery<'_>,
    key_alias: &'static str,
    parent: ParentKey<'_>,
) {
    w.push(" WHERE ");
    write_ref(w, (key_alias, q.key_column));
    w.push(" = ");
    match parent {
        ParentKey::Keys(value) => write_ref(w, (KEYS, value)),
        ParentKey::Bound(key) => {
            w.param(key.clone());
        }
    }
    filtered_by(w, q, " AND (");
    if !q.single || !q.order_by.is_empty() {
        w.push(" ORDER BY ");
        w.qualify(Some(TARGET));
        order(w, q);
        w.qualify(None);
    }
}

/// SQLite's per-parent pages (SQLite has no `LATERAL`): for each key of the array, the
/// target's rows whose primary key is among that parent's page, picked by a correlated
/// subquery that reads the parent's rows through the key column's index, sorts those few
/// and cuts them with `LIMIT`/`OFFSET`:
///
/// `SELECT .., k.key AS key FROM json_each(?) AS k JOIN t ON t.id IN (SELECT t.id FROM t
/// WHERE t.fk = k.value ORDER BY .. LIMIT ? OFFSET ?) ORDER BY k.key, ..`
///
/// The subquery names its table `t` as the outer query does, so the filter and the order
/// render the same in both (inside the subquery, `t` is the subquery's own table). A window
/// over every parent's rows sorts all of them before it cuts the pages: on 1,000 parents of 10
/// rows each, paged to 5, it took twice as long. `by_position`: as for [`render_lateral`].
fn render_correlated_page(q: &RelatedQuery<'_>, array: KeyArray, by_position: bool) -> Statement {
    let key = q.target.primary_key().name;
    let mut from = Writer::new(Dialect::Sqlite);
    from.push(" FROM ");
    let keys = super::keys::render_key_table(&mut from, array, KEYS);
    from.push(" JOIN ")
        .ident(q.target.table)
        .push(" AS ")
        .ident(TARGET);
    from.push(" ON ");
    write_ref(&mut from, (TARGET, key));
    from.push(" IN (SELECT ");
    write_ref(&mut from, (TARGET, key));
    from_target(&mut from, q);
    one_parents_rows(&mut from, q, TARGET, ParentKey::Keys(keys.value));
    from.push(" LIMIT ");
    match q.take {
        Some(take) => from.param(Value::I64(to_i64(take))),
        None => from.push("-1"),
    };
    from.push(" OFFSET ");
    from.param(Value::I64(to_i64(q.skip.unwrap_or(0))));
    from.push(") ORDER BY ");
    write_ref(&mut from, (KEYS, keys.ordinal));
    from.push(", ");
    from.qualify(Some(TARGET));
    order(&mut from, q);
    from.qualify(None);
    // The select list names the keys table before the `FROM` clause that defines it, so that
    // clause is written first; the select list binds no values.
    let mut w = Writer::before(&from);
    w.push("SELECT ");
    select_with_key(&mut w, q, &keys, by_position);
    w.append(from);
    w.finish()
}

/// How many related rows each parent key has: `SELECT key, COUNT(*) .. GROUP BY key`, or
/// another aggregate of them (`SUM(t.score)`, ..), with the same keys (none when it
/// [`reads_whole_table`]), join and filter as [`render_related`] (its columns, order and
/// paging unused). A parent without related rows has no row.
pub fn render_related_aggregate(
    dialect: Dialect,
    q: &RelatedQuery<'_>,
    aggregate: Aggregate,
) -> Statement {
    render_related_aggregates(dialect, q, &[aggregate])
}

/// Several aggregates of the same related rows in one statement, one column each after the
/// parent key, in order: `SELECT key, COUNT(*), MAX(t.token) .. GROUP BY key` (see
/// [`render_related_aggregate`]).
pub fn render_related_aggregates(
    dialect: Dialect,
    q: &RelatedQuery<'_>,
    aggregates: &[Aggregate],
) -> Statement {
    let key_alias = if q.join.is_some() { JOIN } else { TARGET };
    let keys = Keys::of_query(dialect, q);
    if let ([key], false) = (q.keys, matches!(keys, Keys::Whole)) {
        return render_one_parents_aggregate(dialect, q, key, &keys, aggregates);
    }
    let mut from = Writer::new(dialect);
    let refs = from_where(&mut from, q, keys, key_alias);
    let mut w = Writer::before(&from);
    w.push("SELECT ");
    write_ref(&mut w, refs.value);
    w.push(" AS ").ident(PARENT_KEY);
    aggregates_of_target(&mut w, aggregates);
    w.append(from);
    w.push(" GROUP BY ");
    write_ref(&mut w, refs.group);
    w.finish()
}

/// `, aggregate` for each aggregate, over the target's columns.
fn aggregates_of_target(w: &mut Writer, aggregates: &[Aggregate]) {
    for &aggregate in aggregates {
        w.push(", ");
        aggregate_of_target(w, aggregate);
    }
}

/// The aggregate, over the target's columns.
fn aggregate_of_target(w: &mut Writer, aggregate: Aggregate) {
    w.qualify(Some(TARGET));
    super::expr::render_aggregate(w, aggregate);
    w.qualify(None);
}

/// One parent's aggregate, as a person writes it: `SELECT key, COUNT(*) FROM t WHERE t.fk = ?
/// GROUP BY key` (no row for a parent without related rows, as in the batch).
fn render_one_parents_aggregate(
    dialect: Dialect,
    q: &RelatedQuery<'_>,
    key: &Value,
    keys: &Keys,
    aggregates: &[Aggregate],
) -> Statement {
    let key_alias = if q.join.is_some() { JOIN } else { TARGET };
    let mut w = Writer::new(dialect);
    w.push("SELECT ");
    one_parents_key(&mut w, keys, (key_alias, q.key_column));
    w.push(" AS ").ident(PARENT_KEY);
    aggregates_of_target(&mut w, aggregates);
    from_target(&mut w, q);
    w.push(" WHERE ");
    write_ref(&mut w, (key_alias, q.key_column));
    w.push(" = ");
    w.param(key.clone());
    filtered_by(&mut w, q, " AND (");
    w.push(" GROUP BY ");
    write_ref(&mut w, (key_alias, q.key_column));
    w.finish()
}

/// Most keys a list is padded for ([`padded`]); longer lists keep their length.
const PADDED_UP_TO: usize = 1024;

/// The keys of a list of placeholders (`IN (?, ?, ..)`), the last one repeated up to the next
/// power of two: the statement's text then takes one of a few shapes, whatever the number of
/// parents (a page of 17 rows and one of 20 both bind 32), so each connection prepares it
/// once and keeps it, instead of a statement per number of keys. A key named twice matches
/// the same rows once.
fn padded(keys: &[Value]) -> Vec<&Value> {
    let len = match keys.len() {
        n @ 2..=PADDED_UP_TO => n.next_power_of_two(),
        n => n,
    };
    keys.iter()
        .chain(std::iter::repeat_n(keys.last(), len - keys.len()).flatten())
        .collect()
}

/// Whether `keys` go as one parameter on this dialect (no need to split them).
///
/// Integer keys on MySQL go as a list: `JSON_TABLE` costs MySQL more than a list of
/// placeholders (about twice as much on a load of 1,000 keys), and integers compare the same
/// under any collation, so the key column's own value tells rows apart as well as a position.
pub(crate) fn keys_fit_one_parameter(dialect: Dialect, keys: &[Value]) -> bool {
    KeyArray::kind_of(keys).is_some_and(|kind| {
        super::keys::fits_one_parameter(dialect, kind)
            && !(dialect == Dialect::MySql && kind == KeyKind::Int)
    })
}

/// The per-parent order, the target's key (each column of a composite one) breaking ties;
/// column references are qualified with the target's alias by the caller.
fn order(w: &mut Writer, q: &RelatedQuery<'_>) {
    match q.target.primary_key {
        [_] => super::expr::render_order(w, q.order_by, &[q.target.primary_key().name]),
        _ => {
            let key: Vec<&str> = q.target.key_columns().map(|c| c.name).collect();
            super::expr::render_order(w, q.order_by, &key);
        }
    }
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
