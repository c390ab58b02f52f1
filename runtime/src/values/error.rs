//! The one error type every Trellis operation returns.
//!
//! Database errors are sorted into the cases a caller acts on (a unique or foreign key
//! violation, a missing row, a row that does not decode) and keep their source otherwise.
//!
//! A variant's message says what went wrong at Trellis's level; the driver's error is its
//! `source()`, never repeated in the message, so error reporters that print the chain
//! (anyhow, `tracing`) show each cause once. No driver type appears here: the source is boxed.

use std::error::Error as StdError;

/// The cause of an error, as the driver or the database gave it.
pub type Source = Box<dyn StdError + Send + Sync>;

/// Shorthand for results whose error is [`enum@Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when Trellis talks to a database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A query that must find a row found none.
    #[error("no `{model}` row matched the query")]
    NotFound {
        /// The model that was queried.
        model: &'static str,
    },
    /// A write connects a row that does not exist: `relation` of `model` names a `target` row
    /// whose `column` holds `value`, and there is none. Nothing of the write was stored.
    #[error("`{model}.{relation}` connects no `{target}` row: none has `{column}` = {value}")]
    RelatedNotFound {
        /// The model whose relation was written.
        model: &'static str,
        /// The relation field.
        relation: &'static str,
        /// The model the relation leads to.
        target: &'static str,
        /// The column the row was looked up by: its primary key or a unique column.
        column: &'static str,
        /// The value looked for, as the database would show it.
        value: String,
    },
    /// A write would have stored a second row with the same value in a unique column.
    #[error("unique constraint violated{}: {message}", constraint_suffix(.constraint))]
    UniqueViolation {
        /// The constraint or index the database named, when it named one.
        constraint: Option<String>,
        /// The database's own message.
        message: String,
    },
    /// A write would have stored a foreign key that points at no row (or deleted a row still referenced).
    #[error("foreign key constraint violated{}: {message}", constraint_suffix(.constraint))]
    ForeignKeyViolation {
        /// The constraint the database named, when it named one.
        constraint: Option<String>,
        /// The database's own message.
        message: String,
    },
    /// A column value could not be turned into the field's Rust type.
    #[error("could not decode column `{column}` of `{model}`")]
    Decode {
        /// The model being decoded.
        model: &'static str,
        /// The column that failed.
        column: &'static str,
        /// Why it failed.
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
    /// The database URL names no backend Trellis supports, or is malformed.
    #[error("invalid database URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL as given, with any password removed.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The URL names a backend this build of Trellis does not include.
    #[error("this build of Trellis has no {backend} support: turn on the `{feature}` feature of the `trellis` crate")]
    MissingBackend {
        /// The database the URL names.
        backend: &'static str,
        /// The crate feature that adds it.
        feature: &'static str,
    },
    /// The database could not be reached or the connection broke.
    #[error("could not reach the database, or the connection broke")]
    Connection {
        /// What the driver reported.
        #[source]
        source: Source,
    },
    /// A value could not be sent to the database.
    #[error("could not encode a value for `{column}`")]
    Encode {
        /// The column or parameter the value was meant for.
        column: String,
        /// Why it failed.
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
    /// A value is longer than its column holds (MySQL's `VARCHAR(255)` text keys, or a
    /// `sql_type` with a length).
    #[error("value too long for column{}: {message}", constraint_suffix(.column))]
    ValueTooLong {
        /// The column the database named, when it named one.
        column: Option<String>,
        /// The database's own message.
        message: String,
    },
    /// Another connection held a lock on what the statement needed for longer than the wait
    /// allowed (SQLite's busy timeout, MySQL's `innodb_lock_wait_timeout`, PostgreSQL's
    /// `lock_timeout`). Nothing was written; the operation may be retried.
    #[error("the database is locked by another connection")]
    Busy {
        /// What the database reported.
        #[source]
        source: Source,
    },
    /// Waiting would never end: the connection the statement needs is held by a transaction
    /// of the same task (a pool of one connection: an in-memory SQLite database, or
    /// `max_connections(1)`).
    #[error("would wait forever: {0}")]
    WouldDeadlock(&'static str),
    /// A statement ran longer than the statement timeout allows
    /// ([`ConnectOptions::statement_timeout`](crate::ConnectOptions::statement_timeout)) and
    /// the server stopped it: PostgreSQL's `statement_timeout` (SQLSTATE 57014, which a
    /// statement cancelled with `pg_cancel_backend` reports too), MySQL's
    /// `max_execution_time` (error 3024), MariaDB's `max_statement_time` (error 1969). The
    /// statement had no effect; inside a transaction, PostgreSQL has aborted the transaction.
    #[error("the statement ran longer than the statement timeout allows")]
    Timeout {
        /// What the database reported.
        #[source]
        source: Source,
    },
    /// No connection of the pool came free within the acquire timeout
    /// ([`ConnectOptions::acquire_timeout`](crate::ConnectOptions::acquire_timeout)): all of
    /// them were in use (a pool too small for the load, or connections held by open
    /// transactions), or new ones could not be opened in time. Retrying later may succeed.
    #[error("no connection of the pool came free within the acquire timeout")]
    AcquireTimeout {
        /// What the driver reported.
        #[source]
        source: Source,
    },
    /// The arguments of a command line (`trellis::cli`) do not read: clap's message, with the
    /// usage.
    #[error("{0}")]
    InvalidArguments(String),
    /// The [`ConnectOptions`](crate::ConnectOptions) contradict each other or are out of range.
    #[error("invalid connect options: {0}")]
    InvalidOptions(String),
    /// A query was built in a way the database cannot run.
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// A migration file could not be written, or the migrations directory read.
    #[error("could not write the migration `{}`", .path.display())]
    MigrationIo {
        /// The file or directory.
        path: std::path::PathBuf,
        /// What the system reported.
        #[source]
        source: std::io::Error,
    },
    /// Migrations could not be applied, or their state read (sqlx's migrator: a file that
    /// does not parse, a failed statement, an applied migration changed since).
    #[error("migrations: {what}")]
    Migration {
        /// What was being done.
        what: String,
        /// Why it failed.
        #[source]
        source: Source,
    },
    /// The database's catalog (its tables, columns and indexes) did not read as expected.
    #[error("could not read the database catalog: {what}")]
    Catalog {
        /// What was being read.
        what: String,
        /// Why it failed.
        #[source]
        source: Source,
    },
    /// The database gave the transaction up to resolve a conflict with another one, and it
    /// may succeed if run again from its start: a serialization failure (SQLSTATE 40001,
    /// under `SERIALIZABLE` or `REPEATABLE READ`), a deadlock (PostgreSQL's 40P01, MySQL's
    /// 1213), or a Galera cluster's certification conflict (reported as MySQL's 1213: a write
    /// on another node won). [`Db::transaction_with_retry`](crate::Db::transaction_with_retry)
    /// runs a transaction again on this error, and on no other.
    #[error("the database aborted the transaction over a conflict with another; run it again")]
    Conflict {
        /// What the database reported.
        #[source]
        source: Source,
    },
    /// [`Db::transaction_with_retry`](crate::Db::transaction_with_retry) ran its transaction
    /// as many times as its policy allows, and the last attempt failed too.
    #[error(
        "the transaction failed {attempts} times over conflicts; the last failure is the source"
    )]
    RetriesExhausted {
        /// How many times the transaction ran.
        attempts: u32,
        /// Why the last attempt failed.
        #[source]
        source: Box<Error>,
    },
    /// PostgreSQL: a prepared statement Trellis made on a connection was missing or taken on
    /// the server's side: the connection goes through a pooler in transaction mode (PgBouncer's
    /// `pool_mode = transaction`, which most managed PostgreSQL offers), which hands each
    /// transaction whichever server connection is free. Connect with
    /// `ConnectOptions::transaction_pooler(true)`.
    #[error("a prepared statement was lost between server connections: behind a pooler in transaction mode (PgBouncer), connect with `ConnectOptions::transaction_pooler(true)`")]
    PreparedStatementLost {
        /// What the database reported.
        #[source]
        source: Source,
    },
    /// Any other error the database reported.
    #[error("the database reported an error")]
    Database {
        /// What the database reported.
        #[source]
        source: Source,
    },
}

