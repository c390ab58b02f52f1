//! Drizzle schema output (TypeScript), one file per dialect: `pgTable`, `sqliteTable` or
//! `mysqlTable` per model, then `relations(..)` for both sides of every foreign key.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::links::{links, Link};
use crate::meta::model::{ColumnMeta, ModelMeta};
use crate::model::schema::Schema;
use crate::sql::Dialect;
use crate::values::value::SqlType;

/// Words TypeScript does not accept as a `const` name.
const RESERVED: &[&str] = &[
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "let",
    "static",
    "yield",
    "await",
    "implements",
    "interface",
    "package",
    "private",
    "protected",
    "public",
    "relations",
    "sql",
    "index",
];

/// The `const` a model's table is exported as: the struct's name in lower camel case.
fn table_const(model: &ModelMeta) -> String {
    let mut chars = model.name.chars();
    let name: String = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    if RESERVED.contains(&name.as_str()) {
        format!("{name}Table")
    } else {
        name
    }
}

fn string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A property name, quoted when it is not a plain identifier.
fn property(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        name.to_owned()
    } else {
        string(name)
    }
}

fn keyed(c: &ColumnMeta) -> bool {
    c.primary_key || c.unique || c.index || c.references.is_some() || c.in_index.is_some()
}

/// A column builder call and the import it needs (`None`: a custom type declared in the file).
fn builder(
    c: &ColumnMeta,
    dialect: Dialect,
    customs: &mut BTreeSet<String>,
) -> (String, Option<&'static str>) {
    use Dialect::*;
    use SqlType::*;
    let name = string(c.name);
    let plain = |f: &'static str| (format!("{f}({name})"), Some(f));
    let with = |f: &'static str, options: &str| (format!("{f}({name}, {options})"), Some(f));
    let mut custom = |sql: &str| {
        customs.insert(sql.to_owned());
        (format!("{}({name})", custom_const(sql)), None)
    };
    match (c.sql_type, dialect) {
        (Bool, Sqlite) => with("integer", "{ mode: \"boolean\" }"),
        (Bool, _) => plain("boolean"),
        (SmallInt | Int, Sqlite) => plain("integer"),
        (BigInt, Sqlite) => with("integer", "{ mode: \"number\" }"),
        (SmallInt, _) => plain("smallint"),
        (Int, Postgres) => plain("integer"),
        (Int, MySql) => plain("int"),
        (BigInt, _) => with("bigint", "{ mode: \"number\" }"),
        (Real | Double, Sqlite) => plain("real"),
        (Real, Postgres) => plain("real"),
        (Real, MySql) => plain("float"),
        (Double, Postgres) => plain("doublePrecision"),
        (Double, MySql) => plain("double"),
        (Text, MySql) if keyed(c) => with("varchar", "{ length: 255 }"),
        (Text, MySql) => plain("longtext"),
        (Text, _) => plain("text"),
        (Bytes | Uuid, Sqlite) => with("blob", "{ mode: \"buffer\" }"),
        (Bytes, Postgres) => custom("bytea"),
        (Bytes, MySql) if keyed(c) => with("varbinary", "{ length: 255 }"),
        (Bytes, MySql) => custom("longblob"),
        (Uuid, Postgres) => plain("uuid"),
        (Uuid, MySql) => with("binary", "{ length: 16 }"),
        (Timestamp | TimestampTz | Date | Time | Decimal, Sqlite) => plain("text"),
        (Timestamp, Postgres) => with("timestamp", "{ precision: 6 }"),
        (TimestampTz, Postgres) => with("timestamp", "{ precision: 6, withTimezone: true }"),
        (Timestamp | TimestampTz, MySql) => with("datetime", "{ fsp: 6 }"),
        (Date, _) => plain("date"),
        (Time, Postgres) => with("time", "{ precision: 6 }"),
        (Time, MySql) => with("time", "{ fsp: 6 }"),
        (Decimal, Postgres) => plain("numeric"),
        (Decimal, MySql) => with("decimal", "{ precision: 38, scale: 10 }"),
        (Json, Sqlite) => with("text", "{ mode: \"json\" }"),
        (Json, Postgres) => plain("jsonb"),
        (Json, MySql) => plain("json"),
        (Custom(sql), _) => custom(sql),
    }
}

