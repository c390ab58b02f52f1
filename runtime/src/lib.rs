//! The runtime of Trellis: connecting, rendering SQL per dialect, running queries and
//! decoding rows into models.
//!
//! Users depend on the `trellis` crate, which re-exports this one with the derive macros.
//!
//! The crate is built in layers, each folder one layer that uses only the ones before it
//! (`docs/architecture.md` describes them):
//! [`values`] -> `meta` -> `ir` -> [`sql`] -> `driver` -> `dsl` -> `model` -> `run` ->
//! [`migrate`].
//! The public paths below (`trellis::filter`, `trellis::relation`, ...) gather what users name
//! from the layers.

// Nothing reachable from a program's input may panic: a bad value, filter or row is a typed
// `Error`. The few places that cannot fail say why, next to an `allow`.
#![cfg_attr(
    not(test),
    warn(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::indexing_slicing
    )
)]
// Release builds compute the layout of the relation loaders' nested futures past the
// default query depth (128).
#![recursion_limit = "256"]
// docs.rs builds with `--cfg docsrs` on nightly: label items that need a crate feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(not(any(feature = "sqlite", feature = "postgres", feature = "mysql")))]
compile_error!(
    "Trellis needs at least one backend: turn on the `sqlite`, `postgres` or `mysql` feature"
);

mod driver;
mod dsl;
mod ir;
mod meta;
pub mod migrate;
mod model;
mod run;
pub mod sql;
#[doc(hidden)]
pub mod values;

pub use driver::counters::ConnectionStats;
pub use driver::db::Db;
pub use driver::executor::Executor;
pub use driver::pool::{ConnectOptions, LoadStrategy, SqliteJournalMode, SqlxPool};
pub use driver::retry::{Isolation, RetryPolicy};
pub use driver::routing::{ReplicaPolicy, ReplicaStats, RoundRobin};
pub use driver::tx::Tx;
pub use dsl::filter::{not, Col, Filter, Order, TextColumn};
pub use dsl::model::{Insertable, Model};
pub use dsl::paging::RowCount;
pub use dsl::relation::{BelongsTo, HasMany, HasOne, ManyToMany, Rel};
pub use meta::model::{ColumnMeta, IndexMeta, ModelMeta, ReferentialAction};
pub use model::input;
pub use model::schema::Schema;
pub use run::load::{Include, RelQuery};
pub use run::query::{self, Queries};
pub use run::select;
pub use sql::{Dialect, Statement};
pub use values::error::{Error, Result, Source};
pub use values::native::Native;
pub use values::row::Row;
pub use values::types::{self as types, FieldType, PrimaryKey};
pub use values::value::{KeyArray, SqlType, Value};

/// Column handles, filters and orderings, and the untyped description they build.
pub mod filter {
    pub use crate::dsl::filter::*;
}

/// Aggregates: of a relation's rows (`user::posts.sum(post::score)`), and of a query's rows
/// or groups (`Sale::aggregate(..)`, `Sale::group_by(..)`).
pub mod aggregate {
    pub use crate::dsl::aggregate::*;
    pub use crate::run::query::{AggregateQuery, Aggregates, GroupBy, GroupKeys};
}

/// Relation fields, relation handles, and the loading options of `include`.
pub mod relation {
    pub use crate::dsl::relation::*;
    pub use crate::meta::model::{RelationKind, RelationMeta, Through};
    pub use crate::run::load::{IncludeOn, IntoInclude, RelQuery};
}

/// Model metadata and the schema of an application's models.
pub mod schema {
    pub use crate::meta::model::*;
    pub use crate::model::schema::Schema;
}

/// Columns of types declared with `#[field(sql_type = "...")]` (used by generated code).
#[doc(hidden)]
pub mod custom {
    pub use crate::values::custom::*;
}

/// Items only generated code uses; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::dsl::filter::{Col, Plain, Unique};
    pub use crate::dsl::model::{WithoutKey, WithoutKeys};
    pub use crate::dsl::relation::{IsType, Required, Setter, ToMany, ToOne};
    pub use crate::meta::model::{RelationKind, RelationMeta, Through};
    pub use crate::run::query::{connect, create_children, disconnect, relink, Lookup};
    pub use crate::values::custom;
    pub use crate::values::error::Error;
    pub use crate::values::types::{AutoKey, FieldType, ReferenceTo};
    pub use serde;
    pub use serde_json;

    /// The compile-time checks of field types (see `model/checks.rs`).
    pub use crate::model::checks::*;
}
