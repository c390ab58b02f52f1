//! How Trellis registers its SQL functions on a SQLite connection (`sqlite_functions`,
//! `sqlite_decimal`): one call into libsqlite3-sys's `sqlite3_create_function_v2`, its result
//! code turned into an error.

// The workspace denies `unsafe_code`; this module is one of four exceptions (with
// `sqlite_functions`, `sqlite_decimal` and `sqlite_direct`), because registering a function
// with SQLite goes through libsqlite3-sys's C API. It is sound because its caller holds the
// connection (a locked handle keeps sqlx's worker thread off it), the name is a valid C
// string, the function pointers have the signatures SQLite expects, and the user data is a
// number that is never dereferenced.
#![allow(unsafe_code)]

use std::ffi::{c_int, CStr};

use libsqlite3_sys as ffi;

/// The C signature of a scalar function, and of an aggregate's step.
pub(crate) type Call =
    unsafe extern "C" fn(*mut ffi::sqlite3_context, c_int, *mut *mut ffi::sqlite3_value);

/// What SQLite calls for a function.
pub(crate) enum Callbacks {
    /// A scalar function: one call per row.
    Scalar(Call),
    /// An aggregate: a step per row, then a final call per group.
    #[cfg_attr(not(feature = "rust_decimal"), allow(dead_code))]
    Aggregate(Call, unsafe extern "C" fn(*mut ffi::sqlite3_context)),
}

/// Registers the deterministic function `name` of `args` arguments on `db`, with a number as
/// its user data (never dereferenced).
///
/// # Safety
/// `db` is the handle of a connection locked against sqlx's worker thread for the call, and
/// the callbacks read their arguments as registered here.
pub(crate) unsafe fn create_function(
    db: *mut ffi::sqlite3,
    name: &CStr,
    args: c_int,
    data: usize,
    callbacks: Callbacks,
) -> Result<(), sqlx::Error> {
    let (scalar, step, last) = match callbacks {
        Callbacks::Scalar(call) => (Some(call), None, None),
        Callbacks::Aggregate(step, last) => (None, Some(step), Some(last)),
    };
    // SAFETY: the caller holds the connection; the name is a valid C string and the function
    // pointers have the signatures SQLite expects.
    let code = ffi::sqlite3_create_function_v2(
        db,
        name.as_ptr(),
        args,
        ffi::SQLITE_UTF8 | ffi::SQLITE_DETERMINISTIC,
        data as *mut std::ffi::c_void,
        scalar,
        step,
        last,
        None,
    );
    if code == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Configuration(
            format!("could not register {name:?} (SQLite error {code})").into(),
        ))
    }
}
