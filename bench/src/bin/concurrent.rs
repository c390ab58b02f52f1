//! Many requests at once: `--tasks` tasks (64) share one pool of `POOL_SIZE` (10) connections
//! per implementation and together make `--requests` requests, alternately the `find_first`
//! workload's lookup (a user by e-mail with its profile's bio and first five sessions) and a
//! page of the `page` workload (20 users with their bio, first sessions and organizations).
//! Prints, as a Markdown table, each implementation's requests per second and the 50th and
//! 99th percentile of a request's latency, with their ratios to the hand-written reference.
//!
//! ```sh
//! cargo run --release -p trellis-bench --bin concurrent -- \
//!     [--backend sqlite,postgres,mysql] [--tasks 64] [--requests 6400] [--rounds 5]
//! ```
//!
//! Every implementation must return the reference's rows for the same requests before
//! anything is timed. The implementations then run in turns, one after the other in each
//! round, starting one further each round; the table gives the median over the rounds (and
//! the range of the rounds' ratios). Both sides' pools have the same size and timeouts.

use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use trellis_bench::compare::{accounts, Backend, Ctx, Imp, Result, POOL_SIZE};

/// The implementations compared, the reference first.
const IMPS: [Imp; 4] = [
    Imp::HandPerRequest,
    Imp::HandOneConnection,
    Imp::TrellisSelect,
    Imp::TrellisInclude,
];

struct Args {
    backends: Vec<Backend>,
    tasks: usize,
    requests: u64,
    rounds: usize,
}

fn parse_args() -> std::result::Result<Args, String> {
    let mut args = Args {
        backends: vec![Backend::Sqlite, Backend::Postgres, Backend::MySql],
        tasks: 64,
        requests: 6_400,
        rounds: 5,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--backend" | "--backends" => {
                args.backends = value
                    .split(',')
                    .map(|b| Backend::parse(b.trim()).ok_or_else(|| format!("unknown backend {b}")))
                    .collect::<std::result::Result<_, _>>()?;
            }
            "--tasks" => args.tasks = number(&value)?.max(1) as usize,
            "--requests" => args.requests = number(&value)?.max(1),
            "--rounds" => args.rounds = number(&value)?.max(1) as usize,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(args)
}

/// Request `i`: even numbers look a user up, odd ones read a page. Returns the rows read.
async fn request(ctx: &Ctx, imp: Imp, i: u64) -> Result<usize> {
    let i = i as i64;
    if i % 2 == 0 {
        let user = 1 + (i / 2 * 37) % accounts::USERS;
        Ok(accounts::find_one(ctx, imp, user)
            .await?
            .map_or(0, |c| 1 + c.tokens.len()))
    } else {
        let page = (i / 2) % accounts::PAGES;
        Ok(accounts::page(ctx, imp, page).await?.len())
    }
}

/// The rows of the first requests, for comparing implementations.
async fn answers(ctx: &Ctx, imp: Imp) -> Result<String> {
    let mut out = String::new();
    for i in 0..2 * accounts::PAGES as u64 {
        if i % 2 == 0 {
            let user = 1 + (i as i64 / 2 * 37) % accounts::USERS;
            out.push_str(&format!(
                "{:?}\n",
                accounts::find_one(ctx, imp, user).await?
            ));
        } else {
            let page = (i as i64 / 2) % accounts::PAGES;
            out.push_str(&format!("{:?}\n", accounts::page(ctx, imp, page).await?));
        }
    }
    Ok(out)
}

/// One run: every task takes the next request number until all are taken.
struct Run {
    wall: Duration,
    latencies: Vec<Duration>,
}

async fn run_once(ctx: &Ctx, imp: Imp, tasks: usize, requests: u64) -> Result<Run> {
    let before = ctx.db.connection_stats();
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut spawned = Vec::with_capacity(tasks);
    for _ in 0..tasks {
        let (ctx, next, total) = (ctx.clone(), Arc::clone(&next), requests);
        spawned.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    return Ok::<_, trellis_bench::compare::BoxError>(latencies);
                }
                let at = Instant::now();
                std::hint::black_box(request(&ctx, imp, i).await?);
                latencies.push(at.elapsed());
            }
        }));
    }
    let mut latencies = Vec::with_capacity(requests as usize);
    for task in spawned {
        latencies.extend(task.await??);
    }
    let wall = start.elapsed();
    latencies.sort_unstable();
    if imp.is_trellis() && std::env::var_os("TRELLIS_BENCH_STATS").is_some() {
        eprintln!(
            "    {}: {:?}",
            imp.name(ctx.backend),
            ctx.db.connection_stats() - before
        );
    }
    Ok(Run { wall, latencies })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[at]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// One round of one implementation.
