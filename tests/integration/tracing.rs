//! Every statement emits a `tracing` event with its SQL and how long it took.

use std::cell::RefCell;
use std::io::Write;
use std::sync::Once;

use trellis::prelude::*;

use crate::models::{schema, user, User};

thread_local! {
    static CAPTURED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Writes log lines into a buffer of the thread that emitted them.
struct ThreadBuffer;

impl Write for ThreadBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        CAPTURED.with(|c| c.borrow_mut().extend_from_slice(buf));
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A global subscriber: `tracing` caches per call site whether anyone listens, so a
/// subscriber scoped to one test can miss events while other tests run in parallel.
fn capture_events() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(|| ThreadBuffer)
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}

// A current-thread runtime keeps every event of this test on this thread's buffer.
#[tokio::test(flavor = "current_thread")]
async fn each_statement_emits_sql_and_duration() -> Result<(), Error> {
    capture_events();
    let db = Db::connect("sqlite::memory:").await?;
    db.create_schema(&schema()).await?;
    User::insert(user("ada", None)).exec(&db).await?;
    User::find_by_id("ada").fetch_one(&db).await?;

    let log = CAPTURED.with(|c| String::from_utf8_lossy(&c.borrow()).into_owned());
    let statements: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("trellis::sql") && l.contains("elapsed_us="))
        .collect();
    assert!(
        statements
            .iter()
            .any(|l| l.contains(r#"sql=INSERT INTO "users""#)),
        "{log}"
    );
    assert!(
        statements.iter().any(|l| l
            .contains(r#"sql=SELECT "id", "email", "name", "age" FROM "users" WHERE "id" = ?"#)),
        "{log}"
    );
    // Values stay out of the log: only their count is recorded.
    assert!(!log.contains("ada@example.com"), "{log}");
    Ok(())
}
