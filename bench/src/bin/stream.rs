//! Peak memory and time of reading a large nested result whole (`fetch_all`) against reading it
//! as a stream (`stream`), each in a process of its own, run alternately:
//!
//! ```text
//! cargo run --release -p trellis-bench --bin stream -- [--backend sqlite|postgres|mysql]
//!     [--members 200000] [--rounds 2] [--chunk 1000] [--filtered 1]
//! ```
//!
//! The data: `--members` members with five visits each, written once per backend (SQLite in a
//! file under the temporary directory, the servers at `TRELLIS_BENCH_POSTGRES_URL` and
//! `TRELLIS_BENCH_MYSQL_URL`, by default the local ones). The read: every member in key order
//! with its visits and their count (`select!(Member { id, name, visits { id, page },
//! visit_count: visits: count })`). Each run reports its wall time and its process's peak
//! resident memory (`VmHWM`), and a digest of the outputs in order, which must be the same both
//! ways. `--filtered 1` adds a filter that keeps every member (`name <> ''`): the roots are then
//! not known to be the whole table, and both ways read the visits by key rather than whole.

use std::hash::{Hash, Hasher};
use std::process::Command;
use std::time::Instant;

use trellis::prelude::*;

/// A member of the data set.
#[derive(Model, Debug, Clone)]
#[model(table = "stream_members")]
pub struct Member {
    /// The primary key.
    #[field(id)]
    pub id: i64,
    /// A name.
    pub name: String,
    /// The member's visits, once loaded.
    #[relation(has_many = Visit, foreign_key = "member_id")]
    pub visits: HasMany<Visit>,
}

/// A visit of a member to a page.
#[derive(Model, Debug, Clone)]
#[model(table = "stream_visits")]
pub struct Visit {
    /// The primary key.
    #[field(id)]
    pub id: i64,
    /// The member who visited.
    #[field(references = Member)]
    pub member_id: i64,
    /// The page visited.
    pub page: String,
}

const VISITS: i64 = 5;

struct Args {
    backend: String,
    members: i64,
    rounds: usize,
    chunk: u64,
    filtered: bool,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        backend: "sqlite".into(),
        members: 200_000,
        rounds: 2,
        chunk: 1_000,
        filtered: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || value.parse::<i64>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--backend" => args.backend = value.clone(),
            "--members" => args.members = number()?,
            "--rounds" => args.rounds = usize::try_from(number()?).map_err(|e| e.to_string())?,
            "--chunk" => args.chunk = u64::try_from(number()?).map_err(|e| e.to_string())?,
            "--filtered" => args.filtered = number()? != 0,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(args)
}

fn url(backend: &str) -> Result<String, String> {
    let env = |var: &str, default: &str| std::env::var(var).unwrap_or_else(|_| default.into());
    Ok(match backend {
        "sqlite" => {
            let path = std::env::temp_dir().join("trellis-stream-bench.db");
            format!("sqlite://{}?mode=rwc", path.display())
        }
        "postgres" => env(
            "TRELLIS_BENCH_POSTGRES_URL",
            "postgres://postgres@127.0.0.1:5432/postgres",
        ),
        "mysql" => env(
            "TRELLIS_BENCH_MYSQL_URL",
            "mysql://root@127.0.0.1:3306/test",
        ),
        other => return Err(format!("unknown backend {other}")),
    })
}

