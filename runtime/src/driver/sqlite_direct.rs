//! Reading rows straight from SQLite's C API, on the connection sqlx holds.
//!
//! sqlx runs each SQLite connection on a worker thread and hands every row over to the async
//! side; for a nested load of thousands of small rows that hand-off costs several times what
//! SQLite spends executing the statements. A read whose columns and parameters are all of the
//! plain types (integers, floats, booleans, text, bytes) can instead lock the connection's
//! handle (`SqliteConnection::lock_handle`) and step the statement itself, decoding each
//! column where it is.
//!
//! The statement runs on the calling thread. On a multi-threaded tokio runtime it runs inside
//! `block_in_place`, so that a wait for a lock (the busy timeout) does not stall the other
//! tasks of that worker; on a current-thread runtime it runs inline, as it would in sqlx's
//! worker thread.

// The workspace denies `unsafe_code`; this module is one of two exceptions (with
// `sqlite_functions`), because stepping a statement goes through libsqlite3-sys's C API. It is
// sound because:
// - the `sqlite3` handle comes from sqlx's `LockedSqliteHandle`, which keeps sqlx's worker
//   thread off the connection for as long as it lives, and it outlives every call here;
// - the prepared statement is finalized exactly once, by `Prepared`'s `Drop`, before the
//   function that prepared it returns;
// - text and blob parameters are bound with `SQLITE_STATIC` from the `Statement`, which the
//   caller borrows for longer than the prepared statement lives, so SQLite never reads freed
//   memory;
// - column text and blobs are copied out right after `sqlite3_column_*` returns them, before
//   the next step may free them, and their length comes from `sqlite3_column_bytes`.
#![allow(unsafe_code)]

use std::ffi::{c_int, CStr};
use std::ptr;

use libsqlite3_sys as ffi;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{LockedSqliteHandle, SqliteConnection};

use crate::sql::Statement;
use crate::values::error::{Error, Result};
use crate::values::row::{DirectValues, RawValue, Row, RowInner, RowSink};
use crate::values::value::Value;

/// Whether this statement's parameters can be bound directly (the plain types only; a NaN
/// goes through the driver's binder, which refuses it).
pub(crate) fn binds_directly(stmt: &Statement) -> bool {
    stmt.params.iter().all(|v| {
        matches!(
            v,
            Value::Null(_)
                | Value::Bool(_)
                | Value::I16(_)
                | Value::I32(_)
                | Value::I64(_)
                | Value::Text(_)
                | Value::Bytes(_)
        ) || matches!(v, Value::F32(f) if !f.is_nan())
            || matches!(v, Value::F64(f) if !f.is_nan())
    })
}

/// A SQLite connection held for the statements of one read, whose handle stays locked from
/// its first direct statement until a statement goes through sqlx or the read ends.
///
/// Locking the handle is a message to sqlx's worker thread, which lets go of the connection
/// and then waits for it; unlocking wakes that thread again. Per statement, those thread
/// hand-offs cost more than a small statement itself (a `find_first` reads three); locked once
/// per read, a read of any number of direct statements pays them once.
pub(crate) struct HeldSqlite {
    /// The locked handle, borrowing the connection's shared state (see [`HeldSqlite::handle`]):
    /// always let go of before the connection is used through sqlx or dropped.
    locked: Option<LockedSqliteHandle<'static>>,
    conn: PoolConnection<sqlx::Sqlite>,
}

impl HeldSqlite {
    pub(crate) fn new(conn: PoolConnection<sqlx::Sqlite>) -> HeldSqlite {
        HeldSqlite { locked: None, conn }
    }

    /// The connection, for a statement through sqlx: the handle is unlocked first (sqlx's
    /// worker thread runs that statement, and cannot while the handle is locked).
    pub(crate) fn conn(&mut self) -> &mut PoolConnection<sqlx::Sqlite> {
        self.locked = None;
        &mut self.conn
    }

    /// The locked handle, locked now unless it still is.
    async fn handle(&mut self) -> Result<&mut LockedSqliteHandle<'static>> {
        if self.locked.is_none() {
            let locked = self.conn.lock_handle().await.map_err(Error::from_sqlx)?;
            // SAFETY: the handle borrows the connection's shared state, which sqlx keeps in an
            // `Arc` the connection owns, so it stays where it is while the connection lives,
            // however the connection moves. The handle is let go of before the connection is
            // used through sqlx (`conn`) and before it is dropped (`Drop` below), so it never
            // outlives the state it borrows; the `'static` is never observed beyond that.
            let locked = unsafe {
                std::mem::transmute::<LockedSqliteHandle<'_>, LockedSqliteHandle<'static>>(locked)
            };
            self.locked = Some(locked);
        }
        match &mut self.locked {
            Some(locked) => Ok(locked),
            None => Err(Error::InvalidQuery(
                "internal: the SQLite handle was not locked".to_owned(),
            )),
        }
    }
}

