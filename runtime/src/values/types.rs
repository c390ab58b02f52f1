//! The Rust types a model field may have, and how each maps to a column.

#[cfg(feature = "sqlite")]
use crate::values::row::RawValue;
use crate::values::row::Row;
#[cfg(feature = "rust_decimal")]
use crate::values::row::RowInner;
use crate::values::value::{SqlType, Value};

type BoxDynError = Box<dyn std::error::Error + Send + Sync>;

/// A Rust type stored in one column.
///
/// Implemented for the built-in column types; `Option<T>` makes any of them nullable. Types
/// outside this list can still be columns through `#[field(sql_type = "...")]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column type Trellis supports",
    label = "unsupported column type",
    note = "supported: bool, i16, i32, i64 (no unsigned integers: PostgreSQL has none), f32, f64, String, Vec<u8>; with the crate features of the same names, `uuid::Uuid`, the `chrono` and `time` date and time types, `rust_decimal::Decimal` and `serde_json::Value` (feature `json`); and `Option<T>` of any of them, for a nullable column",
    note = "for another type that implements sqlx's `Type`, `Encode` and `Decode` on every backend, add `#[field(sql_type = \"...\")]`"
)]
pub trait FieldType: Sized + Send + Sync + 'static {
    /// The column type it is stored as.
    const SQL_TYPE: SqlType;
    /// Whether the column accepts `NULL`.
    const NULLABLE: bool = false;
    /// [`IsText`] for text (`String`, `Option<String>`, under whatever alias), [`NotText`]
    /// for the rest: it decides which filters the column takes (`contains`, ..), so that
    /// a type alias behaves like the type it names.
    type Kind;
    /// The value bound when writing it.
    fn to_value(&self) -> Value;
    /// The same, consuming it (no copy of text or bytes).
    fn into_value(self) -> Value {
        self.to_value()
    }
    /// Reads it from the column at `index`.
    fn decode(row: &Row, index: usize) -> Result<Self, BoxDynError>;
    /// The same, for the last read of that column: text and bytes of a row read directly from
    /// SQLite are moved out rather than copied (the column cannot be read again).
    fn decode_owned(row: &mut Row, index: usize) -> Result<Self, BoxDynError> {
        Self::decode(row, index)
    }
}

/// Fails on a `NULL` column read into a non-`Option` field. PostgreSQL's and MySQL's decoders
/// refuse it themselves; SQLite's driver would read `NULL` as `0`, `""` or `false`.
fn not_null(row: &Row, index: usize) -> Result<(), BoxDynError> {
    if row.decodes_null_as_default() && row.is_null(index)? {
        Err(Box::new(sqlx::error::UnexpectedNullError))
    } else {
        Ok(())
    }
}

/// The kind of text column types (see [`FieldType::Kind`]).
#[derive(Debug, Clone, Copy)]
pub enum IsText {}
/// The kind of every other column type (see [`FieldType::Kind`]).
#[derive(Debug, Clone, Copy)]
pub enum NotText {}

#[allow(unused_macros)] // Only the optional column types use it.
macro_rules! native {
    (feature = $feature:literal; $($ty:ty => $sql:ident, $variant:ident $(, $kind:ident)?;)*) => {$(
        #[cfg_attr(docsrs, doc(cfg(feature = $feature)))]
        impl FieldType for $ty {
            const SQL_TYPE: SqlType = SqlType::$sql;
            type Kind = native!(@kind $($kind)?);
            fn to_value(&self) -> Value {
                Value::$variant(self.clone())
            }
            fn into_value(self) -> Value {
                Value::$variant(self)
            }
            fn decode(row: &Row, index: usize) -> Result<Self, BoxDynError> {
                not_null(row, index)?;
                row.get_native(index)
            }
        }
    )*};
    (@kind) => { NotText };
    (@kind $kind:ident) => { $kind };
}

