//! The runtime of Trellis: connecting, rendering SQL per dialect, running queries and
//! decoding rows into models.
//!
//! Users depend on the `trellis` crate, which re-exports this one with the derive macros.

// docs.rs builds with `--cfg docsrs` on nightly: label items that need a crate feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(not(any(feature = "sqlite", feature = "postgres", feature = "mysql")))]
compile_error!(
    "Trellis needs at least one backend: turn on the `sqlite`, `postgres` or `mysql` feature"
);

mod bind;
mod checks;
#[doc(hidden)] // Generated code's, for `sql_type` columns; its traits name sqlx's argument types.
pub mod custom;
mod db;
mod error;
mod executor;
pub mod filter;
mod generate;
pub mod input;
mod load;
mod model;
mod native;
pub mod query;
pub mod relation;
mod row;
pub mod schema;
pub mod select;
pub mod sql;
#[cfg(feature = "sqlite")]
mod sqlite_functions;
mod tx;
pub mod types;
mod value;

pub use db::{ConnectOptions, Db};
pub use error::{Error, Result, Source};
pub use executor::Executor;
pub use filter::{not, Col, Filter, Order, TextColumn};
pub use load::Include;
pub use model::Model;
pub use native::Native;
pub use relation::{BelongsTo, HasMany, HasOne, ManyToMany, Rel, RelQuery};
pub use row::Row;
pub use schema::{ColumnMeta, ModelMeta, ReferentialAction, Schema};
pub use sql::{Dialect, Statement};
pub use tx::Tx;
pub use types::FieldType;
pub use value::{KeyArray, SqlType, Value};

/// Items only generated code uses; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::custom;
    pub use crate::error::Error;
    pub use crate::filter::{Col, Plain, Unique};
    pub use crate::relation::{
        RelationKind, RelationMeta, Required, Setter, Through, ToMany, ToOne,
    };
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

    /// The compile-time checks of field types (see `checks.rs`).
    pub use crate::checks::*;
}
