//! The trait `#[derive(Model)]` implements, and the query entry points every model gets.

use crate::error::Result;
use crate::filter::{Col, Unique};
use crate::query::{Count, Delete, DeleteOne, Find, Insert, InsertOne, Update, UpdateOne};
use crate::row::Row;
use crate::schema::ModelMeta;
use crate::types::FieldType;
use crate::value::Value;

/// A struct stored as rows of one table. Implement it with `#[derive(Model)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Trellis model",
    label = "not a model",
    note = "add `#[derive(trellis::Model)]` to `{Self}`"
)]
pub trait Model: Sized + Send + Sync + Unpin + 'static {
    /// The table, its columns and keys.
    const META: &'static ModelMeta;

    /// The primary key's Rust type.
    type Key: FieldType;

    /// One typed handle per column, as fields: the compiler checks names given in relation
    /// attributes against it (`no field `x` on type `Fields``, with the fields there are).
    type Fields: Copy + 'static;

    /// The column handles.
    const FIELDS: Self::Fields;

    /// The where struct (`user::Where`): a filter as plain, deserializable data.
    type Where: Into<crate::Filter<Self>>
        + Default
        + Clone
        + std::fmt::Debug
        + serde::de::DeserializeOwned
        + Send
        + Sync
        + 'static;

    /// Decodes a row whose columns are this model's, in field order.
    #[doc(hidden)]
    fn __decode(row: &Row) -> Result<Self>;

    /// Fills in keys Trellis generates, then returns the values of every column the insert
    /// writes (all but database-generated ones), in field order.
    #[doc(hidden)]
    fn __insert_values(&mut self) -> Vec<Value>;

    /// The value of a column, by its Rust field name (for relation keys).
    #[doc(hidden)]
    fn __column(&self, field: &str) -> Option<Value>;

    /// Stores a database-generated key read back after an insert.
    #[doc(hidden)]
    fn __set_generated_key(&mut self, key: i64) -> Result<()>;

    /// The model's metadata (as a function, for places that need one).
    fn meta() -> &'static ModelMeta {
        Self::META
    }

    /// All rows, narrowed with `.filter(..)`, `.order_by(..)`, `.take(..)`, `.skip(..)`.
    fn find_many() -> Find<Self> {
        Find::new()
    }

    /// The first row in the requested order, if any (`.fetch_optional` / `.fetch_one`).
    fn find_first() -> Find<Self> {
        Find::new()
    }

    /// The row with this primary key.
    fn find_by_id(key: impl Into<Self::Key>) -> Find<Self> {
        Find::by_key(key.into())
    }

    /// The row whose unique column holds `value`.
    fn find_unique<T: FieldType>(column: Col<Self, T, Unique>, value: impl Into<T>) -> Find<Self> {
        Find::new().filter(column.eq(value))
    }

    /// Inserts one row; `.exec` returns it as stored, with generated keys filled in.
    ///
    /// Takes the model itself or its column-only form (`user::New`), which spares spelling
    /// out relation fields.
    fn insert(row: impl Into<Self>) -> InsertOne<Self> {
        InsertOne::new(row.into())
    }

    /// Inserts many rows in as few statements as the backend's parameter limit allows,
    /// all or none.
    fn insert_many<R: Into<Self>>(rows: impl IntoIterator<Item = R>) -> Insert<Self> {
        Insert::new(rows.into_iter().map(Into::into).collect())
    }

    /// Updates the rows a filter matches; `.exec` returns how many matched.
    fn update_many() -> Update<Self> {
        Update::new()
    }

    /// Updates the row with this primary key; `.exec` returns it as stored.
    fn update_by_id(key: impl Into<Self::Key>) -> UpdateOne<Self> {
        UpdateOne::new(key.into())
    }

    /// Deletes the rows a filter matches; `.exec` returns how many it deleted.
    fn delete_many() -> Delete<Self> {
        Delete::new()
    }

    /// Deletes the row with this primary key; `.exec` fails with `NotFound` when there is none.
    fn delete_by_id(key: impl Into<Self::Key>) -> DeleteOne<Self> {
        DeleteOne::new(key.into())
    }

    /// Counts the rows a filter matches.
    fn count() -> Count<Self> {
        Count::new()
    }
}
