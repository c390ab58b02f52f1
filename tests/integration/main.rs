//! The integration suite: one binary, a module per feature, every test on every configured
//! backend (see `support`).

mod support;

mod models;
mod relations;

mod crud;
mod docs;
mod errors;
mod filters;
mod generate;
mod schema;
mod select;
mod sql;
mod tracing;
mod transactions;
mod types;
