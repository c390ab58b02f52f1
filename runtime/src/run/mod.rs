//! Layer 8, running queries: the builders every model gets ([`query`]: find, insert, update,
//! delete, count, cursors, and the [`query::Queries`] entry points), relation loading
//! ([`load`]), the runtime of `select!` ([`select`]; the aggregates its items share, [`shared`]) and selections read as streams
//! ([`stream`]).
//!
//! May use: every layer below.

pub mod load;
pub mod query;
pub mod select;
pub mod shared;
pub mod stream;
