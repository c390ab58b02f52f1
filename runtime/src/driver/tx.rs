//! Transactions that the same query API runs inside, and savepoints nested in them.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::driver::executor::{ConnRef, Executor};
use crate::driver::pool::{Pool, TxConn};
use crate::sql::{Dialect, Statement};
use crate::values::error::{Error, Result};

/// An open transaction. Queries run in it when given `&tx` instead of `&db`.
///
/// Dropping it without [`Tx::commit`] rolls it back.
#[derive(Debug)]
pub struct Tx {
    conn: TxConn,
    /// Savepoints opened so far, naming the next one.
    savepoints: AtomicUsize,
}

impl<'a> Executor<'a> for &'a Tx {
    fn conn(self) -> ConnRef<'a> {
        ConnRef::Tx(&self.conn)
    }
}

impl Tx {
    /// Begins a transaction; `write` takes SQLite's write lock at once (`BEGIN IMMEDIATE`).
    pub(crate) async fn begin(
        pool: &Pool,
        write: bool,
        isolation: Option<crate::driver::retry::Isolation>,
    ) -> Result<Tx> {
        Ok(Tx {
            conn: TxConn::begin(pool, write, isolation).await?,
            savepoints: AtomicUsize::new(0),
        })
    }

    /// Runs `f` in a savepoint of this transaction: its writes are kept (for the transaction
    /// to commit or roll back) when it returns `Ok`, and undone when it returns `Err`, while
    /// the transaction goes on either way. Savepoints nest.
    pub async fn transaction<T, E, F>(&self, f: F) -> std::result::Result<T, E>
    where
        F: AsyncFnOnce(&Tx) -> std::result::Result<T, E>,
        E: From<Error>,
    {
        let n = self.savepoints.fetch_add(1, Ordering::Relaxed) + 1;
        let name = self.conn.dialect.quote(&format!("trellis_savepoint_{n}"));
        let run = |sql: String| async move {
            ConnRef::Tx(&self.conn)
                .execute(&Statement::raw(sql, Vec::new()))
                .await
        };
        run(format!("SAVEPOINT {name}")).await?;
        match f(self).await {
            Ok(value) => {
                run(format!("RELEASE SAVEPOINT {name}")).await?;
                Ok(value)
            }
            Err(err) => {
                // The caller's error matters more than a failed rollback to the savepoint.
                let _ = run(format!("ROLLBACK TO SAVEPOINT {name}")).await;
                let _ = run(format!("RELEASE SAVEPOINT {name}")).await;
                Err(err)
            }
        }
    }

    /// The SQL dialect of the database.
    pub fn dialect(&self) -> Dialect {
        self.conn.dialect
    }

    /// Makes the transaction's writes permanent.
    pub async fn commit(self) -> Result<()> {
        self.conn.commit().await
    }

    /// Discards the transaction's writes.
    pub async fn rollback(self) -> Result<()> {
        self.conn.rollback().await
    }
}
