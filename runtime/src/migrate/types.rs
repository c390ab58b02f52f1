//! Column types made comparable: the type Trellis declares for a column and the type the
//! database reports for it are spelled differently (`INTEGER` is PostgreSQL's `integer`,
//! `BIGINT` is MariaDB's `bigint(20)`, `JSON` is MariaDB's `longtext`), so both sides pass
//! through the same normalization before a diff compares them.

use crate::sql::Dialect;

/// The canonical spelling of a column type on a dialect: lower case, single spaces, no
/// collation, and each dialect's synonyms folded into one name (PostgreSQL's `int4` and
/// `integer`, MySQL's `bigint(20)` and `bigint`). Two types that normalize alike are the same
/// type on that dialect.
pub fn normalize_type(dialect: Dialect, ty: &str) -> String {
    let ty = canonical_spelling(ty);
    match dialect {
        Dialect::Sqlite => ty,
        Dialect::Postgres => postgres(ty),
        Dialect::MySql => mysql(ty),
    }
}

/// Whether a SQLite column type, as the catalog reader reports it, carries the collation
/// Trellis declares decimal columns with (`TEXT COLLATE "trellis_decimal"`), which compares
/// their text as numbers; `normalize_type` leaves collations out, so a diff asks this too.
pub fn is_sqlite_decimal(ty: &str) -> bool {
    use crate::sql::sqlite_names::DECIMAL;
    let lower = ty.to_lowercase();
    lower.contains(&format!("collate \"{DECIMAL}\""))
        || lower.contains(&format!("collate {DECIMAL}"))
}

/// Lower case, words separated by one space, no spaces inside parentheses, no `COLLATE`.
fn canonical_spelling(ty: &str) -> String {
    let lower = ty.to_lowercase();
    let without_collation = match lower.find(" collate ") {
        Some(at) => &lower[..at],
        None => &lower,
    };
    let words = without_collation
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    words
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(", ", ",")
        .replace(" ,", ",")
}

/// The name before the parenthesis and what is inside it: `varchar(255)` -> (`varchar`, `255`).
fn split_args(ty: &str) -> (&str, Option<&str>) {
    match (ty.find('('), ty.rfind(')')) {
        (Some(open), Some(close)) if close > open && close + 1 == ty.len() => {
            (&ty[..open], Some(&ty[open + 1..close]))
        }
        _ => (ty, None),
    }
}

/// PostgreSQL's own names, as `format_type` reports them.
fn postgres(ty: String) -> String {
    let (name, args) = split_args(&ty);
    let base = match name {
        "int" | "int4" | "integer" | "serial" | "serial4" => "integer",
        "int8" | "bigint" | "bigserial" | "serial8" => "bigint",
        "int2" | "smallint" | "smallserial" | "serial2" => "smallint",
        "bool" | "boolean" => "boolean",
        "float4" | "real" => "real",
        "float8" | "double precision" => "double precision",
        "varchar" | "character varying" => "character varying",
        "char" | "character" | "bpchar" => "character",
        "decimal" | "numeric" => "numeric",
        "timestamp" | "timestamp without time zone" => "timestamp without time zone",
        "timestamptz" | "timestamp with time zone" => "timestamp with time zone",
        "time" | "time without time zone" => "time without time zone",
        "timetz" | "time with time zone" => "time with time zone",
        _ => return ty,
    };
    match args {
        Some(args) => format!("{base}({args})"),
        None => base.to_owned(),
    }
}

