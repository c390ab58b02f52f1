//! Migrations and generators from the terminal, against the application's own models: a small
//! binary of the application calls [`run`] with its schema (feature `cli`), as
//! `docs/cli.md` shows:
//!
//! ```no_run
//! # mod my_app { pub fn schema() -> trellis::Schema { trellis::Schema::new() } }
//! // src/bin/db.rs
//! fn main() -> std::process::ExitCode {
//!     trellis::cli::run(my_app::schema())
//! }
//! ```
//!
//! `cargo run --bin db -- migrate diff --url $DATABASE_URL` then writes the next migration.
//! The migrations are sqlx's: files `NNNN_name.sql` in `--dir` (`migrations` by default), and
//! the table `_sqlx_migrations`, so `sqlx migrate run` and `sqlx::migrate!` apply them alike.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Parser, Subcommand, ValueEnum};
use trellis_runtime::{migrate, Db, Dialect, Error, Result, Schema};

/// Migrations and generated schemas from this application's Trellis models.
#[derive(Parser)]
#[command(name = "db")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migration files (sqlx's) written from the models, applied, and listed.
    #[command(subcommand)]
    Migrate(Migrate),
    /// Prints the models as SQL DDL, a Prisma schema or a Drizzle schema.
    Generate {
        /// What to write.
        #[arg(value_enum)]
        what: Generated,
        /// The database the output is for.
        #[arg(long, value_enum)]
        dialect: DialectArg,
    },
}

#[derive(Subcommand)]
enum Migrate {
    /// Writes a new migration into `--dir`: the models' tables when it holds none yet, else
    /// an empty file to write by hand.
    New {
        /// What the migration does, for its file name.
        description: String,
        /// The database the migration is for.
        #[arg(long, value_enum)]
        dialect: DialectArg,
        /// The migrations directory.
        #[arg(long, default_value = "migrations")]
        dir: PathBuf,
    },
    /// Writes the next migration: what the database at `--url` lacks of the models (and,
    /// commented out, what it has that they do not declare). Writes nothing when it matches.
    Diff {
        /// The database to compare with the models.
        #[arg(long)]
        url: String,
        /// What the migration does, for its file name.
        #[arg(long, default_value = "next")]
        name: String,
        /// The migrations directory.
        #[arg(long, default_value = "migrations")]
        dir: PathBuf,
    },
    /// Applies the migrations of `--dir` that the database at `--url` has not applied, in
    /// order, each in a transaction.
    Run {
        /// The database.
        #[arg(long)]
        url: String,
        /// The migrations directory.
        #[arg(long, default_value = "migrations")]
        dir: PathBuf,
    },
    /// Lists the migrations of `--dir`, each applied to the database at `--url` or pending.
    Status {
        /// The database.
        #[arg(long)]
        url: String,
        /// The migrations directory.
        #[arg(long, default_value = "migrations")]
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Generated {
    /// SQL DDL: the tables and indexes, in dependency order.
    Sql,
    /// A Prisma schema (`schema.prisma`).
    Prisma,
    /// A Drizzle schema (TypeScript).
    Drizzle,
}

#[derive(Clone, Copy, ValueEnum)]
enum DialectArg {
    Sqlite,
    Postgres,
    Mysql,
}

impl From<DialectArg> for Dialect {
    fn from(dialect: DialectArg) -> Dialect {
        match dialect {
            DialectArg::Sqlite => Dialect::Sqlite,
            DialectArg::Postgres => Dialect::Postgres,
            DialectArg::Mysql => Dialect::MySql,
        }
    }
}

/// Runs the command line (`std::env::args`) against `schema`: prints what it did on standard
/// output, an error on standard error; the exit code says which.
pub fn run(schema: Schema) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // `--help` and mistakes in the arguments: clap prints them and exits, as every command
    // line program does.
    let cli = Cli::parse();
    let mut out = std::io::stdout();
    match runtime.block_on(execute(&schema, cli, &mut out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::FAILURE
        }
    }
}

/// [`run`] with the arguments given (the first is the program's name) and the output written
/// to `out`: for tests, and for a program that runs the commands itself. `--help` and
/// `--version` write their text to `out`; a mistake in the arguments is
/// [`Error::InvalidArguments`], with clap's message and usage.
pub async fn run_from(
    schema: &Schema,
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    out: &mut impl Write,
) -> Result<()> {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            return print(out, &e.render().to_string());
        }
        Err(e) => return Err(Error::InvalidArguments(e.render().to_string())),
    };
    execute(schema, cli, out).await
}

async fn execute(schema: &Schema, cli: Cli, out: &mut impl Write) -> Result<()> {
    match cli.command {
        Command::Generate { what, dialect } => {
            let dialect = dialect.into();
            let text = match what {
                Generated::Sql => schema.to_sql(dialect),
                Generated::Prisma => schema.to_prisma(dialect),
                Generated::Drizzle => schema.to_drizzle(dialect),
            };
            print(out, &text)
        }
        Command::Migrate(Migrate::New {
            description,
            dialect,
            dir,
        }) => {
            let file = if has_migrations(&dir)? {
                write_empty(&dir, &description)?
            } else {
                let script = migrate::initial(dialect.into(), schema);
                migrate::write(&dir, &description, &script)?
            };
            match file {
                Some(file) => print(out, &format!("wrote {}\n", file.path.display())),
                None => print(out, "the schema has no models: nothing written\n"),
            }
        }
        Command::Migrate(Migrate::Diff { url, name, dir }) => {
            print(out, "reading the database's catalog\n")?;
            let db = Db::connect(&url).await?;
            let file = migrate::write_next(&dir, &db, schema, &name).await?;
            db.close().await;
            match file {
                Some(file) => print(out, &format!("wrote {}\n", file.path.display())),
                None => print(out, "the database matches the models: nothing written\n"),
            }
        }
        Command::Migrate(Migrate::Run { url, dir }) => {
            let applied = apply(&url, &dir, out).await?;
            print(out, &format!("{applied} migrations applied\n"))
        }
        Command::Migrate(Migrate::Status { url, dir }) => status(&url, &dir, out).await,
    }
}

