//! Reading rows straight from SQLite's C API, on the connection sqlx holds.
//!
//! sqlx runs each SQLite connection on a worker thread and hands every row over to the async
//! side; for a nested load of thousands of small rows that hand-off costs several times what
//! SQLite spends executing the statements. A read whose columns and parameters are all of the
//! plain types (integers, floats, booleans, text, bytes) can instead lock the connection's
//! handle (`SqliteConnection::lock_handle`) and step the statement itself, decoding each
//! column where it is.
//!
//! The statement runs on the calling thread: on a multi-threaded tokio runtime inline at
//! first, then inside `block_in_place` when it waits for a lock or reads for long (see
//! [`fetch_held`]); on a current-thread runtime inline, as it would in sqlx's worker thread.
//! A connection Trellis keeps between reads keeps its statements prepared.

// The workspace denies `unsafe_code`; this module is one of four exceptions (with
// `sqlite_functions`, `sqlite_decimal` and `sqlite_udf`), because stepping a statement goes
// through libsqlite3-sys's C API. It is sound because:
// - the `sqlite3` handle comes from sqlx's `LockedSqliteHandle`, which keeps sqlx's worker
//   thread off the connection for as long as it lives, and it outlives every call here;
// - a prepared statement is finalized exactly once, by `Prepared`'s `Drop`: for a statement
//   kept on a held connection, before its handle is unlocked for the last time and before the
//   connection goes back to sqlx (`HeldSqlite`'s field order), else before the function that
//   prepared it returns; while sqlx's worker uses the connection, the kept statements are
//   reset and unused;
// - text and blob parameters are bound with `SQLITE_STATIC` from the `Statement`, which the
//   caller borrows for the whole run, and cleared (`sqlite3_clear_bindings`) when the run
//   ends, so SQLite never reads freed memory;
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

/// A SQLite connection lent to Trellis, whose handle stays locked from its first direct
/// statement until a statement goes through sqlx or it goes back to sqlx's pool, with the
/// statements Trellis prepared on it.
///
/// Locking the handle is a message to sqlx's worker thread, which lets go of the connection
/// and then waits for it; unlocking wakes that thread again. Per statement, those thread
/// hand-offs cost more than a small statement itself (a `find_first` reads three); a
/// connection parked locked between reads (see `crate::driver::parked`) pays them only when
/// a write goes through sqlx on it.
pub(crate) struct HeldSqlite {
    // Fields drop in this order: the statements are finalized while the handle is still
    // locked, and before the connection can go back to sqlx's pool, which may close it
    // (closing a handle with statements left on it fails, and sqlx panics on that).
    /// The statements prepared on this connection, by their text.
    statements: Statements,
    /// The locked handle, borrowing the connection's shared state (see [`HeldSqlite::handle`]):
    /// always let go of before the connection is used through sqlx or dropped.
    locked: Option<LockedSqliteHandle<'static>>,
    conn: PoolConnection<sqlx::Sqlite>,
    /// The connection's busy timeout in milliseconds, when Trellis set it: a read then steps
    /// inline (see [`fetch_held`]); `None` (a pool the application opened) moves every read
    /// off the runtime's worker thread.
    busy_timeout_ms: Option<c_int>,
}

// SAFETY: the prepared statements are only used through `&mut HeldSqlite`, on whichever
// thread holds it, with the handle locked (no other thread steps the connection then); sqlx's
// own statements on the connection run only after `conn` unlocked the handle.
unsafe impl Send for Statements {}
// SAFETY: `&Statements` gives no access to the statements.
unsafe impl Sync for Statements {}

impl HeldSqlite {
    pub(crate) fn new(conn: PoolConnection<sqlx::Sqlite>, busy_timeout_ms: Option<c_int>) -> Self {
        HeldSqlite {
            statements: Statements::default(),
            locked: None,
            conn,
            busy_timeout_ms,
        }
    }

    /// The connection, for a statement through sqlx: the handle is unlocked first (sqlx's
    /// worker thread runs that statement, and cannot while the handle is locked).
    pub(crate) fn conn(&mut self) -> &mut PoolConnection<sqlx::Sqlite> {
        self.locked = None;
        &mut self.conn
    }

