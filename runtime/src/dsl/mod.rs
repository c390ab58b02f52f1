//! Layer 6, the typed language: the [`model::Model`] trait the derive implements, column
//! handles and the filters and orderings built from them ([`filter`]), relation handles and
//! relation fields ([`relation`]). Everything here carries its model's type, so a filter for
//! one model does not compile on another; nothing here runs a query.
//!
//! May use: values, metadata and the query description (`crate::values`, `crate::meta`,
//! `crate::ir`).

pub mod aggregate;
pub mod erased;
pub mod filter;
pub mod model;
pub mod paging;
pub mod relation;