/// The plain types: SQLite stores them as they are, so a row read straight from SQLite's
/// handle (see `driver::sqlite_direct`) decodes them without sqlx.
macro_rules! plain {
    ($($ty:ty => $sql:ident, $variant:ident, $kind:ident, { $($arms:tt)* }
        $(owned { $($owned:tt)* })?;)*) => {$(
        impl FieldType for $ty {
            const SQL_TYPE: SqlType = SqlType::$sql;
            type Kind = $kind;
            fn to_value(&self) -> Value {
                Value::$variant(self.clone())
            }
            fn into_value(self) -> Value {
                Value::$variant(self)
            }
            fn decode(row: &Row, index: usize) -> Result<Self, BoxDynError> {
                #[cfg(feature = "sqlite")]
                if let Some(raw) = row.direct(index) {
                    return match raw? {
                        RawValue::Null => Err(Box::new(sqlx::error::UnexpectedNullError)),
                        $($arms)*
                    };
                }
                not_null(row, index)?;
                row.get_native(index)
            }
            $(
            fn decode_owned(row: &mut Row, index: usize) -> Result<Self, BoxDynError> {
                #[cfg(feature = "sqlite")]
                if let Some(raw) = row.take_direct(index) {
                    return match raw? {
                        RawValue::Null => Err(Box::new(sqlx::error::UnexpectedNullError)),
                        $($owned)*
                    };
                }
                Self::decode(row, index)
            }
            )?
        }
    )*};
}

/// A direct SQLite value of a storage class the type does not read.
#[cfg(feature = "sqlite")]
fn mismatch(expected: &str, found: &RawValue) -> BoxDynError {
    format!("expected {expected}, found the SQLite value {found:?}").into()
}

plain! {
    bool => Bool, Bool, NotText, {
        RawValue::Int(v) => Ok(*v != 0),
        other => Err(mismatch("an integer", other)),
    };
    i16 => SmallInt, I16, NotText, {
        RawValue::Int(v) => Ok(i16::try_from(*v)?),
        other => Err(mismatch("an integer", other)),
    };
    i32 => Int, I32, NotText, {
        RawValue::Int(v) => Ok(i32::try_from(*v)?),
        other => Err(mismatch("an integer", other)),
    };
    i64 => BigInt, I64, NotText, {
        RawValue::Int(v) => Ok(*v),
        other => Err(mismatch("an integer", other)),
    };
    f32 => Real, F32, NotText, {
        RawValue::Real(v) => Ok(*v as f32),
        RawValue::Int(v) => Ok(*v as f32),
        other => Err(mismatch("a number", other)),
    };
    f64 => Double, F64, NotText, {
        RawValue::Real(v) => Ok(*v),
        RawValue::Int(v) => Ok(*v as f64),
        other => Err(mismatch("a number", other)),
    };
    String => Text, Text, IsText, {
        RawValue::Text(v) => Ok(String::from(&**v)),
        other => Err(mismatch("text", other)),
    } owned {
        RawValue::Text(v) => Ok(v.into_string()),
        other => Err(mismatch("text", &other)),
    };
    Vec<u8> => Bytes, Bytes, NotText, {
        RawValue::Blob(v) => Ok(v.to_vec()),
        RawValue::Text(v) => Ok(v.as_bytes().to_vec()),
        other => Err(mismatch("bytes", other)),
    } owned {
        RawValue::Blob(v) => Ok(v.into_vec()),
        RawValue::Text(v) => Ok(v.into_string().into_bytes()),
        other => Err(mismatch("bytes", &other)),
    };
}

#[cfg(feature = "uuid")]
native! { feature = "uuid"; uuid::Uuid => Uuid, Uuid; }

#[cfg(feature = "chrono")]
native! {
    feature = "chrono";
    chrono::NaiveDateTime => Timestamp, ChronoDateTime;
    chrono::DateTime<chrono::Utc> => TimestampTz, ChronoDateTimeUtc;
    chrono::NaiveDate => Date, ChronoDate;
    chrono::NaiveTime => Time, ChronoTime;
}

#[cfg(feature = "time")]
native! {
    feature = "time";
    time::PrimitiveDateTime => Timestamp, TimeDateTime;
    time::OffsetDateTime => TimestampTz, TimeOffsetDateTime;
    time::Date => Date, TimeDate;
    time::Time => Time, TimeTime;
}

