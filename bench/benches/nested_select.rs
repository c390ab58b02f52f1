//! A three-level nested select (1,000 users with a profile, 10 sessions and 3 organizations
//! each) through Trellis and through hand-written sqlx, on an in-memory SQLite database.
//! `cargo bench -p trellis-bench`.

use criterion::{criterion_group, criterion_main, Criterion};
use trellis::Db;
use trellis_bench::{seed, with_sqlx, with_trellis};

fn nested_select(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    // One file-backed database both sides read: a pool of its own for the hand-written side.
    let dir = std::env::temp_dir().join(format!("trellis-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let (db, pool) = runtime.block_on(async {
        let db = Db::connect(&url).await.expect("open the database");
        seed(&db, 1_000).await.expect("seed");
        let pool = sqlx::SqlitePool::connect(&url)
            .await
            .expect("open the pool");
        (db, pool)
    });
    let (a, b) = runtime.block_on(async {
        (
            with_trellis(&db).await.expect("trellis"),
            with_sqlx(&pool).await.expect("sqlx"),
        )
    });
    assert_eq!(a, b, "both sides return the same rows");

    let mut group = c.benchmark_group("nested_select_1000_users");
    group.sample_size(20);
    group.bench_function("trellis select!", |bench| {
        bench
            .to_async(&runtime)
            .iter(|| async { with_trellis(&db).await.expect("trellis") })
    });
    group.bench_function("hand-written sqlx", |bench| {
        bench
            .to_async(&runtime)
            .iter(|| async { with_sqlx(&pool).await.expect("sqlx") })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, nested_select);
criterion_main!(benches);
