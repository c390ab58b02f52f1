//! Every statement emits a `tracing` event with its SQL and how long it took.

use std::io::Write;
use std::sync::{Arc, Mutex};

use trellis::prelude::*;

use crate::models::{schema, user, User};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn each_statement_emits_sql_and_duration() -> Result<(), Error> {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let db = Db::connect("sqlite::memory:").await?;
    db.create_schema(&schema()).await?;
    User::insert(user("ada", None)).exec(&db).await?;
    User::find_by_id("ada").fetch_one(&db).await?;

    let log = String::from_utf8(captured.0.lock().map(|b| b.clone()).unwrap_or_default())
        .unwrap_or_default();
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