/// SQLite has no decimal type and sqlx no decimal codec for it: the value is kept as text there.
#[cfg(feature = "rust_decimal")]
#[cfg_attr(docsrs, doc(cfg(feature = "rust_decimal")))]
impl FieldType for rust_decimal::Decimal {
    const SQL_TYPE: SqlType = SqlType::Decimal;
    type Kind = NotText;
    fn to_value(&self) -> Value {
        Value::Decimal(*self)
    }
    fn decode(row: &Row, index: usize) -> Result<Self, BoxDynError> {
        use sqlx::Row as _;
        not_null(row, index)?;
        match &row.0 {
            #[cfg(feature = "sqlite")]
            RowInner::Sqlite(r) => {
                let text: String = r.try_get(index)?;
                Ok(text.parse()?)
            }
            #[cfg(feature = "sqlite")]
            RowInner::Direct(_) => Ok(String::decode(row, index)?.parse()?),
            #[cfg(feature = "postgres")]
            RowInner::Postgres(r) => Ok(r.try_get(index)?),
            #[cfg(feature = "mysql")]
            RowInner::MySql(r) => Ok(r.try_get(index)?),
        }
    }
}

#[cfg(feature = "json")]
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
impl FieldType for serde_json::Value {
    const SQL_TYPE: SqlType = SqlType::Json;
    type Kind = NotText;
    fn to_value(&self) -> Value {
        Value::Json(self.clone())
    }
    fn decode(row: &Row, index: usize) -> Result<Self, BoxDynError> {
        not_null(row, index)?;
        Ok(row
            .get_native::<sqlx::types::Json<serde_json::Value>>(index)?
            .0)
    }
}

impl<T: FieldType> FieldType for Option<T> {
    const SQL_TYPE: SqlType = T::SQL_TYPE;
    const NULLABLE: bool = true;
    type Kind = T::Kind;
    fn to_value(&self) -> Value {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null(T::SQL_TYPE),
        }
    }
    fn into_value(self) -> Value {
        match self {
            Some(v) => v.into_value(),
            None => Value::Null(T::SQL_TYPE),
        }
    }
    fn decode(row: &Row, index: usize) -> Result<Self, BoxDynError> {
        if row.is_null(index)? {
            Ok(None)
        } else {
            T::decode(row, index).map(Some)
        }
    }
    fn decode_owned(row: &mut Row, index: usize) -> Result<Self, BoxDynError> {
        if row.is_null(index)? {
            Ok(None)
        } else {
            T::decode_owned(row, index).map(Some)
        }
    }
}

/// The Rust type of a model's primary key ([`Model::Key`](crate::Model::Key)): the field's
/// type for a key of one column, a tuple of the fields' types for a composite key
/// (`(i64, i64)` for `#[field(id)]` on two `i64` fields), in key order.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column type Trellis supports",
    label = "unsupported column type",
    note = "supported: bool, i16, i32, i64 (no unsigned integers: PostgreSQL has none), f32, f64, String, Vec<u8>; with the crate features of the same names, `uuid::Uuid`, the `chrono` and `time` date and time types, `rust_decimal::Decimal` and `serde_json::Value` (feature `json`); and `Option<T>` of any of them, for a nullable column",
    note = "for another type that implements sqlx's `Type`, `Encode` and `Decode` on every backend, add `#[field(sql_type = \"...\")]`",
    note = "a composite key's type is a tuple of two to four of them"
)]
pub trait PrimaryKey: Sized + Send + Sync + 'static {
    /// How many columns the key spans.
    const COLUMNS: usize;

    /// The column type of a one-column key (a composite key's columns have their fields'
    /// types; this is its first column's).
    #[doc(hidden)]
    const __SQL_TYPE: SqlType;

    /// Whether a one-column key's column accepts `NULL`.
    #[doc(hidden)]
    const __NULLABLE: bool;

    /// The value bound for a one-column key (a composite key's first column).
    #[doc(hidden)]
    fn __sole_value(&self) -> Value;

    /// Reads a one-column key from the column at `index` (a composite key fails).
    #[doc(hidden)]
    fn __decode_sole(row: &Row, index: usize) -> Result<Self, BoxDynError>;

    /// The values bound for the key's columns, in key order.
    fn key_values(&self) -> Vec<Value>;

    /// Reads the key's columns at `at` (one position per column, in key order) as values.
    #[doc(hidden)]
    fn __decode_values(row: &Row, at: &[usize]) -> Result<Vec<Value>, BoxDynError>;

    /// Reads a one-column key at `index` as a value (a relation's parent key, which only a
    /// one-column key can be).
    #[doc(hidden)]
    fn __decode_one(row: &Row, index: usize) -> Result<Value, BoxDynError>;

    /// The same, `None` for `NULL` (a foreign key to it).
    #[doc(hidden)]
    fn __decode_nullable(row: &Row, index: usize) -> Result<Option<Value>, BoxDynError>;
}

