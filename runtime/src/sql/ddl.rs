//! `CREATE TABLE` and `DROP TABLE` rendering per dialect, and the `ALTER TABLE`, `CREATE INDEX`
//! and `DROP` statements a migration is made of.

use super::{Dialect, Statement, Writer};
use crate::meta::model::{ColumnMeta, IndexMeta, ModelMeta};
use crate::values::value::SqlType;

/// The statements that create a model's table and the indexes on it (idempotent: `IF NOT EXISTS`).
///
/// Foreign key columns get an index unless they are already unique or lead the primary key;
/// MySQL creates those inside the `CREATE TABLE`, the others as separate statements, as it does
/// the indexes of several columns. A composite key is a `PRIMARY KEY (..)` constraint after the
/// columns.
pub fn create_table(dialect: Dialect, model: &ModelMeta) -> Vec<Statement> {
    let mut w = Writer::new(dialect);
    w.push("CREATE TABLE IF NOT EXISTS ")
        .ident(model.table)
        .push(" (");
    let composite = model.has_composite_key();
    w.list(model.columns, |w, c| {
        column_definition(w, c, true, composite)
    });
    if composite {
        w.push(", PRIMARY KEY (")
            .list(&model.key_columns().collect::<Vec<_>>(), |w, c| {
                w.ident(c.name);
            })
            .push(")");
    }
    for column in model.columns {
        if let Some(target) = column.references.map(|f| f()) {
            w.push(", CONSTRAINT ")
                .ident(&foreign_key_name(model, column))
                .push(" FOREIGN KEY (")
                .ident(column.name)
                .push(")");
            references(&mut w, target, column);
        }
    }
    // Every index besides the key's and the `UNIQUE` columns': one per indexed or referencing
    // column, then the model's indexes of several columns. (name, columns, unique)
    let mut indexes: Vec<(String, Vec<&str>, bool)> = model
        .columns
        .iter()
        .filter(|c| !model.key_leads_with(c) && !c.unique && (c.index || c.references.is_some()))
        .map(|c| (index_name(model, c), vec![c.name], false))
        .collect();
    indexes.extend(
        (model.indexes.iter())
            .map(|i| (composite_index_name(model, i), i.columns.to_vec(), i.unique)),
    );
    let columns = |w: &mut Writer, columns: &[&str]| {
        w.push(" (")
            .list(columns, |w, c| {
                w.ident(c);
            })
            .push(")");
    };
    if dialect == Dialect::MySql {
        for (name, on, unique) in &indexes {
            w.push(if *unique {
                ", UNIQUE INDEX "
            } else {
                ", INDEX "
            })
            .ident(name);
            columns(&mut w, on);
        }
        w.push(") DEFAULT CHARSET=utf8mb4");
        return vec![w.finish()];
    }
    w.push(")");
    let mut statements = vec![w.finish()];
    for (name, on, unique) in &indexes {
        let mut w = Writer::new(dialect);
        w.push(if *unique {
            "CREATE UNIQUE INDEX IF NOT EXISTS "
        } else {
            "CREATE INDEX IF NOT EXISTS "
        })
        .ident(name)
        .push(" ON ")
        .ident(model.table);
        columns(&mut w, on);
        statements.push(w.finish());
    }
    statements
}

/// The name of an index of several columns: `uq_` (unique) or `idx_`, the table, the columns.
pub fn composite_index_name(model: &ModelMeta, index: &IndexMeta) -> String {
    let prefix = if index.unique { "uq" } else { "idx" };
    format!("{prefix}_{}_{}", model.table, index.columns.join("_"))
}

/// `DROP TABLE IF EXISTS` for a model's table.
pub fn drop_table(dialect: Dialect, model: &ModelMeta) -> Statement {
    let mut w = Writer::new(dialect);
    w.push("DROP TABLE IF EXISTS ").ident(model.table);
    w.finish()
}

/// The name `create_table` gives the index of a column (the index of a foreign key, or of a
/// column with `#[field(index)]`).
pub fn index_name(model: &ModelMeta, column: &ColumnMeta) -> String {
    format!("idx_{}_{}", model.table, column.name)
}

/// The name a migration gives the unique index of a column it makes unique (`create_table`
/// writes `UNIQUE` in the column's definition instead, and the database names it).
pub fn unique_index_name(model: &ModelMeta, column: &ColumnMeta) -> String {
    format!("uq_{}_{}", model.table, column.name)
}

/// The name of a column's foreign key constraint.
pub fn foreign_key_name(model: &ModelMeta, column: &ColumnMeta) -> String {
    format!("fk_{}_{}", model.table, column.name)
}

