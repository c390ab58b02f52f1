//! A page per parent over many parents, on tables the database has no statistics of (just
//! loaded; on PostgreSQL with autovacuum off for them): 70,000 authors and 70,000 posts, each
//! author's last post by key. A plan that walked the primary key's index backwards once per
//! parent, hoping to meet that parent's row, read some 2.5 billion rows (222 s); each
//! parent's rows are looked up by the foreign key instead, on every backend.

use std::time::{Duration, Instant};

use trellis::prelude::*;
use trellis::{Dialect, Value};

use crate::support::backend_tests;

backend_tests!(the_last_post_of_each_of_70_000_authors_without_statistics);

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "scale_authors")]
pub struct Author {
    #[field(id)]
    pub id: i64,
    pub name: String,
    #[relation(has_many = Post, foreign_key = "author_id")]
    pub posts: HasMany<Post>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "scale_posts")]
pub struct Post {
    #[field(id)]
    pub id: i64,
    #[field(references = Author)]
    pub author_id: i64,
    pub title: String,
}

const AUTHORS: i64 = 70_000;

/// Post `p` is author `AUTHORS + 1 - p`'s only post: in key order, the posts run against the
/// authors, so no author's post is near the end of the primary key's index.
fn author_of(post: i64) -> i64 {
    AUTHORS + 1 - post
}

async fn the_last_post_of_each_of_70_000_authors_without_statistics(db: Db) -> Result<(), Error> {
    db.create_schema(&Schema::new().model::<Author>().model::<Post>())
        .await?;
    if db.dialect() == Dialect::Postgres {
        // Whatever the server's setting: no statistics are gathered during the test.
        for table in ["scale_authors", "scale_posts"] {
            let table = db.dialect().quote(table);
            db.execute_raw(
                &format!("ALTER TABLE {table} SET (autovacuum_enabled = false)"),
                [],
            )
            .await?;
        }
    }
    Author::insert_many((1..=AUTHORS).map(|id| author::New {
        id,
        name: format!("author {id}"),
    }))
    .exec(&db)
    .await?;
    Post::insert_many((1..=AUTHORS).map(|id| post::New {
        id,
        author_id: author_of(id),
        title: format!("post {id}"),
    }))
    .exec(&db)
    .await?;

    let started = Instant::now();
    let authors = tokio::time::timeout(
        Duration::from_secs(60),
        Author::find_many()
            .order_by(author::id.asc())
            .include(author::posts.with(|q| q.order_by(post::id.desc()).take(1)))
            .fetch_all(&db),
    )
    .await
    .unwrap_or_else(|_| panic!("70,000 pages of one post did not load within a minute"))?;
    let included = started.elapsed();
    assert_eq!(authors.len(), AUTHORS as usize);
    for author in &authors {
        let posts: Vec<i64> = author
            .posts
            .get()
            .unwrap_or_default()
            .iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(posts, [AUTHORS + 1 - author.id], "author {}", author.id);
    }

    // The same through `select!`, for authors with a filter (so by key on every backend).
    let started = Instant::now();
    let selected = tokio::time::timeout(
        Duration::from_secs(60),
        Author::find_many()
            .filter(author::id.gt(0))
            .select(select!(Author { id, posts(order_by = id.desc(), take = 1) { id } }))
            .fetch_all(&db),
    )
    .await
    .unwrap_or_else(|_| panic!("70,000 selected pages did not load within a minute"))?;
    let by_select = started.elapsed();
    assert_eq!(selected.len(), AUTHORS as usize);
    assert!(selected
        .iter()
        .all(|a| a.posts.iter().map(|p| p.id).eq([AUTHORS + 1 - a.id])));
    eprintln!(
        "[{:?}] 70,000 authors' last posts: include {included:?}, select! {by_select:?}",
        db.dialect()
    );

    if db.dialect() == Dialect::Postgres {
        // The plan PostgreSQL makes for the statement: each author's posts through the
        // foreign key's index, never a walk of the primary key's index in the page's order.
        let keys: Vec<Value> = (1..=AUTHORS).map(Value::I64).collect();
        let order = [post::id.desc().into_term()];
        let stmt = trellis::sql::render_related(
            Dialect::Postgres,
            &trellis::sql::RelatedQuery {
                target: Post::META,
                columns: &["id"],
                key_column: "author_id",
                join: None,
                keys: &keys,
                filter: None,
                order_by: &order,
                take: Some(1),
                skip: None,
                single: false,
                every_parent: false,
                key_range: None,
            },
        );
        let plan: Vec<String> = db
            .fetch_raw(&format!("EXPLAIN {}", stmt.sql), stmt.params)
            .await?
            .iter()
            .map(|row| <String as trellis::FieldType>::decode(row, 0))
            .collect::<Result<_, _>>()
            .map_err(|e| Error::InvalidQuery(e.to_string()))?;
        let plan = plan.join("\n");
        assert!(plan.contains("idx_scale_posts_author_id"), "{plan}");
        assert!(!plan.contains("Backward"), "{plan}");
    }
    Ok(())
}
