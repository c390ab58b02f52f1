//! Relations loaded for every row of a table read the related table whole
//! (`ConnectOptions::whole_table_reads`), and return what looking each parent's rows up by
//! key returns: pages, orders and filters per parent, rows of no parent left out.

use trellis::prelude::*;
use trellis::{ConnectOptions, Dialect};

use crate::support::backend_tests;
use shelf::{author, post, Author, Post};

backend_tests!(relations_of_every_row_load_as_by_key);

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
/// `belongs_to`; the first post of each author (by key but on MySQL, a page in key order)
/// and a page of tags (through the join model: by key on PostgreSQL only).
fn whole_reads(dialect: Dialect) -> [u64; LOADS] {
    match dialect {
        Dialect::Sqlite => [3, 2, 0, 1, 2, 0, 1],
        Dialect::MySql => [3, 2, 0, 1, 2, 0, 2],
        Dialect::Postgres => [2, 2, 0, 1, 2, 0, 0],
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

    // Every author's first post, and the tags after the first.
    let before = db.whole_table_read_count();
    let rows = Author::find_many()
        .order_by(author::id.asc())
        .select(select!(Author { id, posts(take = 1) { id }, tags(skip = 1) { name } }))
        .fetch_all(db)
        .await?;
    count(6, before);
    let found: Vec<(i64, Vec<i64>, Vec<String>)> = rows
        .into_iter()
        .map(|a| {
            let posts = a.posts.into_iter().map(|p| p.id).collect();
            (a.id, posts, a.tags.into_iter().map(|t| t.name).collect())
        })
        .collect();
    let expected: Vec<(i64, Vec<i64>, Vec<String>)> = data
        .authors()
        .map(|a| {
            let first = data.posts_of(a).iter().map(|p| p.id).min();
            (
                a,
                first.into_iter().collect(),
                data.tags_of(a).into_iter().skip(1).collect(),
            )
        })
        .collect();
    assert_eq!(found, expected);

    Ok(whole)
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

    /// The rows written, to compute what each load must return.
    pub struct Data {
        pub posts: Vec<post::New>,
        pub bios: Vec<bio::New>,
        pub replies: Vec<reply::New>,
        pub drafts: Vec<draft::New>,
        pub follows: Vec<(i64, i64)>,
    }

    /// Authors 1 to 4; 99 is no author.
    const AUTHORS: i64 = 4;
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
        db.create_schema(
            &Schema::new()
                .model::<Author>()
                .model::<Bio>()
                .model::<Post>()
                .model::<Reply>()
                .model::<Draft>()
                .model::<Tag>()
                .model::<Follow>(),
        )
        .await?;
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
