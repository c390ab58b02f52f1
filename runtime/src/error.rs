//! The one error type every Trellis operation returns.
//!
//! Database errors are sorted into the cases a caller acts on (a unique or foreign key
//! violation, a missing row, a row that does not decode) and keep their source otherwise.

use std::error::Error as StdError;

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
    #[error("could not decode column `{column}` of `{model}`: {source}")]
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
    /// The database could not be reached or the connection broke.
    #[error("connection error: {0}")]
    Connection(#[source] sqlx::Error),
    /// A value could not be sent to the database.
    #[error("could not encode a value for `{column}`: {source}")]
    Encode {
        /// The column or parameter the value was meant for.
        column: String,
        /// Why it failed.
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
    /// A query was built in a way the database cannot run.
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// Any other error the database reported.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
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
                match db.kind() {
                    ErrorKind::UniqueViolation => Error::UniqueViolation {
                        constraint: constraint.or_else(|| constraint_from_message(&message)),
                        message,
                    },
                    ErrorKind::ForeignKeyViolation => Error::ForeignKeyViolation {
                        constraint: constraint.or_else(|| constraint_from_message(&message)),
                        message,
                    },
                    _ => Error::Database(sqlx::Error::Database(db)),
                }
            }
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Protocol(_) => Error::Connection(err),
            sqlx::Error::Configuration(_) => Error::Connection(err),
            other => Error::Database(other),
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

/// SQLite and MySQL name the failing key only inside the message text.
fn constraint_from_message(message: &str) -> Option<String> {
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
