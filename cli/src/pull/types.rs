//! The Rust type of a column, from the type its database reports: the types Trellis holds
//! (`docs/models.md`, "Column types"), and nothing else. A type Trellis cannot hold is no type
//! here, never a `String` that would fail on the first row.

use trellis::migrate::{is_sqlite_decimal, normalize_type};
use trellis::Dialect;

/// A column's Rust type, and the feature of `trellis` it needs, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RustType {
    pub(crate) name: &'static str,
    pub(crate) feature: Option<&'static str>,
}

const fn plain(name: &'static str) -> Option<RustType> {
    Some(RustType {
        name,
        feature: None,
    })
}

const fn with(name: &'static str, feature: &'static str) -> Option<RustType> {
    Some(RustType {
        name,
        feature: Some(feature),
    })
}

/// The Rust type of a column of `data_type` (as the catalog reports it) on `dialect`. `key`:
/// the column is its table's whole primary key (SQLite's `INTEGER` key is the 64-bit row id).
pub(crate) fn rust_type(dialect: Dialect, data_type: &str, key: bool) -> Option<RustType> {
    // A text column with Trellis's decimal collation holds decimals (`docs/models.md`).
    if dialect == Dialect::Sqlite && is_sqlite_decimal(data_type) {
        return with("rust_decimal::Decimal", "rust_decimal");
    }
    let ty = normalize_type(dialect, data_type);
    let (name, args) = match (ty.find('('), ty.ends_with(')')) {
        (Some(open), true) => (&ty[..open], Some(&ty[open + 1..ty.len() - 1])),
        _ => (ty.as_str(), None),
    };
    match dialect {
        Dialect::Sqlite => sqlite(name, key),
        Dialect::Postgres => postgres(name),
        Dialect::MySql => mysql(name, args),
    }
}

fn sqlite(name: &str, key: bool) -> Option<RustType> {
    match name {
        "integer" if key => plain("i64"),
        "integer" | "int" | "mediumint" => plain("i32"),
        "bigint" | "int8" => plain("i64"),
        "smallint" | "int2" => plain("i16"),
        "boolean" | "bool" => plain("bool"),
        // SQLite's `REAL` is an 8-byte float whatever it is declared as.
        "real" | "double" | "double precision" | "float" | "float4" | "float8" | "numeric"
        | "decimal" => plain("f64"),
        "text" | "varchar" | "character varying" | "char" | "character" | "nvarchar" | "nchar"
        | "clob" | "varying character" | "native character" => plain("String"),
        "blob" => plain("Vec<u8>"),
        "datetime" | "timestamp" => with("chrono::NaiveDateTime", "chrono"),
        "date" => with("chrono::NaiveDate", "chrono"),
        "time" => with("chrono::NaiveTime", "chrono"),
        _ => None,
    }
}

fn postgres(name: &str) -> Option<RustType> {
    match name {
        "integer" => plain("i32"),
        "bigint" => plain("i64"),
        "smallint" => plain("i16"),
        "boolean" => plain("bool"),
        "real" => plain("f32"),
        "double precision" => plain("f64"),
        "text" | "character varying" | "character" => plain("String"),
        "bytea" => plain("Vec<u8>"),
        "uuid" => with("uuid::Uuid", "uuid"),
        "timestamp without time zone" => with("chrono::NaiveDateTime", "chrono"),
        "timestamp with time zone" => with("chrono::DateTime<chrono::Utc>", "chrono"),
        "date" => with("chrono::NaiveDate", "chrono"),
        "time without time zone" => with("chrono::NaiveTime", "chrono"),
        "numeric" => with("rust_decimal::Decimal", "rust_decimal"),
        "jsonb" | "json" => with("serde_json::Value", "json"),
        _ => None,
    }
}

fn mysql(name: &str, args: Option<&str>) -> Option<RustType> {
    match (name, args) {
        ("boolean", _) => plain("bool"),
        ("smallint", _) => plain("i16"),
        ("mediumint" | "int", _) => plain("i32"),
        ("bigint", _) => plain("i64"),
        ("float", _) => plain("f32"),
        ("double", _) => plain("f64"),
        ("varchar" | "char" | "tinytext" | "text" | "mediumtext" | "longtext", _) => {
            plain("String")
        }
        ("binary", Some("16")) => with("uuid::Uuid", "uuid"),
        ("binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob", _) => {
            plain("Vec<u8>")
        }
        ("datetime", _) => with("chrono::NaiveDateTime", "chrono"),
        ("timestamp", _) => with("chrono::DateTime<chrono::Utc>", "chrono"),
        ("date", None) => with("chrono::NaiveDate", "chrono"),
        ("time", _) => with("chrono::NaiveTime", "chrono"),
        ("decimal", _) => with("rust_decimal::Decimal", "rust_decimal"),
        // `tinyint` other than `tinyint(1)`, unsigned integers, `enum`, `set`, `year`,
        // `bit`, spatial types: Trellis has no column type for them.
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(dialect: Dialect, ty: &str) -> Option<&'static str> {
        rust_type(dialect, ty, false).map(|t| t.name)
    }

    #[test]
    fn what_trellis_declares_comes_back_as_its_rust_type() {
        assert_eq!(name(Dialect::Postgres, "integer"), Some("i32"));
        assert_eq!(
            name(Dialect::Postgres, "character varying(255)"),
            Some("String")
        );
        assert_eq!(
            name(Dialect::Postgres, "timestamp with time zone"),
            Some("chrono::DateTime<chrono::Utc>")
        );
        assert_eq!(name(Dialect::MySql, "bigint(20)"), Some("i64"));
        assert_eq!(name(Dialect::MySql, "tinyint(1)"), Some("bool"));
        assert_eq!(name(Dialect::MySql, "varchar(255)"), Some("String"));
        assert_eq!(name(Dialect::MySql, "binary(16)"), Some("uuid::Uuid"));
        assert_eq!(name(Dialect::Sqlite, "INTEGER"), Some("i32"));
        assert_eq!(
            rust_type(Dialect::Sqlite, "INTEGER", true).map(|t| t.name),
            Some("i64")
        );
        assert_eq!(name(Dialect::Sqlite, "VARCHAR(40)"), Some("String"));
        // Text with the collation Trellis declares decimals with, as the catalog reads it.
        assert_eq!(
            name(Dialect::Sqlite, "TEXT COLLATE \"trellis_decimal\""),
            Some("rust_decimal::Decimal")
        );
        assert_eq!(name(Dialect::Sqlite, "TEXT COLLATE NOCASE"), Some("String"));
    }

    #[test]
    fn a_type_trellis_cannot_hold_has_none() {
        assert_eq!(name(Dialect::Postgres, "inet"), None);
        assert_eq!(name(Dialect::Postgres, "integer[]"), None);
        assert_eq!(name(Dialect::MySql, "int(10) unsigned"), None);
        assert_eq!(name(Dialect::MySql, "enum('a','b')"), None);
        assert_eq!(name(Dialect::MySql, "tinyint(4)"), None);
        assert_eq!(name(Dialect::Sqlite, ""), None);
    }
}
