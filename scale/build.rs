//! Writes two schemas of `TRELLIS_SCALE_MODELS` models (default 100) into `OUT_DIR`:
//!
//! - `chain.rs`: each model `has_many` the next, which `belongs_to` it back;
//! - `graph.rs`: a random graph from `TRELLIS_SCALE_SEED` (default 1), each model with two or
//!   three relations: `belongs_to` with the matching `has_many`, `has_one` over a unique key,
//!   `many_to_many` through a join model, and self-relations.
//!
//! Each model is used with a `select!` three levels deep along its relations and with a
//! `Where` read from JSON, and `run()` executes them all on SQLite. `TRELLIS_SCALE_TOUCH=1`
//! adds a field to the first model, to measure an incremental build (`measure.sh`).
//!
//! A third schema, `service`, is shaped like an application's: the random graph again (its own
//! seed), one file per model, each file holding its model and one query the way a service
//! writes it: a filter on the root and one level of nested relations, with `select!`.
//! `TRELLIS_SCALE_TOUCH=1` adds a field to its middle model.
//!
//! `TRELLIS_SCALE_SCHEMAS` (default `chain,graph,service`) names the schemas to generate; a
//! schema left out is an empty module, so that one schema can be timed alone.

use std::fmt::Write as _;

/// One relation field of a model.
struct Relation {
    field: String,
    target: usize,
    /// `has_many`/`many_to_many`: `some` applies in a `Where`; else `is`.
    to_many: bool,
    attribute: String,
    wrapper: &'static str,
}

#[derive(Default)]
struct Model {
    /// Foreign key fields: (name, referenced model, nullable, unique).
    keys: Vec<(String, usize, bool, bool)>,
    relations: Vec<Relation>,
}

/// SplitMix64: a seeded sequence, so a schema can be generated again from its seed.
struct Seq(u64);

