//! Transactions that the same query API runs inside, savepoints nested in them, and the
//! check that keeps a task from waiting on a connection it holds itself.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::Mutex;

use crate::db::{Db, Pool};
use crate::error::{Error, Result};
use crate::executor::ConnRef;
use crate::sql::{Dialect, Statement};

/// An open transaction. Queries run in it when given `&tx` instead of `&db`.
///
/// Dropping it without [`Tx::commit`] rolls it back.
#[derive(Debug)]
pub struct Tx {
    pub(crate) inner: Mutex<TxInner>,
    dialect: Dialect,
    pub(crate) statements: Arc<AtomicU64>,
    /// Savepoints opened so far, naming the next one.
    savepoints: AtomicUsize,
}

#[derive(Debug)]
pub(crate) enum TxInner {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
    #[cfg(feature = "mysql")]
    MySql(sqlx::Transaction<'static, sqlx::MySql>),
}

tokio::task_local! {
    /// The pools whose transaction the running task is inside (`Db::transaction`'s closure).
    static INSIDE: Vec<u64>;
}

/// Runs `f` as a task inside a transaction of `db`.
pub(crate) async fn inside<T>(db: &Db, f: impl std::future::Future<Output = T>) -> T {
    let mut pools = INSIDE.try_with(Clone::clone).unwrap_or_default();
    pools.push(db.id);
    INSIDE.scope(pools, f).await
}

/// Refuses to wait for a connection of `db` that a transaction of this very task holds: an
/// in-memory SQLite database has one connection, so the wait could only end in the acquire
/// timeout.
pub(crate) fn check_not_held(db: &Db) -> Result<()> {
    if db.one_connection
        && INSIDE
            .try_with(|pools| pools.contains(&db.id))
            .unwrap_or(false)
    {
        return Err(Error::WouldDeadlock(
            "this in-memory SQLite database has one connection, and the transaction this task runs holds it: run the statement on the transaction (`&tx`), or nest a savepoint with `tx.transaction(..)`",
        ));
    }
    Ok(())
}

impl Tx {
    /// Begins a transaction; `write` takes SQLite's write lock at once (`BEGIN IMMEDIATE`).
    #[cfg_attr(not(feature = "sqlite"), allow(unused_variables))] // `write` is SQLite's alone.
    pub(crate) async fn begin(db: &Db, write: bool) -> Result<Tx> {
        check_not_held(db)?;
        let inner = match &db.pool {
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(p) if write => TxInner::Sqlite(
                p.begin_with("BEGIN IMMEDIATE")
                    .await
                    .map_err(Error::from_sqlx)?,
            ),
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(p) => TxInner::Sqlite(p.begin().await.map_err(Error::from_sqlx)?),
            #[cfg(feature = "postgres")]
            Pool::Postgres(p) => TxInner::Postgres(p.begin().await.map_err(Error::from_sqlx)?),
            #[cfg(feature = "mysql")]
            Pool::MySql(p) => TxInner::MySql(p.begin().await.map_err(Error::from_sqlx)?),
        };
        tracing::debug!(target: "trellis::sql", "BEGIN");
        Ok(Tx {
            inner: Mutex::new(inner),
            dialect: db.dialect(),
            statements: Arc::clone(&db.statements),
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
        let name = self.dialect.quote(&format!("trellis_savepoint_{n}"));
        let run = |sql: String| async move {
            ConnRef::Tx(self)
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
        self.dialect
    }

    /// Makes the transaction's writes permanent.
    pub async fn commit(self) -> Result<()> {
        tracing::debug!(target: "trellis::sql", "COMMIT");
        match self.inner.into_inner() {
            #[cfg(feature = "sqlite")]
            TxInner::Sqlite(t) => t.commit().await,
            #[cfg(feature = "postgres")]
            TxInner::Postgres(t) => t.commit().await,
            #[cfg(feature = "mysql")]
            TxInner::MySql(t) => t.commit().await,
        }
        .map_err(Error::from_sqlx)
    }

    /// Discards the transaction's writes.
    pub async fn rollback(self) -> Result<()> {
        tracing::debug!(target: "trellis::sql", "ROLLBACK");
        match self.inner.into_inner() {
            #[cfg(feature = "sqlite")]
            TxInner::Sqlite(t) => t.rollback().await,
            #[cfg(feature = "postgres")]
            TxInner::Postgres(t) => t.rollback().await,
            #[cfg(feature = "mysql")]
            TxInner::MySql(t) => t.rollback().await,
        }
        .map_err(Error::from_sqlx)
    }
}
