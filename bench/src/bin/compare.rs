//! Compares nested loading (and, with `--workload bulk`, nested writing) through Trellis with
//! hand-written sqlx on SQLite, PostgreSQL and MySQL/MariaDB, and prints the results as a
//! Markdown table.
//!
//! ```sh
//! cargo run --release -p trellis-bench --bin compare -- \
//!     [--backend sqlite,postgres,mysql] [--rounds 5] \
//!     [--workload chain100,chain9,seed,find_first,page,counts,bulk] [--target-ms 300] [--show-sql]
//! ```
//!
//! Every implementation must return the same rows as the reference (hand-written, one query
//! per level with the keys in `IN (..)`) before anything is timed; for `bulk`, every write
//! must leave the same rows in every table as the data set holds. The implementations then
//! run in turns: each round times every implementation once, for as many loads (or writes)
//! as take about `--target-ms` (counted after a warm-up), and the order of the
//! implementations rotates from round to round. Each write goes into empty tables: emptying
//! them before it is not timed. `bulk` is not in the default workloads. The PostgreSQL and MySQL servers are read from
//! `TRELLIS_BENCH_POSTGRES_URL` and `TRELLIS_BENCH_MYSQL_URL`; the data goes in a database of
//! its own, `trellis_bench`, whose tables are dropped and refilled. `--show-sql` prints, on
//! standard error, the statements of the load each implementation's result is checked with
//! (from Trellis's `trellis::sql` and sqlx's `sqlx::query` logs).

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Debug;
use std::hint::black_box;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use trellis_bench::compare::{
    accounts, bulk, chain, hand_statements, Backend, Ctx, Imp, Implementation, Result,
};

/// The system allocator, counting the bytes allocated and freed while `TRACKING` is on, so
/// that the peak memory of one load can be read.
struct Counting;

