//! Runs requests one after the other on one backend, for a profiler or `perf stat`: the
//! `find_first` workload's lookups (a user by e-mail with its profile's bio and first five
//! sessions) through Trellis's `select!`, or through the hand-written per-request code.
//!
//! ```sh
//! cargo build --release -p trellis-bench --example per_request
//! perf stat -e task-clock,context-switches,cpu-migrations \
//!     target/release/examples/per_request sqlite|postgres|mysql [trellis|hand] [loads]
//! ```
//!
//! Prints the time of the timed loads (each 100 lookups) after a warm-up; the connections
//! open and the data seeded before it are outside that time, not outside `perf stat`'s.

use std::time::Instant;

use trellis_bench::compare::{accounts, Ctx, Imp};

fn main() -> Result<(), trellis_bench::compare::BoxError> {
    let mut args = std::env::args().skip(1);
    let backend = args.next().unwrap_or_else(|| "sqlite".to_owned());
    let imp = match args.next().as_deref() {
        Some("hand") => Imp::HandPerRequest,
        _ => Imp::TrellisSelect,
    };
    let loads: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let dir = std::env::temp_dir().join(format!("trellis-per-request-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let env = |var: &str, default: &str| std::env::var(var).unwrap_or(default.to_owned());
        let ctx = match backend.as_str() {
            "postgres" => {
                Ctx::postgres(&env(
                    "TRELLIS_BENCH_POSTGRES_URL",
                    "postgres://postgres@127.0.0.1:5432/postgres",
                ))
                .await?
            }
            "mysql" => {
                Ctx::mysql(&env(
                    "TRELLIS_BENCH_MYSQL_URL",
                    "mysql://root@127.0.0.1:3306/test",
                ))
                .await?
            }
            _ => Ctx::sqlite(&dir.join("per_request.db")).await?,
        };
        accounts::seed(&ctx.setup).await?;
        if backend == "postgres" {
            ctx.setup.execute_raw("ANALYZE", []).await?;
        }
        for _ in 0..3 {
            accounts::find_each(&ctx, imp).await?;
        }
        let start = Instant::now();
        for _ in 0..loads {
            std::hint::black_box(accounts::find_each(&ctx, imp).await?);
        }
        let elapsed = start.elapsed();
        println!(
            "{backend} {}: {loads} loads of {} lookups in {elapsed:?}, {:?} per lookup",
            imp.name(ctx.backend),
            accounts::LOOKUPS,
            elapsed / (loads * accounts::LOOKUPS as u32)
        );
        ctx.close().await;
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    })
}
