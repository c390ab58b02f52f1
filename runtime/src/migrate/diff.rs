//! The difference between the models and a database, as the changes that would make the
//! database hold what the models declare: a pure function of the schema and the catalog.

use super::catalog::{Catalog, ForeignKey, Index, Table};
use super::types::normalize_type;
use crate::meta::model::{ColumnMeta, IndexMeta, ModelMeta};
use crate::model::schema::Schema;
use crate::sql::{self, Dialect};

/// One difference between the models and the database.
///
/// Additions become statements of the next migration; what the database has and the models
/// do not (tables, columns, indexes, foreign keys), and columns whose type or nullability
/// differ, are written commented out, for a person to confirm: a diff never drops data.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Change {
    /// A model whose table the database lacks.
    CreateTable {
        /// The model.
        model: &'static ModelMeta,
    },
    /// A column the table lacks.
    AddColumn {
        /// The column's model.
        model: &'static ModelMeta,
        /// The column.
        column: &'static ColumnMeta,
        /// Whether its foreign key is written in the column's definition (SQLite, which
        /// cannot add one to an existing column).
        with_reference: bool,
    },
    /// A unique constraint or an index of one column that the table lacks.
    CreateIndex {
        /// The column's model.
        model: &'static ModelMeta,
        /// The indexed column.
        column: &'static ColumnMeta,
        /// Whether the index is unique (`#[field(unique)]`).
        unique: bool,
    },
    /// An index of several columns (`#[model(unique(..))]`, `#[model(index(..))]`) that the
    /// table lacks.
    CreateCompositeIndex {
        /// The index's model.
        model: &'static ModelMeta,
        /// The index.
        index: &'static IndexMeta,
    },
    /// A foreign key the table lacks, on a column it has.
    AddForeignKey {
        /// The column's model.
        model: &'static ModelMeta,
        /// The referencing column.
        column: &'static ColumnMeta,
    },
    /// A column whose type or nullability in the database differs from the model's.
    AlterColumn {
        /// The column's model.
        model: &'static ModelMeta,
        /// The column as the model declares it.
        column: &'static ColumnMeta,
        /// The column as the database has it.
        found: super::catalog::Column,
    },
    /// A table no model names.
    DropTable {
        /// The table.
        table: String,
    },
    /// A column no field of its model names.
    DropColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// An index the models do not declare.
    DropIndex {
        /// The table.
        table: String,
        /// The index.
        index: Index,
    },
    /// A foreign key the models do not declare.
    DropForeignKey {
        /// The table.
        table: String,
        /// The foreign key.
        foreign_key: ForeignKey,
    },
}

/// Whether `found` is how Trellis declared an integer primary key on SQLite before it declared
/// every one `INTEGER` (`BIGINT`, `SMALLINT`): the same values either way, only not stored as
/// the rowid, which would take a rebuild of the table to change. Not a change to review.
fn older_sqlite_key(dialect: Dialect, column: &ColumnMeta, found: &str) -> bool {
    dialect == Dialect::Sqlite
        && column.primary_key
        && normalize_type(dialect, sql::column_type(dialect, column)) == "integer"
        && normalize_type(dialect, found)
            == normalize_type(dialect, sql::type_name(dialect, column))
}

/// Whether a SQLite decimal column lacks the collation that compares decimals as numbers (a
/// table made before Trellis declared it): its text compares as text, so it is reported as a
/// column to change (a table rebuild on SQLite).
fn plain_text_decimal(dialect: Dialect, column: &ColumnMeta, found: &str) -> bool {
    dialect == Dialect::Sqlite
        && column.sql_type == crate::values::value::SqlType::Decimal
        && !super::types::is_sqlite_decimal(found)
}