    /// The connection itself, for sqlx to own (a transaction's): Trellis's statements on it
    /// are finalized and the handle unlocked.
    pub(crate) fn into_conn(self) -> PoolConnection<sqlx::Sqlite> {
        let HeldSqlite {
            statements,
            locked,
            conn,
            ..
        } = self;
        drop(statements);
        drop(locked);
        conn
    }

    /// The connection taken out of its pool, to close it where no runtime can take it back.
    pub(crate) fn detach(self) -> SqliteConnection {
        self.into_conn().detach()
    }

    /// The locked handle, locked now unless it still is; whether it was locked now.
    async fn handle(&mut self) -> Result<(&mut LockedSqliteHandle<'static>, bool)> {
        let locked_now = self.locked.is_none();
        if locked_now {
            let locked = self.conn.lock_handle().await.map_err(Error::from_sqlx)?;
            // SAFETY: the handle borrows the connection's shared state, which sqlx keeps in an
            // `Arc` the connection owns, so it stays where it is while the connection lives,
            // however the connection moves. The handle is let go of before the connection is
            // used through sqlx (`conn`) and before it is dropped (field order above), so it
            // never outlives the state it borrows; the `'static` is never observed beyond that.
            let locked = unsafe {
                std::mem::transmute::<LockedSqliteHandle<'_>, LockedSqliteHandle<'static>>(locked)
            };
            self.locked = Some(locked);
        }
        match &mut self.locked {
            Some(locked) => Ok((locked, locked_now)),
            None => Err(Error::InvalidQuery(
                "internal: the SQLite handle was not locked".to_owned(),
            )),
        }
    }
}

impl std::fmt::Debug for HeldSqlite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeldSqlite")
            .field("locked", &self.locked.is_some())
            .field("statements", &self.statements.0.len())
            .finish_non_exhaustive()
    }
}

/// What running one statement directly cost besides SQLite's own work, for the pool's
/// counters.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Costs {
    /// Rows read.
    pub(crate) rows: usize,
    /// The statement was prepared for this run (not found among the connection's).
    pub(crate) prepared: bool,
    /// Threads woken for it: the handle locked (sqlx's worker thread hands it over), and the
    /// statement moved off the runtime's worker thread (`block_in_place`).
    pub(crate) handoffs: u32,
}

/// [`fetch`] on a held connection, whose handle stays locked after it, with its statement
/// kept prepared for the next run.
///
/// On a multi-threaded tokio runtime the statement is stepped on the task's own thread at
/// first, with the busy timeout off: a short read (one parent's rows) is done before any
/// other thread is involved. A read that finds the database locked by a writer, or that runs
/// past [`INLINE_BUDGET`], goes on inside `block_in_place`, where a wait for the lock (the busy
/// timeout) or a long read does not stall the other tasks of that worker.
pub(crate) async fn fetch_held(
    held: &mut HeldSqlite,
    stmt: &Statement,
    sink: &mut RowSink<'_>,
) -> Result<Costs> {
    let busy_timeout_ms = held.busy_timeout_ms;
    let (locked, locked_now) = held.handle().await?;
    let db = locked.as_raw_handle().as_ptr();
    let mut costs = Costs {
        handoffs: u32::from(locked_now),
        ..Costs::default()
    };
    // SAFETY: `db` is the open handle `locked` keeps to this thread while it is borrowed here;
    // the statements are this connection's.
    unsafe {
        run(
            db,
            &mut held.statements,
            stmt,
            sink,
            busy_timeout_ms,
            &mut costs,
        )?
    };
    Ok(costs)
}

/// Runs `stmt` (see [`binds_directly`]) on `conn`, handing each row to `sink` as it is read.
pub(crate) async fn fetch(
    conn: &mut SqliteConnection,
    stmt: &Statement,
    sink: &mut RowSink<'_>,
) -> Result<Costs> {
    let mut locked = conn.lock_handle().await.map_err(Error::from_sqlx)?;
    let db = locked.as_raw_handle().as_ptr();
    let mut costs = Costs {
        handoffs: 1,
        ..Costs::default()
    };
    // Prepared for this run alone: a transaction's connection is sqlx's to close.
    let mut statements = Statements::default();
    // SAFETY: as in `fetch_held`.
    unsafe { run(db, &mut statements, stmt, sink, None, &mut costs)? };
    Ok(costs)
}

