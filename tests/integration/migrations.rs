//! Migrations written from the models and applied with sqlx's migrator, on every backend: the
//! initial one, then the difference after the models change (a new column, table, index and
//! foreign key), after which the database matches the models again.

use std::path::{Path, PathBuf};

use trellis::migrate;
use trellis::prelude::*;

use crate::support::{backends, Backend, TestDb};

/// The models as first released.
mod v1 {
    use trellis::prelude::*;

    #[derive(Model, Debug, Clone)]
    #[model(table = "mig_authors")]
    pub struct Author {
        #[field(id, auto)]
        pub id: i64,
        pub name: String,
    }

    #[derive(Model, Debug, Clone)]
    #[model(table = "mig_posts")]
    pub struct Post {
        #[field(id, auto)]
        pub id: i64,
        pub title: String,
        pub views: i64,
    }

    pub fn schema() -> Schema {
        Schema::new().model::<Author>().model::<Post>()
    }
}

/// The same tables a release later.
mod v2 {
    use trellis::prelude::*;

    #[derive(Model, Debug, Clone)]
    #[model(table = "mig_authors")]
    pub struct Author {
        #[field(id, auto)]
        pub id: i64,
        pub name: String,
        /// New, unique, and empty for the authors already stored.
        #[field(unique)]
        pub email: Option<String>,
        /// New, with a default the stored authors get.
        #[field(default = "0")]
        pub rating: i32,
    }

    #[derive(Model, Debug, Clone)]
    #[model(table = "mig_posts")]
    pub struct Post {
        #[field(id, auto)]
        pub id: i64,
        pub title: String,
        /// Indexed now.
        #[field(index)]
        pub views: i64,
        /// A new relation: a foreign key to the authors.
        #[field(references = Author, on_delete = "set null")]
        pub author_id: Option<i64>,
    }

    /// A new table, referencing an existing one.
    #[derive(Model, Debug, Clone)]
    #[model(table = "mig_tags")]
    pub struct Tag {
        #[field(id, auto)]
        pub id: i64,
        #[field(references = Post, on_delete = "cascade")]
        pub post_id: i64,
        pub label: String,
    }

    pub fn schema() -> Schema {
        Schema::new()
            .model::<Author>()
            .model::<Post>()
            .model::<Tag>()
    }
}

