//! The loading comparison (`cargo run --release -p trellis-bench --bin compare`): the same
//! nested loads through Trellis (`select!` and `include`) and through hand-written sqlx, on
//! SQLite, PostgreSQL and MySQL/MariaDB, all mapped into the same plain output rows.
//!
//! The hand-written code sends one query per level and groups the children by parent key with
//! a `HashMap`, in two variants: the parent keys as a list of placeholders (`IN (?, ?, ..)`),
//! or as one parameter (`= ANY($1)` on PostgreSQL, `json_each(?)` on SQLite, `JSON_TABLE(?, ..)`
//! on MySQL). On SQLite a third variant builds one JSON document per root row in a single
//! statement.
//!
//! The `bulk` workload compares writes instead: the `seed` shape's rows inserted through
//! Trellis's nested `create_many` and through hand-written multi-row `INSERT`s.

pub mod accounts;
pub mod bulk;
pub mod chain;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::{mysql::MySqlRow, postgres::PgRow, sqlite::SqliteRow, Row as _};
use trellis::{ConnectOptions, Db};

/// Any error of the comparison: Trellis's, sqlx's, JSON decoding, or a message.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A result of the comparison.
pub type Result<T, E = BoxError> = std::result::Result<T, E>;

/// A database the comparison runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, in a temporary file both sides open.
    Sqlite,
    /// PostgreSQL, in a database of the comparison's own (`trellis_bench`).
    Postgres,
    /// MySQL or MariaDB, in a database of the comparison's own (`trellis_bench`).
    MySql,
}

impl Backend {
    /// The name used on the command line and in the results.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
            Backend::MySql => "mysql",
        }
    }

    /// The backend of a command-line name.
    pub fn parse(name: &str) -> Option<Backend> {
        match name {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" | "pg" => Some(Backend::Postgres),
            "mysql" | "mariadb" => Some(Backend::MySql),
            _ => None,
        }
    }

    /// The `n`-th placeholder (from 1).
    pub fn placeholder(self, n: usize) -> String {
        match self {
            Backend::Postgres => format!("${n}"),
            Backend::Sqlite | Backend::MySql => "?".to_owned(),
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The hand-written side's own pool of connections.
#[derive(Clone, Debug)]
pub enum Pool {
    /// SQLite.
    Sqlite(sqlx::SqlitePool),
    /// PostgreSQL.
    Postgres(sqlx::PgPool),
    /// MySQL/MariaDB.
    MySql(sqlx::MySqlPool),
}

/// One connection of the hand-written side's pool, taken for the statements of one request.
#[derive(Debug)]
pub enum Conn {
    /// SQLite.
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    /// PostgreSQL.
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
    /// MySQL/MariaDB.
    MySql(sqlx::pool::PoolConnection<sqlx::MySql>),
}

impl Pool {
    /// One connection for the statements of a request (`acquire`, as sqlx's docs show it).
    pub async fn conn(&self) -> Result<Conn> {
        Ok(match self {
            Pool::Sqlite(p) => Conn::Sqlite(p.acquire().await?),
            Pool::Postgres(p) => Conn::Postgres(p.acquire().await?),
            Pool::MySql(p) => Conn::MySql(p.acquire().await?),
        })
    }
}

/// Where a hand-written statement runs: on the pool (a connection per statement), or on a
/// connection taken for a whole request.
pub enum Via<'a> {
    /// A connection of the pool per statement.
    Pool(&'a Pool),
    /// One connection for every statement.
    Conn(&'a mut Conn),
}

impl Via<'_> {
    /// The same place, for one more statement.
    pub fn reborrow(&mut self) -> Via<'_> {
        match self {
            Via::Pool(p) => Via::Pool(p),
            Via::Conn(c) => Via::Conn(c),
        }
    }
}

impl<'a> From<&'a Pool> for Via<'a> {
    fn from(pool: &'a Pool) -> Self {
        Via::Pool(pool)
    }
}