impl Drop for HeldSqlite {
    fn drop(&mut self) {
        // Before the connection goes back to its pool.
        self.locked = None;
    }
}

impl std::fmt::Debug for HeldSqlite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeldSqlite")
            .field("locked", &self.locked.is_some())
            .finish_non_exhaustive()
    }
}

/// [`fetch`] on a held connection, whose handle stays locked after it.
pub(crate) async fn fetch_held(
    held: &mut HeldSqlite,
    stmt: &Statement,
    sink: &mut RowSink<'_>,
) -> Result<usize> {
    fetch_locked(held.handle().await?, stmt, sink)
}

/// Runs `stmt` (see [`binds_directly`]) on `conn`, handing each row to `sink` as it is read;
/// returns how many there were.
pub(crate) async fn fetch(
    conn: &mut SqliteConnection,
    stmt: &Statement,
    sink: &mut RowSink<'_>,
) -> Result<usize> {
    let mut locked = conn.lock_handle().await.map_err(Error::from_sqlx)?;
    fetch_locked(&mut locked, stmt, sink)
}

/// [`fetch`] on a locked handle.
fn fetch_locked(
    locked: &mut LockedSqliteHandle<'_>,
    stmt: &Statement,
    sink: &mut RowSink<'_>,
) -> Result<usize> {
    let db = locked.as_raw_handle().as_ptr();
    let mut run = || {
        // SAFETY: `db` is the open handle `locked` keeps to this thread until it is dropped,
        // after this call returns.
        unsafe { fetch_on(db, stmt, sink) }
    };
    let in_pool = tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if in_pool {
        tokio::task::block_in_place(run)
    } else {
        run()
    }
}

/// A prepared statement, finalized when dropped.
struct Prepared(*mut ffi::sqlite3_stmt);

impl Drop for Prepared {
    fn drop(&mut self) {
        // SAFETY: the statement was prepared on a live handle and is finalized only here.
        unsafe {
            ffi::sqlite3_finalize(self.0);
        }
    }
}

/// # Safety
/// `db` must be an open handle that no other thread uses during the call.
unsafe fn fetch_on(
    db: *mut ffi::sqlite3,
    stmt: &Statement,
    sink: &mut RowSink<'_>,
) -> Result<usize> {
    let sql_len = c_int::try_from(stmt.sql.len())
        .map_err(|_| Error::InvalidQuery("the statement is too long for SQLite".to_owned()))?;
    let mut raw = ptr::null_mut();
    let rc = ffi::sqlite3_prepare_v2(
        db,
        stmt.sql.as_ptr().cast(),
        sql_len,
        &mut raw,
        ptr::null_mut(),
    );
    if rc != ffi::SQLITE_OK || raw.is_null() {
        return Err(error(db, rc));
    }
    let prepared = Prepared(raw);
    for (i, value) in stmt.params.iter().enumerate() {
        let index = c_int::try_from(i + 1)
            .map_err(|_| Error::InvalidQuery("too many parameters for SQLite".to_owned()))?;
        let rc = bind(prepared.0, index, value);
        if rc != ffi::SQLITE_OK {
            return Err(error(db, rc));
        }
    }
    let columns = ffi::sqlite3_column_count(prepared.0).max(0);
    // A row of up to three columns holds them in itself (`DirectValues`): no allocation per
    // row beyond its text, which took a tenth of a 10,000-row load when each row's columns
    // were boxed apart.
    let mut rows = 0;
    loop {
        match ffi::sqlite3_step(prepared.0) {
            ffi::SQLITE_ROW => {
                let values = (0..columns)
                    .map(|c| column(prepared.0, c))
                    .collect::<DirectValues>();
                sink(Row(RowInner::Direct(values)))?;
                rows += 1;
            }
            ffi::SQLITE_DONE => break,
            rc => return Err(error(db, rc)),
        }
    }
    drop(prepared);
    Ok(rows)
}

