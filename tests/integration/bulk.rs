//! Bulk writes on every backend: inserts and nested creates return their rows with
//! `RETURNING` where the server has it (SQLite, PostgreSQL, MariaDB 10.5 and newer) and read
//! them back by key where it has not (MySQL, and the read-back path forced on MariaDB), with
//! the same rows either way; `exec_without_rows` writes the same rows, reads none back and
//! answers how many it wrote.

use trellis::prelude::*;

use crate::support::backend_tests;

backend_tests!(
    inserts_return_their_rows_in_one_statement_where_the_server_can,
    nested_create_many_returns_the_same_rows_with_returning_and_read_back,
    a_failed_insert_leaves_no_rows_with_returning_or_read_back,
    insert_without_rows_writes_the_rows_in_one_statement_and_counts_them,
    insert_many_without_rows_splits_under_the_parameter_limit,
    nested_create_many_without_rows_stores_what_exec_stores,
    nested_create_many_without_rows_on_given_keys_reads_nothing,
    a_failed_write_without_rows_leaves_no_rows,
);

/// A model with an `auto` key, a unique column and a column with a database default: an
/// insert of its `New` learns the key and the default only from the database.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "b_authors")]
pub struct Author {
    #[field(id, auto)]
    pub id: i64,
    #[field(unique)]
    pub email: String,
    pub name: String,
    #[field(default = "'new'")]
    pub status: String,
    #[relation(has_one = Bio, foreign_key = "author_id")]
    pub bio: HasOne<Bio>,
    #[relation(has_many = Post, foreign_key = "author_id")]
    pub posts: HasMany<Post>,
    #[relation(many_to_many = Tag, through = Tagging, from = "author_id", to = "tag_id")]
    pub tags: ManyToMany<Tag>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "b_bios")]
pub struct Bio {
    #[field(id, auto)]
    pub id: i64,
    #[field(unique, references = Author)]
    pub author_id: i64,
    pub text: Option<String>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "b_posts")]
pub struct Post {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = Author)]
    pub author_id: i64,
    #[field(unique)]
    pub slug: String,
    #[field(default = "0")]
    pub views: i32,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "b_tags")]
pub struct Tag {
    #[field(id)]
    pub id: String,
    #[field(unique)]
    pub name: String,
}

/// The join model, with a column of its own.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "b_taggings")]
pub struct Tagging {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = Author)]
    pub author_id: i64,
    #[field(references = Tag)]
    pub tag_id: String,
    pub weight: i32,
}