/// One database, opened twice: by Trellis and by the hand-written code.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// Which database.
    pub backend: Backend,
    /// Trellis's handle.
    pub db: Db,
    /// Trellis's handle with `parallel_relations(false)`: sibling relations load in turn.
    pub db_in_turn: Db,
    /// Trellis's handle with `whole_table_reads(false)`: every relation looked up by key, as
    /// for a query with a filter or a page.
    pub db_by_key: Db,
    /// The handle that creates and fills the tables, so that no implementation reads on a
    /// connection that did the writing: on MariaDB, a connection that had run the seeding
    /// read the chains about 30% slower afterwards than a fresh one, with the same statements.
    pub setup: Db,
    /// The hand-written code's pool, on the same database.
    pub pool: Pool,
}

/// The database the comparison's own data goes in on PostgreSQL and MySQL.
pub const DATABASE: &str = "trellis_bench";

/// `url` with its database (the path) replaced by `name`; the query string is kept.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// The pool size of both sides: Trellis's default, and sqlx's.
pub const POOL_SIZE: u32 = 10;

fn options() -> ConnectOptions {
    ConnectOptions::new()
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .max_connections(POOL_SIZE)
}

/// The hand-written side's pool settings: the same sizes and timeouts as Trellis's
/// ([`options`]), sqlx's defaults for the rest.
fn pool_options<DB: sqlx::Database>() -> sqlx::pool::PoolOptions<DB> {
    sqlx::pool::PoolOptions::new()
        .acquire_timeout(Duration::from_secs(10))
        .max_connections(POOL_SIZE)
}

impl Ctx {
    /// Opens a SQLite file (created if missing) both ways.
    pub async fn sqlite(path: &std::path::Path) -> Result<Ctx> {
        let url = format!("sqlite://{}", path.display());
        let db = Db::connect_with(&url, options()).await?;
        let db_in_turn = Db::connect_with(&url, options().parallel_relations(false)).await?;
        let db_by_key = Db::connect_with(&url, options().whole_table_reads(false)).await?;
        let setup = Db::connect_with(&url, options()).await?;
        let pool = pool_options::<sqlx::Sqlite>().connect(&url).await?;
        Ok(Ctx {
            backend: Backend::Sqlite,
            db,
            db_in_turn,
            db_by_key,
            setup,
            pool: Pool::Sqlite(pool),
        })
    }

    /// Creates the comparison's database on the PostgreSQL server `url` names (when missing),
    /// and opens it both ways.
    pub async fn postgres(url: &str) -> Result<Ctx> {
        use sqlx::Connection as _;
        let mut admin =
            tokio::time::timeout(Duration::from_secs(5), sqlx::PgConnection::connect(url))
                .await
                .map_err(|_| "timed out connecting")??;
        let exists: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                .bind(DATABASE)
                .fetch_optional(&mut admin)
                .await?;
        if exists.is_none() {
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {DATABASE}")))
                .execute(&mut admin)
                .await?;
        }
        admin.close().await?;
        let url = with_database(url, DATABASE);
        let db = Db::connect_with(&url, options()).await?;
        let db_in_turn = Db::connect_with(&url, options().parallel_relations(false)).await?;
        let db_by_key = Db::connect_with(&url, options().whole_table_reads(false)).await?;
        let setup = Db::connect_with(&url, options()).await?;
        let pool = pool_options::<sqlx::Postgres>().connect(&url).await?;
        Ok(Ctx {
            backend: Backend::Postgres,
            db,
            db_in_turn,
            db_by_key,
            setup,
            pool: Pool::Postgres(pool),
        })
    }