/// The changes that take a database with `catalog` to the tables `schema` declares, in the
/// order a migration applies them: new tables (referenced ones first), new columns, new
/// indexes, new foreign keys, then what is written commented out: changed columns, and what
/// the models no longer declare, in an order that runs once uncommented (foreign keys,
/// indexes, columns, then tables, referencing ones first).
///
/// Types are compared after [`normalize_type`](super::normalize_type) on the dialect; defaults,
/// referential actions and the primary key are not compared.
pub fn diff(dialect: Dialect, schema: &Schema, catalog: &Catalog) -> Vec<Change> {
    let mut creates = Vec::new();
    let mut columns = Vec::new();
    let mut indexes = Vec::new();
    let mut foreign_keys = Vec::new();
    let mut review = Vec::new();
    // What the models dropped, in the order the statements can run once uncommented: a key
    // before the index it uses, an index before its column (PostgreSQL drops a column's
    // indexes with it), referencing tables before the tables they reference.
    let mut dropped_keys = Vec::new();
    let mut dropped_indexes = Vec::new();
    let mut dropped_columns = Vec::new();
    for model in schema.in_dependency_order() {
        let Some(table) = catalog.table(model.table) else {
            creates.push(Change::CreateTable { model });
            continue;
        };
        // Columns whose type must change first: an index waits for the next migration (on
        // MySQL an indexed text column needs a bounded type, which a person decides on).
        let mut retyped = Vec::new();
        for column in model.columns {
            let Some(found) = table.column(column.name) else {
                let with_reference = dialect == Dialect::Sqlite && column.references.is_some();
                columns.push(Change::AddColumn {
                    model,
                    column,
                    with_reference,
                });
                if !with_reference && column.references.is_some() {
                    foreign_keys.push(Change::AddForeignKey { model, column });
                }
                continue;
            };
            let same_type = (normalize_type(dialect, sql::column_type(dialect, column))
                == normalize_type(dialect, &found.data_type)
                || older_sqlite_key(dialect, column, &found.data_type))
                && !plain_text_decimal(dialect, column, &found.data_type);
            // A primary key column is `NOT NULL` whatever the catalog says (SQLite reports
            // its `INTEGER PRIMARY KEY` as nullable).
            let nullable = found.nullable && !table.primary_key.contains(&found.name);
            if !same_type {
                retyped.push(column.name);
            }
            if !same_type || nullable != column.nullable {
                review.push(Change::AlterColumn {
                    model,
                    column,
                    found: found.clone(),
                });
            }
            if column.references.is_some() && !has_foreign_key(table, column) {
                foreign_keys.push(Change::AddForeignKey { model, column });
            }
        }
        for (column, unique) in wanted_indexes(model) {
            if !retyped.contains(&column.name)
                && !table.indexes.iter().any(|i| covers(i, column, unique))
            {
                indexes.push(Change::CreateIndex {
                    model,
                    column,
                    unique,
                });
            }
        }
        for index in model.indexes {
            let retyped = index.columns.iter().any(|c| retyped.contains(c));
            if !retyped && !table.indexes.iter().any(|i| covers_all(i, index)) {
                indexes.push(Change::CreateCompositeIndex { model, index });
            }
        }
        for found in &table.columns {
            if !model.columns.iter().any(|c| c.name == found.name) {
                dropped_columns.push(Change::DropColumn {
                    table: table.name.clone(),
                    column: found.name.clone(),
                });
            }
        }
        for found in &table.foreign_keys {
            let declared = model.columns.iter().any(|c| {
                c.references.map(|f| f().table) == Some(found.referenced_table.as_str())
                    && found.columns == [c.name]
            });
            if !declared {
                dropped_keys.push(Change::DropForeignKey {
                    table: table.name.clone(),
                    foreign_key: found.clone(),
                });
            }
        }
        let wanted = wanted_indexes(model);
        for found in &table.indexes {
            let declared = wanted.iter().any(|(c, unique)| covers(found, c, *unique))
                || model.indexes.iter().any(|i| covers_all(found, i));
            if !declared {
                dropped_indexes.push(Change::DropIndex {
                    table: table.name.clone(),
                    index: found.clone(),
                });
            }
        }
    }
    let mut changes = creates;
    changes.extend(columns);
    changes.extend(indexes);
    changes.extend(foreign_keys);
    changes.extend(review);
    changes.extend(dropped_keys);
    changes.extend(dropped_indexes);
    changes.extend(dropped_columns);
    changes.extend(dropped_tables(schema, catalog));
    changes
}

/// The tables no model names, each after the dropped tables that reference it (tables on a
/// cycle of references keep their catalog order).
fn dropped_tables(schema: &Schema, catalog: &Catalog) -> Vec<Change> {
    let mut left: Vec<&Table> = catalog
        .tables
        .iter()
        .filter(|t| !schema.models().any(|m| m.table == t.name))
        .collect();
    let mut out = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let referenced = |t: &Table| {
            left.iter().any(|other| {
                other.name != t.name
                    && other
                        .foreign_keys
                        .iter()
                        .any(|fk| fk.referenced_table == t.name)
            })
        };
        let next = left.iter().position(|t| !referenced(t)).unwrap_or(0);
        let table = left.remove(next);
        out.push(Change::DropTable {
            table: table.name.clone(),
        });
    }
    out
}

/// The one-column indexes `create_table` gives a model: a unique one per unique column, a
/// plain one per indexed or referencing column.
fn wanted_indexes(model: &'static ModelMeta) -> Vec<(&'static ColumnMeta, bool)> {
    model
        .columns
        .iter()
        .filter(|c| !model.key_leads_with(c))
        .filter_map(|c| {
            if c.unique {
                Some((c, true))
            } else if c.index || c.references.is_some() {
                Some((c, false))
            } else {
                None
            }
        })
        .collect()
}

/// Whether `found` is the index of several columns `index`: the same columns in the same
/// order, and as unique.
fn covers_all(found: &Index, index: &IndexMeta) -> bool {
    found.unique == index.unique
        && found
            .columns
            .iter()
            .map(String::as_str)
            .eq(index.columns.iter().copied())
}

fn covers(index: &Index, column: &ColumnMeta, unique: bool) -> bool {
    index.unique == unique && index.columns == [column.name]
}

fn has_foreign_key(table: &Table, column: &ColumnMeta) -> bool {
    let target = column.references.map(|f| f().table);
    table
        .foreign_keys
        .iter()
        .any(|fk| fk.columns == [column.name] && Some(fk.referenced_table.as_str()) == target)
}