static TRACKING: AtomicBool = AtomicBool::new(false);
static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grew(bytes: usize) {
    if TRACKING.load(Ordering::Relaxed) {
        let now = CURRENT.fetch_add(bytes as isize, Ordering::Relaxed) + bytes as isize;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn shrank(bytes: usize) {
    if TRACKING.load(Ordering::Relaxed) {
        CURRENT.fetch_sub(bytes as isize, Ordering::Relaxed);
    }
}

// A global allocator is an unsafe trait: this one forwards every call to the system's.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on unchanged.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most bytes held at once, above what was held at the start, while `f` runs (on every
/// thread: SQLite's worker threads included).
async fn peak_of<T>(f: impl AsyncFnOnce() -> T) -> (T, usize) {
    CURRENT.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    TRACKING.store(true, Ordering::Relaxed);
    let out = f().await;
    TRACKING.store(false, Ordering::Relaxed);
    (out, PEAK.load(Ordering::Relaxed).max(0) as usize)
}

/// Whether the statements being sent are printed (`--show-sql`, during the checking loads).
static SHOW_SQL: AtomicBool = AtomicBool::new(false);

fn log_statements() {
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::Layer as _;
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .without_time()
        // Asked at every event, not once per call site: the switch changes while running.
        .with_filter(tracing_subscriber::filter::dynamic_filter_fn(|meta, _| {
            SHOW_SQL.load(Ordering::Relaxed)
                && (meta.target() == "trellis::sql" || meta.target() == "sqlx::query")
        }));
    let subscriber = tracing_subscriber::registry().with(layer);
    tracing::subscriber::set_global_default(subscriber).expect("one logger");
}

/// Every workload.
const WORKLOADS: [&str; 7] = [
    "chain100",
    "chain9",
    "seed",
    "find_first",
    "page",
    "counts",
    "bulk",
];

/// The workloads run when `--workload` is not given: the loads (a write workload empties and
/// refills its tables for every write, which takes longer).
const DEFAULT_WORKLOADS: [&str; 6] = ["chain100", "chain9", "seed", "find_first", "page", "counts"];

struct Args {
    backends: Vec<Backend>,
    workloads: Vec<String>,
    rounds: usize,
    target: Duration,
    show_sql: bool,
    /// Only the implementations whose name contains one of these (the hand-written reference,
    /// which every ratio divides by, always runs).
    only: Vec<String>,
}

const USAGE: &str = "usage: compare [--backend sqlite,postgres,mysql] [--rounds 5] \
    [--workload chain100,chain9,seed,find_first,page,counts,bulk] [--target-ms 300] [--show-sql] \
    [--only select,include]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        backends: vec![Backend::Sqlite, Backend::Postgres, Backend::MySql],
        workloads: DEFAULT_WORKLOADS.iter().map(|w| w.to_string()).collect(),
        rounds: 5,
        target: Duration::from_millis(300),
        show_sql: false,
        only: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let (flag, inline) = match flag.split_once('=') {
            Some((f, v)) => (f.to_owned(), Some(v.to_owned())),
            None => (flag, None),
        };
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_owned());
        }
        if flag == "--show-sql" {
            args.show_sql = true;
            continue;
        }
        const TAKE_VALUES: [&str; 7] = [
            "--only",
            "--backend",
            "--backends",
            "--workload",
            "--workloads",
            "--rounds",
            "--target-ms",
        ];
        if !TAKE_VALUES.contains(&flag.as_str()) {
            return Err(format!("unknown option `{flag}`\n{USAGE}"));
        }
        let value = inline
            .or_else(|| it.next())
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--backend" | "--backends" => {
                args.backends = value
                    .split(',')
                    .map(|b| Backend::parse(b.trim()).ok_or(format!("unknown backend `{b}`")))
                    .collect::<Result<_, _>>()?;
            }
            "--workload" | "--workloads" => {
                args.workloads = value.split(',').map(|w| w.trim().to_owned()).collect();
                if let Some(w) = args
                    .workloads
                    .iter()
                    .find(|w| !WORKLOADS.contains(&w.as_str()))
                {
                    return Err(format!("unknown workload `{w}` (one of {WORKLOADS:?})"));
                }
            }
            "--only" => {
                args.only = value.split(',').map(|w| w.trim().to_owned()).collect();
            }
            "--rounds" => {
                args.rounds = value
                    .parse()
                    .map_err(|_| format!("--rounds: not a number: {value}"))?;
                if args.rounds < 1 {
                    return Err("--rounds must be at least 1".to_owned());
                }
            }
            "--target-ms" => {
                args.target = Duration::from_millis(
                    value
                        .parse()
                        .map_err(|_| format!("--target-ms: not a number: {value}"))?,
                );
            }
            _ => unreachable!("checked above"),
        }
    }
    Ok(args)
}

/// One implementation's results on one workload and backend.
struct Measured<I> {
    imp: I,
    statements: u64,
    peak: usize,
    loads_per_round: usize,
    per_round: Vec<Duration>,
}