    /// Creates the comparison's database on the MySQL server `url` names (when missing), and
    /// opens it both ways.
    pub async fn mysql(url: &str) -> Result<Ctx> {
        use sqlx::Connection as _;
        let mut admin =
            tokio::time::timeout(Duration::from_secs(5), sqlx::MySqlConnection::connect(url))
                .await
                .map_err(|_| "timed out connecting")??;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE IF NOT EXISTS {DATABASE}"
        )))
        .execute(&mut admin)
        .await?;
        admin.close().await?;
        let url = with_database(url, DATABASE);
        let db = Db::connect_with(&url, options()).await?;
        let db_in_turn = Db::connect_with(&url, options().parallel_relations(false)).await?;
        let db_by_key = Db::connect_with(&url, options().whole_table_reads(false)).await?;
        let setup = Db::connect_with(&url, options()).await?;
        let pool = pool_options::<sqlx::MySql>().connect(&url).await?;
        Ok(Ctx {
            backend: Backend::MySql,
            db,
            db_in_turn,
            db_by_key,
            setup,
            pool: Pool::MySql(pool),
        })
    }

    /// Opens the database of `backend` both ways: SQLite in a file in `dir`, the servers from
    /// `TRELLIS_BENCH_POSTGRES_URL` and `TRELLIS_BENCH_MYSQL_URL` (by default the local ones).
    /// The error says why a server was not reached.
    pub async fn connect(backend: Backend, dir: &std::path::Path) -> Result<Ctx, String> {
        let env =
            |var: &str, default: &str| std::env::var(var).unwrap_or_else(|_| default.to_owned());
        let (url, ctx) = match backend {
            Backend::Sqlite => {
                let path = dir.join("compare.db");
                let url = path.display().to_string();
                (url, Ctx::sqlite(&path).await)
            }
            Backend::Postgres => {
                let url = env(
                    "TRELLIS_BENCH_POSTGRES_URL",
                    "postgres://postgres@127.0.0.1:5432/postgres",
                );
                let ctx = Ctx::postgres(&url).await;
                (url, ctx)
            }
            Backend::MySql => {
                let url = env(
                    "TRELLIS_BENCH_MYSQL_URL",
                    "mysql://root@127.0.0.1:3306/test",
                );
                let ctx = Ctx::mysql(&url).await;
                (url, ctx)
            }
        };
        ctx.map_err(|e: BoxError| format!("unreachable at {url}: {e}"))
    }

    /// PostgreSQL: gathers the planner's statistics, as a database in use has them.
    pub async fn analyze(&self) -> Result<()> {
        if self.backend == Backend::Postgres {
            self.setup.execute_raw("ANALYZE", []).await?;
        }
        Ok(())
    }

    /// Closes both sides' connections.
    pub async fn close(&self) {
        self.db.close().await;
        self.db_in_turn.close().await;
        self.db_by_key.close().await;
        self.setup.close().await;
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
            Pool::MySql(p) => p.close().await,
        }
    }
}

/// The implementations compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Imp {
    /// Hand-written sqlx for one request: the statements a person writes for one parent
    /// (`WHERE user_id = $1 ORDER BY token LIMIT 5`), each run on the pool. The reference of
    /// the per-request workload (`find_first`).
    HandPerRequest,
    /// [`Imp::HandPerRequest`]'s statements on one connection taken from the pool for the
    /// request.
    HandOneConnection,
    /// Hand-written sqlx, one query per level, parent keys in `IN (?, ?, ..)`: the reference
    /// of the bulk loads.
    HandIn,
    /// Hand-written sqlx, one query per level, parent keys as one parameter.
    HandOneParam,
    /// Hand-written sqlx on SQLite: one statement, one JSON document per root row.
    HandJson,
    /// Trellis's typed nested select.
    TrellisSelect,
    /// Trellis's `include`, loading whole rows.
    TrellisInclude,
    /// Trellis's typed nested select with `parallel_relations(false)` (PostgreSQL and MySQL;
    /// SQLite loads siblings in turn anyway).
    TrellisSelectInTurn,
    /// Trellis's typed nested select with `whole_table_reads(false)`: by key, as a load whose
    /// root has a filter or a page.
    TrellisSelectByKey,
}

