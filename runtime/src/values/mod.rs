//! Layer 1, values: what travels between Rust and the database. [`value::Value`] (a bound
//! parameter), the column types a field may have ([`types::FieldType`]), what sqlx must do
//! with them ([`native::Native`]), the rows that come back ([`row::Row`]), types declared with
//! `sql_type` ([`custom`]) and the one error type ([`error::Error`]).
//!
//! May use: nothing of the crate. Knows no ORM concept (models, relations, queries).

pub mod custom;
pub mod error;
pub mod native;
pub mod row;
pub mod types;
pub mod value;