fn constraint_suffix(constraint: &Option<String>) -> String {
    match constraint {
        Some(name) => format!(" (`{name}`)"),
        None => String::new(),
    }
}

impl Error {
    /// Sorts a driver error into the case a caller can act on.
    pub(crate) fn from_sqlx(err: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match err {
            sqlx::Error::Database(db) => {
                let message = db.message().to_owned();
                let constraint = db.constraint().map(str::to_owned);
                let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
                #[cfg(feature = "mysql")]
                let number = db
                    .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
                    .map(|e| e.number());
                #[cfg(not(feature = "mysql"))]
                let number = None;
                #[cfg(feature = "sqlite")]
                let sqlite = db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some();
                #[cfg(not(feature = "sqlite"))]
                let sqlite = false;
                match db.kind() {
                    ErrorKind::UniqueViolation => Error::UniqueViolation {
                        constraint: constraint.or_else(|| constraint_from_message(&message)),
                        message,
                    },
                    ErrorKind::ForeignKeyViolation => Error::ForeignKeyViolation {
                        constraint: constraint.or_else(|| constraint_from_message(&message)),
                        message,
                    },
                    // SQLite reports a `restrict` action as a trigger's constraint
                    // (SQLITE_CONSTRAINT_TRIGGER), with the foreign key's message.
                    _ if sqlite && code == "1811" && message.contains("FOREIGN KEY") => {
                        Error::ForeignKeyViolation {
                            constraint: constraint_from_message(&message),
                            message,
                        }
                    }
                    _ if connection_lost(&code, number) => {
                        Error::connection(sqlx::Error::Database(db))
                    }
                    _ if busy(&code, number, sqlite) => Error::Busy {
                        source: Box::new(sqlx::Error::Database(db)),
                    },
                    _ if timed_out(&code, number) => Error::Timeout {
                        source: Box::new(sqlx::Error::Database(db)),
                    },
                    _ if conflict(&code, number) => Error::Conflict {
                        source: Box::new(sqlx::Error::Database(db)),
                    },
                    // invalid_sql_statement_name, duplicate_prepared_statement: only sqlx's own
                    // statements are named, so only a pooler can lose or mix them up.
                    _ if matches!(code.as_str(), "26000" | "42P05")
                        && message.contains("sqlx_s_") =>
                    {
                        Error::PreparedStatementLost {
                            source: Box::new(sqlx::Error::Database(db)),
                        }
                    }
                    // SQLSTATE 22001: string data, right truncation (MySQL's ER_DATA_TOO_LONG).
                    _ if code == "22001" => Error::ValueTooLong {
                        column: column_from_message(&message),
                        message,
                    },
                    _ => Error::database(sqlx::Error::Database(db)),
                }
            }
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Protocol(_) => Error::connection(err),
            sqlx::Error::PoolTimedOut => Error::AcquireTimeout {
                source: Box::new(err),
            },
            sqlx::Error::Configuration(_) => Error::connection(err),
            other => Error::database(other),
        }
    }

