//! Layer 5, the driver: pools and connections per backend ([`pool`]), the connections kept
//! between statements (`parked`) and lent to one read or write (`held`), transactions
//! ([`tx`]), running a [`crate::sql::Statement`] on any of them ([`executor`]), binding values
//! ([`bind`]), the functions Trellis registers on SQLite connections (and the order of its
//! decimal collation, `decimal_order`), reading SQLite rows
//! straight from the connection's handle, what the server answers beyond its dialect
//! (`server`), what a pool has done ([`counters`]), and the `Db` handle ([`db`]). It runs
//! statements; it never names a model.
//!
//! May use: values, metadata and SQL rendering (`crate::values`, `crate::meta`, `crate::sql`).

pub(crate) mod bind;
pub mod counters;
pub mod db;
#[cfg(all(feature = "sqlite", feature = "rust_decimal"))]
mod decimal_order;
pub mod executor;
pub(crate) mod health;
pub(crate) mod held;
pub(crate) mod parked;
pub mod pool;
pub mod retry;
pub mod routing;
#[cfg(feature = "mysql")]
mod server;
#[cfg(all(feature = "sqlite", feature = "rust_decimal"))]
mod sqlite_decimal;
#[cfg(feature = "sqlite")]
mod sqlite_direct;
#[cfg(feature = "sqlite")]
mod sqlite_functions;
#[cfg(feature = "sqlite")]
mod sqlite_udf;
pub mod tx;