fn print(out: &mut impl Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::Migration {
            what: "cannot write the output".to_owned(),
            source: Box::new(e),
        })
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::MigrationIo {
        path: path.to_owned(),
        source,
    }
}

/// Whether `dir` holds a migration already.
fn has_migrations(dir: &Path) -> Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(entries) => Ok(entries
            .filter_map(std::result::Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "sql"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_error(dir)(e)),
    }
}

/// An empty migration, numbered after the last one, to write by hand.
fn write_empty(dir: &Path, description: &str) -> Result<Option<migrate::MigrationFile>> {
    let script = migrate::Script {
        sql: format!("-- {description}: written by hand.\n"),
        warnings: Vec::new(),
        changes: 1,
    };
    migrate::write(dir, description, &script)
}

fn migration_error(what: &str) -> impl FnOnce(sqlx::migrate::MigrateError) -> Error + '_ {
    move |source| Error::Migration {
        what: what.to_owned(),
        source: Box::new(source),
    }
}

/// The migrations of `dir`, read as sqlx reads them.
async fn migrator(dir: &Path) -> Result<sqlx::migrate::Migrator> {
    sqlx::migrate::Migrator::new(dir)
        .await
        .map_err(migration_error("cannot read the migrations directory"))
}

/// Runs `$body` with `$conn`, a connection of the backend `$url` names (each backend its own
/// type, so the body is compiled once per backend).
macro_rules! with_connection {
    ($url:expr, |$conn:ident| $body:expr) => {{
        let url: &str = $url;
        let connect_error = |source: sqlx::Error| Error::Connection {
            source: Box::new(source),
        };
        if url.starts_with("sqlite:") {
            #[cfg(feature = "sqlite")]
            {
                use sqlx::Connection as _;
                let mut $conn = sqlx::SqliteConnection::connect(url)
                    .await
                    .map_err(connect_error)?;
                $body
            }
            #[cfg(not(feature = "sqlite"))]
            Err(missing("SQLite", "sqlite"))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            #[cfg(feature = "postgres")]
            {
                use sqlx::Connection as _;
                let mut $conn = sqlx::PgConnection::connect(url)
                    .await
                    .map_err(connect_error)?;
                $body
            }
            #[cfg(not(feature = "postgres"))]
            Err(missing("PostgreSQL", "postgres"))
        } else if url.starts_with("mysql:") || url.starts_with("mariadb:") {
            #[cfg(feature = "mysql")]
            {
                use sqlx::Connection as _;
                let mut $conn = sqlx::MySqlConnection::connect(url)
                    .await
                    .map_err(connect_error)?;
                $body
            }
            #[cfg(not(feature = "mysql"))]
            Err(missing("MySQL", "mysql"))
        } else {
            Err(Error::InvalidUrl {
                url: url.to_owned(),
                reason: "the scheme must be sqlite:, postgres: or mysql:".to_owned(),
            })
        }
    }};
}

#[allow(dead_code)]
fn missing(backend: &'static str, feature: &'static str) -> Error {
    Error::MissingBackend { backend, feature }
}

/// Applies what is pending; the number applied.
async fn apply(url: &str, dir: &Path, out: &mut impl Write) -> Result<usize> {
    let migrator = migrator(dir).await?;
    with_connection!(url, |conn| {
        use sqlx::migrate::Migrate as _;
        conn.ensure_migrations_table(&migrator.table_name)
            .await
            .map_err(migration_error("cannot create the migrations table"))?;
        let before = conn
            .list_applied_migrations(&migrator.table_name)
            .await
            .map_err(migration_error("cannot read the applied migrations"))?;
        let pending: Vec<String> = migrator
            .iter()
            .filter(|m| !before.iter().any(|a| a.version == m.version))
            .map(|m| format!("applying {} {}\n", m.version, m.description))
            .collect();
        for line in &pending {
            print(out, line)?;
        }
        migrator
            .run(&mut conn)
            .await
            .map_err(migration_error("a migration failed"))?;
        Ok(pending.len())
    })
}

/// Prints each migration of `dir`, applied or pending.
async fn status(url: &str, dir: &Path, out: &mut impl Write) -> Result<()> {
    let migrator = migrator(dir).await?;
    with_connection!(url, |conn| {
        use sqlx::migrate::Migrate as _;
        conn.ensure_migrations_table(&migrator.table_name)
            .await
            .map_err(migration_error("cannot create the migrations table"))?;
        let applied = conn
            .list_applied_migrations(&migrator.table_name)
            .await
            .map_err(migration_error("cannot read the applied migrations"))?;
        for m in migrator.iter() {
            let state = if applied.iter().any(|a| a.version == m.version) {
                "applied"
            } else {
                "pending"
            };
            print(out, &format!("{state} {} {}\n", m.version, m.description))?;
        }
        Ok(())
    })
}
