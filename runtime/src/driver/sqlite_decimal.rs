//! Decimals on SQLite, which has no decimal type: Trellis keeps a `rust_decimal::Decimal` there
//! as its text (`"12.50"`), exact, and adds to every connection what it takes to compare, sum
//! and average that text as numbers, as PostgreSQL's `NUMERIC` and MySQL's `DECIMAL` do:
//!
//! - the collation `trellis_decimal`, which Trellis declares on its decimal columns
//!   (`TEXT COLLATE "trellis_decimal"`): comparisons, orders, `min`/`max`, indexes and unique
//!   constraints then compare the numbers (`"9" < "10.5"`, `"1.5" = "1.50"`), not the text;
//! - the aggregates `trellis_decimal_sum(x)` and `trellis_decimal_avg(x)`, computed with
//!   `rust_decimal` (SQLite's own `sum` and `avg` read text as doubles, and lose digits).
//!
//! Text that is no decimal (written outside Trellis) sorts after every decimal, by its bytes;
//! summed or averaged, it is an error.

// The workspace denies `unsafe_code`; this module is one of four exceptions (with
// `sqlite_udf`, `sqlite_functions` and `sqlite_direct`), because registering an aggregate with SQLite goes
// through libsqlite3-sys's C API. It is sound because: SQLite calls each function with the
// argument count it was registered with (and the functions check `argc` and `argv` anyway);
// argument values are read only through SQLite's own accessors, and the bytes borrowed from
// them are used only within the call; the running state lives in the memory
// `sqlite3_aggregate_context` hands out, which SQLite zeroes on first use, aligns for any
// type, and frees after the final call, and `State` is plain bytes for which all zeroes is a
// valid value (a zero sum of no values); results are copied by SQLite (`SQLITE_TRANSIENT`);
// and the connection handle is locked against sqlx's worker thread while they are registered.
#![allow(unsafe_code)]

use std::ffi::{c_int, CStr};
use std::str::FromStr;

use libsqlite3_sys as ffi;
use rust_decimal::{Decimal, RoundingStrategy};
use sqlx::sqlite::LockedSqliteHandle;

use crate::driver::decimal_order::compare;
use crate::driver::sqlite_udf::{create_function, Callbacks};
use crate::sql::sqlite_names::DECIMAL;
use crate::sql::AVG_DECIMAL_PLACES;

/// What an aggregate computes, passed to [`step`] and [`finish`] as its user data.
#[derive(Clone, Copy)]
#[repr(usize)]
enum Kind {
    Sum = 1,
    Avg = 2,
}

const AGGREGATES: [(&CStr, Kind); 2] = [
    (c"trellis_decimal_sum", Kind::Sum),
    (c"trellis_decimal_avg", Kind::Avg),
];

/// The running state of an aggregate, in SQLite's aggregate context.
#[repr(C)]
struct State {
    /// The sum so far, as `Decimal::serialize` gives it.
    sum: [u8; 16],
    /// How many values were added.
    count: u64,
}

/// The state of the aggregate `ctx` runs; `None` when SQLite has no memory for it, or, with
/// `create` false, when no row reached it.
///
/// # Safety
/// `ctx` is the context SQLite passed to the running aggregate.
unsafe fn state<'a>(ctx: *mut ffi::sqlite3_context, create: bool) -> Option<&'a mut State> {
    let size = if create {
        c_int::try_from(std::mem::size_of::<State>()).unwrap_or(0)
    } else {
        0
    };
    // SAFETY: SQLite returns memory of `size` bytes, zeroed on the first call, aligned for any
    // type and owned by this aggregate until its final call; all zeroes is a valid `State`.
    ffi::sqlite3_aggregate_context(ctx, size)
        .cast::<State>()
        .as_mut()
}

/// Sets the error `message` as the aggregate's result, which fails the statement.
///
/// # Safety
/// `ctx` is the context SQLite passed to the running aggregate.
unsafe fn fail(ctx: *mut ffi::sqlite3_context, message: &str) {
    let len = c_int::try_from(message.len()).unwrap_or(0);
    ffi::sqlite3_result_error(ctx, message.as_ptr().cast(), len);
}

