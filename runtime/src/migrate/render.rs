//! Changes written out as the SQL text of one migration file: what can run as written, then,
//! commented out, what a person must decide (drops, changed columns, what the dialect cannot
//! alter in place). A pure function of the changes, so it can be snapshot-tested.

use super::diff::Change;
use crate::sql::{self, Dialect, Statement};

/// The SQL text of a migration, and what in it needs a person's attention.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    /// The migration's text: statements ending with `;`, one per line, and the commented-out
    /// ones after them, each under a comment saying why.
    pub sql: String,
    /// One sentence per statement written commented out (or, on PostgreSQL and MySQL, a
    /// new `NOT NULL` column without a default, which does not apply to rows already stored),
    /// saying why.
    pub warnings: Vec<String>,
    /// How many changes the script holds, commented-out ones included.
    pub changes: usize,
}

impl Script {
    /// Whether there is nothing to migrate: the database matches the models.
    pub fn is_empty(&self) -> bool {
        self.changes == 0
    }
}

/// Writes `changes` as one migration for `dialect`.
///
/// Additions run as written. A dropped table, column, index or foreign key is written
/// commented out (`-- DROP ..`), as is what the dialect cannot do to an existing table:
/// SQLite adds neither a foreign key to an existing column nor a `NOT NULL` column without
/// a default. A column whose type or nullability changed gets a comment and no statement.
/// Each of those adds a warning.
pub fn render(dialect: Dialect, changes: &[Change]) -> Script {
    let mut out = Out::default();
    for change in changes {
        render_change(dialect, change, &mut out);
    }
    let mut sql = String::new();
    if !out.live.is_empty() || !out.review.is_empty() {
        sql.push_str("-- Written by Trellis from the models.\n");
    }
    for line in &out.live {
        sql.push_str(line);
        sql.push('\n');
    }
    if !out.review.is_empty() {
        if !out.live.is_empty() {
            sql.push('\n');
        }
        sql.push_str("-- To review: uncomment what you mean to apply.\n");
        for line in &out.review {
            sql.push_str(line);
            sql.push('\n');
        }
    }
    Script {
        sql,
        warnings: out.warnings,
        changes: changes.len(),
    }
}

#[derive(Default)]
struct Out {
    live: Vec<String>,
    review: Vec<String>,
    warnings: Vec<String>,
}

impl Out {
    fn run(&mut self, statement: Statement) {
        self.live.push(format!("{};", statement.sql));
    }

    /// A statement that may run, though it needs attention.
    fn run_with_warning(&mut self, statement: Statement, why: String) {
        self.live.push(format!("-- {why}"));
        self.run(statement);
        self.warnings.push(why);
    }

    /// A statement written commented out, under the reason.
    fn review(&mut self, statement: Option<Statement>, why: String) {
        self.review.push(format!("-- {why}"));
        if let Some(statement) = statement {
            self.review.push(format!("-- {};", statement.sql));
        }
        self.warnings.push(why);
    }
}

/// Whether SQLite takes `default` as a constant, the only kind of default its `ADD COLUMN`
/// accepts: not one of the `CURRENT_..` values, and no function call or parenthesized
/// expression (which may not be constant; a person checks those).
fn is_constant(default: &str) -> bool {
    let upper = default.trim().to_uppercase();
    !upper.starts_with("CURRENT_") && !upper.contains('(')
}