/// MySQL's and MariaDB's `COLUMN_TYPE`, without the display widths of integers (MariaDB and
/// MySQL 5 report `bigint(20)`, MySQL 8 `bigint`).
fn mysql(ty: String) -> String {
    const INTEGERS: [&str; 6] = [
        "tinyint",
        "smallint",
        "mediumint",
        "int",
        "integer",
        "bigint",
    ];
    // `unsigned` and `zerofill` follow the type and its arguments.
    let (main, suffix) = match ty.find(") ") {
        Some(at) => (&ty[..=at], Some(&ty[at + 2..])),
        None => match ty.split_once(' ') {
            Some((name, rest)) if INTEGERS.contains(&name) => (name, Some(rest)),
            _ => (ty.as_str(), None),
        },
    };
    let (name, args) = split_args(main);
    let base = match (name, args) {
        // A width after an integer type is for display only, but `tinyint(1)` is how MySQL
        // stores `BOOLEAN`.
        ("bool" | "boolean", _) | ("tinyint", Some("1")) => "boolean".to_owned(),
        ("int" | "integer", _) => "int".to_owned(),
        ("tinyint" | "smallint" | "mediumint" | "bigint", _) => name.to_owned(),
        ("double" | "double precision" | "real", None) => "double".to_owned(),
        // MariaDB stores `JSON` as `LONGTEXT` (with a `json_valid` check).
        ("json" | "longtext", None) => "longtext".to_owned(),
        ("decimal" | "numeric" | "dec", None) => "decimal(10,0)".to_owned(),
        ("decimal" | "numeric" | "dec", Some(args)) if !args.contains(',') => {
            format!("decimal({args},0)")
        }
        ("decimal" | "numeric" | "dec", Some(args)) => format!("decimal({args})"),
        _ => main.to_owned(),
    };
    match suffix {
        Some(suffix) => format!("{base} {suffix}"),
        None => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(dialect: Dialect, declared: &str, reported: &str) -> bool {
        normalize_type(dialect, declared) == normalize_type(dialect, reported)
    }

    #[test]
    fn postgres_reports_its_own_names_for_what_trellis_declares() {
        for (declared, reported) in [
            ("INTEGER", "integer"),
            ("BIGINT", "bigint"),
            ("SMALLINT", "smallint"),
            ("BOOLEAN", "boolean"),
            ("REAL", "real"),
            ("DOUBLE PRECISION", "double precision"),
            ("TEXT", "text"),
            ("BYTEA", "bytea"),
            ("UUID", "uuid"),
            ("TIMESTAMP", "timestamp without time zone"),
            ("TIMESTAMPTZ", "timestamp with time zone"),
            ("TIME", "time without time zone"),
            ("DATE", "date"),
            ("NUMERIC", "numeric"),
            ("JSONB", "jsonb"),
            ("VARCHAR(40)", "character varying(40)"),
            ("NUMERIC(10, 2)", "numeric(10,2)"),
        ] {
            assert!(same(Dialect::Postgres, declared, reported), "{declared}");
        }
        assert!(!same(Dialect::Postgres, "INTEGER", "bigint"));
        assert!(!same(
            Dialect::Postgres,
            "TIMESTAMP",
            "timestamp with time zone"
        ));
        assert!(!same(
            Dialect::Postgres,
            "VARCHAR(40)",
            "character varying(41)"
        ));
    }

    #[test]
    fn mysql_and_mariadb_widths_and_synonyms_fold() {
        for (declared, reported) in [
            ("BIGINT", "bigint(20)"),
            ("BIGINT", "bigint"),
            ("INT", "int(11)"),
            ("SMALLINT", "smallint(6)"),
            ("BOOLEAN", "tinyint(1)"),
            ("DOUBLE", "double"),
            ("FLOAT", "float"),
            ("VARCHAR(255) COLLATE utf8mb4_bin", "varchar(255)"),
            ("LONGTEXT", "longtext"),
            ("JSON", "longtext"),
            ("JSON", "json"),
            ("DECIMAL(38, 10)", "decimal(38,10)"),
            ("DATETIME(6)", "datetime(6)"),
            ("BINARY(16)", "binary(16)"),
            ("BIGINT UNSIGNED", "bigint(20) unsigned"),
        ] {
            assert!(same(Dialect::MySql, declared, reported), "{declared}");
        }
        assert!(!same(Dialect::MySql, "BIGINT", "int(11)"));
        assert!(!same(Dialect::MySql, "BOOLEAN", "tinyint(4)"));
        assert!(!same(Dialect::MySql, "VARCHAR(255)", "varchar(100)"));
        assert!(!same(Dialect::MySql, "DATETIME(6)", "datetime"));
    }

    #[test]
    fn sqlite_compares_declared_types_as_written() {
        assert!(same(
            Dialect::Sqlite,
            "DOUBLE PRECISION",
            "double  precision"
        ));
        assert!(same(Dialect::Sqlite, "BIGINT", "bigint"));
        assert!(!same(Dialect::Sqlite, "BIGINT", "INTEGER"));
    }
}
