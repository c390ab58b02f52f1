//! Layer 4, SQL rendering: every statement Trellis sends is a pure function of a query
//! description and a dialect, so it can be snapshot-tested without a database.
//!
//! Values never enter the SQL text: each becomes a placeholder and a bound parameter.
//! Identifiers are always quoted for the dialect.
//!
//! May use: values, metadata and the query description (`crate::values`, `crate::meta`,
//! `crate::ir`); no I/O.

mod ddl;
mod expr;
mod keys;
mod read;
mod relation;
mod write;

pub use ddl::{
    add_column, add_foreign_key, column_type, composite_index_name, create_index, create_table,
    drop_column, drop_constraint, drop_foreign_key, drop_index, drop_table, drop_table_named,
    foreign_key_name, index_name, type_name, unique_index_name,
};

/// The SQL functions Trellis registers on every SQLite connection, by the names statements
/// call them (the driver registers them under the same names).
pub(crate) mod sqlite_names {
    /// Lower case, every letter folded (SQLite's `lower()` folds ASCII only).
    pub(crate) const LOWER: &str = "trellis_lower";
    /// Whether the first text contains the second, byte for byte.
    pub(crate) const CONTAINS: &str = "trellis_contains";
    /// Whether the first text starts with the second, byte for byte.
    pub(crate) const STARTS_WITH: &str = "trellis_starts_with";
    /// Whether the first text ends with the second, byte for byte.
    pub(crate) const ENDS_WITH: &str = "trellis_ends_with";
    /// The collation of decimal columns: compares the text of decimals as numbers.
    pub(crate) const DECIMAL: &str = "trellis_decimal";
    /// The type of a decimal column: text, under [`DECIMAL`].
    pub(crate) const DECIMAL_TYPE: &str = "TEXT COLLATE \"trellis_decimal\"";
    /// The sum of decimals kept as text, as text.
    pub(crate) const DECIMAL_SUM: &str = "trellis_decimal_sum";
    /// The average of decimals kept as text, as text, rounded to ten places.
    pub(crate) const DECIMAL_AVG: &str = "trellis_decimal_avg";
}
#[cfg(all(feature = "sqlite", feature = "rust_decimal"))]
pub(crate) use expr::AVG_DECIMAL_PLACES;
pub use read::{
    render_count, render_group, render_row_aggregate, render_select, GroupQuery, SelectQuery,
};
pub(crate) use relation::keys_fit_one_parameter;
pub use relation::{
    orders_in_loader, pages_in_loader, parent_key_positions, reads_whole_table, render_related,
    render_related_aggregate, render_related_aggregates, selected_order_key, RelatedQuery,
    ORDER_KEY, PARENT_KEY,
};
pub use write::{
    render_delete, render_insert, render_insert_returning, render_update, render_upsert, OnConflict,
};

use crate::values::value::Value;

/// The SQL dialect a statement is rendered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite 3.35 or newer.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL 8 or MariaDB 10.5 or newer.
    MySql,
}

impl Dialect {
    /// Quotes an identifier, doubling any quote character inside it.
    pub fn quote(self, ident: &str) -> String {
        let q = match self {
            Dialect::MySql => '`',
            Dialect::Sqlite | Dialect::Postgres => '"',
        };
        let mut out = String::with_capacity(ident.len() + 2);
        out.push(q);
        for c in ident.chars() {
            if c == q {
                out.push(q);
            }
            out.push(c);
        }
        out.push(q);
        out
    }

    /// The most parameters one statement may bind.
    pub fn max_params(self) -> usize {
        match self {
            Dialect::Sqlite => 32_766,
            Dialect::Postgres | Dialect::MySql => 65_535,
        }
    }
}

/// A statement ready to run: SQL text and the values for its placeholders, in order.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The SQL text.
    pub sql: String,
    /// The bound parameters.
    pub params: Vec<Value>,
    /// Why the description cannot become a statement (a filter nested too deep), found while
    /// rendering; the executor refuses to run it.
    pub(crate) fault: Option<String>,
    /// PostgreSQL: plan the statement for each run's values instead of reusing a generic plan
    /// (see [`Statement::planned_per_run`]).
    pub(crate) planned_per_run: bool,
}

impl Statement {
    /// Asks PostgreSQL to plan the statement for the values of each run. A prepared statement
    /// switches to a generic plan after five runs, made without its values: for a batch of
    /// many parent keys in one array parameter, that plan guesses a handful of keys (a bitmap
    /// scan and a sort of every row), where the plan made for the array it is given may read
    /// the rows in order straight from an index.
    pub(crate) fn planned_per_run(mut self) -> Statement {
        self.planned_per_run = true;
        self
    }

    /// SQL written by hand with its parameters.
    pub fn raw(sql: impl Into<String>, params: Vec<Value>) -> Statement {
        Statement {
            sql: sql.into(),
            params,
            fault: None,
            planned_per_run: false,
        }
    }

    /// Why the statement cannot run, when rendering found a reason.
    pub fn fault(&self) -> Option<&str> {
        self.fault.as_deref()
    }
}