impl Imp {
    /// Every implementation, the reference first.
    pub const ALL: [Imp; 9] = [
        Imp::HandPerRequest,
        Imp::HandOneConnection,
        Imp::HandIn,
        Imp::HandOneParam,
        Imp::HandJson,
        Imp::TrellisSelect,
        Imp::TrellisInclude,
        Imp::TrellisSelectInTurn,
        Imp::TrellisSelectByKey,
    ];

    /// The reference of a workload: the hand-written code its ratios are taken against.
    pub fn reference(workload: &str) -> Imp {
        match workload {
            "find_first" => Imp::HandPerRequest,
            _ => Imp::HandIn,
        }
    }

    /// Whether it runs on this workload and backend.
    pub fn runs_on(self, workload: &str, backend: Backend) -> bool {
        match self {
            Imp::HandPerRequest => workload == "find_first",
            // `counts` reads aggregates, which `include` does not carry besides a count.
            _ if workload == "counts" => match self {
                Imp::HandIn | Imp::HandOneParam | Imp::TrellisSelect | Imp::TrellisSelectByKey => {
                    true
                }
                Imp::TrellisSelectInTurn => backend != Backend::Sqlite,
                _ => false,
            },
            Imp::HandOneConnection => matches!(workload, "find_first" | "page"),
            Imp::HandJson if workload == "page" => false,
            Imp::HandJson => backend == Backend::Sqlite,
            Imp::TrellisSelectInTurn => backend != Backend::Sqlite,
            _ => true,
        }
    }

    /// Its name in the results.
    pub fn name(self, backend: Backend) -> &'static str {
        match (self, backend) {
            (Imp::HandPerRequest, _) => "hand-written, per request",
            (Imp::HandOneConnection, _) => "hand-written, per request on one connection",
            (Imp::HandIn, _) => "hand-written, `IN (..)` per level",
            (Imp::HandOneParam, Backend::Postgres) => "hand-written, `= ANY($1)` per level",
            (Imp::HandOneParam, Backend::Sqlite) => "hand-written, `json_each(?)` per level",
            (Imp::HandOneParam, Backend::MySql) => "hand-written, `JSON_TABLE(?)` per level",
            (Imp::HandJson, _) => "hand-written, JSON per root row",
            (Imp::TrellisSelect, _) => "Trellis `select!`",
            (Imp::TrellisInclude, _) => "Trellis `include`",
            (Imp::TrellisSelectInTurn, _) => "Trellis `select!`, siblings in turn",
            (Imp::TrellisSelectByKey, _) => "Trellis `select!`, by key",
        }
    }

    /// Whether it is one of Trellis's.
    pub fn is_trellis(self) -> bool {
        matches!(
            self,
            Imp::TrellisSelect
                | Imp::TrellisInclude
                | Imp::TrellisSelectInTurn
                | Imp::TrellisSelectByKey
        )
    }
}

/// What the harness needs of a workload's implementations, loads and writes alike.
pub trait Implementation: Copy {
    /// Its name in the results.
    fn name(self, backend: Backend) -> &'static str;
    /// Whether it is one of Trellis's (whose statements `Db::statement_count` counts).
    fn is_trellis(self) -> bool;
}

impl Implementation for Imp {
    fn name(self, backend: Backend) -> &'static str {
        Imp::name(self, backend)
    }

    fn is_trellis(self) -> bool {
        Imp::is_trellis(self)
    }
}

/// How a level's query carries its parent keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keys {
    /// A list of placeholders, `IN (?, ?, ..)`, split under the parameter limit.
    List,
    /// One parameter: an array on PostgreSQL, a JSON array elsewhere.
    One,
}

/// Statements sent by the hand-written code so far (Trellis counts its own).
static HAND_STATEMENTS: AtomicU64 = AtomicU64::new(0);

/// How many statements the hand-written code has sent.
pub fn hand_statements() -> u64 {
    HAND_STATEMENTS.load(Ordering::Relaxed)
}

