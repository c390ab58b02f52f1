//! `trellis`: models from an existing database (`trellis pull`). See `docs/cli.md`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use trellis_cli::pull::pull;
use trellis_cli::HEADER_START;

/// Trellis, the relation-first ORM: models from an existing database.
#[derive(Parser)]
#[command(name = "trellis", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Reads a live database's tables and writes them as `#[derive(Model)]` structs, with
    /// their relations, in one Rust file; prints what the models leave out.
    Pull {
        /// The database: `sqlite://path.db`, `postgres://..`, `mysql://..`.
        #[arg(long)]
        url: String,
        /// The Rust file to write (its own file: a pull writes it again).
        #[arg(long)]
        out: PathBuf,
        /// Overwrite `--out` even when it is not a file a pull wrote.
        #[arg(long)]
        force: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Pull { url, out, force } => match run_pull(&url, &out, force).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
    }
}

async fn run_pull(url: &str, out: &PathBuf, force: bool) -> Result<(), String> {
    if !force {
        if let Ok(existing) = std::fs::read_to_string(out) {
            if !existing.starts_with(HEADER_START) {
                return Err(format!(
                    "{} exists and was not written by `trellis pull`; give another --out, or --force to overwrite it",
                    out.display()
                ));
            }
        }
    }
    eprintln!("reading the catalog of {}", redacted(url));
    let db = trellis::Db::connect(url)
        .await
        .map_err(|e| format!("cannot connect: {e}"))?;
    let catalog = trellis::migrate::read_catalog(&db)
        .await
        .map_err(|e| format!("cannot read the catalog: {e}"))?;
    let pulled = pull(db.dialect(), &catalog);
    for report in &pulled.reports {
        eprintln!("warning: {report}");
    }
    let unchanged = std::fs::read_to_string(out).is_ok_and(|s| s == pulled.source);
    if !unchanged {
        std::fs::write(out, &pulled.source)
            .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    }
    eprintln!(
        "{} {} models of {} tables to {}{}",
        if unchanged { "kept" } else { "wrote" },
        pulled.models,
        catalog.tables.len(),
        out.display(),
        if unchanged { " (unchanged)" } else { "" }
    );
    Ok(())
}

/// The URL without its password, for messages.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}
