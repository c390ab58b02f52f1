//! The `trellis` command (binary `trellis`, `cargo install --path cli`): `trellis pull` reads
//! the catalog of a live SQLite, PostgreSQL or MySQL/MariaDB database and writes its models as
//! one Rust file of `#[derive(Model)]` structs. `docs/cli.md` is the guide.
//!
//! The work is a pure function of the catalog ([`pull::pull`]); the binary only connects,
//! reads the catalog, writes the file and prints what it left out.

pub mod pull;

/// The first line of a file `trellis pull` writes: a file that does not start with it is
/// not overwritten without `--force`, so that a mistyped `--out` loses no hand-written code.
pub const HEADER_START: &str = "//! The models of a ";
