//! The integration suite: one binary, a module per feature, every test on every configured
//! backend (see `support`).

mod support;

mod models;
mod referential;
mod relations;
mod returning;

mod aggregates;
mod bulk;
mod composite;
mod connections;
mod counts;
mod crud;
mod decimals;
mod differential;
mod docs;
mod errors;
mod faults;
mod filters;
mod generate;
mod hostile_filters;
mod hostile_values;
mod keys;
mod load;
mod migrations;
mod nested;
mod pages_at_scale;
mod per_request;
mod schema;
mod select;
mod sql;
mod stream;
mod tls;
mod topologies;
mod tracing;
mod transactions;
mod types;
mod web;
mod whole_table;
mod writes;