impl<K: FieldType> PrimaryKey for K {
    const COLUMNS: usize = 1;
    const __SQL_TYPE: SqlType = K::SQL_TYPE;
    const __NULLABLE: bool = K::NULLABLE;

    fn __sole_value(&self) -> Value {
        self.to_value()
    }

    fn __decode_sole(row: &Row, index: usize) -> Result<Self, BoxDynError> {
        K::decode(row, index)
    }

    fn key_values(&self) -> Vec<Value> {
        vec![self.to_value()]
    }

    fn __decode_values(row: &Row, at: &[usize]) -> Result<Vec<Value>, BoxDynError> {
        match at {
            [index] => Ok(vec![K::decode(row, *index)?.into_value()]),
            _ => Err(key_columns(1, at.len())),
        }
    }

    fn __decode_one(row: &Row, index: usize) -> Result<Value, BoxDynError> {
        K::decode(row, index).map(FieldType::into_value)
    }

    fn __decode_nullable(row: &Row, index: usize) -> Result<Option<Value>, BoxDynError> {
        Option::<K>::decode(row, index).map(|v| v.map(FieldType::into_value))
    }
}

/// A key read from another number of columns than it has.
fn key_columns(wanted: usize, given: usize) -> BoxDynError {
    format!("a key of {wanted} column(s) read from {given} column(s)").into()
}

macro_rules! composite_key {
    ($count:literal: $($part:ident $at:ident $index:tt),+) => {
        impl<$($part: FieldType),+> PrimaryKey for ($($part,)+) {
            const COLUMNS: usize = $count;
            const __SQL_TYPE: SqlType = A::SQL_TYPE;
            const __NULLABLE: bool = false;

            fn __sole_value(&self) -> Value {
                self.0.to_value()
            }

            fn __decode_sole(_: &Row, _: usize) -> Result<Self, BoxDynError> {
                Err(key_columns($count, 1))
            }

            fn key_values(&self) -> Vec<Value> {
                vec![$(self.$index.to_value()),+]
            }

            fn __decode_values(row: &Row, at: &[usize]) -> Result<Vec<Value>, BoxDynError> {
                match at {
                    [$($at),+] => Ok(vec![$($part::decode(row, *$at)?.into_value()),+]),
                    _ => Err(key_columns($count, at.len())),
                }
            }

            fn __decode_one(_: &Row, _: usize) -> Result<Value, BoxDynError> {
                Err(key_columns($count, 1))
            }

            fn __decode_nullable(_: &Row, _: usize) -> Result<Option<Value>, BoxDynError> {
                Err(key_columns($count, 1))
            }
        }
    };
}

composite_key!(2: A a 0, B b 1);
composite_key!(3: A a 0, B b 1, C c 2);
composite_key!(4: A a 0, B b 1, C c 2, D d 3);

/// A primary key the database or Trellis fills in on insert (`#[field(id, auto)]`).
#[diagnostic::on_unimplemented(
    message = "`#[field(auto)]` needs an `i16`, `i32`, `i64` or `uuid::Uuid` key, not `{Self}`",
    label = "this key cannot be generated",
    note = "integer keys are generated by the database; `uuid::Uuid` keys get a random v4 value when nil; supply other keys yourself and drop `auto`"
)]
pub trait AutoKey: FieldType {
    /// True when the database assigns the key, so inserts leave the column out.
    const DATABASE_GENERATED: bool;
    /// Fills in a client-generated key that is still unset.
    fn fill(&mut self) {}
    /// Converts a key the database generated; `None` when it does not fit.
    fn from_generated(_key: i64) -> Option<Self> {
        None
    }
    /// A new client-generated key, for a `New` value that leaves the key out. A type whose
    /// keys the database does not generate returns `Some`.
    fn generate() -> Option<Self> {
        None
    }
}

