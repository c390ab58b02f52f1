//! Relations loaded for every row of a table read the related table whole
//! (`ConnectOptions::whole_table_reads`), and return what looking each parent's rows up by
//! key returns: pages, orders and filters per parent, rows of no parent left out.

use futures_util::TryStreamExt;
use trellis::prelude::*;
use trellis::{ConnectOptions, Dialect};

use crate::support::backend_tests;
use shelf::{author, post, Author, Post};

backend_tests!(
    relations_of_every_row_load_as_by_key,
    a_streams_chunks_load_their_relations_by_key_range_as_by_key,
);

/// On every backend: the loads below return what the data says, reading whole tables where
/// `whole_reads` says (SQLite's second run of the suite reads none).
async fn relations_of_every_row_load_as_by_key(db: Db) -> Result<(), Error> {
    let whole = load_and_check(&db).await?;
    let dialect = db.dialect();
    if !(dialect == Dialect::Sqlite && whole == [0; LOADS]) {
        assert_eq!(whole, whole_reads(dialect), "{dialect:?}");
    }
    Ok(())
}

/// A stream of every author in key order reads each chunk's relations by the range of keys
/// between its first and last author (the has_one, a page of each author's posts, the tags
/// through the join model, the drafts whose key may be `NULL`, and counts): the same outputs
/// as `fetch_all`, in order, for chunks that split the authors anywhere.
async fn a_streams_chunks_load_their_relations_by_key_range_as_by_key(db: Db) -> Result<(), Error> {
    shelf::write(&db).await?;
    let query = || {
        Author::find_many()
            .order_by(author::id.asc())
            .select(select!(Author {
                id,
                bio { text },
                posts(order_by = title.desc(), skip = 1, take = 2) { id, title },
                tags { name },
                drafts { title },
                post_count: posts: count,
                tag_count: tags: count,
            }))
    };
    let all = query().fetch_all(&db).await?;
    assert_eq!(all.len() as i64, shelf::AUTHORS);
    for chunk in [1_u64, 2, 3] {
        let streamed: Vec<_> = query().chunk_size(chunk).stream(&db).try_collect().await?;
        assert_eq!(streamed, all, "chunks of {chunk}");
    }
    Ok(())
}

/// SQLite reads the whole table exactly where the parents are every row of theirs, and not
/// at all with `whole_table_reads(false)`; both return the rows the data says.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_reads_whole_tables_only_for_every_row_and_when_allowed() -> Result<(), Error> {
    for (allowed, expected) in [(true, whole_reads(Dialect::Sqlite)), (false, [0; LOADS])] {
        let options = ConnectOptions::new().whole_table_reads(allowed);
        let db = Db::connect_with("sqlite::memory:", options).await?;
        assert_eq!(load_and_check(&db).await?, expected, "allowed: {allowed}");
        db.close().await;
    }
    Ok(())
}

/// How many loads `load_and_check` runs.
const LOADS: usize = 7;

/// The whole-table reads of each load: the bio, the page of posts by title (by key on
/// PostgreSQL, which reads a page per parent through the index) and the tags of every author
/// (the drafts' key may be `NULL`); the posts and their replies; none for some authors; the
/// posts, but not the replies of the posts a filter kept; both through `include`; none for a
/// `belongs_to`; the first post of each author (by key but on MySQL, a page in key order),
/// a page of tags (through the join model: by key on PostgreSQL only) and two counts of posts.
fn whole_reads(dialect: Dialect) -> [u64; LOADS] {
    match dialect {
        Dialect::Sqlite => [3, 2, 0, 1, 2, 0, 3],
        Dialect::MySql => [3, 2, 0, 1, 2, 0, 4],
        Dialect::Postgres => [2, 2, 0, 1, 2, 0, 2],
    }
}

/// Each author's key, with the key and reply bodies of each of its posts.
type Tree = Vec<(i64, Vec<(i64, Vec<String>)>)>;

