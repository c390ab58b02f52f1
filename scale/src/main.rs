//! Runs every generated schema on an in-memory SQLite database: the tables are created, and
//! each model's nested `select!` and `Where` filter run. That it compiled is the main check;
//! `build.rs` generates the models (`TRELLIS_SCALE_MODELS`, default 100, and
//! `TRELLIS_SCALE_SEED`).

mod chain {
    include!(concat!(env!("OUT_DIR"), "/chain.rs"));
}
mod graph {
    include!(concat!(env!("OUT_DIR"), "/graph.rs"));
}

#[tokio::main]
async fn main() -> Result<(), trellis::Error> {
    let chain = chain::run().await?;
    let graph = graph::run().await?;
    println!("chain: {chain} models; graph: {graph} models and join models; all ran");
    Ok(())
}
