//! The round trip of the 100-model graph (`build.rs`'s `graph`, with its default size and seed)
//! on each backend: `create_schema` -> `trellis pull` -> the pulled file (committed as
//! `pulled/graph.rs`, compiled here) -> its `schema()` creates the same tables in a fresh
//! database, compared catalog to catalog. Every backend pulls the same file but for its first
//! line, which names the database.

#[path = "../../cli/tests/common/mod.rs"]
mod common;

#[allow(dead_code)]
mod graph {
    include!(concat!(env!("OUT_DIR"), "/graph.rs"));
}

#[allow(dead_code)]
#[path = "pulled/graph.rs"]
mod pulled;

use common::{created, tables};
use trellis_cli::pull::pull;

/// The default graph's models: 100 and its join models.
const GRAPH_MODELS: usize = 120;

/// The file, but for its first line (which names the database pulled from).
fn body(source: &str) -> &str {
    source.split_once('\n').map_or("", |(_, rest)| rest)
}

async fn round_trip(first: &str, second: &str) {
    let schema = graph::schema();
    assert_eq!(
        schema.models().count(),
        GRAPH_MODELS,
        "the committed pull is of the default graph: build without TRELLIS_SCALE_MODELS, \
         TRELLIS_SCALE_SEED and TRELLIS_SCALE_SCHEMAS"
    );
    let (dialect, original) = created(first, &schema).await;
    let pulled = pull(dialect, &original);
    assert_eq!(pulled.reports, [], "the graph pulls whole");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pulled/graph.rs");
    if std::env::var_os("TRELLIS_BLESS").is_some() {
        std::fs::write(&path, &pulled.source).expect("the file writes");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        body(&pulled.source) == body(&committed),
        "the pull of the graph on {dialect:?} changed: write it with TRELLIS_BLESS=1"
    );
    assert_eq!(pulled.models, GRAPH_MODELS);
    let (_, recreated) = created(second, &pulled::schema()).await;
    let (recreated, original) = (tables(dialect, &recreated), tables(dialect, &original));
    let only = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter().filter(|l| !b.contains(l)).cloned().collect()
    };
    assert_eq!(
        (only(&original, &recreated), only(&recreated, &original)),
        (vec![], vec![]),
        "(lines of the original catalog only, lines of the recreated one only)"
    );
    assert_eq!(recreated.len(), original.len());
}

#[tokio::test]
async fn sqlite() {
    let dir = common::temp_dir("graph-sqlite");
    let url = |name: &str| format!("sqlite://{}?mode=rwc", dir.join(name).display());
    round_trip(&url("first.db"), &url("second.db")).await;
}

#[tokio::test]
async fn postgres() {
    let Ok(server) = std::env::var("TRELLIS_TEST_POSTGRES_URL") else {
        return;
    };
    let first = common::Fresh::on(&server, "graph_pg_1").await;
    let second = common::Fresh::on(&server, "graph_pg_2").await;
    round_trip(&first.url, &second.url).await;
    first.drop().await;
    second.drop().await;
}

#[tokio::test]
async fn mysql() {
    let Ok(server) = std::env::var("TRELLIS_TEST_MYSQL_URL") else {
        return;
    };
    let first = common::Fresh::on(&server, "graph_my_1").await;
    let second = common::Fresh::on(&server, "graph_my_2").await;
    round_trip(&first.url, &second.url).await;
    first.drop().await;
    second.drop().await;
}
