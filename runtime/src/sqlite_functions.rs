//! SQL functions Trellis adds to every SQLite connection.
//!
//! SQLite's own `lower()` folds ASCII letters only, while PostgreSQL's and MySQL's fold every
//! letter; `trellis_lower()` folds with Rust's `str::to_lowercase`, so case-insensitive
//! matching means the same on all three.

use std::ffi::{c_int, CStr};

use libsqlite3_sys as ffi;
use sqlx::sqlite::SqliteConnection;

/// The name case-insensitive matches call on SQLite.
pub(crate) const LOWER: &str = "trellis_lower";
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

/// Registers Trellis's functions on a new connection.
pub(crate) async fn register(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: the locked handle keeps sqlx's worker off this connection during the call; the
    // name is a valid C string and the function pointer has the signature SQLite expects.
    let code = unsafe {
        ffi::sqlite3_create_function_v2(
            db,
            LOWER_C.as_ptr(),
            1,
            ffi::SQLITE_UTF8 | ffi::SQLITE_DETERMINISTIC,
            std::ptr::null_mut(),
            Some(lower),
            None,
            None,
            None,
        )
    };
    if code == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Configuration(
            format!("could not register {LOWER}() (SQLite error {code})").into(),
        ))
    }
}