fn render_change(dialect: Dialect, change: &Change, out: &mut Out) {
    let sqlite = dialect == Dialect::Sqlite;
    match change {
        Change::CreateTable { model } => {
            for statement in sql::create_table(dialect, model) {
                out.run(statement);
            }
        }
        Change::AddColumn {
            model,
            column,
            with_reference,
        } => {
            let at = format!("`{}`.`{}`", model.table, column.name);
            let statement = sql::add_column(dialect, model, column, *with_reference);
            let required = !column.nullable && column.default.is_none();
            if column.primary_key {
                out.review(
                    Some(statement),
                    format!("{at} is a new primary key: the table's key must be changed by hand"),
                );
            } else if sqlite && required {
                out.review(
                    Some(statement),
                    format!("{at}: SQLite cannot add a NOT NULL column without a default; give it a default, make it an `Option`, or rebuild the table"),
                );
            } else if sqlite && column.default.is_some_and(|d| !is_constant(d)) {
                out.review(
                    Some(statement),
                    format!("{at}: SQLite cannot add a column whose default is not a constant; rebuild the table"),
                );
            } else if sqlite && *with_reference && (!column.nullable || column.default.is_some()) {
                out.review(
                    Some(statement),
                    format!("{at}: SQLite adds a column with a foreign key only when it is nullable and has no default; rebuild the table"),
                );
            } else if required {
                let consequence = match dialect {
                    Dialect::MySql => "the rows already stored get the type's zero value",
                    Dialect::Sqlite | Dialect::Postgres => {
                        "adding it fails on a table that has rows"
                    }
                };
                out.run_with_warning(
                    statement,
                    format!("{at} is NOT NULL without a default: {consequence}"),
                );
            } else {
                out.run(statement);
            }
        }
        Change::CreateIndex {
            model,
            column,
            unique,
        } => {
            let name = if *unique {
                sql::unique_index_name(model, column)
            } else {
                sql::index_name(model, column)
            };
            out.run(sql::create_index(
                dialect,
                model.table,
                &name,
                &[column.name],
                *unique,
            ));
        }
        Change::CreateCompositeIndex { model, index } => {
            out.run(sql::create_index(
                dialect,
                model.table,
                &sql::composite_index_name(model, index),
                index.columns,
                index.unique,
            ));
        }
        Change::AddForeignKey { model, column } => {
            let statement = sql::add_foreign_key(dialect, model, column);
            if sqlite {
                out.review(
                    None,
                    format!("`{}`.`{}` now references another table: SQLite cannot add a foreign key to an existing column; rebuild the table", model.table, column.name),
                );
            } else {
                out.run(statement);
            }
        }
        Change::AlterColumn {
            model,
            column,
            found,
        } => {
            let null = |nullable: bool| if nullable { "NULL" } else { "NOT NULL" };
            out.review(
                None,
                format!(
                    "`{}`.`{}` is {} {} in the database and {} {} in the model: change it by hand",
                    model.table,
                    column.name,
                    found.data_type,
                    null(found.nullable),
                    sql::column_type(dialect, column),
                    null(column.nullable),
                ),
            );
        }
        Change::DropTable { table } => out.review(
            Some(sql::drop_table_named(dialect, table)),
            format!("no model has the table `{table}`"),
        ),
        Change::DropColumn { table, column } => out.review(
            Some(sql::drop_column(dialect, table, column)),
            format!("no field of the model of `{table}` has the column `{column}`"),
        ),
        Change::DropIndex { table, index } => {
            let why = format!("the models declare no index `{}` on `{table}`", index.name);
            match dialect {
                Dialect::Sqlite if index.constraint => out.review(
                    None,
                    format!("{why}; it is a UNIQUE constraint of the table, which SQLite drops by rebuilding the table"),
                ),
                Dialect::Postgres if index.constraint => out.review(
                    Some(sql::drop_constraint(dialect, table, &index.name)),
                    why,
                ),
                _ => out.review(Some(sql::drop_index(dialect, table, &index.name)), why),
            }
        }
        Change::DropForeignKey { table, foreign_key } => {
            let why = format!(
                "the models declare no foreign key from `{table}` ({}) to `{}`",
                foreign_key.columns.join(", "),
                foreign_key.referenced_table
            );
            match &foreign_key.name {
                Some(name) if !sqlite => {
                    out.review(Some(sql::drop_foreign_key(dialect, table, name)), why)
                }
                _ => out.review(
                    None,
                    format!("{why}; SQLite drops one by rebuilding the table"),
                ),
            }
        }
    }
}
