//! Transactions that the same query API runs inside.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use tokio::sync::Mutex;

use crate::db::{Db, Pool};
use crate::error::{Error, Result};
use crate::sql::Dialect;

/// An open transaction. Queries run in it when given `&tx` instead of `&db`.
///
/// Dropping it without [`Tx::commit`] rolls it back.
#[derive(Debug)]
pub struct Tx {
    pub(crate) inner: Mutex<TxInner>,
    dialect: Dialect,
    pub(crate) statements: Arc<AtomicU64>,
}

#[derive(Debug)]
pub(crate) enum TxInner {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
    MySql(sqlx::Transaction<'static, sqlx::MySql>),
}

impl Tx {
    pub(crate) async fn begin(db: &Db) -> Result<Tx> {
        let inner = match &db.pool {
            Pool::Sqlite(p) => TxInner::Sqlite(p.begin().await.map_err(Error::from_sqlx)?),
            Pool::Postgres(p) => TxInner::Postgres(p.begin().await.map_err(Error::from_sqlx)?),
            Pool::MySql(p) => TxInner::MySql(p.begin().await.map_err(Error::from_sqlx)?),
        };
        tracing::debug!(target: "trellis::sql", "BEGIN");
        Ok(Tx {
            inner: Mutex::new(inner),
            dialect: db.dialect(),
            statements: Arc::clone(&db.statements),
        })
    }

    /// The SQL dialect of the database.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Makes the transaction's writes permanent.
    pub async fn commit(self) -> Result<()> {
        tracing::debug!(target: "trellis::sql", "COMMIT");
        match self.inner.into_inner() {
            TxInner::Sqlite(t) => t.commit().await,
            TxInner::Postgres(t) => t.commit().await,
            TxInner::MySql(t) => t.commit().await,
        }
        .map_err(Error::from_sqlx)
    }

    /// Discards the transaction's writes.
    pub async fn rollback(self) -> Result<()> {
        tracing::debug!(target: "trellis::sql", "ROLLBACK");
        match self.inner.into_inner() {
            TxInner::Sqlite(t) => t.rollback().await,
            TxInner::Postgres(t) => t.rollback().await,
            TxInner::MySql(t) => t.rollback().await,
        }
        .map_err(Error::from_sqlx)
    }
}
