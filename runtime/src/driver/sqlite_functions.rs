//! SQL functions Trellis adds to every SQLite connection.
//!
//! SQLite's own `lower()` folds ASCII letters only, while PostgreSQL's and MySQL's fold every
//! letter; `trellis_lower()` folds with Rust's `str::to_lowercase`, so case-insensitive
//! matching means the same on all three.
//!
//! SQLite's `GLOB` and `LIKE` read text as C strings, stopping at the first NUL byte (a needle
//! `"\0"` would match every row); `trellis_contains()`, `trellis_starts_with()` and
//! `trellis_ends_with()` compare every byte, as MySQL does.

// The workspace denies `unsafe_code`; this module is one of four exceptions (with
// `sqlite_udf`, `sqlite_decimal` and `sqlite_direct`), because a function SQLite calls reads
// its arguments through libsqlite3-sys's C API. It is sound because: SQLite calls each
// function with the argument count it was registered with (and the functions check
// `argc` and `argv` anyway); argument values are read only through SQLite's own accessors
// (`sqlite3_value_type`, `_text`, `_bytes`), and the bytes borrowed from them are used only
// within the call, before SQLite may free or convert them; results are copied by SQLite
// (`SQLITE_TRANSIENT`); and the connection handle is locked against sqlx's worker thread while
// the functions are registered.
#![allow(unsafe_code)]

use std::ffi::{c_int, CStr};

use libsqlite3_sys as ffi;
use sqlx::sqlite::SqliteConnection;

use crate::driver::sqlite_udf::{create_function, Callbacks};

const LOWER_C: &CStr = c"trellis_lower";

/// `trellis_lower(text)`: the text in lower case; `NULL` stays `NULL`, other values pass through.
///
/// # Safety
/// Called by SQLite with one argument, as registered in [`register`].
unsafe extern "C" fn lower(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    if argc != 1 || argv.is_null() {
        ffi::sqlite3_result_null(ctx);
        return;
    }
    let value = *argv;
    if ffi::sqlite3_value_type(value) != ffi::SQLITE_TEXT {
        ffi::sqlite3_result_value(ctx, value);
        return;
    }
    let text = ffi::sqlite3_value_text(value);
    let len = ffi::sqlite3_value_bytes(value);
    if text.is_null() || len < 0 {
        ffi::sqlite3_result_value(ctx, value);
        return;
    }
    // SAFETY: SQLite guarantees `len` readable bytes at `text` until the next call on `value`.
    let bytes = std::slice::from_raw_parts(text, len as usize);
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let lowered = text.to_lowercase();
            match c_int::try_from(lowered.len()) {
                Ok(n) => ffi::sqlite3_result_text(
                    ctx,
                    lowered.as_ptr().cast(),
                    n,
                    ffi::SQLITE_TRANSIENT(),
                ),
                Err(_) => ffi::sqlite3_result_error_toobig(ctx),
            }
        }
        Err(_) => ffi::sqlite3_result_value(ctx, value),
    }
}

/// Where a text match must be found, passed to [`find`] as its user data.
#[derive(Clone, Copy)]
#[repr(usize)]
enum Place {
    Anywhere = 1,
    Start = 2,
    End = 3,
}

/// The matching functions, by place (their SQL names are in [`crate::sql::sqlite_names`]).
const MATCHERS: [(&CStr, Place); 3] = [
    (c"trellis_contains", Place::Anywhere),
    (c"trellis_starts_with", Place::Start),
    (c"trellis_ends_with", Place::End),
];

/// The bytes of a value as text; `None` for `NULL`.
///
/// # Safety
/// `value` is an argument SQLite passed to the running function.
unsafe fn text_bytes<'a>(value: *mut ffi::sqlite3_value) -> Option<&'a [u8]> {
    if ffi::sqlite3_value_type(value) == ffi::SQLITE_NULL {
        return None;
    }
    // `sqlite3_value_text` first, then `_bytes`: the order SQLite documents for a length that
    // matches the text returned.
    let text = ffi::sqlite3_value_text(value);
    let len = ffi::sqlite3_value_bytes(value);
    if text.is_null() || len <= 0 {
        return Some(&[]);
    }
    // SAFETY: SQLite guarantees `len` readable bytes at `text` until the next call on `value`.
    Some(std::slice::from_raw_parts(text, len as usize))
}

/// `trellis_contains(haystack, needle)` and its siblings: 1 when the needle's bytes are found
/// at the place the function's user data names, 0 when not, `NULL` when either is `NULL`.
///
/// # Safety
/// Called by SQLite with two arguments and a [`Place`] as user data, as registered in [`register`].
unsafe extern "C" fn find(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    if argc != 2 || argv.is_null() {
        ffi::sqlite3_result_null(ctx);
        return;
    }
    let place = ffi::sqlite3_user_data(ctx) as usize;
    let (Some(haystack), Some(needle)) = (text_bytes(*argv), text_bytes(*argv.add(1))) else {
        ffi::sqlite3_result_null(ctx);
        return;
    };
    let found = if place == Place::Start as usize {
        haystack.starts_with(needle)
    } else if place == Place::End as usize {
        haystack.ends_with(needle)
    } else {
        needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
    };
    ffi::sqlite3_result_int(ctx, c_int::from(found));
}

/// Registers Trellis's functions on a new connection.
pub(crate) async fn register(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: the locked handle keeps sqlx's worker off this connection during the calls;
    // `lower` reads one argument, `find` two and its user data as a `Place`.
    unsafe {
        create_function(db, LOWER_C, 1, 0, Callbacks::Scalar(lower))?;
        for (name, place) in MATCHERS {
            create_function(db, name, 2, place as usize, Callbacks::Scalar(find))?;
        }
    }
    #[cfg(feature = "rust_decimal")]
    crate::driver::sqlite_decimal::register(&mut handle)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{LOWER_C, MATCHERS};
    use crate::sql::sqlite_names::{CONTAINS, ENDS_WITH, LOWER, STARTS_WITH};

    #[test]
    fn the_functions_are_registered_under_the_names_the_sql_calls() {
        let names: Vec<_> = MATCHERS.iter().map(|(n, _)| n.to_str().ok()).collect();
        assert_eq!(names, [Some(CONTAINS), Some(STARTS_WITH), Some(ENDS_WITH)]);
        assert_eq!(LOWER_C.to_str().ok(), Some(LOWER));
    }
}