/// Writes the data set, unless the tables already hold it.
async fn seed(db: &Db, members: i64) -> Result<(), Error> {
    let schema = Schema::new().model::<Member>().model::<Visit>();
    db.create_schema(&schema).await?;
    if Member::count().fetch(db).await? == members
        && Visit::count().fetch(db).await? == members * VISITS
    {
        return Ok(());
    }
    Visit::delete_many().exec(db).await?;
    Member::delete_many().exec(db).await?;
    let step = 10_000;
    for start in (0..members).step_by(step as usize) {
        let end = (start + step).min(members);
        Member::insert_many((start..end).map(|id| member::New {
            id,
            name: format!("member {id}"),
        }))
        .exec(db)
        .await?;
        Visit::insert_many((start..end).flat_map(|member| {
            (0..VISITS).map(move |n| visit::New {
                id: member * VISITS + n,
                member_id: member,
                page: format!("/pages/{}", (member + n) % 997),
            })
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// The process's peak resident memory so far, in KiB (`VmHWM`).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// One read, in this process: `fetch_all` or `stream`. Prints the time in milliseconds, the
/// peak resident memory in KiB, the rows read and the digest of the outputs.
async fn child(mode: &str, url: &str, chunk: u64, filtered: bool) -> Result<(), Error> {
    let db = Db::connect(url).await?;
    let query = || {
        let find = Member::find_many();
        let find = if filtered {
            find.filter(member::name.ne(String::new()))
        } else {
            find
        };
        find.order_by(member::id.asc()).select(select!(Member {
            id,
            name,
            visits(order_by = id.asc()) { id, page },
            visit_count: visits: count,
        }))
    };
    let mut digest = std::collections::hash_map::DefaultHasher::new();
    let mut rows = 0_u64;
    let start = Instant::now();
    match mode {
        "fetch_all" => {
            let all = query().fetch_all(&db).await?;
            for m in &all {
                (m.id, &m.name, m.visit_count).hash(&mut digest);
                for v in &m.visits {
                    (v.id, &v.page).hash(&mut digest);
                }
                rows += 1;
            }
        }
        _ => {
            use futures_util::StreamExt;
            let stream = query().chunk_size(chunk).stream(&db);
            futures_util::pin_mut!(stream);
            while let Some(m) = stream.next().await {
                let m = m?;
                (m.id, &m.name, m.visit_count).hash(&mut digest);
                for v in &m.visits {
                    (v.id, &v.page).hash(&mut digest);
                }
                rows += 1;
            }
        }
    }
    let elapsed = start.elapsed().as_secs_f64() * 1000.0;
    println!("{elapsed:.1} {} {rows} {:x}", peak_kib(), digest.finish());
    db.close().await;
    Ok(())
}

/// One run of `mode` in a process of its own: (milliseconds, peak MiB, rows, digest).
fn run(mode: &str, args: &Args) -> Result<(f64, f64, u64, String), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .env("TRELLIS_STREAM_CHILD", mode)
        .args([
            "--backend",
            &args.backend,
            "--chunk",
            &args.chunk.to_string(),
            "--filtered",
            if args.filtered { "1" } else { "0" },
        ])
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<&str> = text.split_whitespace().collect();
    match (out.status.success(), fields.as_slice()) {
        (true, [ms, kib, rows, digest]) => Ok((
            ms.parse().map_err(|_| text.to_string())?,
            kib.parse::<f64>().map_err(|_| text.to_string())? / 1024.0,
            rows.parse().map_err(|_| text.to_string())?,
            (*digest).to_owned(),
        )),
        _ => Err(format!(
            "{mode} failed: {}{}",
            text,
            String::from_utf8_lossy(&out.stderr)
        )),
    }
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = args()?;
    let url = url(&args.backend)?;
    if let Ok(mode) = std::env::var("TRELLIS_STREAM_CHILD") {
        return child(&mode, &url, args.chunk, args.filtered)
            .await
            .map_err(|e| e.to_string());
    }
    let db = Db::connect(&url).await.map_err(|e| e.to_string())?;
    seed(&db, args.members).await.map_err(|e| e.to_string())?;
    db.close().await;
    println!(
        "{}: {} members, {} visits each; chunks of {}{}",
        args.backend,
        args.members,
        VISITS,
        args.chunk,
        if args.filtered {
            "; filtered (name <> '')"
        } else {
            ""
        }
    );
    println!("| round | mode | time (ms) | peak RSS (MiB) | rows |");
    println!("|---|---|---|---|---|");
    let mut digests = Vec::new();
    let mut times = (Vec::new(), Vec::new());
    for round in 0..args.rounds {
        // Alternately first, so that neither always runs on a warmer cache.
        let modes = if round % 2 == 0 {
            ["fetch_all", "stream"]
        } else {
            ["stream", "fetch_all"]
        };
        for mode in modes {
            let (ms, mib, rows, digest) = run(mode, &args)?;
            println!("| {} | {mode} | {ms:.0} | {mib:.1} | {rows} |", round + 1);
            digests.push(digest);
            if mode == "stream" {
                times.1.push(ms);
            } else {
                times.0.push(ms);
            }
        }
    }
    digests.dedup();
    let total = |v: &Vec<f64>| v.iter().sum::<f64>();
    println!(
        "stream / fetch_all time: {:.2}; outputs {}",
        total(&times.1) / total(&times.0).max(1.0),
        if digests.len() == 1 {
            "equal, in order"
        } else {
            "DIFFER"
        }
    );
    Ok(())
}
