//! Turning [`Value`]s into each driver's argument buffer.

#[cfg(feature = "mysql")]
use sqlx::mysql::MySqlArguments;
#[cfg(feature = "postgres")]
use sqlx::postgres::PgArguments;
#[cfg(feature = "sqlite")]
use sqlx::sqlite::SqliteArguments;
use sqlx::Arguments;

use crate::values::error::{Error, Result};
#[cfg(feature = "postgres")]
use crate::values::value::SqlType;
use crate::values::value::Value;

type BoxDynError = Box<dyn std::error::Error + Send + Sync>;

fn encode_error(index: usize, source: BoxDynError) -> Error {
    Error::Encode {
        column: format!("parameter {}", index + 1),
        source,
    }
}

/// Why a NaN is refused on every backend rather than sent: SQLite stores it as `NULL`, MySQL
/// refuses it, and PostgreSQL stores it and then calls it equal to itself and greater than every
/// number. No answer would be the same on all three, so none is given.
pub(crate) const NOT_A_NUMBER: &str =
    "NaN is not a number any backend stores and compares alike; infinities are accepted where the backend stores them";

/// One function per driver; the match arms are the same shape, the argument types differ.
macro_rules! binder {
    ($name:ident, $args:ty, $custom:ident, |$a:ident, $t:ident| $null:expr, decimal: $dec:expr, array: $array:expr) => {
        pub(crate) fn $name(params: &[Value]) -> Result<$args> {
            let mut $a = <$args>::default();
            for (i, value) in params.iter().enumerate() {
                let added: std::result::Result<(), BoxDynError> = match value {
                    Value::Null($t) => $null,
                    Value::Bool(v) => $a.add(*v),
                    Value::I16(v) => $a.add(*v),
                    Value::I32(v) => $a.add(*v),
                    Value::I64(v) => $a.add(*v),
                    Value::F32(v) if v.is_nan() => Err(NOT_A_NUMBER.into()),
                    Value::F64(v) if v.is_nan() => Err(NOT_A_NUMBER.into()),
                    Value::F32(v) => $a.add(*v),
                    Value::F64(v) => $a.add(*v),
                    Value::Text(v) => $a.add(v.clone()),
                    Value::Bytes(v) => $a.add(v.clone()),
                    #[cfg(feature = "uuid")]
                    Value::Uuid(v) => $a.add(*v),
                    #[cfg(feature = "chrono")]
                    Value::ChronoDateTime(v) => $a.add(*v),
                    #[cfg(feature = "chrono")]
                    Value::ChronoDateTimeUtc(v) => $a.add(*v),
                    #[cfg(feature = "chrono")]
                    Value::ChronoDate(v) => $a.add(*v),
                    #[cfg(feature = "chrono")]
                    Value::ChronoTime(v) => $a.add(*v),
                    #[cfg(feature = "time")]
                    Value::TimeDateTime(v) => $a.add(*v),
                    #[cfg(feature = "time")]
                    Value::TimeOffsetDateTime(v) => $a.add(*v),
                    #[cfg(feature = "time")]
                    Value::TimeDate(v) => $a.add(*v),
                    #[cfg(feature = "time")]
                    Value::TimeTime(v) => $a.add(*v),
                    #[cfg(feature = "rust_decimal")]
                    Value::Decimal(v) => {
                        let f: fn(
                            &mut $args,
                            &rust_decimal::Decimal,
                        ) -> std::result::Result<(), BoxDynError> = $dec;
                        f(&mut $a, v)
                    }
                    #[cfg(feature = "json")]
                    Value::Json(v) => $a.add(sqlx::types::Json(v.clone())),
                    Value::Custom(v) => v.$custom(&mut $a),
                    Value::Array(v) => {
                        let f: fn(
                            &mut $args,
                            &crate::values::value::KeyArray,
                        ) -> std::result::Result<(), BoxDynError> = $array;
                        f(&mut $a, v)
                    }
                };
                added.map_err(|e| encode_error(i, e))?;
            }
            Ok($a)
        }
    };
}

#[cfg(feature = "sqlite")]
binder!(sqlite, SqliteArguments, add_sqlite, |args, _t| args.add(None::<i64>),
    decimal: |args, d| args.add(d.to_string()),
    array: |_, _| Err("SQLite takes no array parameters".into()));
#[cfg(feature = "mysql")]
binder!(mysql, MySqlArguments, add_mysql, |args, _t| args.add(None::<String>),
    decimal: |args, d| args.add(*d),
    array: |_, _| Err("MySQL takes no array parameters".into()));
#[cfg(feature = "postgres")]
binder!(postgres, PgArguments, add_postgres, |args, t| add_pg_null(&mut args, *t),
    decimal: |args, d| args.add(*d),
    array: add_pg_array);

#[cfg(feature = "postgres")]
fn add_pg_array(
    args: &mut PgArguments,
    keys: &crate::values::value::KeyArray,
) -> std::result::Result<(), BoxDynError> {
    use crate::values::value::KeyArray;
    match keys {
        KeyArray::Text(v) => args.add(v.clone()),
        KeyArray::Int(v) => args.add(v.clone()),
        #[cfg(feature = "uuid")]
        KeyArray::Uuid(v) => args.add(v.clone()),
    }
}

/// PostgreSQL types every parameter, so a `NULL` must carry its column's type.
#[cfg(feature = "postgres")]
fn add_pg_null(args: &mut PgArguments, ty: SqlType) -> std::result::Result<(), BoxDynError> {
    match ty {
        SqlType::Bool => args.add(None::<bool>),
        SqlType::SmallInt => args.add(None::<i16>),
        SqlType::Int => args.add(None::<i32>),
        SqlType::BigInt => args.add(None::<i64>),
        SqlType::Real => args.add(None::<f32>),
        SqlType::Double => args.add(None::<f64>),
        SqlType::Bytes => args.add(None::<Vec<u8>>),
        #[cfg(feature = "uuid")]
        SqlType::Uuid => args.add(None::<uuid::Uuid>),
        #[cfg(feature = "chrono")]
        SqlType::Timestamp => args.add(None::<chrono::NaiveDateTime>),
        #[cfg(feature = "chrono")]
        SqlType::TimestampTz => args.add(None::<chrono::DateTime<chrono::Utc>>),
        #[cfg(feature = "chrono")]
        SqlType::Date => args.add(None::<chrono::NaiveDate>),
        #[cfg(feature = "chrono")]
        SqlType::Time => args.add(None::<chrono::NaiveTime>),
        #[cfg(all(feature = "time", not(feature = "chrono")))]
        SqlType::Timestamp => args.add(None::<time::PrimitiveDateTime>),
        #[cfg(all(feature = "time", not(feature = "chrono")))]
        SqlType::TimestampTz => args.add(None::<time::OffsetDateTime>),
        #[cfg(all(feature = "time", not(feature = "chrono")))]
        SqlType::Date => args.add(None::<time::Date>),
        #[cfg(all(feature = "time", not(feature = "chrono")))]
        SqlType::Time => args.add(None::<time::Time>),
        #[cfg(feature = "rust_decimal")]
        SqlType::Decimal => args.add(None::<rust_decimal::Decimal>),
        #[cfg(feature = "json")]
        SqlType::Json => args.add(None::<sqlx::types::Json<serde_json::Value>>),
        // Text, custom types, and types of features turned off: an untyped-enough text NULL
        // which PostgreSQL casts on assignment.
        _ => args.add(None::<String>),
    }
}