/// The [`Tree`] of a selection of authors' posts' replies' bodies.
macro_rules! tree_of {
    ($rows:expr) => {
        $rows
            .into_iter()
            .map(|a| {
                let posts = a.posts.into_iter();
                let posts = posts.map(|p| (p.id, p.replies.into_iter().map(|r| r.body).collect()));
                (a.id, posts.collect())
            })
            .collect()
    };
}

/// Writes the data, runs each load, checks its rows against the data, and returns the number
/// of whole-table reads of each.
async fn load_and_check(db: &Db) -> Result<[u64; LOADS], Error> {
    let data = shelf::write(db).await?;
    let mut whole = [0; LOADS];
    let mut count = |load: usize, before: u64| whole[load] = db.whole_table_read_count() - before;

    // Every author, with a bio, a page of posts, tags and drafts.
    let before = db.whole_table_read_count();
    let rows = Author::find_many()
        .order_by(author::id.asc())
        .select(select!(Author {
            id,
            bio { text },
            posts(order_by = title.desc(), skip = 1, take = 2) { id, title },
            tags { name },
            drafts { title },
        }))
        .fetch_all(db)
        .await?;
    count(0, before);
    let found: Vec<_> = rows
        .into_iter()
        .map(|a| {
            let posts: Vec<(i64, String)> = a.posts.into_iter().map(|p| (p.id, p.title)).collect();
            let tags: Vec<String> = a.tags.into_iter().map(|t| t.name).collect();
            let drafts: Vec<String> = a.drafts.into_iter().map(|d| d.title).collect();
            (a.id, a.bio.map(|b| b.text), posts, tags, drafts)
        })
        .collect();
    let expected: Vec<_> = data
        .authors()
        .map(|a| {
            let mut posts = data.posts_of(a);
            posts.sort_by(|x, y| y.title.cmp(&x.title).then(x.id.cmp(&y.id)));
            let page = posts.iter().skip(1).take(2);
            (
                a,
                data.bios
                    .iter()
                    .find(|b| b.author_id == a)
                    .map(|b| b.text.clone()),
                page.map(|p| (p.id, p.title.clone())).collect::<Vec<_>>(),
                data.tags_of(a),
                data.drafts
                    .iter()
                    .filter(|d| d.author_id == Some(a))
                    .map(|d| d.title.clone())
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(found, expected);

    // Every author's posts, by key, and their replies by body: replies of no post left out.
    let tree = |authors: &mut dyn Iterator<Item = i64>| -> Tree {
        authors
            .map(|a| {
                let mut posts = data.posts_of(a);
                posts.sort_by_key(|p| p.id);
                let posts = posts
                    .iter()
                    .map(|p| (p.id, data.replies_of(p.id)))
                    .collect();
                (a, posts)
            })
            .collect()
    };
    let before = db.whole_table_read_count();
    let rows = Author::find_many()
        .order_by(author::id.asc())
        .select(select!(Author { id, posts { id, replies(order_by = body.asc()) { body } } }))
        .fetch_all(db)
        .await?;
    count(1, before);
    let found: Tree = tree_of!(rows);
    assert_eq!(found, tree(&mut data.authors()));

    // Some authors: by key.
    let before = db.whole_table_read_count();
    let rows = Author::find_many()
        .filter(author::id.lte(2))
        .order_by(author::id.asc())
        .select(select!(Author { id, posts { id, replies(order_by = body.asc()) { body } } }))
        .fetch_all(db)
        .await?;
    count(2, before);
    let found: Tree = tree_of!(rows);
    assert_eq!(found, tree(&mut (1..=2)));

    // Every author's posts but one title: the replies of the posts kept, by key.
    let before = db.whole_table_read_count();
    let rows = Author::find_many()
        .order_by(author::id.asc())
        .select(select!(Author {
            id,
            posts(where = title.ne("title 00")) { id, replies(order_by = body.asc()) { body } },
        }))
        .fetch_all(db)
        .await?;
    count(3, before);
    let found: Tree = tree_of!(rows);
    let mut expected = tree(&mut data.authors());
    for (_, posts) in &mut expected {
        posts.retain(|(id, _)| data.post(*id).is_some_and(|p| p.title != "title 00"));
    }
    assert_eq!(found, expected);

    // The same tree through `include`: whole rows, replies in key order.
    let before = db.whole_table_read_count();
    let rows = Author::find_many()
        .order_by(author::id.asc())
        .include(author::posts.with(|q| q.include(post::replies)))
        .fetch_all(db)
        .await?;
    count(4, before);
    let found: Vec<_> = rows
        .iter()
        .map(|a| {
            let posts = a.posts.get().unwrap_or_default().iter().map(|p| {
                let replies = p.replies.get().unwrap_or_default().iter().map(|r| r.id);
                (p.id, replies.collect())
            });
            (a.id, posts.collect::<Vec<(i64, Vec<i64>)>>())
        })
        .collect();
    let expected: Vec<_> = data
        .authors()
        .map(|a| {
            let mut posts = data.posts_of(a);
            posts.sort_by_key(|p| p.id);
            let posts = posts.iter().map(|p| {
                let mut replies: Vec<i64> = data
                    .replies
                    .iter()
                    .filter(|r| r.post_id == p.id)
                    .map(|r| r.id)
                    .collect();
                replies.sort_unstable();
                (p.id, replies)
            });
            (a, posts.collect::<Vec<_>>())
        })
        .collect();
    assert_eq!(found, expected);

    // Every post's author: a `belongs_to`, by key.
    let before = db.whole_table_read_count();
    let rows = Post::find_many()
        .order_by(post::id.asc())
        .select(select!(Post { id, author { name } }))
        .fetch_all(db)
        .await?;
    count(5, before);
    let found: Vec<(i64, String)> = rows.into_iter().map(|p| (p.id, p.author.name)).collect();
    let mut expected: Vec<(i64, String)> = data
        .posts
        .iter()
        .map(|p| (p.id, format!("author {}", p.author_id)))
        .collect();
    expected.sort_unstable();
    assert_eq!(found, expected);

    // Every author's first post, the tags after the first, and how many posts (all, and
    // those of another title than one).
    let before = db.whole_table_read_count();
    let rows = Author::find_many()
        .order_by(author::id.asc())
        .select(select!(Author {
            id,
            posts(take = 1) { id },
            tags(skip = 1) { name },
            post_count: posts: count,
            titled: posts(where = title.ne("title 00")): count,
        }))
        .fetch_all(db)
        .await?;
    count(6, before);
    type Page = (i64, Vec<i64>, Vec<String>, i64, i64);
    let found: Vec<Page> = rows
        .into_iter()
        .map(|a| {
            let posts = a.posts.into_iter().map(|p| p.id).collect();
            let tags = a.tags.into_iter().map(|t| t.name).collect();
            (a.id, posts, tags, a.post_count, a.titled)
        })
        .collect();
    let expected: Vec<Page> = data
        .authors()
        .map(|a| {
            let posts = data.posts_of(a);
            let first = posts.iter().map(|p| p.id).min();
            let titled = posts.iter().filter(|p| p.title != "title 00").count();
            (
                a,
                first.into_iter().collect(),
                data.tags_of(a).into_iter().skip(1).collect(),
                i64::try_from(posts.len()).unwrap_or(i64::MAX),
                i64::try_from(titled).unwrap_or(i64::MAX),
            )
        })
        .collect();
    assert_eq!(found, expected);

    Ok(whole)
}

/// Random rows, and random filters, orders and pages of the relations.
mod random {
    use proptest::prelude::*;

    /// The rows of one case: `authors` authors (keys from 1), and the rows pointing at them
    /// by position (an author position past the last is a missing author).
    #[derive(Debug, Clone)]
    pub struct Rows {
        pub authors: i64,
        /// Each post's author and title.
        pub posts: Vec<(i64, &'static str)>,
        /// Each reply's post (by position; past the last, a missing post) and body.
        pub replies: Vec<(usize, &'static str)>,
        /// The authors with a bio (some missing).
        pub bios: Vec<i64>,
        pub drafts: Vec<Option<i64>>,
        /// Author and tag (of three) of each follow.
        pub follows: Vec<(i64, i64)>,
    }

    /// How a load refines its relations.
    #[derive(Debug, Clone)]
    pub struct Refine {
        /// The posts by title (`Some(descending)`), else by key.
        pub post_order: Option<bool>,
        pub post_take: Option<u64>,
        pub post_skip: Option<u64>,
        /// Posts titled other than this only.
        pub post_filter: Option<&'static str>,
        /// The replies by body (`Some(descending)`), else by key.
        pub reply_order: Option<bool>,
        pub reply_take: Option<u64>,
        pub tag_take: Option<u64>,
        pub tag_skip: Option<u64>,
    }

    /// Texts with ties and with case the collations may ignore.
    const TEXTS: [&str; 5] = ["a", "A", "b", "c", "a"];

    fn text() -> impl Strategy<Value = &'static str> {
        prop::sample::select(&TEXTS[..])
    }

    pub fn rows() -> impl Strategy<Value = Rows> {
        (1i64..=5).prop_flat_map(|authors| {
            let author = 1..=authors;
            (
                Just(authors),
                prop::collection::vec((author.clone(), text()), 0..16),
                prop::collection::vec((0usize..20, text()), 0..24),
                prop::collection::btree_set(1..=authors + 1, 0..4),
                prop::collection::vec(prop::option::of(author.clone()), 0..4),
                prop::collection::btree_set((author, 1i64..=3), 0..8),
            )
                .prop_map(|(authors, posts, replies, bios, drafts, follows)| Rows {
                    authors,
                    posts,
                    replies,
                    bios: bios.into_iter().collect(),
                    drafts,
                    follows: follows.into_iter().collect(),
                })
        })
    }

    pub fn refine() -> impl Strategy<Value = Refine> {
        let page = || prop::option::of(0u64..4);
        (
            prop::option::of(any::<bool>()),
            page(),
            page(),
            prop::option::of(text()),
            prop::option::of(any::<bool>()),
            page(),
            page(),
            page(),
        )
            .prop_map(
                |(
                    post_order,
                    post_take,
                    post_skip,
                    post_filter,
                    reply_order,
                    reply_take,
                    tag_take,
                    tag_skip,
                )| {
                    Refine {
                        post_order,
                        post_take,
                        post_skip,
                        post_filter,
                        reply_order,
                        reply_take,
                        tag_take,
                        tag_skip,
                    }
                },
            )
    }
}

/// Replaces the rows of the tables with `rows` (an empty insert writes nothing).
async fn store(db: &Db, rows: &random::Rows) -> Result<(), Error> {
    use shelf::{bio, draft, follow, reply, tag, Bio, Draft, Follow, Reply, Tag};
    Follow::delete_many().exec(db).await?;
    Reply::delete_many().exec(db).await?;
    Draft::delete_many().exec(db).await?;
    Post::delete_many().exec(db).await?;
    Bio::delete_many().exec(db).await?;
    Tag::delete_many().exec(db).await?;
    Author::delete_many().exec(db).await?;
    Author::insert_many((1..=rows.authors).map(|id| author::New {
        id,
        name: format!("author {id}"),
    }))
    .exec(db)
    .await?;
    Tag::insert_many((1..=3).map(|id| tag::New {
        id,
        name: format!("tag {id}"),
    }))
    .exec(db)
    .await?;
    Post::insert_many(
        rows.posts
            .iter()
            .zip(1..)
            .map(|(&(author_id, title), id)| post::New {
                id,
                author_id,
                title: title.to_owned(),
            }),
    )
    .exec(db)
    .await?;
    Reply::insert_many(
        rows.replies
            .iter()
            .zip(1..)
            .map(|(&(post, body), id)| reply::New {
                id,
                // A post past the last is missing.
                post_id: i64::try_from(post).unwrap_or(0) + 1,
                body: body.to_owned(),
            }),
    )
    .exec(db)
    .await?;
    Bio::insert_many(rows.bios.iter().zip(1..).map(|(&author_id, id)| bio::New {
        id,
        author_id,
        text: format!("bio {id}"),
    }))
    .exec(db)
    .await?;
    Draft::insert_many(
        rows.drafts
            .iter()
            .zip(1..)
            .map(|(&author_id, id)| draft::New {
                id,
                author_id,
                title: format!("draft {id}"),
            }),
    )
    .exec(db)
    .await?;
    Follow::insert_many(
        rows.follows
            .iter()
            .zip(1..)
            .map(|(&(author_id, tag_id), id)| follow::New {
                id,
                author_id,
                tag_id,
            }),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// Every author with every relation, refined by `r`, as text.
async fn load_refined(db: &Db, r: &random::Refine) -> Result<String, Error> {
    use shelf::{post, reply, tag};
    let r = r.clone();
    let posts = author::posts.with(move |mut q| {
        q = match r.post_order {
            Some(true) => q.order_by(post::title.desc()),
            Some(false) => q.order_by(post::title.asc()),
            None => q,
        };
        if let Some(n) = r.post_take {
            q = q.take(n);
        }
        if let Some(n) = r.post_skip {
            q = q.skip(n);
        }
        if let Some(title) = r.post_filter {
            q = q.filter(post::title.ne(title));
        }
        q.include(post::replies.with(move |mut q| {
            q = match r.reply_order {
                Some(true) => q.order_by(reply::body.desc()),
                Some(false) => q.order_by(reply::body.asc()),
                None => q,
            };
            match r.reply_take {
                Some(n) => q.take(n),
                None => q,
            }
        }))
    });
    let tags = author::tags.with(move |mut q| {
        if let Some(n) = r.tag_take {
            q = q.take(n);
        }
        if let Some(n) = r.tag_skip {
            q = q.skip(n);
        }
        q.order_by(tag::name.asc())
    });
    let rows = Author::find_many()
        .order_by(author::id.asc())
        .include(author::bio)
        .include(author::drafts)
        .include(tags)
        .include(posts)
        .fetch_all(db)
        .await?;
    Ok(format!("{rows:#?}"))
}

/// Random rows and random refinements: on every backend, the loads of every author read the
/// related tables whole where they may, and return what the same loads by key return.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whole_and_by_key_agree_on_random_rows() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestCaseError, TestRunner};
    let name = "whole and by key agree on random rows";
    // The SQLite run by key is the second database here.
    for backend in crate::support::backends()
        .into_iter()
        .filter(|b| b.whole_table_reads)
    {
        let test_db = crate::support::TestDb::pooled(&backend, name, ConnectOptions::new()).await;
        let whole = test_db.db.clone();
        let by_key = ConnectOptions::new().whole_table_reads(false);
        let by_key = Db::connect_with(&test_db.url, backend.options(by_key))
            .await
            .unwrap_or_else(|e| panic!("[{}] {e}", backend.name));
        whole
            .create_schema(&shelf::schema())
            .await
            .unwrap_or_else(|e| panic!("[{}] {e}", backend.name));
        // `TRELLIS_DIFF_CASES` sets a longer run, as for the differential tests.
        let cases = std::env::var("TRELLIS_DIFF_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(48);
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let handle = tokio::runtime::Handle::current();
        let read_whole = std::sync::atomic::AtomicU64::new(0);
        let outcome = tokio::task::block_in_place(|| {
            runner
                .run(&(random::rows(), random::refine()), |(rows, refine)| {
                    handle
                        .block_on(async {
                            store(&whole, &rows).await?;
                            let before = whole.whole_table_read_count();
                            let found = load_refined(&whole, &refine).await?;
                            read_whole.fetch_add(
                                whole.whole_table_read_count() - before,
                                std::sync::atomic::Ordering::Relaxed,
                            );
                            let expected = load_refined(&by_key, &refine).await?;
                            assert_eq!(by_key.whole_table_read_count(), 0);
                            Ok::<_, Error>((found, expected))
                        })
                        .map_err(|e| TestCaseError::fail(e.to_string()))
                        .and_then(|(found, expected)| {
                            prop_assert_eq!(found, expected);
                            Ok(())
                        })
                })
                .map_err(|e| e.to_string())
        });
        if let Err(e) = outcome {
            panic!("[{}] {e}", backend.name);
        }
        // The whole-table path ran (a single author's relations go by key).
        assert!(read_whole.into_inner() > 0, "[{}]", backend.name);
        by_key.close().await;
        test_db.finish().await;
    }
}

/// Authors with a bio, posts with replies, drafts whose author may be missing, and tags they
/// follow. Bios and replies have no foreign key, so that some point at no row.
mod shelf {
    use trellis::prelude::*;

    #[derive(Model, Debug, Clone, PartialEq)]
    #[model(table = "whole_authors")]
    pub struct Author {
        #[field(id)]
        pub id: i64,
        pub name: String,
        #[relation(has_one = Bio, foreign_key = "author_id")]
        pub bio: HasOne<Bio>,
        #[relation(has_many = Post, foreign_key = "author_id")]
        pub posts: HasMany<Post>,
        #[relation(has_many = Draft, foreign_key = "author_id")]
        pub drafts: HasMany<Draft>,
        #[relation(many_to_many = Tag, through = Follow, from = "author_id", to = "tag_id")]
        pub tags: ManyToMany<Tag>,
    }

    #[derive(Model, Debug, Clone, PartialEq)]
    #[model(table = "whole_bios")]
    pub struct Bio {
        #[field(id)]
        pub id: i64,
        #[field(unique)]
        pub author_id: i64,
        pub text: String,
    }

    #[derive(Model, Debug, Clone, PartialEq)]
    #[model(table = "whole_posts")]
    pub struct Post {
        #[field(id)]
        pub id: i64,
        #[field(references = Author)]
        pub author_id: i64,
        pub title: String,
        #[relation(belongs_to = Author, foreign_key = "author_id")]
        pub author: BelongsTo<Author>,
        #[relation(has_many = Reply, foreign_key = "post_id")]
        pub replies: HasMany<Reply>,
    }

    #[derive(Model, Debug, Clone, PartialEq)]
    #[model(table = "whole_replies")]
    pub struct Reply {
        #[field(id)]
        pub id: i64,
        pub post_id: i64,
        pub body: String,
    }

    #[derive(Model, Debug, Clone, PartialEq)]
    #[model(table = "whole_drafts")]
    pub struct Draft {
        #[field(id)]
        pub id: i64,
        #[field(references = Author)]
        pub author_id: Option<i64>,
        pub title: String,
    }

    #[derive(Model, Debug, Clone, PartialEq)]
    #[model(table = "whole_tags")]
    pub struct Tag {
        #[field(id)]
        pub id: i64,
        pub name: String,
    }

    #[derive(Model, Debug, Clone, PartialEq)]
    #[model(table = "whole_follows")]
    pub struct Follow {
        #[field(id)]
        pub id: i64,
        #[field(references = Author)]
        pub author_id: i64,
        #[field(references = Tag)]
        pub tag_id: i64,
    }

    /// The tables.
    pub fn schema() -> Schema {
        Schema::new()
            .model::<Author>()
            .model::<Bio>()
            .model::<Post>()
            .model::<Reply>()
            .model::<Draft>()
            .model::<Tag>()
            .model::<Follow>()
    }

    /// The rows written, to compute what each load must return.
    pub struct Data {
        pub posts: Vec<post::New>,
        pub bios: Vec<bio::New>,
        pub replies: Vec<reply::New>,
        pub drafts: Vec<draft::New>,
        pub follows: Vec<(i64, i64)>,
    }

    /// Authors 1 to 4; 99 is no author.
    pub const AUTHORS: i64 = 4;
    const MISSING: i64 = 99;

    impl Data {
        pub fn authors(&self) -> impl Iterator<Item = i64> {
            1..=AUTHORS
        }

        pub fn post(&self, id: i64) -> Option<&post::New> {
            self.posts.iter().find(|p| p.id == id)
        }

        pub fn posts_of(&self, author: i64) -> Vec<&post::New> {
            self.posts
                .iter()
                .filter(|p| p.author_id == author)
                .collect()
        }

        /// A post's reply bodies, in order.
        pub fn replies_of(&self, post: i64) -> Vec<String> {
            let mut bodies: Vec<String> = self
                .replies
                .iter()
                .filter(|r| r.post_id == post)
                .map(|r| r.body.clone())
                .collect();
            bodies.sort();
            bodies
        }

        /// The names of the tags an author follows, by tag key.
        pub fn tags_of(&self, author: i64) -> Vec<String> {
            let mut tags: Vec<i64> = self
                .follows
                .iter()
                .filter(|(a, _)| *a == author)
                .map(|(_, t)| *t)
                .collect();
            tags.sort_unstable();
            tags.into_iter().map(|t| format!("tag {t}")).collect()
        }
    }

    /// Creates the tables and writes the rows, each table's rows in the opposite order of
    /// their keys, with titles and bodies in yet another order.
    pub async fn write(db: &Db) -> Result<Data, Error> {
        db.create_schema(&schema()).await?;
        Author::insert_many((1..=AUTHORS).rev().map(|id| author::New {
            id,
            name: format!("author {id}"),
        }))
        .exec(db)
        .await?;
        Tag::insert_many((1..=3).rev().map(|id| tag::New {
            id,
            name: format!("tag {id}"),
        }))
        .exec(db)
        .await?;
        let data = Data {
            // Authors 1 to 3 have four posts each; author 4 has none.
            posts: (1..=12)
                .rev()
                .map(|id| post::New {
                    id,
                    author_id: 1 + id % 3,
                    title: format!("title {:02}", (id * 5) % 12),
                })
                .collect(),
            // Author 4 has no bio; one bio is of no author.
            bios: [(1, 2), (2, 1), (3, 3), (4, MISSING)]
                .into_iter()
                .map(|(id, author_id)| bio::New {
                    id,
                    author_id,
                    text: format!("bio {id}"),
                })
                .collect(),
            // Three replies per post, and two of no post.
            replies: (1..=38)
                .rev()
                .map(|id| reply::New {
                    id,
                    post_id: if id > 36 { 900 + id } else { 1 + id % 12 },
                    body: format!("reply {:02}", (id * 7) % 38),
                })
                .collect(),
            drafts: [Some(1), None, Some(2), None, Some(1)]
                .into_iter()
                .zip(1..)
                .map(|(author_id, id)| draft::New {
                    id,
                    author_id,
                    title: format!("draft {id}"),
                })
                .collect(),
            follows: vec![(1, 3), (1, 2), (2, 1), (3, 3), (3, 1), (3, 2)],
        };
        Post::insert_many(data.posts.clone()).exec(db).await?;
        Bio::insert_many(data.bios.clone()).exec(db).await?;
        Reply::insert_many(data.replies.clone()).exec(db).await?;
        Draft::insert_many(data.drafts.clone()).exec(db).await?;
        Follow::insert_many(
            data.follows
                .iter()
                .zip(1..)
                .map(|(&(author_id, tag_id), id)| follow::New {
                    id,
                    author_id,
                    tag_id,
                }),
        )
        .exec(db)
        .await?;
        Ok(data)
    }
}