// Written out rather than by a macro: the compiler lists these impls when `auto` is on
// another type, and a macro's name in that list is noise.
impl AutoKey for i16 {
    const DATABASE_GENERATED: bool = true;
    fn from_generated(key: i64) -> Option<Self> {
        Self::try_from(key).ok()
    }
}

impl AutoKey for i32 {
    const DATABASE_GENERATED: bool = true;
    fn from_generated(key: i64) -> Option<Self> {
        Self::try_from(key).ok()
    }
}

impl AutoKey for i64 {
    const DATABASE_GENERATED: bool = true;
    fn from_generated(key: i64) -> Option<Self> {
        Some(key)
    }
}

#[cfg(feature = "uuid")]
#[cfg_attr(docsrs, doc(cfg(feature = "uuid")))]
impl AutoKey for uuid::Uuid {
    const DATABASE_GENERATED: bool = false;
    fn generate() -> Option<Self> {
        Some(uuid::Uuid::new_v4())
    }
    fn fill(&mut self) {
        if self.is_nil() {
            *self = uuid::Uuid::new_v4();
        }
    }
}

/// A foreign key field type that can hold the primary key `K` of the model it references.
#[diagnostic::on_unimplemented(
    message = "foreign key of type `{Self}` cannot reference a primary key of type `{K}`",
    label = "expected `{K}`, or `Option<{K}>` for an optional reference",
    note = "a foreign key has the type of the primary key it references, which must be one column"
)]
pub trait ReferenceTo<K> {}

impl<K: FieldType> ReferenceTo<K> for K {}
impl<K: FieldType> ReferenceTo<K> for Option<K> {}

/// Reads the column at `index` of a row as a [`Value`] of type `sql_type` (`NULL` included).
pub(crate) type ValueReader = fn(&Row, usize, SqlType) -> Result<Value, BoxDynError>;

/// What reads a value of `sql_type` without a Rust type to read it as (a cursor row's or a
/// stream chunk's last ordering values); `None` for a type Trellis does not read itself.
pub(crate) fn value_reader(sql_type: SqlType) -> Option<ValueReader> {
    fn read<T: FieldType>(
        row: &Row,
        index: usize,
        sql_type: SqlType,
    ) -> Result<Value, BoxDynError> {
        Option::<T>::decode(row, index).map(|v| v.map_or(Value::Null(sql_type), T::into_value))
    }
    Some(match sql_type {
        SqlType::Bool => read::<bool>,
        SqlType::SmallInt => read::<i16>,
        SqlType::Int => read::<i32>,
        SqlType::BigInt => read::<i64>,
        SqlType::Real => read::<f32>,
        SqlType::Double => read::<f64>,
        SqlType::Text => read::<String>,
        SqlType::Bytes => read::<Vec<u8>>,
        #[cfg(feature = "uuid")]
        SqlType::Uuid => read::<uuid::Uuid>,
        #[cfg(feature = "chrono")]
        SqlType::Timestamp => read::<chrono::NaiveDateTime>,
        #[cfg(all(feature = "time", not(feature = "chrono")))]
        SqlType::Timestamp => read::<time::PrimitiveDateTime>,
        #[cfg(feature = "chrono")]
        SqlType::TimestampTz => read::<chrono::DateTime<chrono::Utc>>,
        #[cfg(all(feature = "time", not(feature = "chrono")))]
        SqlType::TimestampTz => read::<time::OffsetDateTime>,
        #[cfg(feature = "chrono")]
        SqlType::Date => read::<chrono::NaiveDate>,
        #[cfg(all(feature = "time", not(feature = "chrono")))]
        SqlType::Date => read::<time::Date>,
        #[cfg(feature = "chrono")]
        SqlType::Time => read::<chrono::NaiveTime>,
        #[cfg(all(feature = "time", not(feature = "chrono")))]
        SqlType::Time => read::<time::Time>,
        #[cfg(feature = "rust_decimal")]
        SqlType::Decimal => read::<rust_decimal::Decimal>,
        #[cfg(feature = "json")]
        SqlType::Json => read::<serde_json::Value>,
        #[allow(unreachable_patterns)]
        _ => return None,
    })
}
