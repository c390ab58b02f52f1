//! Values on their way to the database, and the column types they are stored as.

use std::fmt;
use std::sync::Arc;

#[cfg(feature = "mysql")]
use sqlx::mysql::MySqlArguments;
#[cfg(feature = "postgres")]
use sqlx::postgres::PgArguments;
#[cfg(feature = "sqlite")]
use sqlx::sqlite::SqliteArguments;

type BoxDynError = Box<dyn std::error::Error + Send + Sync>;

/// The portable column type of a field, rendered per dialect by the DDL writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SqlType {
    /// `bool`
    Bool,
    /// `i16`
    SmallInt,
    /// `i32`
    Int,
    /// `i64`
    BigInt,
    /// `f32`
    Real,
    /// `f64`
    Double,
    /// `String`
    Text,
    /// `Vec<u8>`
    Bytes,
    /// `uuid::Uuid`
    Uuid,
    /// A date and time without a time zone.
    Timestamp,
    /// A point in time with a time zone (stored as UTC).
    TimestampTz,
    /// A calendar date.
    Date,
    /// A time of day.
    Time,
    /// `rust_decimal::Decimal`
    Decimal,
    /// `serde_json::Value`
    Json,
    /// A type named by `#[field(sql_type = "...")]`, used as written on every dialect.
    Custom(&'static str),
}

impl SqlType {
    /// Integer types, which a primary key may have the database generate.
    pub fn is_integer(self) -> bool {
        matches!(self, SqlType::SmallInt | SqlType::Int | SqlType::BigInt)
    }

    /// Booleans, integers, floats, text and bytes: SQLite stores them as they are.
    pub fn is_plain(self) -> bool {
        matches!(
            self,
            SqlType::Bool
                | SqlType::SmallInt
                | SqlType::Int
                | SqlType::BigInt
                | SqlType::Real
                | SqlType::Double
                | SqlType::Text
                | SqlType::Bytes
        )
    }
}

/// One value bound as a statement parameter.
///
/// A `Null` keeps its column type, because PostgreSQL types every parameter.
#[derive(Clone)]
#[non_exhaustive]
pub enum Value {
    /// SQL `NULL` for a column of the given type.
    Null(SqlType),
    /// A boolean.
    Bool(bool),
    /// A 16-bit integer.
    I16(i16),
    /// A 32-bit integer.
    I32(i32),
    /// A 64-bit integer.
    I64(i64),
    /// A 32-bit float.
    F32(f32),
    /// A 64-bit float.
    F64(f64),
    /// Text.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
    /// A UUID.
    #[cfg(feature = "uuid")]
    #[cfg_attr(docsrs, doc(cfg(feature = "uuid")))]
    Uuid(uuid::Uuid),
    /// `chrono::NaiveDateTime`
    #[cfg(feature = "chrono")]
    #[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
    ChronoDateTime(chrono::NaiveDateTime),
    /// `chrono::DateTime<Utc>`
    #[cfg(feature = "chrono")]
    #[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
    ChronoDateTimeUtc(chrono::DateTime<chrono::Utc>),
    /// `chrono::NaiveDate`
    #[cfg(feature = "chrono")]
    #[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
    ChronoDate(chrono::NaiveDate),
    /// `chrono::NaiveTime`
    #[cfg(feature = "chrono")]
    #[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
    ChronoTime(chrono::NaiveTime),
    /// `time::PrimitiveDateTime`
    #[cfg(feature = "time")]
    #[cfg_attr(docsrs, doc(cfg(feature = "time")))]
    TimeDateTime(time::PrimitiveDateTime),
    /// `time::OffsetDateTime`
    #[cfg(feature = "time")]
    #[cfg_attr(docsrs, doc(cfg(feature = "time")))]
    TimeOffsetDateTime(time::OffsetDateTime),
    /// `time::Date`
    #[cfg(feature = "time")]
    #[cfg_attr(docsrs, doc(cfg(feature = "time")))]
    TimeDate(time::Date),
    /// `time::Time`
    #[cfg(feature = "time")]
    #[cfg_attr(docsrs, doc(cfg(feature = "time")))]
    TimeTime(time::Time),
    /// A decimal number.
    #[cfg(feature = "rust_decimal")]
    #[cfg_attr(docsrs, doc(cfg(feature = "rust_decimal")))]
    Decimal(rust_decimal::Decimal),
    /// A JSON document.
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    Json(serde_json::Value),
    /// A value of a type declared with `#[field(sql_type = "...")]`.
    #[doc(hidden)]
    Custom(Arc<dyn CustomValue>),
    /// Keys sent as one PostgreSQL array parameter (`= ANY($1)`).
    Array(KeyArray),
}

