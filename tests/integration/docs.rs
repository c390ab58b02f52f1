//! Every guide in `docs/` is compiled as doc tests; this keeps a new guide from being missed.

#[test]
fn every_guide_is_a_doc_test() {
    let lib = include_str!("../../src/lib.rs");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/docs");
    let mut guides = 0;
    for entry in std::fs::read_dir(dir).expect("docs/ exists") {
        let path = entry.expect("readable docs/").path();
        if path.extension().is_some_and(|e| e == "md") {
            guides += 1;
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let include = format!("include_str!(\"../docs/{name}\")");
            assert!(
                lib.contains(&include),
                "src/lib.rs must include docs/{name} as a doc test"
            );
        }
    }
    assert!(guides > 0);
    assert!(lib.contains("include_str!(\"../README.md\")"));
}