/// `ALTER TABLE .. ADD COLUMN` for a column of an existing table.
///
/// The definition leaves `UNIQUE` out: SQLite cannot add a unique column, so a migration
/// creates the column's unique index apart, on every dialect alike. With `reference`, the
/// foreign key is written in the definition (`REFERENCES ..`), which is how SQLite adds one
/// (it cannot add a constraint to an existing table); elsewhere it is added apart with
/// [`add_foreign_key`].
pub fn add_column(
    dialect: Dialect,
    model: &ModelMeta,
    column: &ColumnMeta,
    reference: bool,
) -> Statement {
    let mut w = Writer::new(dialect);
    w.push("ALTER TABLE ")
        .ident(model.table)
        .push(" ADD COLUMN ");
    column_definition(&mut w, column, false, false);
    if let Some(target) = column.references.map(|f| f()).filter(|_| reference) {
        references(&mut w, target, column);
    }
    w.finish()
}

/// ` REFERENCES target (key)` and the column's referential actions.
fn references(w: &mut Writer, target: &ModelMeta, column: &ColumnMeta) {
    w.push(" REFERENCES ")
        .ident(target.table)
        .push(" (")
        .ident(target.primary_key().name)
        .push(")");
    referential_actions(w, column);
}

/// `ALTER TABLE .. ADD CONSTRAINT .. FOREIGN KEY` for a column of an existing table
/// (PostgreSQL and MySQL; SQLite has no such statement).
pub fn add_foreign_key(dialect: Dialect, model: &ModelMeta, column: &ColumnMeta) -> Statement {
    let mut w = Writer::new(dialect);
    w.push("ALTER TABLE ")
        .ident(model.table)
        .push(" ADD CONSTRAINT ")
        .ident(&foreign_key_name(model, column))
        .push(" FOREIGN KEY (")
        .ident(column.name)
        .push(")");
    match column.references.map(|f| f()) {
        Some(target) => references(&mut w, target, column),
        None => referential_actions(&mut w, column),
    }
    w.finish()
}

/// `CREATE [UNIQUE] INDEX` on one table.
pub fn create_index(
    dialect: Dialect,
    table: &str,
    name: &str,
    columns: &[&str],
    unique: bool,
) -> Statement {
    let mut w = Writer::new(dialect);
    w.push(if unique {
        "CREATE UNIQUE INDEX "
    } else {
        "CREATE INDEX "
    })
    .ident(name)
    .push(" ON ")
    .ident(table)
    .push(" (")
    .list(columns, |w, c| {
        w.ident(c);
    })
    .push(")");
    w.finish()
}

/// `DROP TABLE` of a table by name.
pub fn drop_table_named(dialect: Dialect, table: &str) -> Statement {
    let mut w = Writer::new(dialect);
    w.push("DROP TABLE ").ident(table);
    w.finish()
}

/// `ALTER TABLE .. DROP COLUMN`.
pub fn drop_column(dialect: Dialect, table: &str, column: &str) -> Statement {
    let mut w = Writer::new(dialect);
    w.push("ALTER TABLE ")
        .ident(table)
        .push(" DROP COLUMN ")
        .ident(column);
    w.finish()
}

/// `DROP INDEX` (MySQL names the table too).
pub fn drop_index(dialect: Dialect, table: &str, name: &str) -> Statement {
    let mut w = Writer::new(dialect);
    w.push("DROP INDEX ").ident(name);
    if dialect == Dialect::MySql {
        w.push(" ON ").ident(table);
    }
    w.finish()
}

/// `ALTER TABLE .. DROP CONSTRAINT` for a foreign key (`DROP FOREIGN KEY` on MySQL). SQLite
/// has no such statement: the table must be rebuilt, which this does not write.
pub fn drop_foreign_key(dialect: Dialect, table: &str, name: &str) -> Statement {
    match dialect {
        Dialect::MySql => {
            let mut w = Writer::new(dialect);
            w.push("ALTER TABLE ")
                .ident(table)
                .push(" DROP FOREIGN KEY ")
                .ident(name);
            w.finish()
        }
        Dialect::Sqlite | Dialect::Postgres => drop_constraint(dialect, table, name),
    }
}

/// `ALTER TABLE .. DROP CONSTRAINT` (SQLite has no such statement).
pub fn drop_constraint(dialect: Dialect, table: &str, name: &str) -> Statement {
    let mut w = Writer::new(dialect);
    w.push("ALTER TABLE ")
        .ident(table)
        .push(" DROP CONSTRAINT ")
        .ident(name);
    w.finish()
}

fn referential_actions(w: &mut Writer, column: &ColumnMeta) {
    if let Some(action) = column.on_delete {
        w.push(" ON DELETE ").push(action.sql());
    }
    if let Some(action) = column.on_update {
        w.push(" ON UPDATE ").push(action.sql());
    }
}

/// The column type `create_table` declares for a column.
///
/// On SQLite an integer primary key, generated or not, is declared `INTEGER`: only that
/// spelling makes the column the table's rowid, so that rows are stored in key order, a lookup
/// by key is one B-tree search, and an index on a foreign key ends in the key itself (children
/// read through it come back in key order, with no sort). Declared `BIGINT`, the key would be
/// a second, unique index beside a hidden rowid. SQLite's `INTEGER` holds 64 bits.
pub fn column_type(dialect: Dialect, c: &ColumnMeta) -> &'static str {
    if dialect == Dialect::Sqlite && is_rowid(c) {
        "INTEGER"
    } else {
        type_name(dialect, c)
    }
}