struct Measure {
    /// Requests per second.
    rps: f64,
    /// The median latency of a request, in milliseconds.
    p50: f64,
    /// The 99th percentile, in milliseconds.
    p99: f64,
}

/// Every round of one implementation.
type Measures = Vec<Measure>;

/// One column of the table.
type Field = fn(&Measure) -> f64;

async fn measure(ctx: &Ctx, args: &Args) -> Result<Vec<(Imp, Measures)>> {
    let reference = answers(ctx, IMPS[0]).await?;
    for imp in IMPS {
        if answers(ctx, imp).await? != reference {
            return Err(format!(
                "MISMATCH on {}: {} answers other rows than {}",
                ctx.backend,
                imp.name(ctx.backend),
                IMPS[0].name(ctx.backend)
            )
            .into());
        }
        // Warm-up: every connection of the pool opened and its statements prepared.
        run_once(ctx, imp, args.tasks, args.tasks as u64 * 4).await?;
    }
    let mut measured: Vec<(Imp, Measures)> = IMPS.iter().map(|&i| (i, Vec::new())).collect();
    for round in 0..args.rounds {
        for k in 0..IMPS.len() {
            let (imp, runs) = &mut measured[(round + k) % IMPS.len()];
            let run = run_once(ctx, *imp, args.tasks, args.requests).await?;
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            runs.push(Measure {
                rps: args.requests as f64 / run.wall.as_secs_f64(),
                p50: ms(percentile(&run.latencies, 0.50)),
                p99: ms(percentile(&run.latencies, 0.99)),
            });
        }
        eprintln!(
            "  {}: round {} of {} done",
            ctx.backend,
            round + 1,
            args.rounds
        );
    }
    Ok(measured)
}

fn print(backend: Backend, measured: &[(Imp, Measures)]) {
    let reference = &measured[0].1;
    let column = |runs: &Measures, f: Field| runs.iter().map(f).collect();
    for (imp, runs) in measured {
        let mut cells = Vec::new();
        let fields: [Field; 3] = [|m| m.rps, |m| m.p50, |m| m.p99];
        for f in fields {
            let ratios: Vec<f64> = runs
                .iter()
                .zip(reference)
                .map(|(m, r)| f(m) / f(r))
                .collect();
            let (lo, hi) = ratios
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &r| {
                    (lo.min(r), hi.max(r))
                });
            let value = median(column(runs, f));
            let ratio = value / median(column(reference, f));
            cells.push(format!("{value:.1} | {ratio:.2} ({lo:.2}–{hi:.2})"));
        }
        println!(
            "| {backend} | {} | {} |",
            imp.name(backend),
            cells.join(" | ")
        );
    }
}

async fn run(args: &Args) -> Result<Vec<(Backend, Vec<(Imp, Measures)>)>> {
    let dir = std::env::temp_dir().join(format!("trellis-concurrent-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut out = Vec::new();
    for &backend in &args.backends {
        eprintln!("{backend}: connecting and seeding");
        let ctx = Ctx::connect(backend, &dir).await?;
        accounts::seed(&ctx.setup).await?;
        ctx.analyze().await?;
        let measured = measure(&ctx, args).await;
        ctx.close().await;
        out.push((backend, measured?));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(out)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("concurrent: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("concurrent: a tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&args)) {
        Ok(results) => {
            println!(
                "{} tasks, {} requests per run (lookups and pages alternately), pools of {} \
                 connections, {} rounds; median over the rounds, ratio to the first line of the \
                 backend (range of the rounds' ratios).\n",
                args.tasks, args.requests, POOL_SIZE, args.rounds
            );
            println!("| backend | implementation | requests per second | ratio | p50 latency (ms) | ratio | p99 latency (ms) | ratio |");
            println!("|---|---|---|---|---|---|---|---|");
            for (backend, measured) in &results {
                print(*backend, measured);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("concurrent: {e}");
            ExitCode::FAILURE
        }
    }
}