impl Seq {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    println!("cargo:rerun-if-env-changed={name}");
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn belongs(models: &mut [Model], child: usize, parent: usize, key: &str, unique: bool) {
    let nullable = child == parent;
    models[child]
        .keys
        .push((key.to_owned(), parent, nullable, unique));
    let n = models[child].relations.len();
    models[child].relations.push(Relation {
        field: format!("to_{parent}_{n}"),
        target: parent,
        to_many: false,
        attribute: format!("belongs_to = M{parent}, foreign_key = \"{key}\""),
        wrapper: "BelongsTo",
    });
    let n = models[parent].relations.len();
    let (kind, wrapper, to_many) = if unique {
        ("has_one", "HasOne", false)
    } else {
        ("has_many", "HasMany", true)
    };
    models[parent].relations.push(Relation {
        field: format!("from_{child}_{n}"),
        target: child,
        to_many,
        attribute: format!("{kind} = M{child}, foreign_key = \"{key}\""),
        wrapper,
    });
}

fn chain(n: usize) -> Vec<Model> {
    let mut models: Vec<Model> = (0..n).map(|_| Model::default()).collect();
    for i in 1..n {
        belongs(&mut models, i, i - 1, "prev_id", false);
    }
    models
}

fn graph(n: usize, seed: u64) -> Vec<Model> {
    let mut seq = Seq(seed);
    let mut models: Vec<Model> = (0..n).map(|_| Model::default()).collect();
    for i in 1..n {
        belongs(&mut models, i, seq.below(i), "parent_id", false);
        match seq.below(4) {
            0 => belongs(&mut models, i, seq.below(i), "owner_id", true),
            1 => belongs(&mut models, i, i, "self_id", false),
            _ => {}
        }
    }
    // Join models: many_to_many between two models, declared on both sides.
    let joins = n / 5;
    for _ in 0..joins {
        let (a, b) = (seq.below(n), seq.below(n));
        if a == b {
            continue;
        }
        let join = models.len();
        models.push(Model::default());
        models[join].keys.push(("a_id".into(), a, false, false));
        models[join].keys.push(("b_id".into(), b, false, false));
        for (from, to, from_key, to_key) in [(a, b, "a_id", "b_id"), (b, a, "b_id", "a_id")] {
            let k = models[from].relations.len();
            models[from].relations.push(Relation {
                field: format!("via_{join}_{k}"),
                target: to,
                to_many: true,
                attribute: format!(
                    "many_to_many = M{to}, through = M{join}, from = \"{from_key}\", to = \"{to_key}\""
                ),
                wrapper: "ManyToMany",
            });
        }
    }
    models
}

fn write_schema(models: &[Model], touch: bool) -> String {
    let mut out = String::from("use trellis::prelude::*;\n\n");
    for (i, m) in models.iter().enumerate() {
        let _ = writeln!(
            out,
            "#[derive(Model, Debug, Clone)]\n#[model(table = \"m{i}\")]"
        );
        let _ = writeln!(out, "pub struct M{i} {{");
        write_fields(&mut out, m, touch && i == 0, false);
        let _ = writeln!(out, "}}\n");
    }
    // A select! three levels deep along the first relations, and a Where along the first.
    write_run_start(&mut out, models.len());
    for (i, m) in models.iter().enumerate() {
        let mut selection = String::from("id");
        let mut path = Vec::new();
        let mut at = i;
        for _ in 0..3 {
            let Some(r) = models[at].relations.first() else {
                break;
            };
            path.push(r.field.clone());
            at = r.target;
        }
        for field in path.iter().rev() {
            selection = format!("id, {field} {{ {selection} }}");
        }
        let _ = writeln!(
            out,
            "    M{i}::find_many().select(select!(M{i} {{ {selection} }})).fetch_all(&db).await?;"
        );
        if let Some(r) = m.relations.first() {
            let test = if r.to_many { "some" } else { "is" };
            let _ = writeln!(
                out,
                "    let filter: m{i}::Where = serde_json::from_str(r#\"{{\"{}\": {{\"{test}\": {{\"name\": {{\"equals\": \"x\"}}}}}}, \"OR\": [{{\"id\": {{\"gt\": 1}}}}]}}\"#).map_err(|e| trellis::Error::InvalidQuery(e.to_string()))?;",
                r.field
            );
            let _ = writeln!(
                out,
                "    M{i}::find_many().filter(filter).fetch_all(&db).await?;"
            );
        }
    }
    let _ = writeln!(out, "    Ok({})\n}}", models.len());
    out
}

/// A schema's `schema()`, listing its `n` models, and the start of its `run()`: an in-memory
/// SQLite database with their tables.
fn write_run_start(out: &mut String, n: usize) {
    let _ = write!(
        out,
        "/// Every model.\npub fn schema() -> Schema {{\n    Schema::new()"
    );
    for i in 0..n {
        let _ = write!(out, ".model::<M{i}>()");
    }
    let _ = writeln!(out, "\n}}\n");
    let _ = writeln!(
        out,
        "pub async fn run() -> Result<usize, trellis::Error> {{\n    let db = Db::connect(\"sqlite::memory:\").await?;"
    );
    let _ = writeln!(out, "    db.create_schema(&schema()).await?;");
}

/// The fields of a model: key, name (and with `columns`, columns of other types as a
/// service's models have), foreign keys and relations.
fn write_fields(out: &mut String, m: &Model, touch: bool, columns: bool) {
    let _ = writeln!(out, "    #[field(id, auto)]\n    pub id: i64,");
    let _ = writeln!(out, "    pub name: String,");
    if columns {
        let _ = writeln!(
            out,
            "    pub active: bool,\n    pub rank: i32,\n    pub score: Option<f64>,\n    pub note: Option<String>,"
        );
    }
    if touch {
        // One model edited, for measuring an incremental build.
        let _ = writeln!(out, "    pub touched: Option<String>,");
    }
    for (key, target, nullable, unique) in &m.keys {
        let unique = if *unique { "unique, " } else { "" };
        let ty = if *nullable { "Option<i64>" } else { "i64" };
        let _ = writeln!(
            out,
            "    #[field({unique}references = M{target})]\n    pub {key}: {ty},"
        );
    }
    for r in &m.relations {
        let _ = writeln!(
            out,
            "    #[relation({})]\n    pub {}: {}<M{}>,",
            r.attribute, r.field, r.wrapper, r.target
        );
    }
}

/// The `service` schema: `service.rs` declares one module per model, each in its own file
/// under `service/`, and `run()` calls every model's query.
fn write_service(dir: &std::path::Path, models: &[Model], touch: usize) -> std::io::Result<()> {
    let files = dir.join("service");
    std::fs::create_dir_all(&files)?;
    let mut root = String::from("use trellis::prelude::*;\n\n");
    for (i, m) in models.iter().enumerate() {
        let mut file =
            String::from("//! One model and the query a request makes of it.\n\nuse super::*;\n\n");
        let _ = writeln!(
            file,
            "#[derive(Model, Debug, Clone)]\n#[model(table = \"s{i}\")]\npub struct M{i} {{"
        );
        write_fields(&mut file, m, i == touch, true);
        let _ = writeln!(file, "}}\n");
        // A filter on the root, and one level of the first two relations.
        let nested: Vec<String> = m
            .relations
            .iter()
            .take(2)
            .map(|r| format!("{} {{ id, name }}", r.field))
            .collect();
        let mut selection = String::from("id, name");
        for n in &nested {
            selection.push_str(", ");
            selection.push_str(n);
        }
        let _ = writeln!(
            file,
            "/// The rows named `name`, with their related rows.\n\
             pub async fn query(db: &Db, name: &str) -> Result<usize, trellis::Error> {{\n    \
             let rows = M{i}::find_many()\n        .filter(m{i}::name.eq(name))\n        \
             .select(select!(M{i} {{ {selection} }}))\n        .fetch_all(db)\n        .await?;\n    \
             Ok(rows.len())\n}}"
        );
        let path = files.join(format!("model_{i}.rs"));
        std::fs::write(&path, file)?;
        let _ = writeln!(
            root,
            "#[path = {:?}]\nmod model_{i};\npub use model_{i}::*;",
            path.display().to_string()
        );
    }
    root.push('\n');
    write_run_start(&mut root, models.len());
    for i in 0..models.len() {
        let _ = writeln!(root, "    model_{i}::query(&db, \"x\").await?;");
    }
    let _ = writeln!(root, "    Ok({})\n}}", models.len());
    std::fs::write(dir.join("service.rs"), root)
}

/// A schema left out: nothing to run.
const EMPTY: &str = "pub fn schema() -> trellis::Schema {\n    trellis::Schema::new()\n}\n\n\
                     pub async fn run() -> Result<usize, trellis::Error> {\n    Ok(0)\n}\n";

fn main() {
    let n = env_number("TRELLIS_SCALE_MODELS", 100) as usize;
    let seed = env_number("TRELLIS_SCALE_SEED", 1);
    let touch = env_number("TRELLIS_SCALE_TOUCH", 0) != 0;
    println!("cargo:rerun-if-env-changed=TRELLIS_SCALE_SCHEMAS");
    let schemas =
        std::env::var("TRELLIS_SCALE_SCHEMAS").unwrap_or_else(|_| "chain,graph,service".into());
    let wanted = |name: &str| schemas.split(',').any(|s| s.trim() == name);
    let dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let dir = std::path::Path::new(&dir);
    let mut result = Ok(());
    for (name, models) in [("chain", chain(n)), ("graph", graph(n, seed))] {
        let text = if wanted(name) {
            write_schema(&models, touch)
        } else {
            EMPTY.to_owned()
        };
        result = result.and(std::fs::write(dir.join(format!("{name}.rs")), text));
    }
    result = result.and(if wanted("service") {
        let touched = if touch { n / 2 } else { usize::MAX };
        write_service(dir, &graph(n, seed + 1), touched)
    } else {
        std::fs::write(dir.join("service.rs"), EMPTY)
    });
    if let Err(e) = result {
        println!(
            "cargo:warning=could not write the schemas into {}: {e}",
            dir.display()
        );
        std::process::exit(1);
    }
    println!("cargo:rerun-if-changed=build.rs");
}
