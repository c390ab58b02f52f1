//! The cost of comparing decimals as numbers on SQLite, where Trellis keeps them as text in a
//! column with its collation `trellis_decimal`:
//!
//! ```text
//! cargo run --release -p trellis-bench --bin decimals -- [--rows 200000] [--rounds 5]
//! ```
//!
//! One in-memory table holds `--rows` random decimals (prices with two places, of either sign
//! and up to eight integer digits) three times over: in a column with Trellis's collation, in
//! one with `parsed`, a collation that reads both texts with `rust_decimal` and compares the
//! numbers (what `trellis_decimal` did before it compared plainly written decimals digit by
//! digit), and in a plain `TEXT` column, whose byte order is wrong for numbers but sets the
//! floor. Three reads, each on every column in turn, the columns' order rotating per round:
//! - `sort`: every value in order (`SELECT v FROM t ORDER BY v`), read into Rust;
//! - `index`: `CREATE INDEX` on the column (then dropped);
//! - `filter`: a count of the values above a bound (every row compared once).
//!
//! Prints each round's times and the median ratios; checks that both numeric collations read
//! the values in the same order.

use std::cmp::Ordering;
use std::str::FromStr;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use trellis::{Db, Value};

/// The columns, by collation: Trellis's, parsing both texts, and plain bytes.
const COLUMNS: [&str; 3] = ["trellis", "parsed", "plain"];

/// The reads, in the order each round runs them.
const READS: [&str; 3] = ["sort", "index", "filter"];

/// The collation `parsed`: both texts read as decimals, a decimal before any other text.
fn compare_parsed(a: &str, b: &str) -> Ordering {
    match (Decimal::from_str(a), Decimal::from_str(b)) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

struct Args {
    rows: i64,
    rounds: usize,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        rows: 200_000,
        rounds: 5,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || value.parse::<i64>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--rows" => args.rows = number()?,
            "--rounds" => args.rounds = usize::try_from(number()?).map_err(|e| e.to_string())?,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(args)
}

/// A pool of one in-memory connection with the collation `parsed`; Trellis adds its own as it
/// takes the connection.
async fn open() -> Result<Db, Box<dyn std::error::Error>> {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.lock_handle()
                    .await?
                    .create_collation("parsed", compare_parsed)
            })
        })
        .connect_with(SqliteConnectOptions::from_str("sqlite::memory:")?)
        .await?;
    Ok(Db::from_pool(pool))
}

/// Runs one read on one column; returns its time and, for `sort`, the values in order.
async fn read(
    db: &Db,
    read: &str,
    column: &str,
) -> Result<(Duration, Vec<String>), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut values = Vec::new();
    match read {
        "sort" => {
            let rows = db
                .fetch_raw(&format!("SELECT {column} FROM t ORDER BY {column}"), [])
                .await?;
            for row in &rows {
                values.push(row.get_native::<String>(0).map_err(|e| e.to_string())?);
            }
        }
        "index" => {
            db.execute_raw(&format!("CREATE INDEX t_{column} ON t ({column})"), [])
                .await?;
        }
        _ => {
            db.fetch_raw(
                &format!("SELECT count(*) FROM t WHERE {column} > ?"),
                [Value::Text("1234.56".to_owned())],
            )
            .await?;
        }
    }
    let elapsed = start.elapsed();
    if read == "index" {
        db.execute_raw(&format!("DROP INDEX t_{column}"), [])
            .await?;
    }
    Ok((elapsed, values))
}

fn median(mut ratios: Vec<f64>) -> f64 {
    ratios.sort_by(f64::total_cmp);
    ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = args()?;
    let db = open().await?;
    db.execute_raw(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, trellis TEXT COLLATE \"trellis_decimal\", \
         parsed TEXT COLLATE \"parsed\", plain TEXT)",
        [],
    )
    .await?;
    db.execute_raw(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) \
         INSERT INTO t (id, trellis) \
         SELECT i, printf('%.2f', (random() % 10000000000) / 100.0) FROM n",
        [Value::I64(args.rows)],
    )
    .await?;
    db.execute_raw("UPDATE t SET parsed = trellis, plain = trellis", [])
        .await?;

    println!(
        "{} rows, {} rounds (times in ms: trellis / parsed / plain)",
        args.rows, args.rounds
    );
    // ratios[read][0]: trellis / plain, [1]: parsed / plain, [2]: trellis / parsed
    let mut ratios = vec![[Vec::new(), Vec::new(), Vec::new()]; READS.len()];
    for round in 0..args.rounds {
        let mut line = format!("round {}:", round + 1);
        for (r, name) in READS.iter().enumerate() {
            let mut times = [Duration::ZERO; 3];
            let mut orders: [Vec<String>; 3] = Default::default();
            for k in 0..COLUMNS.len() {
                let c = (k + round) % COLUMNS.len();
                let (time, values) = read(&db, name, COLUMNS[c]).await?;
                times[c] = time;
                orders[c] = values;
            }
            if orders[0] != orders[1] {
                return Err(
                    "the two numeric collations read the values in different orders".into(),
                );
            }
            let [t, p, b] = times.map(|d| d.as_secs_f64());
            ratios[r][0].push(t / b);
            ratios[r][1].push(p / b);
            ratios[r][2].push(t / p);
            line += &format!(" {name} {:.0} / {:.0} / {:.0};", t * 1e3, p * 1e3, b * 1e3);
        }
        println!("{line}");
    }
    println!();
    println!("| read | trellis / plain | parsed / plain | trellis / parsed |");
    println!("|---|---|---|---|");
    for (r, name) in READS.iter().enumerate() {
        let [a, b, c] = ratios[r].clone().map(median);
        println!("| {name} | {a:.2} | {b:.2} | {c:.2} |");
    }
    Ok(())
}
