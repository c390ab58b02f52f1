//! The trait `#[derive(Model)]` implements. The query entry points every model gets
//! (`find_many`, `insert`, ...) are the run layer's, in `run::query::Queries`.

use crate::meta::model::ModelMeta;
use crate::values::error::Result;
use crate::values::row::Row;
use crate::values::types::PrimaryKey;
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

    /// The primary key's Rust type: the key field's type, or a tuple of the key fields' types
    /// for a composite key.
    type Key: PrimaryKey;

    /// The value generated code looks the model's names up on: a hidden getter per column
    /// and relation returns its handle, and a name the model lacks is one error that lists
    /// the names it has.
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

/// A model whose rows can be created under a parent row: `Self::New` holds the columns of
/// `Self`'s `New` struct but the foreign key `FIELD` (a hash of the field's name, which the
/// derives of both models compute alike), which the parent's stored key fills in. The derive
/// implements it for every `#[field(references = ..)]` column.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no foreign key the relation can fill in",
    label = "the relation's `foreign_key` must be a field of `{Self}` marked `#[field(references = ..)]`, without `auto` or `default`"
)]
pub trait WithoutKey<const FIELD: u64>: Model {
    /// The columns of a new row but the foreign key.
    type New: Send + 'static;

    /// The values of `Self::META.insert_columns(false)`, with `key` as the foreign key's.
    fn __fill_values(new: &mut Self::New, key: Value) -> Vec<Value>;
}

/// A join model whose rows can be written for two rows it connects: `Self::New` holds the
/// columns of its `New` struct but the foreign keys `FROM` and `TO` (hashes of the fields'
/// names), the join model's own columns. The derive implements it for every two
/// `#[field(references = ..)]` columns, in both orders.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no pair of foreign keys the relation can fill in",
    label = "the relation's `from` and `to` must be fields of `{Self}` marked `#[field(references = ..)]`, without `auto` or `default`"
)]
pub trait WithoutKeys<const FROM: u64, const TO: u64>: Model {
    /// The join model's own columns.
    type New: Send + 'static;

    /// The values of `Self::META.insert_columns(false)`, with `from` and `to` as the foreign
    /// keys'.
    fn __fill_values(new: &mut Self::New, from: Value, to: Value) -> Vec<Value>;
}
