//! Reading a live database's catalog, per dialect: SQLite's `pragma_table_info`,
//! `pragma_index_list` and `pragma_foreign_key_list`; PostgreSQL's `pg_catalog` (for the
//! current schema); MySQL's `information_schema` (for the current database). Three queries
//! or four, whatever the number of tables.

use super::catalog::{Catalog, Column, ForeignKey, Index, Table};
use crate::driver::db::Db;
use crate::sql::Dialect;
use crate::values::error::{Error, Result};
use crate::values::native::Native;
use crate::values::row::Row;

/// The table sqlx's migrator keeps its history in: not the application's.
const SQLX_MIGRATIONS: &str = "_sqlx_migrations";

/// The database's tables, with their columns, keys and indexes.
pub(super) async fn read(db: &Db) -> Result<Catalog> {
    let queries = match db.dialect() {
        Dialect::Sqlite => &SQLITE,
        Dialect::Postgres => &POSTGRES,
        Dialect::MySql => &MYSQL,
    };
    let mut tables: Vec<Table> = Vec::new();
    for row in db.fetch_raw(queries.tables, []).await? {
        let name: String = get(&row, 0, "tables")?;
        if name != SQLX_MIGRATIONS {
            tables.push(Table {
                name,
                ..Table::default()
            });
        }
    }
    // Columns: table, name, type, nullable (0/1), default, position in the primary key (0: none).
    let mut keys: Vec<(String, i64, String)> = Vec::new();
    for row in db.fetch_raw(queries.columns, []).await? {
        let table: String = get(&row, 0, "columns")?;
        let Some(t) = tables.iter_mut().find(|t| t.name == table) else {
            continue;
        };
        let name: String = get(&row, 1, "columns")?;
        let key: i64 = get(&row, 5, "columns")?;
        if key > 0 {
            keys.push((table, key, name.clone()));
        }
        t.columns.push(Column {
            name,
            data_type: get(&row, 2, "columns")?,
            nullable: get::<i64>(&row, 3, "columns")? != 0,
            default: get(&row, 4, "columns")?,
        });
    }
    keys.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    for (table, _, column) in keys {
        if let Some(t) = tables.iter_mut().find(|t| t.name == table) {
            t.primary_key.push(column);
        }
    }
    // Indexes: table, index, unique (0/1), primary (0/1), column, a constraint's (0/1), one row
    // per column in index order.
    for row in db.fetch_raw(queries.indexes, []).await? {
        let table: String = get(&row, 0, "indexes")?;
        let Some(t) = tables.iter_mut().find(|t| t.name == table) else {
            continue;
        };
        if get::<i64>(&row, 3, "indexes")? != 0 {
            continue;
        }
        let name: String = get(&row, 1, "indexes")?;
        let column: Option<String> = get(&row, 4, "indexes")?;
        match t.indexes.iter_mut().find(|i| i.name == name) {
            Some(index) => index.columns.extend(column),
            None => t.indexes.push(Index {
                name,
                columns: column.into_iter().collect(),
                unique: get::<i64>(&row, 2, "indexes")? != 0,
                constraint: get::<i64>(&row, 5, "indexes")? != 0,
            }),
        }
    }
    // Foreign keys: table, constraint (a number on SQLite), column, referenced table; the
    // rows of one key come together, in key order.
    let mut last: Option<(String, String)> = None;
    for row in db.fetch_raw(queries.foreign_keys, []).await? {
        let table: String = get(&row, 0, "foreign keys")?;
        let id: String = get(&row, 1, "foreign keys")?;
        let column: String = get(&row, 2, "foreign keys")?;
        let Some(t) = tables.iter_mut().find(|t| t.name == table) else {
            continue;
        };
        let key = Some((table, id.clone()));
        match t.foreign_keys.last_mut() {
            Some(fk) if last == key => fk.columns.push(column),
            _ => t.foreign_keys.push(ForeignKey {
                // SQLite keeps no names for foreign keys: its ids only number them.
                name: (db.dialect() != Dialect::Sqlite).then_some(id),
                columns: vec![column],
                referenced_table: get(&row, 3, "foreign keys")?,
            }),
        }
        last = key;
    }
    Ok(Catalog { tables })
}

fn get<T: Native>(row: &Row, index: usize, what: &str) -> Result<T> {
    row.get_native(index).map_err(|source| Error::Catalog {
        what: format!("a row of {what}"),
        source,
    })
}