async fn setup(db: &Db) -> Result<(), Error> {
    db.create_schema(
        &Schema::new()
            .model::<Author>()
            .model::<Bio>()
            .model::<Post>()
            .model::<Tag>()
            .model::<Tagging>(),
    )
    .await?;
    Tag::insert_many(["rust", "sql", "go"].map(|t| tag::New {
        id: format!("t-{t}"),
        name: t.into(),
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// Whether this database's inserts can return their rows, asked of the server itself rather
/// than of Trellis: every server but MySQL and MariaDB before 10.5.
pub(crate) async fn server_returns_inserted_rows(db: &Db) -> Result<bool, Error> {
    if db.dialect() != trellis::Dialect::MySql {
        return Ok(true);
    }
    let rows = db.fetch_raw("SELECT VERSION()", []).await?;
    let version: String = rows[0]
        .get_native(0)
        .map_err(|e| Error::InvalidQuery(e.to_string()))?;
    let version = version.strip_prefix("5.5.5-").unwrap_or(&version);
    let mut numbers = version.split('.').map(|n| n.parse::<u32>().unwrap_or(0));
    let major_minor = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
    Ok(version.contains("MariaDB") && major_minor >= (10, 5))
}

/// The database as it is, and with inserts read back by key as on MySQL (the same on SQLite
/// and PostgreSQL), each with the statements one insert of several rows takes on it: one, and
/// where the server has no `RETURNING` two more, to ask how far apart its generated keys are
/// (`@@auto_increment_increment`) and to read the rows back.
async fn both_paths(db: &Db) -> Result<[(&'static str, Db, u64); 2], Error> {
    let returning = server_returns_inserted_rows(db).await?;
    let mysql = db.dialect() == trellis::Dialect::MySql;
    Ok([
        ("as connected", db.clone(), if returning { 1 } else { 3 }),
        (
            "read back",
            db.__read_back_inserts(),
            if mysql { 3 } else { 1 },
        ),
    ])
}

fn new_author(email: &str) -> author::New {
    author::New {
        email: email.into(),
        name: format!("Name of {email}"),
    }
}

/// What a user checks of authors written with their relations, generated keys aside: each
/// author's columns, its bio's text and posts' columns (their foreign keys checked to point at
/// it) and its tags' keys, all sorted.
type Tree = Vec<(
    String,
    String,
    String,
    Option<String>,
    Vec<String>,
    Vec<String>,
)>;

fn tree(authors: &[Author]) -> Tree {
    let mut tree: Tree = authors
        .iter()
        .map(|a| {
            let bio = a.bio.get().map(|b| {
                assert_eq!(b.author_id, a.id, "{b:?}");
                b.text.clone().unwrap_or_default()
            });
            let mut posts: Vec<String> = a
                .posts
                .rows()
                .iter()
                .map(|p| {
                    assert_eq!(p.author_id, a.id, "{p:?}");
                    format!("{}:{}", p.slug, p.views)
                })
                .collect();
            posts.sort();
            let mut tags: Vec<String> = a.tags.rows().iter().map(|t| t.id.clone()).collect();
            tags.sort();
            (
                a.email.clone(),
                a.name.clone(),
                a.status.clone(),
                bio,
                posts,
                tags,
            )
        })
        .collect();
    tree.sort();
    tree
}

/// Every author stored, with its bio, posts and tags, as read by a query.
async fn stored(db: &Db) -> Result<Vec<Author>, Error> {
    Author::find_many()
        .include(author::bio)
        .include(author::posts)
        .include(author::tags)
        .order_by(author::id.asc())
        .fetch_all(db)
        .await
}

/// The rows of every table a nested create writes.
async fn counts(db: &Db) -> Result<[i64; 4], Error> {
    Ok([
        Author::count().fetch(db).await?,
        Bio::count().fetch(db).await?,
        Post::count().fetch(db).await?,
        Tagging::count().fetch(db).await?,
    ])
}

async fn inserts_return_their_rows_in_one_statement_where_the_server_can(
    db: Db,
) -> Result<(), Error> {
    setup(&db).await?;
    for (path, db, statements) in both_paths(&db).await? {
        let before = db.statement_count();
        let many = Author::insert_many(["c", "a", "b"].map(|e| new_author(&format!("{path}-{e}"))))
            .exec(&db)
            .await?;
        assert_eq!(db.statement_count() - before, statements, "{path}");
        assert_eq!(
            many.iter().map(|a| a.email.as_str()).collect::<Vec<_>>(),
            ["c", "a", "b"].map(|e| format!("{path}-{e}")),
            "{path}: in the order given"
        );
        for author in &many {
            assert_eq!(author.status, "new", "{path}: the default");
            assert_eq!(
                &Author::find_by_id(author.id).fetch_one(&db).await?,
                author,
                "{path}"
            );
        }

        let before = db.statement_count();
        let one = Author::insert(new_author(&format!("{path}-d")))
            .exec(&db)
            .await?;
        // One row: its key is `LAST_INSERT_ID()` alone, with no step to ask.
        assert_eq!(db.statement_count() - before, statements.min(2), "{path}");
        assert_eq!(Author::find_by_id(one.id).fetch_one(&db).await?, one);
        assert!(
            many.iter().all(|a| a.id < one.id),
            "{path}: {many:?} {one:?}"
        );

        // A whole row needs no read: MySQL's `LAST_INSERT_ID()` gives the key.
        let before = db.statement_count();
        let whole = Author::insert(Author {
            id: 0,
            email: format!("{path}-e"),
            name: "Whole".into(),
            status: "kept".into(),
            bio: Default::default(),
            posts: Default::default(),
            tags: Default::default(),
        })
        .exec(&db)
        .await?;
        assert_eq!(db.statement_count() - before, 1, "{path}");
        assert_eq!(Author::find_by_id(whole.id).fetch_one(&db).await?, whole);
    }
    Ok(())
}

/// Five authors, each with a bio (every other one empty), two posts and two tags, one by key
/// and one by a unique column; `prefix` makes the unique values differ from one write to the
/// next.
fn nested(prefix: &str) -> impl Iterator<Item = trellis::query::Create<author::New>> + '_ {
    (0..5).map(move |i| {
        Author::create(new_author(&format!("{prefix}-{i}")))
            .with(author::bio::create(author::bio::New {
                text: (i % 2 == 0).then(|| format!("bio {i}")),
            }))
            .with(author::posts::create((0..2).map(|p| author::posts::New {
                slug: format!("{prefix}-{i}-{p}"),
            })))
            .with(author::tags::connect(
                "t-rust",
                author::tags::New { weight: i },
            ))
            .with(author::tags::connect_by(
                tag::name,
                if i % 2 == 0 { "sql" } else { "go" },
                author::tags::New { weight: 10 + i },
            ))
    })
}

async fn nested_create_many_returns_the_same_rows_with_returning_and_read_back(
    db: Db,
) -> Result<(), Error> {
    setup(&db).await?;
    let mut trees = Vec::new();
    for (path, db, per_insert) in both_paths(&db).await? {
        let before = db.statement_count();
        let written = Author::create_many(nested(path)).exec(&db).await?;
        // The authors, bios, posts and taggings inserted (each read back where the server
        // has no `RETURNING`), and the tags looked up by key and by name.
        assert_eq!(db.statement_count() - before, 4 * per_insert + 2, "{path}");
        assert_eq!(
            written.iter().map(|a| a.email.as_str()).collect::<Vec<_>>(),
            (0..5).map(|i| format!("{path}-{i}")).collect::<Vec<_>>(),
            "{path}: in the order given"
        );
        let read: Vec<Author> = stored(&db)
            .await?
            .into_iter()
            .filter(|a| a.email.starts_with(path))
            .collect();
        assert_eq!(tree(&written), tree(&read), "{path}: as stored");
        // The join rows' own column.
        for author in &read {
            let mut weights: Vec<i32> = Tagging::find_many()
                .filter(tagging::author_id.eq(author.id))
                .fetch_all(&db)
                .await?
                .into_iter()
                .map(|t| t.weight)
                .collect();
            weights.sort();
            let i = written.iter().position(|w| w.id == author.id).unwrap_or(99) as i32;
            assert_eq!(weights, [i, 10 + i], "{path}");
        }
        trees.push(
            tree(&written)
                .into_iter()
                .map(|mut t| {
                    // The same data but for the prefix of the unique values.
                    t.0 = t.0.replacen(path, "", 1);
                    t.1 = t.1.replacen(path, "", 1);
                    t.4 = t.4.iter().map(|p| p.replacen(path, "", 1)).collect();
                    t
                })
                .collect::<Tree>(),
        );
    }
    assert_eq!(trees[0], trees[1], "the two paths write the same");
    Ok(())
}

async fn a_failed_insert_leaves_no_rows_with_returning_or_read_back(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    Author::insert(new_author("taken")).exec(&db).await?;
    for (path, db, _) in both_paths(&db).await? {
        let before = counts(&db).await?;
        // The third of five collides with a stored row.
        let err = Author::insert_many(["a", "b", "taken", "c", "d"].map(|e| {
            new_author(&if e == "taken" {
                e.to_owned()
            } else {
                format!("{path}-{e}")
            })
        }))
        .exec(&db)
        .await;
        assert!(
            matches!(err, Err(Error::UniqueViolation { .. })),
            "{path}: {err:?}"
        );
        assert_eq!(counts(&db).await?, before, "{path}");

        // A post of the fourth author collides with a post of the second.
        let err = Author::create_many(nested(path).enumerate().map(|(i, create)| {
            if i == 3 {
                create.with(author::posts::create([author::posts::New {
                    slug: format!("{path}-1-0"),
                }]))
            } else {
                create
            }
        }))
        .exec(&db)
        .await;
        assert!(
            matches!(err, Err(Error::UniqueViolation { .. })),
            "{path}: {err:?}"
        );
        assert_eq!(counts(&db).await?, before, "{path}");
    }
    Ok(())
}

async fn insert_without_rows_writes_the_rows_in_one_statement_and_counts_them(
    db: Db,
) -> Result<(), Error> {
    setup(&db).await?;
    for (path, db, _) in both_paths(&db).await? {
        let emails = ["c", "a", "b"].map(|e| format!("{path}-{e}"));
        let before = db.statement_count();
        let written = Author::insert_many(emails.iter().map(|e| new_author(e)))
            .exec_without_rows(&db)
            .await?;
        // No `RETURNING` and no read on any backend.
        assert_eq!((written, db.statement_count() - before), (3, 1), "{path}");
        let before = db.statement_count();
        let one = Author::insert(new_author(&format!("{path}-d")))
            .exec_without_rows(&db)
            .await?;
        assert_eq!((one, db.statement_count() - before), (1, 1), "{path}");

        let stored = Author::find_many()
            .filter(author::email.starts_with(path))
            .order_by(author::id.asc())
            .fetch_all(&db)
            .await?;
        let expected: Vec<(String, String, String)> = ["c", "a", "b", "d"]
            .map(|e| {
                let new = new_author(&format!("{path}-{e}"));
                (new.email, new.name, "new".to_owned())
            })
            .into();
        assert_eq!(
            stored
                .into_iter()
                .map(|a| (a.email, a.name, a.status))
                .collect::<Vec<_>>(),
            expected,
            "{path}: in the order given, with the default"
        );
    }
    assert_eq!(
        Author::insert_many(Vec::<author::New>::new())
            .exec_without_rows(&db)
            .await?,
        0
    );
    Ok(())
}

async fn insert_many_without_rows_splits_under_the_parameter_limit(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let author = Author::insert(new_author("a")).exec(&db).await?;
    // Two written columns per post (`views` has a default): two statements' worth on every
    // backend.
    let n = db.dialect().max_params() / 2 + 10;
    let before = db.statement_count();
    let written = Post::insert_many((0..n).map(|i| post::New {
        author_id: author.id,
        slug: format!("p{i:06}"),
    }))
    .exec_without_rows(&db)
    .await?;
    assert_eq!((written, db.statement_count() - before), (n as u64, 2));
    assert_eq!(Post::count().fetch(&db).await?, n as i64);
    let last = Post::find_unique(post::slug, format!("p{:06}", n - 1))
        .fetch_one(&db)
        .await?;
    assert_eq!((last.author_id, last.views), (author.id, 0));
    Ok(())
}

async fn nested_create_many_without_rows_stores_what_exec_stores(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let mut trees = Vec::new();
    for (path, db, per_insert) in both_paths(&db).await? {
        let exec = format!("{path}-exec");
        Author::create_many(nested(&exec)).exec(&db).await?;
        let before = db.statement_count();
        let without = format!("{path}-without");
        let written = Author::create_many(nested(&without))
            .exec_without_rows(&db)
            .await?;
        // The authors (their generated keys come back alone, or from `LAST_INSERT_ID()` and
        // `@@auto_increment_increment`), bios, posts and taggings inserted, the tags looked up
        // by key and by name: nothing read back on any backend.
        let keys_step = u64::from(per_insert == 3);
        assert_eq!(
            (written, db.statement_count() - before),
            (5, 6 + keys_step),
            "{path}"
        );
        let stored = stored(&db).await?;
        let of = |prefix: &str| -> Tree {
            let rows: Vec<Author> = stored
                .iter()
                .filter(|a| a.email.starts_with(&format!("{prefix}-")))
                .cloned()
                .collect();
            tree(&rows)
                .into_iter()
                .map(|mut t| {
                    t.0 = t.0.replacen(prefix, "", 1);
                    t.1 = t.1.replacen(prefix, "", 1);
                    t.4 = t.4.iter().map(|p| p.replacen(prefix, "", 1)).collect();
                    t
                })
                .collect()
        };
        assert_eq!(of(&without).len(), 5, "{path}");
        assert_eq!(of(&without), of(&exec), "{path}: the same rows as `exec`");
        trees.push(of(&without));

        // One create, and creates with no related rows (one statement, nothing read).
        let one = Author::create(new_author(&format!("{path}-one")))
            .with(author::posts::create([author::posts::New {
                slug: format!("{path}-one-0"),
            }]))
            .exec_without_rows(&db)
            .await?;
        assert_eq!(one, 1);
        let before = db.statement_count();
        let plain = Author::create_many(
            ["x", "y"].map(|e| Author::create(new_author(&format!("{path}-{e}")))),
        )
        .exec_without_rows(&db)
        .await?;
        assert_eq!((plain, db.statement_count() - before), (2, 1), "{path}");
        let one = Author::find_unique(author::email, format!("{path}-one"))
            .include(author::posts)
            .fetch_one(&db)
            .await?;
        assert_eq!(
            one.posts
                .rows()
                .iter()
                .map(|p| (p.author_id, p.slug.clone()))
                .collect::<Vec<_>>(),
            [(one.id, format!("{path}-one-0"))]
        );
    }
    assert_eq!(trees[0], trees[1], "the two paths write the same");
    Ok(())
}

async fn nested_create_many_without_rows_on_given_keys_reads_nothing(db: Db) -> Result<(), Error> {
    use crate::models::{organization, user, Organization, User};
    db.create_schema(&crate::models::schema()).await?;
    Organization::insert_many(["acme", "initech"].map(|o| organization::New {
        id: o.into(),
        name: o.to_uppercase(),
    }))
    .exec(&db)
    .await?;
    let before = db.statement_count();
    let written = User::create_many(["ada", "bob", "cy"].map(|u| {
        User::create(user::New {
            id: u.into(),
            email: format!("{u}@example.com"),
            name: u.to_uppercase(),
            age: Some(30),
        })
        .with(user::profile::create(user::profile::New {
            id: format!("p-{u}"),
            bio: Some(format!("{u}'s bio")),
        }))
        .with(user::sessions::create(["1", "2"].map(|t| {
            user::sessions::New {
                token: format!("{u}-{t}"),
            }
        })))
        .with(user::organizations::connect(
            "acme",
            user::organizations::New {
                role: "member".into(),
            },
        ))
    }))
    .exec_without_rows(&db)
    .await?;
    // Users, profiles, sessions, the organizations looked up, memberships: the users' keys
    // are theirs, so nothing comes back, not even a key.
    assert_eq!((written, db.statement_count() - before), (3, 5));
    let users = User::find_many()
        .include(user::profile)
        .include(user::sessions)
        .include(user::organizations)
        .order_by(user::id.asc())
        .fetch_all(&db)
        .await?;
    assert_eq!(users.len(), 3);
    for u in &users {
        assert_eq!(
            u.profile.get().map(|p| (p.id.clone(), p.bio.clone())),
            Some((format!("p-{}", u.id), Some(format!("{}'s bio", u.id))))
        );
        let mut tokens: Vec<String> = u.sessions.rows().iter().map(|s| s.token.clone()).collect();
        tokens.sort();
        assert_eq!(tokens, [format!("{}-1", u.id), format!("{}-2", u.id)]);
        assert_eq!(
            u.organizations
                .rows()
                .iter()
                .map(|o| o.id.as_str())
                .collect::<Vec<_>>(),
            ["acme"]
        );
    }
    Ok(())
}

async fn a_failed_write_without_rows_leaves_no_rows(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    Author::insert(new_author("taken")).exec(&db).await?;
    for (path, db, _) in both_paths(&db).await? {
        let before = counts(&db).await?;
        // The third of five collides with a stored row.
        let err = Author::insert_many(["a", "b", "taken", "c", "d"].map(|e| {
            new_author(&if e == "taken" {
                e.to_owned()
            } else {
                format!("{path}-{e}")
            })
        }))
        .exec_without_rows(&db)
        .await;
        assert!(
            matches!(err, Err(Error::UniqueViolation { .. })),
            "{path}: {err:?}"
        );
        assert_eq!(counts(&db).await?, before, "{path}");

        // Two statements (two columns per post): the second one's last row collides with the
        // first one's first.
        let n = db.dialect().max_params() / 2 + 10;
        let author = Author::find_unique(author::email, "taken")
            .fetch_one(&db)
            .await?;
        let err = Post::insert_many((0..n).map(|i| post::New {
            author_id: author.id,
            slug: if i + 1 == n {
                format!("{path}-p0")
            } else {
                format!("{path}-p{i}")
            },
        }))
        .exec_without_rows(&db)
        .await;
        assert!(
            matches!(err, Err(Error::UniqueViolation { .. })),
            "{path}: {err:?}"
        );
        assert_eq!(counts(&db).await?, before, "{path}");

        // A post of the fourth author collides with a post of the second.
        let err = Author::create_many(nested(path).enumerate().map(|(i, create)| {
            if i == 3 {
                create.with(author::posts::create([author::posts::New {
                    slug: format!("{path}-1-0"),
                }]))
            } else {
                create
            }
        }))
        .exec_without_rows(&db)
        .await;
        assert!(
            matches!(err, Err(Error::UniqueViolation { .. })),
            "{path}: {err:?}"
        );
        assert_eq!(counts(&db).await?, before, "{path}");

        // The last author connects a tag that does not exist.
        let err = Author::create_many(nested(path).enumerate().map(|(i, create)| {
            if i == 4 {
                create.with(author::tags::connect_by(
                    tag::name,
                    "cobol",
                    author::tags::New { weight: 0 },
                ))
            } else {
                create
            }
        }))
        .exec_without_rows(&db)
        .await;
        assert!(
            matches!(
                err,
                Err(Error::RelatedNotFound {
                    relation: "tags",
                    ..
                })
            ),
            "{path}: {err:?}"
        );
        assert_eq!(counts(&db).await?, before, "{path}");
    }
    Ok(())
}

/// MySQL without `RETURNING`: the keys of a multi-row insert are `LAST_INSERT_ID()` and the
/// ones after it `auto_increment_increment` apart, which a cluster sets to its number of nodes
/// (Galera, group replication): each row gets its own key back.
#[tokio::test]
async fn read_back_keys_follow_the_auto_increment_step_mysql() {
    for backend in crate::support::backends()
        .into_iter()
        .filter(|b| b.url.as_deref().is_some_and(|u| u.starts_with("mysql")))
    {
        let options = trellis::ConnectOptions::new().max_connections(1);
        let test_db =
            crate::support::TestDb::pooled(&backend, "auto_increment_step", options).await;
        let outcome = async {
            // One connection, kept: the session setting holds for the insert.
            let db = test_db.db.__read_back_inserts();
            setup(&db).await?;
            db.execute_raw("SET SESSION auto_increment_increment = 3", [])
                .await?;
            let many =
                Author::insert_many(["a", "b", "c"].map(|e| new_author(&format!("step-{e}"))))
                    .exec(&db)
                    .await?;
            let ids: Vec<i64> = many.iter().map(|a| a.id).collect();
            assert_eq!(ids[1] - ids[0], 3, "{ids:?}");
            assert_eq!(ids[2] - ids[1], 3, "{ids:?}");
            for author in &many {
                assert_eq!(&Author::find_by_id(author.id).fetch_one(&db).await?, author);
            }
            Ok::<_, Error>(())
        }
        .await;
        if let Err(e) = outcome {
            panic!("[{}] {e:?}", backend.name);
        }
        test_db.finish().await;
    }
}