/// Whether the column is a SQLite table's rowid: its integer primary key (a column of a
/// composite key is not, but declaring it `INTEGER` changes nothing else).
fn is_rowid(c: &ColumnMeta) -> bool {
    c.generated
        || (c.primary_key
            && matches!(
                c.sql_type,
                SqlType::SmallInt | SqlType::Int | SqlType::BigInt
            ))
}

/// A column's definition; `composite`: the table's key spans several columns, which the
/// table declares after them (each is then only `NOT NULL`).
fn column_definition(w: &mut Writer, c: &ColumnMeta, unique: bool, composite: bool) {
    let dialect = w.dialect();
    w.ident(c.name).push(" ");
    if c.generated {
        // Each dialect has one spelling for a database-generated integer key.
        match dialect {
            Dialect::Sqlite => w.push("INTEGER PRIMARY KEY AUTOINCREMENT"),
            Dialect::Postgres => w
                .push(type_name(dialect, c))
                .push(" GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
            Dialect::MySql => w
                .push(type_name(dialect, c))
                .push(" NOT NULL AUTO_INCREMENT PRIMARY KEY"),
        };
        return;
    }
    w.push(column_type(dialect, c));
    if c.primary_key && !composite {
        w.push(" NOT NULL PRIMARY KEY");
    } else {
        if !c.nullable {
            w.push(" NOT NULL");
        }
        if c.unique && unique {
            w.push(" UNIQUE");
        }
    }
    if let Some(default) = c.default {
        w.push(" DEFAULT ").push(default);
    }
}

/// Whether MySQL needs a bounded type for the column, since it cannot index `TEXT`/`BLOB`.
fn is_keyed(c: &ColumnMeta) -> bool {
    is_key(c) || c.index || c.in_index.is_some()
}

/// Whether the column identifies rows (primary key, unique) or points at them (foreign key).
/// On MySQL such text columns get the binary collation, so that keys compare byte for byte as
/// on PostgreSQL and SQLite, and related rows are matched to their parents exactly.
fn is_key(c: &ColumnMeta) -> bool {
    c.primary_key || c.unique || c.references.is_some() || c.in_index == Some(true)
}

/// The type of the column's Rust type on the dialect, before [`column_type`]'s rule for SQLite
/// keys.
pub fn type_name(dialect: Dialect, c: &ColumnMeta) -> &'static str {
    use SqlType::*;
    match (dialect, c.sql_type) {
        (_, Custom(name)) => name,
        (_, Bool) => "BOOLEAN",
        (_, SmallInt) => "SMALLINT",
        (Dialect::MySql, Int) => "INT",
        (_, Int) => "INTEGER",
        (_, BigInt) => "BIGINT",
        (Dialect::MySql, Real) => "FLOAT",
        (_, Real) => "REAL",
        (Dialect::MySql, Double) => "DOUBLE",
        (_, Double) => "DOUBLE PRECISION",
        (Dialect::MySql, Text) if is_key(c) => "VARCHAR(255) COLLATE utf8mb4_bin",
        (Dialect::MySql, Text) if is_keyed(c) => "VARCHAR(255)",
        // `TEXT` holds 64 KiB on MySQL; `LONGTEXT`, like the other backends' text, is unbounded
        // in practice (up to the server's `max_allowed_packet`).
        (Dialect::MySql, Text) => "LONGTEXT",
        (_, Text) => "TEXT",
        (Dialect::Sqlite, Bytes) => "BLOB",
        (Dialect::Postgres, Bytes) => "BYTEA",
        (Dialect::MySql, Bytes) if is_keyed(c) => "VARBINARY(255)",
        (Dialect::MySql, Bytes) => "LONGBLOB",
        (Dialect::Sqlite, Uuid) => "BLOB",
        (Dialect::Postgres, Uuid) => "UUID",
        (Dialect::MySql, Uuid) => "BINARY(16)",
        (Dialect::Sqlite, Timestamp | TimestampTz) => "DATETIME",
        (Dialect::Postgres, Timestamp) => "TIMESTAMP",
        (Dialect::Postgres, TimestampTz) => "TIMESTAMPTZ",
        (Dialect::MySql, Timestamp | TimestampTz) => "DATETIME(6)",
        (_, Date) => "DATE",
        (Dialect::MySql, Time) => "TIME(6)",
        (_, Time) => "TIME",
        // Compared, ordered and indexed as numbers by Trellis's collation
        // (`driver::sqlite_decimal`); `normalize_type` leaves the collation out.
        (Dialect::Sqlite, Decimal) => super::sqlite_names::DECIMAL_TYPE,
        (Dialect::Postgres, Decimal) => "NUMERIC",
        (Dialect::MySql, Decimal) => "DECIMAL(38, 10)",
        (Dialect::Sqlite, Json) => "TEXT",
        (Dialect::Postgres, Json) => "JSONB",
        (Dialect::MySql, Json) => "JSON",
    }
}
