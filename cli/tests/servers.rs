//! `trellis pull` of schemas written by hand for PostgreSQL and MySQL/MariaDB, each in a fresh
//! database of its own: keys the database generates (`bigserial`, identity, `AUTO_INCREMENT`),
//! the relations, and the reports. They run where the suite's servers are given
//! (`TRELLIS_TEST_POSTGRES_URL`, `TRELLIS_TEST_MYSQL_URL`; `.ci/run` gives both).

mod common;

use common::Fresh;
use trellis::migrate::read_catalog;
use trellis::Db;
use trellis_cli::pull::{pull, Pulled};

/// Pulls `ddl` from a fresh database on the server of `url`.
async fn pull_fresh(url: &str, name: &str, ddl: &[&str]) -> Pulled {
    let fresh = Fresh::on(url, name).await;
    let db = Db::connect(&fresh.url)
        .await
        .expect("the new database opens");
    for statement in ddl {
        db.execute_raw(statement, []).await.expect("the DDL runs");
    }
    let catalog = read_catalog(&db).await.expect("the catalog reads");
    let dialect = db.dialect();
    db.close().await;
    fresh.drop().await;
    pull(dialect, &catalog)
}

fn has(pulled: &Pulled, line: &str) {
    assert!(
        pulled.source.lines().any(|l| l.trim() == line),
        "no line `{line}` in:\n{}",
        pulled.source
    );
}

/// What both servers' `users` and `posts` pull as: two keys the database generates (a
/// `bigserial` and an identity on PostgreSQL, `AUTO_INCREMENT`s on MySQL), two foreign keys
/// to `users` named after themselves, the editor's set to `NULL` when its user goes.
fn users_and_posts(pulled: &Pulled) {
    for text in [
        "#[field(id, auto)]\n    pub id: i64,",
        "#[field(id, auto)]\n    pub id: i32,",
        "references = User, on_delete = \"set null\")]\n    pub editor_id: Option<i64>,",
    ] {
        assert!(
            pulled.source.contains(text),
            "no `{text}` in:\n{}",
            pulled.source
        );
    }
    has(pulled, "pub author: BelongsTo<User>,");
    has(pulled, "pub editor: BelongsTo<User>,");
    has(pulled, "pub posts_as_author: HasMany<Post>,");
    has(pulled, "pub posts_as_editor: HasMany<Post>,");
}

/// What both servers' `stars` pulls as: a join model keyed by its two foreign keys, whose key
/// is in another order than its columns (the key's order comes first), and `many_to_many`
/// through it both ways.
fn stars(pulled: &Pulled) {
    // (MySQL indexes each foreign key, which the pull keeps as `index`.)
    let text =
        "pub struct Star {\n    #[field(id, references = User)]\n    pub user_id: i64,\n    \
                #[field(id, ";
    assert!(
        pulled.source.contains(text),
        "no `{text}` in:\n{}",
        pulled.source
    );
    let text = "references = Post)]\n    pub post_id: i32,\n    #[relation(belongs_to = Post";
    assert!(
        pulled.source.contains(text),
        "no `{text}` in:\n{}",
        pulled.source
    );
    has(
        pulled,
        "#[relation(many_to_many = Post, through = Star, from = \"user_id\", to = \"post_id\")]",
    );
    has(pulled, "pub posts: ManyToMany<Post>,");
    has(pulled, "pub users: ManyToMany<User>,");
}

#[tokio::test]
async fn postgres() {
    let Ok(url) = std::env::var("TRELLIS_TEST_POSTGRES_URL") else {
        return;
    };
    let pulled = pull_fresh(
        &url,
        "pg",
        &[
            "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, \
             joined_at timestamptz NOT NULL DEFAULT now())",
            "CREATE TABLE posts (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
             author_id bigint NOT NULL REFERENCES users (id), \
             editor_id bigint REFERENCES users (id) ON DELETE SET NULL, \
             title varchar(200) NOT NULL, tags text[])",
            "CREATE TABLE follows (id bigserial PRIMARY KEY, \
             follower_id bigint NOT NULL REFERENCES users (id), \
             followee_id bigint NOT NULL REFERENCES users (id), UNIQUE (follower_id, followee_id))",
            "CREATE TABLE stars (post_id integer NOT NULL REFERENCES posts (id), \
             user_id bigint NOT NULL REFERENCES users (id), PRIMARY KEY (user_id, post_id))",
        ],
    )
    .await;
    users_and_posts(&pulled);
    has(&pulled, "#[field(default = \"now()\")]");
    has(&pulled, "pub joined_at: chrono::DateTime<chrono::Utc>,");
    has(&pulled, "pub title: String,");
    has(&pulled, "pub author: BelongsTo<User>,");
    has(&pulled, "pub followers: ManyToMany<User>,");
    has(&pulled, "pub followees: ManyToMany<User>,");
    stars(&pulled);
    assert_eq!(pulled.models, 4);
    let reports: Vec<String> = pulled.reports.iter().map(ToString::to_string).collect();
    assert!(
        reports.contains(
            &"column `posts.tags` is of type `text[]`, which Trellis cannot hold: left out"
                .to_owned()
        ),
        "{reports:?}"
    );
}

#[tokio::test]
async fn mysql() {
    let Ok(url) = std::env::var("TRELLIS_TEST_MYSQL_URL") else {
        return;
    };
    let pulled = pull_fresh(
        &url,
        "my",
        &[
            "CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY, \
             email VARCHAR(255) NOT NULL UNIQUE, active TINYINT(1) NOT NULL DEFAULT 1)",
            "CREATE TABLE posts (id INT AUTO_INCREMENT PRIMARY KEY, author_id BIGINT NOT NULL, \
             editor_id BIGINT NULL, title VARCHAR(200) NOT NULL, views INT UNSIGNED NOT NULL DEFAULT 0, \
             FOREIGN KEY (author_id) REFERENCES users (id), \
             FOREIGN KEY (editor_id) REFERENCES users (id) ON DELETE SET NULL)",
            "CREATE TABLE stars (post_id INT NOT NULL, user_id BIGINT NOT NULL, \
             PRIMARY KEY (user_id, post_id), FOREIGN KEY (post_id) REFERENCES posts (id), \
             FOREIGN KEY (user_id) REFERENCES users (id))",
        ],
    )
    .await;
    users_and_posts(&pulled);
    has(&pulled, "#[field(unique)]");
    has(&pulled, "pub active: bool,");
    stars(&pulled);
    // A nullable column without a default has none (MariaDB reports it as `NULL`), so it
    // stays in `New`.
    has(&pulled, "pub editor_id: Option<i64>,");
    assert!(
        !pulled.source.contains("default = \"NULL\""),
        "{}",
        pulled.source
    );
    let reports: Vec<String> = pulled.reports.iter().map(ToString::to_string).collect();
    assert_eq!(
        reports,
        ["column `posts.views` is of type `int(10) unsigned`, which Trellis cannot hold: left out"]
    );
}
