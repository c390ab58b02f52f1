//! Layer 8, running queries: the builders every model gets ([`query`]: find, insert, update,
//! delete, count, cursors, and the [`query::Queries`] entry points), relation loading
//! ([`load`]) and the runtime of `select!` ([`select`]).
//!
//! May use: every layer below.

pub mod load;
pub mod query;
pub mod select;
