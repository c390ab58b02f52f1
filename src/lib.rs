//! Trellis: a relation-first ORM for Rust.
//!
//! Plain structs with `#[derive(Model)]` become tables; typed column handles build filters
//! that the compiler checks; the same models run on SQLite, PostgreSQL and MySQL/MariaDB,
//! chosen at run time by the database URL.
//!
//! ```
//! use trellis::prelude::*;
//!
//! #[derive(Model, Debug, Clone)]
//! #[model(table = "users")]
//! pub struct User {
//!     #[field(id, auto)]
//!     pub id: i64,
//!     #[field(unique)]
//!     pub email: String,
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), trellis::Error> {
//!     let db = Db::connect("sqlite::memory:").await?;
//!     db.create_schema(&Schema::new().model::<User>()).await?;
//!     let ada = User::insert(user::New { email: "ada@example.com".into() }).exec(&db).await?;
//!     let found = User::find_unique(user::email, "ada@example.com").fetch_one(&db).await?;
//!     assert_eq!(found.id, ada.id);
//!     Ok(())
//! }
//! ```
//!
//! Models are declared at module level: the column handles live in a module beside the struct
//! (`user::email` above), which cannot see items declared inside a function body.

// docs.rs builds with `--cfg docsrs` on nightly: label items that need a crate feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use trellis_macros::{select, Model, Selection};
pub use trellis_runtime::*;

#[cfg(feature = "cli")]
#[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
pub mod cli;

/// The names most programs need: `use trellis::prelude::*;`.
pub mod prelude {
    pub use trellis_macros::{select, Model, Selection};
    pub use trellis_runtime::select::Selection;
    pub use trellis_runtime::{
        not, BelongsTo, Col, ConnectOptions, Db, Error, Executor, Filter, HasMany, HasOne,
        ManyToMany, Model, Order, Queries, Schema, Tx,
    };
}

// Every Rust block in the README and the guides is compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod readme {}

#[cfg(doctest)]
#[doc = include_str!("../docs/models.md")]
mod docs_models {}

#[cfg(doctest)]
#[doc = include_str!("../docs/relations.md")]
mod docs_relations {}

#[cfg(doctest)]
#[doc = include_str!("../docs/aggregates.md")]
mod docs_aggregates {}

#[cfg(doctest)]
#[doc = include_str!("../docs/generators.md")]
mod docs_generators {}

#[cfg(doctest)]
#[doc = include_str!("../docs/performance.md")]
mod docs_performance {}

#[cfg(doctest)]
#[doc = include_str!("../docs/filters.md")]
mod docs_filters {}

#[cfg(doctest)]
#[doc = include_str!("../docs/writes.md")]
mod docs_writes {}

#[cfg(doctest)]
#[doc = include_str!("../docs/connections.md")]
mod docs_connections {}

#[cfg(doctest)]
#[doc = include_str!("../docs/reliability.md")]
mod docs_reliability {}

#[cfg(doctest)]
#[doc = include_str!("../docs/migrations.md")]
mod docs_migrations {}

#[cfg(doctest)]
#[doc = include_str!("../docs/web-service.md")]
mod docs_web_service {}

#[cfg(doctest)]
#[doc = include_str!("../docs/scaling.md")]
mod docs_scaling {}

#[cfg(doctest)]
#[doc = include_str!("../docs/architecture.md")]
mod docs_architecture {}

#[cfg(doctest)]
#[doc = include_str!("../docs/cli.md")]
mod docs_cli {}