/// A list of keys of one type, bound as a single array.
#[derive(Debug, Clone)]
pub enum KeyArray {
    /// Text keys.
    Text(Vec<String>),
    /// Integer keys.
    Int(Vec<i64>),
    /// UUID keys.
    #[cfg(feature = "uuid")]
    #[cfg_attr(docsrs, doc(cfg(feature = "uuid")))]
    Uuid(Vec<uuid::Uuid>),
}

/// The least and the greatest of some keys ([`KeyArray::span`]).
pub(crate) struct KeySpan {
    pub(crate) least: Value,
    pub(crate) greatest: Value,
    /// Whether every value from the least to the greatest is one of the keys (consecutive
    /// integers), so that the range alone matches them.
    pub(crate) whole: bool,
}

/// Whether every integer from `least` to `greatest` (the least and the greatest of `keys`) is
/// one of `keys`: never when the range holds more values than there are keys; else each key
/// marks its place in the range, without sorting or copying the keys.
fn consecutive(keys: &[i64], least: i64, greatest: i64) -> bool {
    let width = usize::try_from(greatest.abs_diff(least)).map(|w| w.saturating_add(1));
    let Some(width) = width.ok().filter(|&w| w <= keys.len()) else {
        return false;
    };
    let mut seen = vec![false; width];
    for &key in keys {
        if let Some(place) = usize::try_from(key.abs_diff(least))
            .ok()
            .and_then(|i| seen.get_mut(i))
        {
            *place = true;
        }
    }
    seen.into_iter().all(|s| s)
}

/// What a [`KeyArray`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Text,
    Int,
    Uuid,
}

impl KeyArray {
    /// What the keys would make as one array, read without copying them: `None` unless they are
    /// all text, all integers or all UUIDs.
    pub(crate) fn kind_of(keys: &[Value]) -> Option<KeyKind> {
        let kind = |v: &Value| match v {
            Value::Text(_) => Some(KeyKind::Text),
            Value::I16(_) | Value::I32(_) | Value::I64(_) => Some(KeyKind::Int),
            #[cfg(feature = "uuid")]
            Value::Uuid(_) => Some(KeyKind::Uuid),
            _ => None,
        };
        let first = kind(keys.first()?)?;
        keys.iter().all(|k| kind(k) == Some(first)).then_some(first)
    }

    /// What the array holds.
    pub(crate) fn kind(&self) -> KeyKind {
        match self {
            KeyArray::Text(_) => KeyKind::Text,
            KeyArray::Int(_) => KeyKind::Int,
            #[cfg(feature = "uuid")]
            KeyArray::Uuid(_) => KeyKind::Uuid,
        }
    }