/// Most keys one `IN (..)` list carries: under SQLite's 32,766 and PostgreSQL's and MySQL's
/// 65,535 parameters.
const KEYS_PER_LIST: usize = 10_000;

/// The values bound to a hand-written statement, in order.
#[derive(Clone, Copy, Debug)]
pub enum Param<'a> {
    /// An integer.
    Int(i64),
    /// A text.
    Text(&'a str),
    /// A nullable text.
    OptText(Option<&'a str>),
    /// Integer keys as one parameter: an array on PostgreSQL, JSON text elsewhere.
    Keys(&'a [i64]),
}

/// A row of any backend, read by position.
pub trait Get {
    /// An integer column.
    fn int(&self, i: usize) -> Result<i64, sqlx::Error>;
    /// A text column.
    fn text(&self, i: usize) -> Result<String, sqlx::Error>;
    /// A nullable text column.
    fn opt_text(&self, i: usize) -> Result<Option<String>, sqlx::Error>;
}

macro_rules! impl_get {
    ($($row:ty),*) => {$(
        impl Get for $row {
            fn int(&self, i: usize) -> Result<i64, sqlx::Error> {
                self.try_get(i)
            }
            fn text(&self, i: usize) -> Result<String, sqlx::Error> {
                self.try_get(i)
            }
            fn opt_text(&self, i: usize) -> Result<Option<String>, sqlx::Error> {
                self.try_get(i)
            }
        }
    )*};
}
impl_get!(SqliteRow, PgRow, MySqlRow);

fn json_keys(keys: &[i64]) -> String {
    let mut out = String::with_capacity(keys.len() * 6 + 2);
    out.push('[');
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&k.to_string());
    }
    out.push(']');
    out
}

macro_rules! bind_all {
    ($q:expr, $params:expr, $keys:ident => $as_param:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match *p {
                Param::Int(v) => q.bind(v),
                Param::Text(v) => q.bind(v),
                Param::OptText(v) => q.bind(v),
                Param::Keys($keys) => q.bind($as_param),
            };
        }
        q
    }};
}

/// Runs one hand-written statement and maps its rows.
pub async fn fetch<'v, T>(
    via: impl Into<Via<'v>>,
    sql: String,
    params: &[Param<'_>],
    map: impl Fn(&dyn Get) -> Result<T, sqlx::Error>,
) -> Result<Vec<T>> {
    HAND_STATEMENTS.fetch_add(1, Ordering::Relaxed);
    // Placeholders only: every value is bound.
    let sql = sqlx::AssertSqlSafe(sql);
    macro_rules! run {
        ($ex:expr, $keys:ident => $as_param:expr) => {{
            let q = bind_all!(sqlx::query(sql), params, $keys => $as_param);
            let rows = q.fetch_all($ex).await?;
            rows.iter()
                .map(|r| map(r))
                .collect::<Result<_, sqlx::Error>>()?
        }};
    }
    Ok(match via.into() {
        Via::Pool(Pool::Sqlite(p)) => run!(p, keys => json_keys(keys)),
        Via::Pool(Pool::Postgres(p)) => run!(p, keys => keys.to_vec()),
        Via::Pool(Pool::MySql(p)) => run!(p, keys => json_keys(keys)),
        Via::Conn(Conn::Sqlite(c)) => run!(&mut **c, keys => json_keys(keys)),
        Via::Conn(Conn::Postgres(c)) => run!(&mut **c, keys => keys.to_vec()),
        Via::Conn(Conn::MySql(c)) => run!(&mut **c, keys => json_keys(keys)),
    })
}

/// Counts `n` statements sent by hand-written code that does not go through [`fetch`].
pub fn count_hand_statements(n: u64) {
    HAND_STATEMENTS.fetch_add(n, Ordering::Relaxed);
}