/// How long a read steps on the task's own thread before the rest of it moves off the
/// runtime's worker thread: a find by key takes a few microseconds, a load of thousands of
/// rows milliseconds, during which the worker's other tasks would wait.
const INLINE_BUDGET: std::time::Duration = std::time::Duration::from_micros(200);

/// Whether stepping would block a worker of a multi-threaded tokio runtime (where
/// `block_in_place` can move the work off it); on a current-thread runtime the statement runs
/// inline, as it would in sqlx's worker thread.
fn on_runtime_worker() -> bool {
    tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread)
}

/// Prepares (or finds), binds and steps `stmt`, inline or off the worker thread as
/// [`fetch_held`] says; the statement is reset and its parameters cleared however it ends.
///
/// # Safety
/// `db` must be an open handle that no other thread uses during the call, and `statements`
/// must hold statements of `db` only.
unsafe fn run(
    db: *mut ffi::sqlite3,
    statements: &mut Statements,
    stmt: &Statement,
    sink: &mut RowSink<'_>,
    busy_timeout_ms: Option<c_int>,
    costs: &mut Costs,
) -> Result<()> {
    let busy_timeout_ms = match (on_runtime_worker(), busy_timeout_ms) {
        // Inline from start to end, the busy timeout as it is.
        (false, _) => return ended(run_from_start(db, statements, stmt, sink, costs, None)),
        (true, Some(ms)) => ms,
        (true, None) => {
            costs.handoffs += 1;
            return tokio::task::block_in_place(|| {
                ended(run_from_start(db, statements, stmt, sink, costs, None))
            });
        }
    };
    // The busy timeout off while stepping inline: a locked database answers SQLITE_BUSY at
    // once (before any row: a read takes its lock at its first step) instead of a wait on
    // this thread.
    ffi::sqlite3_busy_timeout(db, 0);
    let deadline = std::time::Instant::now() + INLINE_BUDGET;
    let inline = run_from_start(db, statements, stmt, sink, costs, Some(deadline));
    ffi::sqlite3_busy_timeout(db, busy_timeout_ms);
    match inline {
        Ok(Progress::Done) => Ok(()),
        // Past the budget: the rest off the worker thread, from where it stopped.
        Ok(Progress::Paused(raw)) => {
            costs.handoffs += 1;
            let _reset = Reset(raw);
            tokio::task::block_in_place(|| ended(step_rows(db, raw, sink, costs, None)))
        }
        // Locked before any row was read: from the start, off the worker thread, waiting for
        // the lock as long as the busy timeout says.
        Err(Failed { rc, .. }) if rc & 0xff == ffi::SQLITE_BUSY && costs.rows == 0 => {
            costs.handoffs += 1;
            tokio::task::block_in_place(|| {
                ended(run_from_start(db, statements, stmt, sink, costs, None))
            })
        }
        Err(failed) => Err(failed.error),
    }
}

/// How a run with no deadline ended.
fn ended(progress: std::result::Result<Progress, Failed>) -> Result<()> {
    progress.map(drop).map_err(|failed| failed.error)
}

/// Where stepping a statement stopped.
enum Progress {
    /// Every row was read; the statement is reset.
    Done,
    /// The deadline passed with rows left: the statement, still positioned.
    Paused(*mut ffi::sqlite3_stmt),
}

/// A failed SQLite call: its result code, and the error Trellis reports.
struct Failed {
    rc: c_int,
    error: Error,
}

/// Resets a statement and clears its parameters when dropped: the statement lets go of the
/// locks it holds and of the parameters it borrowed, and is ready for its next run.
struct Reset(*mut ffi::sqlite3_stmt);

impl Drop for Reset {
    fn drop(&mut self) {
        // SAFETY: the statement is alive (finalized only when its connection's statements
        // are dropped, after any `Reset` of it).
        unsafe {
            ffi::sqlite3_reset(self.0);
            ffi::sqlite3_clear_bindings(self.0);
        }
    }
}