    pub(crate) fn connection(source: impl Into<Source>) -> Self {
        Error::Connection {
            source: source.into(),
        }
    }

    pub(crate) fn database(source: impl Into<Source>) -> Self {
        Error::Database {
            source: source.into(),
        }
    }

    pub(crate) fn decode(
        model: &'static str,
        column: &'static str,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Error::Decode {
            model,
            column,
            source: source.into(),
        }
    }
}

/// Errors that mean the session is gone, though the server said so in an error message rather
/// than by closing the socket: retrying on a new connection may succeed.
fn connection_lost(sqlstate: &str, mysql_number: Option<u16>) -> bool {
    // SQLSTATE class 08 (connection exception) on both; PostgreSQL's 57P01..57P03: the backend
    // was terminated (`pg_terminate_backend`, shutdown) or the server takes no connections now.
    sqlstate.starts_with("08")
        || matches!(sqlstate, "57P01" | "57P02" | "57P03")
        // MySQL/MariaDB: ER_SERVER_SHUTDOWN, ER_NEW_ABORTING_CONNECTION, ER_CONNECTION_KILLED
        // (`KILL`), and the client's CR_SERVER_GONE_ERROR / CR_SERVER_LOST.
        || matches!(mysql_number, Some(1053 | 1184 | 1927 | 2006 | 2013))
}

/// Errors that mean another connection held a lock past the time allowed to wait for it.
fn busy(code: &str, mysql_number: Option<u16>, sqlite: bool) -> bool {
    // SQLite's extended codes keep the primary one in the low byte: SQLITE_BUSY (5) and
    // SQLITE_LOCKED (6) with their variants.
    let sqlite_busy = sqlite && code.parse::<u32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6));
    // PostgreSQL's lock_not_available (`lock_timeout`); MySQL's ER_LOCK_WAIT_TIMEOUT.
    sqlite_busy || code == "55P03" || mysql_number == Some(1205)
}

/// Errors that mean the database gave a transaction up over a conflict, which running it again
/// may resolve.
fn conflict(sqlstate: &str, mysql_number: Option<u16>) -> bool {
    // serialization_failure, deadlock_detected; MySQL's ER_LOCK_DEADLOCK, which Galera also
    // reports for a certification conflict (its SQLSTATE is 40001 too).
    matches!(sqlstate, "40001" | "40P01") || mysql_number == Some(1213)
}

/// Errors that mean the server stopped a statement that ran past the statement timeout.
fn timed_out(sqlstate: &str, mysql_number: Option<u16>) -> bool {
    // PostgreSQL's query_canceled; MySQL's ER_QUERY_TIMEOUT (`max_execution_time`), MariaDB's
    // ER_STATEMENT_TIMEOUT (`max_statement_time`).
    sqlstate == "57014" || matches!(mysql_number, Some(3024 | 1969))
}

/// MySQL: "Data too long for column 'id' at row 1".
fn column_from_message(message: &str) -> Option<String> {
    let rest = message.split("for column ").nth(1)?;
    let name = rest.split_whitespace().next()?;
    Some(name.trim_matches(|c| c == '\'' || c == '`').to_owned())
}

/// SQLite and MySQL name the failing key only inside the message text.
pub(crate) fn constraint_from_message(message: &str) -> Option<String> {
    // SQLite: "UNIQUE constraint failed: users.email"
    if let Some(rest) = message.split("constraint failed: ").nth(1) {
        return Some(rest.trim().to_owned());
    }
    // MySQL / MariaDB: "Duplicate entry 'x' for key 'users.email'"
    if let Some(rest) = message
        .rsplit(" for key ")
        .next()
        .filter(|_| message.contains(" for key "))
    {
        return Some(rest.trim_matches(|c| c == '\'' || c == '`').to_owned());
    }
    // MySQL / MariaDB: "... CONSTRAINT `fk_name` FOREIGN KEY ..."
    if let Some(rest) = message.split("CONSTRAINT `").nth(1) {
        return rest.split('`').next().map(str::to_owned);
    }
    None
}