/// The queries that read one dialect's catalog. Every name is read as text and every flag
/// as an integer, so the rows decode alike on every backend.
struct Queries {
    tables: &'static str,
    columns: &'static str,
    indexes: &'static str,
    foreign_keys: &'static str,
}

const SQLITE: Queries = Queries {
    tables: "SELECT name FROM sqlite_schema WHERE type = 'table' \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    columns: "SELECT m.name, p.name, p.type, 1 - p.\"notnull\", p.dflt_value, p.pk \
              FROM sqlite_schema AS m JOIN pragma_table_info(m.name) AS p \
              WHERE m.type = 'table' ORDER BY m.name, p.cid",
    indexes: "SELECT m.name, l.name, l.\"unique\", l.origin = 'pk', i.name, l.origin = 'u' \
              FROM sqlite_schema AS m JOIN pragma_index_list(m.name) AS l \
              JOIN pragma_index_info(l.name) AS i \
              WHERE m.type = 'table' ORDER BY m.name, l.name, i.seqno",
    foreign_keys: "SELECT m.name, CAST(f.id AS TEXT), f.\"from\", f.\"table\" \
                   FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f \
                   WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq",
};

const POSTGRES: Queries = Queries {
    tables: "SELECT c.relname::text FROM pg_catalog.pg_class AS c \
             JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1",
    columns: "SELECT c.relname::text, a.attname::text, \
              pg_catalog.format_type(a.atttypid, a.atttypmod), \
              (NOT a.attnotnull)::int::int8, pg_catalog.pg_get_expr(d.adbin, d.adrelid), \
              COALESCE(array_position(k.conkey, a.attnum), 0)::int8 \
              FROM pg_catalog.pg_attribute AS a \
              JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid \
              JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace \
              LEFT JOIN pg_catalog.pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
              LEFT JOIN pg_catalog.pg_constraint AS k ON k.conrelid = c.oid AND k.contype = 'p' \
              WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') \
              AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, a.attnum",
    indexes: "SELECT t.relname::text, i.relname::text, x.indisunique::int::int8, \
              x.indisprimary::int::int8, a.attname::text, \
              EXISTS (SELECT 1 FROM pg_catalog.pg_constraint AS u \
              WHERE u.conindid = x.indexrelid AND u.contype = 'u')::int::int8 \
              FROM pg_catalog.pg_index AS x \
              JOIN pg_catalog.pg_class AS i ON i.oid = x.indexrelid \
              JOIN pg_catalog.pg_class AS t ON t.oid = x.indrelid \
              JOIN pg_catalog.pg_namespace AS n ON n.oid = t.relnamespace \
              CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
              LEFT JOIN pg_catalog.pg_attribute AS a ON a.attrelid = t.oid AND a.attnum = k.attnum \
              WHERE n.nspname = current_schema() ORDER BY 1, 2, k.ord",
    foreign_keys: "SELECT c.relname::text, k.conname::text, a.attname::text, r.relname::text \
                   FROM pg_catalog.pg_constraint AS k \
                   JOIN pg_catalog.pg_class AS c ON c.oid = k.conrelid \
                   JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace \
                   JOIN pg_catalog.pg_class AS r ON r.oid = k.confrelid \
                   CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord) \
                   JOIN pg_catalog.pg_attribute AS a ON a.attrelid = k.conrelid AND a.attnum = u.attnum \
                   WHERE k.contype = 'f' AND n.nspname = current_schema() ORDER BY 1, 2, u.ord",
};

const MYSQL: Queries = Queries {
    tables: "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1",
    columns: "SELECT CAST(TABLE_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR), \
              CAST(COLUMN_TYPE AS CHAR), CAST(IS_NULLABLE = 'YES' AS SIGNED), \
              CAST(COLUMN_DEFAULT AS CHAR), CAST(COLUMN_KEY = 'PRI' AS SIGNED) \
              FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
              ORDER BY TABLE_NAME, ORDINAL_POSITION",
    indexes: "SELECT CAST(TABLE_NAME AS CHAR), CAST(INDEX_NAME AS CHAR), \
              CAST(NON_UNIQUE = 0 AS SIGNED), CAST(INDEX_NAME = 'PRIMARY' AS SIGNED), \
              CAST(COLUMN_NAME AS CHAR), 0 \
              FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
              ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
    foreign_keys: "SELECT CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR), \
                   CAST(COLUMN_NAME AS CHAR), CAST(REFERENCED_TABLE_NAME AS CHAR) \
                   FROM information_schema.KEY_COLUMN_USAGE \
                   WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL \
                   ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
};