    /// The keys as one array, when they are all text, all integers or all UUIDs.
    pub(crate) fn of(keys: &[Value]) -> Option<KeyArray> {
        match keys.first()? {
            Value::Text(_) => keys
                .iter()
                .map(|k| match k {
                    Value::Text(t) => Some(t.clone()),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
                .map(KeyArray::Text),
            Value::I16(_) | Value::I32(_) | Value::I64(_) => keys
                .iter()
                .map(|k| match k {
                    Value::I16(v) => Some(i64::from(*v)),
                    Value::I32(v) => Some(i64::from(*v)),
                    Value::I64(v) => Some(*v),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
                .map(KeyArray::Int),
            #[cfg(feature = "uuid")]
            Value::Uuid(_) => keys
                .iter()
                .map(|k| match k {
                    Value::Uuid(v) => Some(*v),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
                .map(KeyArray::Uuid),
            _ => None,
        }
    }

    /// The least and the greatest key, where the database orders the keys as Rust does:
    /// integers, and UUIDs (PostgreSQL compares their bytes); `None` for text, whose order is
    /// the column's collation, and for no keys.
    pub(crate) fn span(&self) -> Option<KeySpan> {
        match self {
            KeyArray::Text(_) => None,
            KeyArray::Int(v) => {
                let (least, greatest) = (*v.iter().min()?, *v.iter().max()?);
                Some(KeySpan {
                    least: Value::I64(least),
                    greatest: Value::I64(greatest),
                    whole: consecutive(v, least, greatest),
                })
            }
            #[cfg(feature = "uuid")]
            KeyArray::Uuid(v) => Some(KeySpan {
                least: Value::Uuid(*v.iter().min()?),
                greatest: Value::Uuid(*v.iter().max()?),
                whole: false,
            }),
        }
    }

    /// The keys as a JSON array, for SQLite's `json_each` (text and integers only: JSON has
    /// no bytes).
    pub(crate) fn to_json(&self) -> Option<String> {
        match self {
            KeyArray::Text(v) => serde_json::to_string(v).ok(),
            KeyArray::Int(v) => serde_json::to_string(v).ok(),
            #[cfg(feature = "uuid")]
            KeyArray::Uuid(_) => None,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null(_) => f.write_str("NULL"),
            Value::Bool(v) => v.fmt(f),
            Value::I16(v) => v.fmt(f),
            Value::I32(v) => v.fmt(f),
            Value::I64(v) => v.fmt(f),
            Value::F32(v) => v.fmt(f),
            Value::F64(v) => v.fmt(f),
            Value::Text(v) => v.fmt(f),
            Value::Bytes(v) => write!(f, "<{} bytes>", v.len()),
            #[cfg(feature = "uuid")]
            Value::Uuid(v) => v.fmt(f),
            #[cfg(feature = "chrono")]
            Value::ChronoDateTime(v) => v.fmt(f),
            #[cfg(feature = "chrono")]
            Value::ChronoDateTimeUtc(v) => v.fmt(f),
            #[cfg(feature = "chrono")]
            Value::ChronoDate(v) => v.fmt(f),
            #[cfg(feature = "chrono")]
            Value::ChronoTime(v) => v.fmt(f),
            #[cfg(feature = "time")]
            Value::TimeDateTime(v) => v.fmt(f),
            #[cfg(feature = "time")]
            Value::TimeOffsetDateTime(v) => v.fmt(f),
            #[cfg(feature = "time")]
            Value::TimeDate(v) => v.fmt(f),
            #[cfg(feature = "time")]
            Value::TimeTime(v) => v.fmt(f),
            #[cfg(feature = "rust_decimal")]
            Value::Decimal(v) => v.fmt(f),
            #[cfg(feature = "json")]
            Value::Json(v) => v.fmt(f),
            Value::Custom(v) => v.fmt(f),
            Value::Array(v) => v.fmt(f),
        }
    }
}

/// A key value in a form that can be hashed and compared, for matching related rows to
/// their parents. Integers of every width compare equal when their values do.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum KeyRepr {
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
    /// Any other type, by its printed form.
    Other(String),
}

impl Value {
    /// The value as a key, consuming it (no copy of text or bytes).
    pub(crate) fn into_key(self) -> Option<KeyRepr> {
        match self {
            Value::Text(v) => Some(KeyRepr::Text(v)),
            Value::Bytes(v) => Some(KeyRepr::Bytes(v)),
            other => other.key(),
        }
    }

    /// The value as a key; `None` for `NULL`, which matches nothing.
    pub(crate) fn key(&self) -> Option<KeyRepr> {
        Some(match self {
            Value::Null(_) => return None,
            Value::I16(v) => KeyRepr::Int(i64::from(*v)),
            Value::I32(v) => KeyRepr::Int(i64::from(*v)),
            Value::I64(v) => KeyRepr::Int(*v),
            Value::Text(v) => KeyRepr::Text(v.clone()),
            Value::Bytes(v) => KeyRepr::Bytes(v.clone()),
            #[cfg(feature = "uuid")]
            Value::Uuid(v) => KeyRepr::Bytes(v.as_bytes().to_vec()),
            other => KeyRepr::Other(format!("{other:?}")),
        })
    }
}

/// A value of a user type that binds itself on each backend.
pub trait CustomValue: fmt::Debug + Send + Sync {
    /// Appends the value to SQLite arguments.
    #[cfg(feature = "sqlite")]
    fn add_sqlite(&self, args: &mut SqliteArguments) -> Result<(), BoxDynError>;
    /// Appends the value to PostgreSQL arguments.
    #[cfg(feature = "postgres")]
    fn add_postgres(&self, args: &mut PgArguments) -> Result<(), BoxDynError>;
    /// Appends the value to MySQL arguments.
    #[cfg(feature = "mysql")]
    fn add_mysql(&self, args: &mut MySqlArguments) -> Result<(), BoxDynError>;
}

#[cfg(test)]
mod tests {
    use super::KeyArray;

    /// Whether `keys` are matched by their range alone: every integer from the least to the
    /// greatest is one of them.
    fn whole(keys: &[i64]) -> Option<bool> {
        KeyArray::Int(keys.to_vec()).span().map(|s| s.whole)
    }

    #[test]
    fn consecutive_integer_keys_span_their_range_whole() {
        assert_eq!(whole(&[5]), Some(true));
        assert_eq!(whole(&[3, 1, 2, 2]), Some(true));
        assert_eq!(whole(&[1, 3]), Some(false));
        assert_eq!(whole(&[1, 1, 3]), Some(false));
        assert_eq!(whole(&[i64::MIN, i64::MAX]), Some(false));
        assert_eq!(whole(&[i64::MAX - 1, i64::MAX]), Some(true));
        assert_eq!(whole(&[]), None);
        assert!(KeyArray::Text(vec!["a".into(), "b".into()])
            .span()
            .is_none());
    }
}