/// The name of the `customType` declared for an SQL type.
fn custom_const(sql: &str) -> String {
    let cleaned: String = sql
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("custom_{cleaned}")
}

/// A column's builder call; `composite`: the table's key spans several columns, which the
/// table's `primaryKey(..)` names.
fn column(
    c: &ColumnMeta,
    composite: bool,
    dialect: Dialect,
    customs: &mut BTreeSet<String>,
    imports: &mut BTreeSet<&'static str>,
    needs_sql: &mut bool,
) -> String {
    let (mut call, import) = builder(c, dialect, customs);
    if let Some(import) = import {
        imports.insert(import);
    }
    if c.generated {
        call.push_str(match dialect {
            Dialect::Sqlite => ".primaryKey({ autoIncrement: true })",
            Dialect::Postgres => ".primaryKey().generatedByDefaultAsIdentity()",
            Dialect::MySql => ".primaryKey().autoincrement()",
        });
    } else if c.primary_key && !composite {
        call.push_str(".primaryKey()");
    } else {
        if !c.nullable {
            call.push_str(".notNull()");
        }
        if c.unique {
            call.push_str(".unique()");
        }
    }
    if let Some(default) = c.default {
        *needs_sql = true;
        let _ = write!(
            call,
            ".default(sql`{}`)",
            default.replace('`', "\\`").replace("${", "\\${")
        );
    }
    if let Some(target) = c.references.map(|f| f()) {
        // The annotation lets a table reference itself under `--strict`.
        let any_column = any_column(dialect);
        imports.insert(any_column_import(dialect));
        let mut actions = Vec::new();
        if let Some(a) = c.on_delete {
            actions.push(format!("onDelete: \"{}\"", a.sql().to_lowercase()));
        }
        if let Some(a) = c.on_update {
            actions.push(format!("onUpdate: \"{}\"", a.sql().to_lowercase()));
        }
        let actions = if actions.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", actions.join(", "))
        };
        let _ = write!(
            call,
            ".references((): {any_column} => {}.{}{actions})",
            table_const(target),
            property(target.primary_key().field)
        );
    }
    format!("  {}: {call},\n", property(c.field))
}

fn any_column(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "AnySQLiteColumn",
        Dialect::Postgres => "AnyPgColumn",
        Dialect::MySql => "AnyMySqlColumn",
    }
}

/// The import of [`any_column`]'s type.
fn any_column_import(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "type AnySQLiteColumn",
        Dialect::Postgres => "type AnyPgColumn",
        Dialect::MySql => "type AnyMySqlColumn",
    }
}