/// Adds one value to the running sum (a `NULL` adds nothing).
///
/// # Safety
/// Called by SQLite with one argument, as registered in [`register`].
unsafe extern "C" fn step(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    if argc != 1 || argv.is_null() {
        return;
    }
    let value = *argv;
    if ffi::sqlite3_value_type(value) == ffi::SQLITE_NULL {
        return;
    }
    // `sqlite3_value_text` first, then `_bytes`, as SQLite documents; a number stored in the
    // column reads as its text.
    let text = ffi::sqlite3_value_text(value);
    let len = ffi::sqlite3_value_bytes(value);
    let bytes: &[u8] = if text.is_null() || len <= 0 {
        &[]
    } else {
        // SAFETY: SQLite guarantees `len` readable bytes at `text` until the next call on
        // `value`.
        std::slice::from_raw_parts(text, len as usize)
    };
    let Some(decimal) = std::str::from_utf8(bytes)
        .ok()
        .and_then(|t| Decimal::from_str(t).ok())
    else {
        let shown = String::from_utf8_lossy(bytes);
        fail(ctx, &format!("`{shown}` is not a decimal"));
        return;
    };
    let Some(state) = state(ctx, true) else {
        ffi::sqlite3_result_error_nomem(ctx);
        return;
    };
    match Decimal::deserialize(state.sum).checked_add(decimal) {
        Some(sum) => {
            state.sum = sum.serialize();
            state.count += 1;
        }
        None => fail(ctx, "a sum of decimals past rust_decimal's range"),
    }
}

/// The sum (`NULL` of no values, which the SQL turns into 0) or the average (`NULL` of no
/// values), as text.
///
/// # Safety
/// Called by SQLite with a [`Kind`] as user data, as registered in [`register`].
unsafe extern "C" fn finish(ctx: *mut ffi::sqlite3_context) {
    let kind = ffi::sqlite3_user_data(ctx) as usize;
    let Some(state) = state(ctx, false).filter(|s| s.count > 0) else {
        ffi::sqlite3_result_null(ctx);
        return;
    };
    let sum = Decimal::deserialize(state.sum);
    let result = if kind == Kind::Avg as usize {
        sum.checked_div(Decimal::from(state.count)).map(|avg| {
            avg.round_dp_with_strategy(AVG_DECIMAL_PLACES, RoundingStrategy::MidpointAwayFromZero)
        })
    } else {
        Some(sum)
    };
    let Some(result) = result else {
        fail(ctx, "an average of decimals past rust_decimal's range");
        return;
    };
    let text = result.to_string();
    match c_int::try_from(text.len()) {
        Ok(n) => ffi::sqlite3_result_text(ctx, text.as_ptr().cast(), n, ffi::SQLITE_TRANSIENT()),
        Err(_) => ffi::sqlite3_result_error_toobig(ctx),
    }
}

/// Registers the collation and the aggregates on a connection.
pub(crate) fn register(handle: &mut LockedSqliteHandle<'_>) -> Result<(), sqlx::Error> {
    handle.create_collation(DECIMAL, compare)?;
    let db = handle.as_raw_handle().as_ptr();
    for (name, kind) in AGGREGATES {
        // SAFETY: the locked handle keeps sqlx's worker off this connection during the call;
        // `step` reads one argument, and `finish` its user data as a `Kind`.
        unsafe {
            create_function(
                db,
                name,
                1,
                kind as usize,
                Callbacks::Aggregate(step, finish),
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::AGGREGATES;
    use crate::sql::sqlite_names::{DECIMAL_AVG, DECIMAL_SUM};

    #[test]
    fn the_aggregates_are_registered_under_the_names_the_sql_calls() {
        let names: Vec<_> = AGGREGATES.iter().map(|(n, _)| n.to_str().ok()).collect();
        assert_eq!(names, [Some(DECIMAL_SUM), Some(DECIMAL_AVG)]);
    }
}
