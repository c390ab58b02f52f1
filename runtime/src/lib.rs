//! The runtime of Trellis: connecting, rendering SQL per dialect, running queries and
//! decoding rows into models.
//!
//! Users depend on the `trellis` crate, which re-exports this one with the derive macros.

mod bind;
pub mod custom;
mod db;
mod error;
mod executor;
pub mod filter;
mod model;
pub mod query;
mod row;
pub mod schema;
pub mod sql;
mod tx;
pub mod types;
mod value;

pub use db::Db;
pub use error::{Error, Result};
pub use executor::Executor;
pub use filter::{not, Col, Filter, Order, TextColumn};
pub use model::Model;
pub use row::Row;
pub use schema::{ColumnMeta, ModelMeta, Schema};
pub use sql::{Dialect, Statement};
pub use tx::Tx;
pub use types::FieldType;
pub use value::{SqlType, Value};

/// Items only generated code uses; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::custom;
    pub use crate::error::Error;
    pub use crate::filter::{Col, Plain, Unique};
    pub use crate::types::{AutoKey, FieldType, ReferenceTo};
    pub use serde;

    /// Wraps a column decode failure with the model and column names.
    pub fn decode_error(
        model: &'static str,
        column: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        Error::decode(model, column, source)
    }

    /// Compile-time check that a field type is a supported column type.
    pub const fn assert_field_type<T: FieldType>() {}

    /// Compile-time check that a `sql_type` field's type implements sqlx's traits.
    pub const fn assert_custom_type<T: custom::CustomType>() {}

    /// Compile-time check that `#[field(auto)]` is on a key Trellis can generate.
    pub const fn assert_auto_key<T: AutoKey>() {}

    /// Compile-time check that `references = M` names a model whose key type matches.
    pub const fn assert_references<M: crate::Model, T: ReferenceTo<M::Key>>() {}
}