pub(super) fn render(schema: &Schema, dialect: Dialect) -> String {
    let (table_fn, core) = match dialect {
        Dialect::Sqlite => ("sqliteTable", "drizzle-orm/sqlite-core"),
        Dialect::Postgres => ("pgTable", "drizzle-orm/pg-core"),
        Dialect::MySql => ("mysqlTable", "drizzle-orm/mysql-core"),
    };
    let links = links(schema);
    let mut customs = BTreeSet::new();
    let mut imports: BTreeSet<&'static str> = BTreeSet::from([table_fn]);
    let mut needs_sql = false;
    let mut tables = String::new();
    // Referenced tables first: `references(() => ..)` is lazy, but reading order helps.
    for model in schema.in_dependency_order() {
        let _ = writeln!(
            tables,
            "export const {} = {table_fn}({}, {{",
            table_const(model),
            string(model.table)
        );
        for c in model.columns {
            tables.push_str(&column(
                c,
                model.has_composite_key(),
                dialect,
                &mut customs,
                &mut imports,
                &mut needs_sql,
            ));
        }
        let indexed: Vec<&ColumnMeta> = model
            .columns
            .iter()
            .filter(|c| {
                !model.key_leads_with(c) && !c.unique && (c.index || c.references.is_some())
            })
            .collect();
        if indexed.is_empty() && !model.has_composite_key() && model.indexes.is_empty() {
            tables.push_str("});\n\n");
        } else {
            tables.push_str("}, (table) => [\n");
            if model.has_composite_key() {
                imports.insert("primaryKey");
                let key: Vec<String> = model
                    .key_columns()
                    .map(|c| format!("table.{}", property(c.field)))
                    .collect();
                let _ = writeln!(tables, "  primaryKey({{ columns: [{}] }}),", key.join(", "));
            }
            if !indexed.is_empty() || model.indexes.iter().any(|i| !i.unique) {
                imports.insert("index");
            }
            if model.indexes.iter().any(|i| i.unique) {
                imports.insert("uniqueIndex");
            }
            for index in model.indexes {
                let columns: Vec<String> = index
                    .columns
                    .iter()
                    .filter_map(|name| model.columns.iter().find(|c| c.name == *name))
                    .map(|c| format!("table.{}", property(c.field)))
                    .collect();
                let _ = writeln!(
                    tables,
                    "  {}({}).on({}),",
                    if index.unique { "uniqueIndex" } else { "index" },
                    string(&crate::sql::composite_index_name(model, index)),
                    columns.join(", ")
                );
            }
            for c in indexed {
                let _ = writeln!(
                    tables,
                    "  index({}).on(table.{}),",
                    string(&format!("idx_{}_{}", model.table, c.name)),
                    property(c.field)
                );
            }
            tables.push_str("]);\n\n");
        }
    }

    let relations = render_relations(schema, &links);
    let mut out = String::new();
    out.push_str("// Generated by Trellis from the Rust models; edit the models, not this file.\n");
    let mut orm_imports = Vec::new();
    if !relations.is_empty() {
        orm_imports.push("relations");
    }
    if needs_sql {
        orm_imports.push("sql");
    }
    if !orm_imports.is_empty() {
        let _ = writeln!(
            out,
            "import {{ {} }} from \"drizzle-orm\";",
            orm_imports.join(", ")
        );
    }
    if !customs.is_empty() {
        imports.insert("customType");
    }
    let imports: Vec<&str> = imports.into_iter().collect();
    let _ = writeln!(
        out,
        "import {{ {} }} from \"{core}\";\n",
        imports.join(", ")
    );
    for sql in &customs {
        let _ = writeln!(
            out,
            "const {} = customType<{{ data: unknown }}>({{ dataType: () => {} }});\n",
            custom_const(sql),
            string(sql)
        );
    }
    out.push_str(&tables);
    out.push_str(&relations);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn render_relations(schema: &Schema, links: &[Link]) -> String {
    let mut out = String::new();
    for model in schema.in_dependency_order() {
        let mut entries = Vec::new();
        let (mut one, mut many) = (false, false);
        for link in links.iter().filter(|l| l.child.table == model.table) {
            one = true;
            entries.push(format!(
                "  {}: one({}, {{ fields: [{}.{}], references: [{}.{}]{} }}),",
                property(&link.child_field),
                table_const(link.parent),
                table_const(model),
                property(link.column.field),
                table_const(link.parent),
                property(link.parent.primary_key().field),
                relation_name(link, ", ")
            ));
        }
        for link in links.iter().filter(|l| l.parent.table == model.table) {
            let call = if link.one {
                one = true;
                "one"
            } else {
                many = true;
                "many"
            };
            let config = relation_name(link, "");
            let config = if config.is_empty() {
                config
            } else {
                format!(", {{ {config} }}")
            };
            entries.push(format!(
                "  {}: {call}({}{config}),",
                property(&link.parent_field),
                table_const(link.child)
            ));
        }
        if entries.is_empty() {
            continue;
        }
        let helpers: Vec<&str> = [("one", one), ("many", many)]
            .into_iter()
            .filter(|(_, used)| *used)
            .map(|(name, _)| name)
            .collect();
        let _ = writeln!(
            out,
            "export const {}Relations = relations({}, ({{ {} }}) => ({{\n{}\n}}));\n",
            table_const(model),
            table_const(model),
            helpers.join(", "),
            entries.join("\n")
        );
    }
    out
}

/// `relationName: ".."` pairs the two sides of a link. Drizzle's typing takes it on the back
/// side of one-to-many links only (a back-side `one(..)` takes no options), so one-to-one
/// links go without and are paired by their tables.
fn relation_name(link: &Link, prefix: &str) -> String {
    if link.one {
        String::new()
    } else {
        format!("{prefix}relationName: {}", string(&link.name))
    }
}
