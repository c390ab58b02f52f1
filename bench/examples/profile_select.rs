//! Runs the benchmark's Trellis side in a loop, for a profiler.
fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("rt");
    rt.block_on(async {
        let dir = std::env::temp_dir().join("trellis-profile");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let url = format!("sqlite://{}", dir.join("p.db").display());
        let db = trellis::Db::connect(&url).await.expect("db");
        trellis_bench::seed(&db, 1000).await.expect("seed");
        for _ in 0..100 {
            trellis_bench::with_trellis(&db).await.expect("load");
        }
    });
}