/// Prepares (or finds) and binds `stmt`, then steps it until the end or `deadline`.
///
/// # Safety
/// As for [`run`].
unsafe fn run_from_start(
    db: *mut ffi::sqlite3,
    statements: &mut Statements,
    stmt: &Statement,
    sink: &mut RowSink<'_>,
    costs: &mut Costs,
    deadline: Option<std::time::Instant>,
) -> std::result::Result<Progress, Failed> {
    let raw = statements.prepared(db, &stmt.sql, costs)?;
    let reset = Reset(raw);
    for (i, value) in stmt.params.iter().enumerate() {
        let index = c_int::try_from(i + 1).map_err(|_| Failed {
            rc: ffi::SQLITE_RANGE,
            error: Error::InvalidQuery("too many parameters for SQLite".to_owned()),
        })?;
        let rc = bind(raw, index, value);
        if rc != ffi::SQLITE_OK {
            return Err(failed(db, rc));
        }
    }
    let progress = step_rows(db, raw, sink, costs, deadline)?;
    if let Progress::Paused(_) = progress {
        // The caller resets it once it has read the rest.
        std::mem::forget(reset);
    }
    Ok(progress)
}

/// Steps a bound statement, handing each row to `sink`, until the end or, checked every few
/// rows, `deadline`.
///
/// # Safety
/// As for [`run`]; `raw` is a statement of `db`.
unsafe fn step_rows(
    db: *mut ffi::sqlite3,
    raw: *mut ffi::sqlite3_stmt,
    sink: &mut RowSink<'_>,
    costs: &mut Costs,
    deadline: Option<std::time::Instant>,
) -> std::result::Result<Progress, Failed> {
    let columns = ffi::sqlite3_column_count(raw).max(0);
    loop {
        match ffi::sqlite3_step(raw) {
            ffi::SQLITE_ROW => {
                // A row of up to three columns holds them in itself (`DirectValues`): no
                // allocation per row beyond its text, which took a tenth of a 10,000-row load
                // when each row's columns were boxed apart.
                let values = (0..columns)
                    .map(|c| column(raw, c))
                    .collect::<DirectValues>();
                sink(Row(RowInner::Direct(values))).map_err(|error| Failed { rc: 0, error })?;
                costs.rows += 1;
                if costs.rows.is_multiple_of(32)
                    && deadline.is_some_and(|d| std::time::Instant::now() > d)
                {
                    return Ok(Progress::Paused(raw));
                }
            }
            ffi::SQLITE_DONE => return Ok(Progress::Done),
            rc => return Err(failed(db, rc)),
        }
    }
}

/// The statements prepared on one connection, by their text. At most [`CACHED`]: past that
/// the list starts again (a load's statements are few, and the same from one request to
/// the next; a text that differs each time must not grow it without end).
#[derive(Default)]
struct Statements(foldhash::HashMap<Box<str>, Prepared>);

/// The most statements kept prepared on one connection.
const CACHED: usize = 64;

impl Statements {
    /// The statement of this text prepared on `db`: the one kept, or a new one.
    ///
    /// # Safety
    /// `db` is open and used by no other thread; every statement kept is `db`'s.
    unsafe fn prepared(
        &mut self,
        db: *mut ffi::sqlite3,
        sql: &str,
        costs: &mut Costs,
    ) -> std::result::Result<*mut ffi::sqlite3_stmt, Failed> {
        if let Some(prepared) = self.0.get(sql) {
            return Ok(prepared.0);
        }
        let sql_len = c_int::try_from(sql.len()).map_err(|_| Failed {
            rc: ffi::SQLITE_TOOBIG,
            error: Error::InvalidQuery("the statement is too long for SQLite".to_owned()),
        })?;
        let mut raw = ptr::null_mut();
        let rc = ffi::sqlite3_prepare_v3(
            db,
            sql.as_ptr().cast(),
            sql_len,
            ffi::SQLITE_PREPARE_PERSISTENT,
            &mut raw,
            ptr::null_mut(),
        );
        if rc != ffi::SQLITE_OK || raw.is_null() {
            return Err(failed(db, rc));
        }
        costs.prepared = true;
        if self.0.len() >= CACHED {
            self.0.clear();
        }
        self.0.insert(sql.into(), Prepared(raw));
        Ok(raw)
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

/// [`error`] as a [`Failed`].
unsafe fn failed(db: *mut ffi::sqlite3, rc: c_int) -> Failed {
    Failed {
        rc,
        error: error(db, rc),
    }
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