/// Binds one parameter; `value` must outlive the prepared statement (it is bound without a
/// copy).
unsafe fn bind(raw: *mut ffi::sqlite3_stmt, index: c_int, value: &Value) -> c_int {
    match value {
        Value::Bool(v) => ffi::sqlite3_bind_int64(raw, index, i64::from(*v)),
        Value::I16(v) => ffi::sqlite3_bind_int64(raw, index, i64::from(*v)),
        Value::I32(v) => ffi::sqlite3_bind_int64(raw, index, i64::from(*v)),
        Value::I64(v) => ffi::sqlite3_bind_int64(raw, index, *v),
        Value::F32(v) => ffi::sqlite3_bind_double(raw, index, f64::from(*v)),
        Value::F64(v) => ffi::sqlite3_bind_double(raw, index, *v),
        Value::Text(v) => ffi::sqlite3_bind_text64(
            raw,
            index,
            v.as_ptr().cast(),
            v.len() as u64,
            ffi::SQLITE_STATIC(),
            ffi::SQLITE_UTF8 as u8,
        ),
        Value::Bytes(v) => ffi::sqlite3_bind_blob64(
            raw,
            index,
            v.as_ptr().cast(),
            v.len() as u64,
            ffi::SQLITE_STATIC(),
        ),
        // `binds_directly` admits nothing else; NULL is what any other value would be refused as.
        _ => ffi::sqlite3_bind_null(raw, index),
    }
}

/// Copies column `c` of the current row.
unsafe fn column(raw: *mut ffi::sqlite3_stmt, c: c_int) -> RawValue {
    match ffi::sqlite3_column_type(raw, c) {
        ffi::SQLITE_INTEGER => RawValue::Int(ffi::sqlite3_column_int64(raw, c)),
        ffi::SQLITE_FLOAT => RawValue::Real(ffi::sqlite3_column_double(raw, c)),
        ffi::SQLITE_TEXT => {
            let text = ffi::sqlite3_column_text(raw, c);
            let bytes = copy(text, ffi::sqlite3_column_bytes(raw, c));
            match String::from_utf8(bytes) {
                // Copied to its exact length, so the boxed form is the same allocation.
                Ok(text) => RawValue::Text(text.into_boxed_str()),
                Err(e) => RawValue::Blob(e.into_bytes().into_boxed_slice()),
            }
        }
        ffi::SQLITE_BLOB => {
            let blob = ffi::sqlite3_column_blob(raw, c);
            RawValue::Blob(copy(blob.cast(), ffi::sqlite3_column_bytes(raw, c)).into_boxed_slice())
        }
        _ => RawValue::Null,
    }
}

/// The `len` bytes at `data` (none when it is null: an empty text or blob).
unsafe fn copy(data: *const u8, len: c_int) -> Vec<u8> {
    match usize::try_from(len) {
        Ok(len) if !data.is_null() && len > 0 => std::slice::from_raw_parts(data, len).to_vec(),
        _ => Vec::new(),
    }
}

/// SQLite's error for result code `rc`, as Trellis reports it.
unsafe fn error(db: *mut ffi::sqlite3, rc: c_int) -> Error {
    let message = {
        let text = ffi::sqlite3_errmsg(db);
        if text.is_null() {
            format!("SQLite error {rc}")
        } else {
            CStr::from_ptr(text).to_string_lossy().into_owned()
        }
    };
    // The extended code tells the constraints apart (sqlx turns extended codes on).
    let code = ffi::sqlite3_extended_errcode(db);
    let constraint = || crate::values::error::constraint_from_message(&message);
    match code {
        ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
            return Error::UniqueViolation {
                constraint: constraint(),
                message,
            }
        }
        // A `restrict` action is reported as a trigger's constraint.
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY | ffi::SQLITE_CONSTRAINT_TRIGGER
            if message.contains("FOREIGN KEY") =>
        {
            return Error::ForeignKeyViolation {
                constraint: constraint(),
                message,
            }
        }
        _ => {}
    }
    let source = SqliteError { code, message };
    match rc & 0xff {
        ffi::SQLITE_BUSY | ffi::SQLITE_LOCKED => Error::Busy {
            source: Box::new(source),
        },
        _ => Error::database(source),
    }
}

/// An error SQLite reported for a statement stepped directly.
#[derive(Debug)]
struct SqliteError {
    code: c_int,
    message: String,
}

impl std::fmt::Display for SqliteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (SQLite code {})", self.message, self.code)
    }
}

impl std::error::Error for SqliteError {}
