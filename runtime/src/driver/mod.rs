//! Layer 5, the driver: pools and connections per backend ([`pool`]), transactions
//! ([`tx`]), running a [`crate::sql::Statement`] on either ([`executor`]), binding values
//! ([`bind`]), the functions Trellis registers on SQLite connections, reading SQLite rows
//! straight from the connection's handle, and the `Db` handle
//! ([`db`]). It runs statements; it never names a model.
//!
//! May use: values, metadata and SQL rendering (`crate::values`, `crate::meta`, `crate::sql`).

pub(crate) mod bind;
pub mod db;
pub mod executor;
pub mod pool;
#[cfg(feature = "sqlite")]
mod sqlite_direct;
#[cfg(feature = "sqlite")]
mod sqlite_functions;
pub mod tx;
