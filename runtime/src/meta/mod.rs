//! Layer 2, metadata: what `#[derive(Model)]` records about a model's table, columns, keys and
//! relations, as static data (one module: models and relations refer to each other). No
//! traits over models, no queries, no I/O.
//!
//! May use: values (`crate::values`).

pub mod model;