/// A migrations directory of its own for one test on one backend.
fn migrations_dir(test: &str, backend: &Backend) -> PathBuf {
    let name: String = format!("{test}_{}", backend.name)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    let dir = std::env::temp_dir().join(format!("trellis_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Runs `test` on every backend (only the servers when `servers_only`), each with a database
/// and a migrations directory of its own.
async fn in_a_migrations_dir<F>(name: &str, dir: &str, servers_only: bool, test: F)
where
    F: AsyncFn(&TestDb, &Path) -> Result<(), Error>,
{
    // Migrations run over a direct connection: sqlx's migrator takes a session's advisory
    // lock and names its statements, which a pooler in transaction mode does not keep.
    for backend in backends().into_iter().filter(|b| !b.pooler) {
        if servers_only && backend.url.is_none() {
            continue;
        }
        let test_db = TestDb::pooled(&backend, name, ConnectOptions::new()).await;
        let path = migrations_dir(dir, &backend);
        if let Err(e) = test(&test_db, &path).await {
            panic!("[{}] {name} failed: {e:?}", backend.name);
        }
        let _ = std::fs::remove_dir_all(&path);
        test_db.finish().await;
    }
}

/// Runs the directory's pending migrations with sqlx's migrator, on a pool of sqlx's own.
async fn apply(url: &str, dir: &Path) {
    let migrator = sqlx::migrate::Migrator::new(dir)
        .await
        .unwrap_or_else(|e| panic!("sqlx reads {}: {e}", dir.display()));
    let result = if url.starts_with("sqlite") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("open SQLite");
        let result = migrator.run(&pool).await;
        pool.close().await;
        result
    } else if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(url).await.expect("open PostgreSQL");
        let result = migrator.run(&pool).await;
        pool.close().await;
        result
    } else {
        let pool = sqlx::MySqlPool::connect(url).await.expect("open MySQL");
        let result = migrator.run(&pool).await;
        pool.close().await;
        result
    };
    result.unwrap_or_else(|e| panic!("sqlx applies {}: {e}", dir.display()));
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the migrations directory exists")
        .map(|e| {
            e.expect("a readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_round_trip_through_sqlx() {
    in_a_migrations_dir("migrations_round_trip", "round_trip", false, round_trip).await;
}

async fn round_trip(test: &TestDb, dir: &Path) -> Result<(), Error> {
    let db = &test.db;
    let dialect = db.dialect();

    // The first migration creates the tables; after it the database matches the models.
    let initial = migrate::write_initial(dir, dialect, &v1::schema())?.expect("a migration");
    assert_eq!(initial.version, 1);
    assert!(initial.warnings.is_empty(), "{:?}", initial.warnings);
    apply(&test.url, dir).await;
    assert!(migrate::next(db, &v1::schema()).await?.is_empty());
    assert!(migrate::write_next(dir, db, &v1::schema(), "nothing")
        .await?
        .is_none());
    assert_eq!(file_names(dir), ["0001_initial.sql"]);

    // Rows stored under the first models.
    let ada = v1::Author::insert(v1::author::New { name: "Ada".into() })
        .exec(db)
        .await?;
    v1::Post::insert(v1::post::New {
        title: "Notes".into(),
        views: 7,
    })
    .exec(db)
    .await?;

    // The models change: the next migration holds the difference, and applies.
    let next = migrate::write_next(dir, db, &v2::schema(), "Authors, tags")
        .await?
        .expect("the models changed");
    assert_eq!(next.version, 2);
    assert!(next.warnings.is_empty(), "{:?}", next.warnings);
    assert_eq!(
        file_names(dir),
        ["0001_initial.sql", "0002_authors_tags.sql"]
    );
    apply(&test.url, dir).await;
    assert!(
        migrate::next(db, &v2::schema()).await?.is_empty(),
        "a second diff: {}",
        migrate::next(db, &v2::schema()).await?.sql
    );

    // The stored rows took the new columns' defaults.
    let stored = v2::Author::find_by_id(ada.id).fetch_one(db).await?;
    assert_eq!((stored.email, stored.rating), (None, 0));
    let post = v2::Post::find_many().fetch_one(db).await?;
    assert_eq!((post.views, post.author_id), (7, None));

    // The new unique column, index, foreign key and table work through the new models.
    v2::Author::update_by_id(ada.id)
        .set(v2::author::email, Some("ada@example.com".to_owned()))
        .exec(db)
        .await?;
    let twin = v2::Author::insert(v2::author::New {
        name: "Ada's twin".into(),
        email: Some("ada@example.com".into()),
    })
    .exec(db)
    .await;
    assert!(
        matches!(twin, Err(Error::UniqueViolation { .. })),
        "{twin:?}"
    );
    let orphan = v2::Post::insert(v2::post::New {
        title: "Orphan".into(),
        views: 0,
        author_id: Some(ada.id + 1000),
    })
    .exec(db)
    .await;
    assert!(
        matches!(orphan, Err(Error::ForeignKeyViolation { .. })),
        "{orphan:?}"
    );
    let written = v2::Post::insert(v2::post::New {
        title: "By Ada".into(),
        views: 1,
        author_id: Some(ada.id),
    })
    .exec(db)
    .await?;
    v2::Tag::insert(v2::tag::New {
        post_id: written.id,
        label: "math".into(),
    })
    .exec(db)
    .await?;
    let by_ada = v2::Post::find_many()
        .filter(v2::post::author_id.eq(Some(ada.id)))
        .fetch_all(db)
        .await?;
    assert_eq!(by_ada.len(), 1);
    assert_eq!(v2::Tag::count().fetch(db).await?, 1);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_write_what_the_models_dropped_commented_out() {
    in_a_migrations_dir("migrations_dropped", "dropped", false, dropped).await;
}

async fn dropped(test: &TestDb, dir: &Path) -> Result<(), Error> {
    let db = &test.db;
    let dialect = db.dialect();
    let q = |name: &str| dialect.quote(name);
    migrate::write_initial(dir, dialect, &v2::schema())?;
    apply(&test.url, dir).await;

    // Reading the catalog takes the same four queries however many tables there are.
    let before = db.statement_count();
    let catalog = migrate::read_catalog(db).await?;
    assert_eq!(db.statement_count() - before, 4);
    assert_eq!(catalog.tables.len(), 3);

    // Back to the first models: a table, columns, indexes and a foreign key are gone from them.
    let file = migrate::write_next(dir, db, &v1::schema(), "drop")
        .await?
        .expect("the models changed");
    let sql = std::fs::read_to_string(&file.path).map_err(|source| Error::MigrationIo {
        path: file.path.clone(),
        source,
    })?;
    let drop_column = format!(
        "-- ALTER TABLE {} DROP COLUMN {};",
        q("mig_authors"),
        q("email")
    );
    assert!(sql.contains(&drop_column), "{sql}");
    assert!(
        sql.contains(&format!("-- DROP TABLE {};", q("mig_tags"))),
        "{sql}"
    );
    // Nothing runs: every line is a comment or blank.
    assert!(
        sql.lines().all(|l| l.is_empty() || l.starts_with("--")),
        "{sql}"
    );
    assert!(file
        .warnings
        .iter()
        .any(|w| w.contains("`email`") && w.contains("mig_authors")));

    // Applying it changes nothing: the data is still there.
    apply(&test.url, dir).await;
    let catalog = migrate::read_catalog(db).await?;
    let authors = catalog.table("mig_authors").expect("the table is kept");
    assert!(authors.column("email").is_some());
    assert!(catalog.table("mig_tags").is_some());
    Ok(())
}

/// On PostgreSQL and MySQL every dropped thing has a statement: uncommented, the statements
/// take the database to the models. (SQLite drops a foreign key or a `UNIQUE` column only by
/// rebuilding the table, which is left to a person.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_uncommented_drops_apply_on_postgres_and_mysql() {
    in_a_migrations_dir("migrations_uncommented", "uncommented", true, uncommented).await;
}

async fn uncommented(test: &TestDb, dir: &Path) -> Result<(), Error> {
    let db = &test.db;
    migrate::write_initial(dir, db.dialect(), &v2::schema())?;
    apply(&test.url, dir).await;
    let script = migrate::next(db, &v1::schema()).await?;
    // The commented statements, uncommented: the lines that hold SQL rather than a reason.
    let statements: Vec<&str> = script
        .sql
        .lines()
        .filter_map(|l| l.strip_prefix("-- "))
        .filter(|l| l.ends_with(';'))
        .collect();
    assert!(statements.len() >= 5, "{}", script.sql);
    let file = dir.join("0002_drop.sql");
    std::fs::write(&file, statements.join("\n")).map_err(|source| Error::MigrationIo {
        path: file.clone(),
        source,
    })?;
    apply(&test.url, dir).await;
    let again = migrate::next(db, &v1::schema()).await?;
    assert!(again.is_empty(), "{}", again.sql);
    Ok(())
}