/// Builds one statement, numbering placeholders as the dialect wants.
pub(crate) struct Writer {
    dialect: Dialect,
    sql: String,
    params: Vec<Value>,
    /// Table alias that column references are qualified with, in statements that join.
    qualifier: Option<String>,
    /// The table an unqualified statement reads, for subqueries that refer back to it.
    table: Option<&'static str>,
    /// Aliases handed out to subqueries so far.
    aliases: usize,
    /// The first reason the statement cannot run.
    fault: Option<String>,
}

impl Writer {
    pub(crate) fn new(dialect: Dialect) -> Self {
        Self {
            dialect,
            sql: String::with_capacity(128),
            params: Vec::new(),
            qualifier: None,
            table: None,
            aliases: 0,
            fault: None,
        }
    }

    pub(crate) fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub(crate) fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    pub(crate) fn ident(&mut self, name: &str) -> &mut Self {
        let quoted = self.dialect.quote(name);
        self.sql.push_str(&quoted);
        self
    }

    /// A column reference, qualified when the statement has set a table alias.
    pub(crate) fn column(&mut self, name: &str) -> &mut Self {
        if let Some(alias) = self.qualifier.clone() {
            self.ident(&alias).push(".");
        }
        self.ident(name)
    }

    /// Qualifies the column references written from now on with `alias` (`None`: unqualified).
    pub(crate) fn qualify(&mut self, alias: Option<&str>) -> &mut Self {
        self.qualifier = alias.map(str::to_owned);
        self
    }

    /// The current qualifier, to restore after a subquery.
    pub(crate) fn qualifier(&self) -> Option<String> {
        self.qualifier.clone()
    }

    /// Names the table an unqualified statement reads (subqueries refer back to it).
    pub(crate) fn reads(&mut self, table: &'static str) -> &mut Self {
        self.table = Some(table);
        self
    }

    /// How the current row's table is referred to from a subquery: its alias, or its name.
    pub(crate) fn outer(&self) -> Option<String> {
        self.qualifier
            .clone()
            .or_else(|| self.table.map(str::to_owned))
    }

    /// A fresh alias for a subquery's table.
    pub(crate) fn fresh_alias(&mut self) -> String {
        self.aliases += 1;
        format!("r{}", self.aliases)
    }

    pub(crate) fn param(&mut self, value: Value) -> &mut Self {
        self.params.push(value);
        match self.dialect {
            Dialect::Postgres => {
                use std::fmt::Write as _;
                // Writing to a `String` cannot fail.
                let _ = write!(self.sql, "${}", self.params.len());
            }
            Dialect::Sqlite | Dialect::MySql => self.sql.push('?'),
        }
        self
    }

    /// Writes `rows` as `(?, ?), (?, ?)`, binding their values in order. Where placeholders
    /// are not numbered (SQLite, MySQL), the text of a row is made once and copied for each
    /// row of its width: a multi-row insert of 10,000 rows has 30,000 placeholders, and
    /// writing them one by one took a tenth of its time on SQLite.
    pub(crate) fn value_rows(&mut self, rows: Vec<Vec<Value>>) -> &mut Self {
        let width = rows.first().map_or(0, Vec::len);
        self.params.reserve(rows.len() * width);
        let template = match self.dialect {
            Dialect::Postgres => None,
            Dialect::Sqlite | Dialect::MySql => {
                let mut row = String::with_capacity(width * 3 + 2);
                row.push('(');
                for i in 0..width {
                    row.push_str(if i == 0 { "?" } else { ", ?" });
                }
                row.push(')');
                self.sql.reserve(rows.len() * (row.len() + 2));
                Some(row)
            }
        };
        for (i, row) in rows.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            match &template {
                Some(text) if row.len() == width => {
                    self.sql.push_str(text);
                    self.params.extend(row);
                }
                _ => {
                    self.push("(");
                    self.list(row, |w, v| {
                        w.param(v);
                    });
                    self.push(")");
                }
            }
        }
        self
    }

    /// Writes `items` separated by `", "`.
    pub(crate) fn list<I>(
        &mut self,
        items: I,
        mut each: impl FnMut(&mut Self, I::Item),
    ) -> &mut Self
    where
        I: IntoIterator,
    {
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            each(self, item);
        }
        self
    }

    /// Appends a part written apart by a writer of the same dialect. It must be written first
    /// of the two: its placeholders are numbered from one, so this writer must have none yet.
    pub(crate) fn append(&mut self, part: Writer) -> &mut Self {
        if !self.params.is_empty() {
            self.fail("internal: a part with placeholders appended after others".to_owned());
        }
        self.sql.push_str(&part.sql);
        self.params.extend(part.params);
        self.aliases = self.aliases.max(part.aliases);
        if let Some(fault) = part.fault {
            self.fail(fault);
        }
        self
    }

    /// A writer for what comes before `part` in the statement, handing out aliases after the
    /// ones `part` took.
    pub(crate) fn before(part: &Writer) -> Writer {
        let mut w = Writer::new(part.dialect);
        w.aliases = part.aliases;
        w
    }

    /// Records why the statement cannot run (the first reason wins).
    pub(crate) fn fail(&mut self, reason: String) -> &mut Self {
        self.fault.get_or_insert(reason);
        self
    }

    pub(crate) fn finish(self) -> Statement {
        Statement {
            sql: self.sql,
            params: self.params,
            fault: self.fault,
            planned_per_run: false,
        }
    }
}
