//! Runs every generated schema on an in-memory SQLite database: the tables are created, and
//! each model's queries run. That it compiled is the main check; `build.rs` generates the
//! models (`TRELLIS_SCALE_MODELS`, default 100, `TRELLIS_SCALE_SEED` and
//! `TRELLIS_SCALE_SCHEMAS`).

mod chain {
    include!(concat!(env!("OUT_DIR"), "/chain.rs"));
}
mod graph {
    include!(concat!(env!("OUT_DIR"), "/graph.rs"));
}
mod service {
    include!(concat!(env!("OUT_DIR"), "/service.rs"));
}

#[tokio::main]
async fn main() -> Result<(), trellis::Error> {
    let chain = chain::run().await?;
    let graph = graph::run().await?;
    let service = service::run().await?;
    println!(
        "chain: {chain} models; graph: {graph} models and join models; service: {service} models; all ran"
    );
    Ok(())
}
