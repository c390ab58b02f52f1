//! The trait `#[derive(Model)]` implements. The query entry points every model gets
//! (`find_many`, `insert`, ...) are the run layer's, in `run::query::Queries`.

use crate::meta::model::ModelMeta;
use crate::values::error::Result;
use crate::values::row::Row;
use crate::values::types::FieldType;
use crate::values::value::Value;

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
    type Where: Into<crate::dsl::filter::Filter<Self>>
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
}

/// A value `insert` and `upsert` take: the model itself (every column, as today's rows), or its
/// `New` struct (`user::New`), which leaves out `#[field(id, auto)]` keys and columns with a
/// `default`, so the database fills them in.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be inserted",
    label = "not a model or a model's `New` struct",
    note = "pass the model's `New` struct (`user::New {{ .. }}`) or a value of the model"
)]
pub trait Insertable: Send + 'static {
    /// The model whose table the value goes into.
    type Model: Model;

    /// Whether the value holds every column (the model itself) rather than leaving out the
    /// columns with a database default: the columns written are
    /// [`ModelMeta::insert_columns`]`(__WHOLE)`.
    #[doc(hidden)]
    const __WHOLE: bool;

    /// Fills in keys Trellis generates, then returns the values of the columns written, in
    /// that order.
    #[doc(hidden)]
    fn __insert_values(&mut self) -> Vec<Value>;

    /// The row as stored when the value knows every column (the model itself), given the key
    /// the database generated; `None` when the row must be read back.
    #[doc(hidden)]
    fn __stored(self, generated_key: Option<i64>) -> Result<Option<Self::Model>>;
}