/// Runs hand-written statements, in order, in one transaction. With `read_rows`, each
/// statement's rows are fetched and every value decoded (an `INSERT .. RETURNING`), each
/// column as the type of the statement's parameter in the same position.
pub async fn execute_in_transaction(
    pool: &Pool,
    statements: &[(String, Vec<Param<'_>>)],
    read_rows: bool,
) -> Result<()> {
    macro_rules! run_all {
        ($pool:expr, $keys:ident => $as_param:expr) => {{
            let mut tx = $pool.begin().await?;
            for (sql, params) in statements {
                HAND_STATEMENTS.fetch_add(1, Ordering::Relaxed);
                // Placeholders only: every value is bound.
                let q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                let q = bind_all!(q, params, $keys => $as_param);
                if read_rows {
                    for row in q.fetch_all(&mut *tx).await? {
                        for (i, param) in params.iter().take(row.len()).enumerate() {
                            match param {
                                Param::Int(_) => drop(std::hint::black_box(Get::int(&row, i)?)),
                                _ => drop(std::hint::black_box(Get::opt_text(&row, i)?)),
                            }
                        }
                    }
                } else {
                    q.execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
        }};
    }
    match pool {
        Pool::Sqlite(p) => run_all!(p, keys => json_keys(keys)),
        Pool::Postgres(p) => run_all!(p, keys => keys.to_vec()),
        Pool::MySql(p) => run_all!(p, keys => json_keys(keys)),
    }
    Ok(())
}

/// Runs a level's query once per group of keys, `{keys}` in `sql` standing for the condition
/// on the key column (` IN (..)` or its one-parameter form), `first` for the number of the
/// first placeholder the keys take. Rows come back in `sql`'s order within each group.
pub async fn fetch_level<T>(
    ctx: &Ctx,
    how: Keys,
    sql: &str,
    keys: &[i64],
    map: impl Fn(&dyn Get) -> Result<T, sqlx::Error> + Copy,
) -> Result<Vec<T>> {
    fetch_level_via(Via::Pool(&ctx.pool), ctx.backend, how, sql, keys, map).await
}

/// [`fetch_level`] on `via`.
pub async fn fetch_level_via<T>(
    mut via: Via<'_>,
    backend: Backend,
    how: Keys,
    sql: &str,
    keys: &[i64],
    map: impl Fn(&dyn Get) -> Result<T, sqlx::Error> + Copy,
) -> Result<Vec<T>> {
    match how {
        Keys::One => {
            let cond = match backend {
                Backend::Postgres => " = ANY($1)".to_owned(),
                Backend::Sqlite => " IN (SELECT value FROM json_each(?))".to_owned(),
                Backend::MySql => {
                    " IN (SELECT k.v FROM JSON_TABLE(?, '$[*]' COLUMNS (v BIGINT PATH '$')) AS k)"
                        .to_owned()
                }
            };
            fetch(via, sql.replace("{keys}", &cond), &[Param::Keys(keys)], map).await
        }
        Keys::List => {
            let mut out = Vec::new();
            for chunk in keys.chunks(KEYS_PER_LIST) {
                let mut cond = String::with_capacity(6 + chunk.len() * 4);
                cond.push_str(" IN (");
                for i in 0..chunk.len() {
                    if i > 0 {
                        cond.push_str(", ");
                    }
                    cond.push_str(&backend.placeholder(i + 1));
                }
                cond.push(')');
                let params: Vec<Param<'_>> = chunk.iter().map(|&k| Param::Int(k)).collect();
                let sql = sql.replace("{keys}", &cond);
                out.extend(fetch(via.reborrow(), sql, &params, map).await?);
            }
            Ok(out)
        }
    }
}

/// Children grouped under their parent's key, in the order they came.
pub fn group<T>(rows: Vec<(i64, T)>) -> HashMap<i64, Vec<T>> {
    let mut map: HashMap<i64, Vec<T>> = HashMap::new();
    for (parent, row) in rows {
        map.entry(parent).or_default().push(row);
    }
    map
}
