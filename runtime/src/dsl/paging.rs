//! How many rows `take` and `skip` count: any unsigned integer type, so that a `usize` from a
//! `len()` or a `u32` from a request needs no cast.

/// A number of rows, for `take(..)` and `skip(..)`: `u8`, `u16`, `u32`, `u64`, `usize`; and
/// `i32`, the type of an integer literal nothing else constrains (`take(5)`), where a negative
/// number counts as zero.
#[diagnostic::on_unimplemented(
    message = "`take` and `skip` count rows with an unsigned integer, not `{Self}`",
    label = "not a row count",
    note = "pass a `u8`, `u16`, `u32`, `u64` or `usize` (or an integer literal)"
)]
pub trait RowCount {
    /// The number, as the query holds it.
    fn row_count(self) -> u64;
}

macro_rules! unsigned {
    ($($ty:ty),*) => {$(
        impl RowCount for $ty {
            fn row_count(self) -> u64 {
                // Lossless: no unsigned type Trellis runs on is wider than 64 bits.
                u64::try_from(self).unwrap_or(u64::MAX)
            }
        }
    )*};
}

unsigned!(u8, u16, u32, u64, usize);

impl RowCount for i32 {
    fn row_count(self) -> u64 {
        u64::try_from(self).unwrap_or(0)
    }
}

/// How many roots a stream reads at a time unless told (`chunk_size`).
pub const DEFAULT_CHUNK: u64 = 1_000;

/// How many chunks a stream on a pool reads ahead of the one it hands out unless told
/// (`read_ahead`).
pub const DEFAULT_READ_AHEAD: usize = 1;