/// A line of the results: a measurement, or why there is none.
enum Line {
    Row {
        workload: String,
        backend: Backend,
        name: &'static str,
        median: Duration,
        ratio: f64,
        low: f64,
        high: f64,
        statements: u64,
        peak: usize,
        loads: usize,
    },
    Missing {
        workload: String,
        backend: Backend,
        why: String,
    },
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn statements(ctx: &Ctx, imp: impl Implementation) -> u64 {
    if imp.is_trellis() {
        ctx.db.statement_count()
            + ctx.db_in_turn.statement_count()
            + ctx.db_by_key.statement_count()
    } else {
        hand_statements()
    }
}

/// The first difference between two results, for the mismatch message.
fn first_difference<T: PartialEq + Debug>(reference: &[T], other: &[T]) -> String {
    if reference.len() != other.len() {
        return format!("{} rows against {}", other.len(), reference.len());
    }
    let i = reference
        .iter()
        .zip(other)
        .position(|(a, b)| a != b)
        .unwrap_or(0);
    let show = |v: &T| {
        let s = format!("{v:?}");
        if s.len() > 600 {
            format!("{}..", &s[..s.floor_char_boundary(600)])
        } else {
            s
        }
    };
    format!(
        "row {i}:\n  expected {}\n  got      {}",
        show(&reference[i]),
        show(&other[i])
    )
}

async fn measure<T: PartialEq + Debug>(
    ctx: &Ctx,
    workload: &str,
    args: &Args,
    load: impl AsyncFn(&Ctx, Imp) -> Result<Vec<T>>,
) -> Result<Vec<Measured<Imp>>> {
    let backend = ctx.backend;
    let reference_imp = Imp::reference(workload);
    let imps: Vec<Imp> = std::iter::once(reference_imp)
        .chain(Imp::ALL.into_iter().filter(|&i| i != reference_imp))
        .filter(|i| i.runs_on(workload, backend))
        .filter(|&i| {
            i == reference_imp
                || args.only.is_empty()
                || args
                    .only
                    .iter()
                    .any(|o| i.name(backend).contains(o.as_str()))
        })
        .collect();

    // Same results first.
    let reference = load(ctx, reference_imp).await?;
    if reference.is_empty() {
        return Err(format!("{workload} on {backend}: the reference loaded nothing").into());
    }
    let mut measured = Vec::new();
    for &imp in &imps {
        if args.show_sql {
            eprintln!("-- {workload} on {backend}: {}", imp.name(backend));
            SHOW_SQL.store(true, Ordering::Relaxed);
        }
        let before = statements(ctx, imp);
        let out = load(ctx, imp).await;
        let statements = statements(ctx, imp) - before;
        SHOW_SQL.store(false, Ordering::Relaxed);
        let out = out?;
        if out != reference {
            return Err(format!(
                "MISMATCH: {workload} on {backend}: {} returns other rows than {}: {}",
                imp.name(backend),
                reference_imp.name(backend),
                first_difference(&reference, &out)
            )
            .into());
        }
        drop(out);
        let (out, peak) = peak_of(async || load(ctx, imp).await).await;
        drop(out?);
        measured.push(Measured {
            imp,
            statements,
            peak,
            loads_per_round: 1,
            per_round: Vec::new(),
        });
    }
    drop(reference);

    let no_preparation = async || Ok(());
    let timed = async |imp| {
        black_box(load(ctx, imp).await?);
        Ok(())
    };
    time_rounds(
        &mut measured,
        workload,
        backend,
        args,
        no_preparation,
        timed,
    )
    .await?;
    Ok(measured)
}

/// The `bulk` workload: each write checked against the data set, then timed.
async fn measure_writes(
    ctx: &Ctx,
    workload: &str,
    args: &Args,
) -> Result<Vec<Measured<bulk::Write>>> {
    let backend = ctx.backend;
    bulk::setup(&ctx.db).await?;
    let expected = bulk::expected();
    let mut measured = Vec::new();
    let returning = bulk::server_returns_rows(ctx).await?;
    for imp in bulk::Write::ALL
        .into_iter()
        .filter(|i| i.runs_on(backend, returning))
    {
        bulk::clear(ctx).await?;
        if args.show_sql {
            eprintln!("-- {workload} on {backend}: {}", imp.name(backend));
            SHOW_SQL.store(true, Ordering::Relaxed);
        }
        let before = statements(ctx, imp);
        let out = bulk::write(ctx, imp).await;
        let statements = statements(ctx, imp) - before;
        SHOW_SQL.store(false, Ordering::Relaxed);
        out?;
        let stored = bulk::contents(&ctx.db).await?;
        if let Some(difference) = bulk::first_difference(&expected, &stored) {
            return Err(format!(
                "MISMATCH: {workload} on {backend}: {} stores other rows than the data set: \
                 {difference}",
                imp.name(backend),
            )
            .into());
        }
        drop(stored);
        bulk::clear(ctx).await?;
        let (out, peak) = peak_of(async || bulk::write(ctx, imp).await).await;
        out?;
        measured.push(Measured {
            imp,
            statements,
            peak,
            loads_per_round: 1,
            per_round: Vec::new(),
        });
    }
    drop(expected);

    let empty_the_tables = async || bulk::clear(ctx).await;
    let timed = async |imp| bulk::write(ctx, imp).await;
    time_rounds(
        &mut measured,
        workload,
        backend,
        args,
        empty_the_tables,
        timed,
    )
    .await?;
    Ok(measured)
}

/// The warm-up and the rounds, for loads and writes alike: `prepare` runs before each run of
/// `run`, untimed (emptying the tables a write fills).
async fn time_rounds<I: Implementation>(
    measured: &mut [Measured<I>],
    workload: &str,
    backend: Backend,
    args: &Args,
    prepare: impl AsyncFn() -> Result<()>,
    run: impl AsyncFn(I) -> Result<()>,
) -> Result<()> {
    let timed = async |imp| -> Result<Duration> {
        prepare().await?;
        let start = Instant::now();
        run(imp).await?;
        Ok(start.elapsed())
    };

    // Warm-up, and how many runs make a round.
    for m in measured.iter_mut() {
        let start = Instant::now();
        let mut spent = Duration::ZERO;
        let mut runs = 0u32;
        while runs < 3 || start.elapsed() < args.target / 3 {
            spent += timed(m.imp).await?;
            runs += 1;
        }
        let per_run = spent / runs;
        m.loads_per_round = (args.target.as_secs_f64() / per_run.as_secs_f64())
            .ceil()
            .max(1.0) as usize;
    }

    // Rounds: every implementation once per round, starting one further each round.
    let n = measured.len();
    for round in 0..args.rounds {
        for k in 0..n {
            let m = &mut measured[(round + k) % n];
            let mut spent = Duration::ZERO;
            for _ in 0..m.loads_per_round {
                spent += timed(m.imp).await?;
            }
            m.per_round.push(spent / m.loads_per_round as u32);
        }
        eprintln!(
            "  {workload} on {backend}: round {} of {} done",
            round + 1,
            args.rounds
        );
    }
    Ok(())
}

/// The lines of one workload on one backend; the first implementation is the reference.
fn lines_of<I: Implementation>(
    workload: &str,
    backend: Backend,
    measured: &[Measured<I>],
) -> Vec<Line> {
    let reference = &measured[0];
    let secs =
        |m: &Measured<I>| -> Vec<f64> { m.per_round.iter().map(Duration::as_secs_f64).collect() };
    let reference_median = median(secs(reference));
    measured
        .iter()
        .map(|m| {
            let ratios: Vec<f64> = m
                .per_round
                .iter()
                .zip(&reference.per_round)
                .map(|(t, r)| t.as_secs_f64() / r.as_secs_f64())
                .collect();
            let med = median(secs(m));
            Line::Row {
                workload: workload.to_owned(),
                backend,
                name: m.imp.name(backend),
                median: Duration::from_secs_f64(med),
                ratio: med / reference_median,
                low: ratios.iter().copied().fold(f64::INFINITY, f64::min),
                high: ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                statements: m.statements,
                peak: m.peak,
                loads: m.loads_per_round,
            }
        })
        .collect()
}

fn show_time(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 1000.0 {
        format!("{:.2} ms", us / 1000.0)
    } else {
        format!("{us:.0} µs")
    }
}

fn show_bytes(b: usize) -> String {
    if b >= 1 << 20 {
        format!("{:.1} MiB", b as f64 / f64::from(1 << 20))
    } else {
        format!("{:.0} KiB", b as f64 / 1024.0)
    }
}

/// Gathers the planner's statistics on the tables just filled, as a database in use has them:
/// PostgreSQL's autovacuum would otherwise gather them a minute or so into the measuring, and
/// plans (both implementations') change when it does. MySQL's InnoDB updates them as rows go
/// in; SQLite is left as Trellis leaves a new database, without statistics.
async fn run_workload(ctx: &Ctx, workload: &str, args: &Args) -> Result<Vec<Line>> {
    let backend = ctx.backend;
    let lines = |measured: Vec<Measured<Imp>>| lines_of(workload, backend, &measured);
    match workload {
        "chain100" => {
            chain::seed(&ctx.setup, 100, 10).await?;
            ctx.analyze().await?;
            measure(ctx, workload, args, chain::load).await.map(lines)
        }
        "chain9" => {
            chain::seed(&ctx.setup, 9, 10).await?;
            ctx.analyze().await?;
            measure(ctx, workload, args, chain::load).await.map(lines)
        }
        "seed" => measure(ctx, workload, args, accounts::load_all)
            .await
            .map(lines),
        "page" => measure(ctx, workload, args, accounts::pages)
            .await
            .map(lines),
        "counts" => measure(ctx, workload, args, accounts::count_pages)
            .await
            .map(lines),
        "find_first" => measure(ctx, workload, args, accounts::find_each)
            .await
            .map(lines),
        "bulk" => {
            let measured = measure_writes(ctx, workload, args).await?;
            Ok(lines_of(workload, backend, &measured))
        }
        other => Err(format!("unknown workload {other}").into()),
    }
}

async fn run(args: &Args) -> Result<Vec<Line>> {
    let dir = std::env::temp_dir().join(format!("trellis-compare-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut lines = Vec::new();
    let mut result = Ok(());
    for &backend in &args.backends {
        eprintln!("{backend}: connecting");
        let ctx = match Ctx::connect(backend, &dir).await {
            Ok(ctx) => ctx,
            Err(why) => {
                eprintln!("{backend}: {why}");
                lines.push(Line::Missing {
                    workload: "all".to_owned(),
                    backend,
                    why,
                });
                continue;
            }
        };
        let mut seeded = false;
        for workload in &args.workloads {
            if matches!(workload.as_str(), "seed" | "find_first" | "page" | "counts") && !seeded {
                eprintln!("{backend}: seeding the accounts data");
                if let Err(e) = accounts::seed(&ctx.setup).await {
                    result = Err(format!("{backend}: seeding failed: {e}").into());
                    break;
                }
                seeded = true;
                if let Err(e) = ctx.analyze().await {
                    result = Err(format!("{backend}: analyzing failed: {e}").into());
                    break;
                }
            }
            eprintln!("{backend}: {workload}");
            match run_workload(&ctx, workload, args).await {
                Ok(measured) => lines.extend(measured),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        ctx.close().await;
        if result.is_err() {
            break;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    result.map(|()| lines)
}

fn print_table(args: &Args, lines: &[Line]) {
    println!(
        "Rounds: {}; about {} ms of loads (or writes) per implementation per round; ratio = \
         median time / median time of the first, hand-written implementation listed for the \
         same workload and backend (\"hand-written, `IN (..)` per level\" for loads), range = \
         lowest and highest ratio of a single round.",
        args.rounds,
        args.target.as_millis()
    );
    println!();
    println!(
        "| workload | backend | implementation | median time per load | ratio (range) | statements per load | peak memory per load | loads per round |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    // Grouped by workload, then backend, in the order asked for.
    for workload in &args.workloads {
        for &backend in &args.backends {
            for line in lines {
                match line {
                    Line::Row {
                        workload: w,
                        backend: b,
                        name,
                        median,
                        ratio,
                        low,
                        high,
                        statements,
                        peak,
                        loads,
                    } if w == workload && *b == backend => println!(
                        "| {w} | {b} | {name} | {} | {ratio:.2} ({low:.2}–{high:.2}) | {statements} | {} | {loads} |",
                        show_time(*median),
                        show_bytes(*peak),
                    ),
                    _ => {}
                }
            }
        }
    }
    for line in lines {
        if let Line::Missing {
            workload,
            backend,
            why,
        } = line
        {
            println!("| {workload} | {backend} | not measured: {why} | – | – | – | – | – |");
        }
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    if args.show_sql {
        log_statements();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(run(&args)) {
        Ok(lines) => {
            print_table(&args, &lines);
            if lines.iter().any(|l| matches!(l, Line::Missing { .. })) {
                eprintln!("some backends were not reachable: see the table");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
