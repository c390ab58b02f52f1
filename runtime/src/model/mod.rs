//! Layer 7, what a model brings besides its trait: the [`schema::Schema`] of an application's
//! models (and creating their tables), filters as plain data ([`input`], the `Where`
//! structs), the compile-time checks generated code calls ([`checks`]), and the generators
//! of SQL DDL, Prisma and Drizzle schemas ([`generate`]), which read metadata only.
//!
//! May use: every layer below (`values`, `meta`, `ir`, `sql`, `driver`, `dsl`).

pub mod checks;
mod generate;
pub mod input;
pub mod schema;
