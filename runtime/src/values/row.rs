//! A result row from any of the backends compiled in.

#[cfg(feature = "mysql")]
use sqlx::mysql::MySqlRow;
#[cfg(feature = "postgres")]
use sqlx::postgres::PgRow;
#[cfg(feature = "sqlite")]
use sqlx::sqlite::SqliteRow;
use sqlx::{Row as _, ValueRef as _};

use crate::values::native::Native;

/// One row as the database returned it; generated decoders read it by column position.
pub struct Row(pub(crate) RowInner);

/// Takes each row of a read as it arrives, so that a caller turning rows into outputs one by
/// one never holds them all.
pub(crate) type RowSink<'s> = dyn FnMut(Row) -> crate::values::error::Result<()> + Send + 's;

/// The driver's own row.
pub(crate) enum RowInner {
    #[cfg(feature = "sqlite")]
    Sqlite(SqliteRow),
    #[cfg(feature = "postgres")]
    Postgres(PgRow),
    #[cfg(feature = "mysql")]
    MySql(MySqlRow),
    /// A SQLite row read straight from the connection's handle, its columns copied out.
    #[cfg(feature = "sqlite")]
    Direct(DirectValues),
}

/// The columns of a direct row: up to three in the row itself (a related row's one or two
/// selected columns and its parent key need no allocation of their own), more on the heap.
#[cfg(feature = "sqlite")]
pub(crate) type DirectValues = smallvec::SmallVec<[RawValue; 3]>;

/// One column of a [`RowInner::Direct`] row: SQLite's own storage classes.
#[cfg(feature = "sqlite")]
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RawValue {
    Null,
    Int(i64),
    Real(f64),
    Text(Box<str>),
    Blob(Box<[u8]>),
    /// A text or blob already moved out by [`Row::take_direct`]: a column a selection reads
    /// once, after everything that reads it by reference.
    Taken,
}

/// Runs `$body` with `$r` bound to the driver's row, whichever backend it came from.
macro_rules! each_row {
    ($row:expr, |$r:ident| $body:expr, direct: |$d:ident| $direct:expr) => {
        match $row {
            #[cfg(feature = "sqlite")]
            RowInner::Direct($d) => $direct,
            #[cfg(feature = "sqlite")]
            RowInner::Sqlite($r) => $body,
            #[cfg(feature = "postgres")]
            RowInner::Postgres($r) => $body,
            #[cfg(feature = "mysql")]
            RowInner::MySql($r) => $body,
        }
    };
}

type BoxDynError = Box<dyn std::error::Error + Send + Sync>;

impl Row {
    /// Whether the column at `index` is SQL `NULL`.
    pub fn is_null(&self, index: usize) -> Result<bool, BoxDynError> {
        Ok(
            each_row!(&self.0, |r| r.try_get_raw(index)?.is_null(), direct: |values| {
                match values.get(index) {
                    Some(value) => *value == RawValue::Null,
                    None => return Err(out_of_range(index, values.len())),
                }
            }),
        )
    }

    /// Reads a column through sqlx's own decoding, for types every backend compiled in
    /// supports.
    pub fn get_native<T: Native>(&self, index: usize) -> Result<T, BoxDynError> {
        Ok(
            each_row!(&self.0, |r| r.try_get(index)?, direct: |_values| {
                // Only columns of the plain types are read directly, and those decode through
                // `Row::direct`.
                return Err("this column's type is not read from a direct SQLite row".into());
            }),
        )
    }

    /// Whether the driver decodes a `NULL` column into a plain type's default (SQLite's does);
    /// PostgreSQL's and MySQL's refuse it with an error.
    pub(crate) fn decodes_null_as_default(&self) -> bool {
        match &self.0 {
            #[cfg(feature = "sqlite")]
            RowInner::Sqlite(_) | RowInner::Direct(_) => true,
            #[allow(unreachable_patterns)] // With SQLite alone, every row is SQLite's.
            _ => false,
        }
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        each_row!(&self.0, |r| r.len(), direct: |values| values.len())
    }

    /// Whether the row has no columns.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The position of the column named `name` (a driver's row; a direct SQLite row has no
    /// names).
    pub fn position_of(&self, name: &str) -> Option<usize> {
        use sqlx::Column as _;
        each_row!(
            &self.0,
            |r| r.columns().iter().position(|c| c.name() == name),
            direct: |_values| None
        )
    }

    /// The column at `index` of a direct row, moved out (text and bytes are not copied) and
    /// left [`RawValue::Taken`]; `None` for a driver's row.
    #[cfg(feature = "sqlite")]
    pub(crate) fn take_direct(&mut self, index: usize) -> Option<Result<RawValue, BoxDynError>> {
        match &mut self.0 {
            RowInner::Direct(values) => Some(match values.get_mut(index) {
                Some(RawValue::Taken) => Err(taken(index)),
                Some(value) => Ok(std::mem::replace(value, RawValue::Taken)),
                None => Err(out_of_range(index, values.len())),
            }),
            #[allow(unreachable_patterns)] // With SQLite alone, every row may be direct.
            _ => None,
        }
    }

    /// The column at `index` of a row read directly from SQLite; `None` for a driver's row.
    #[cfg(feature = "sqlite")]
    pub(crate) fn direct(&self, index: usize) -> Option<Result<&RawValue, BoxDynError>> {
        match &self.0 {
            RowInner::Direct(values) => Some(match values.get(index) {
                Some(RawValue::Taken) => Err(taken(index)),
                Some(value) => Ok(value),
                None => Err(out_of_range(index, values.len())),
            }),
            #[allow(unreachable_patterns)] // With SQLite alone, every row may be direct.
            _ => None,
        }
    }
}

/// A direct column read again after it was moved out.
#[cfg(feature = "sqlite")]
pub(crate) fn taken(index: usize) -> BoxDynError {
    format!("internal: column {index} of the row was read after it was moved out").into()
}

#[cfg(feature = "sqlite")]
fn out_of_range(index: usize, len: usize) -> BoxDynError {
    Box::new(sqlx::Error::ColumnIndexOutOfBounds { index, len })
}
