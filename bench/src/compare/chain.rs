//! The `chain` workloads: users, each with posts, each with comments, all loaded, ordered by
//! key at every level.

use serde::Deserialize;
use trellis::prelude::*;

use super::{fetch, fetch_level, group, Ctx, Imp, Keys, Result};

/// A user of the chain.
#[derive(Model, Debug, Clone)]
#[model(table = "chain_users")]
pub struct User {
    /// The primary key.
    #[field(id)]
    pub id: i64,
    /// The user's name.
    pub name: String,
    /// The user's posts, once loaded.
    #[relation(has_many = Post, foreign_key = "user_id")]
    pub posts: HasMany<Post>,
}

/// A post of a user.
#[derive(Model, Debug, Clone)]
#[model(table = "chain_posts")]
pub struct Post {
    /// The primary key.
    #[field(id)]
    pub id: i64,
    /// The author.
    #[field(references = User)]
    pub user_id: i64,
    /// The text.
    pub body: String,
    /// The post's comments, once loaded.
    #[relation(has_many = Comment, foreign_key = "post_id")]
    pub comments: HasMany<Comment>,
}

/// A comment on a post.
#[derive(Model, Debug, Clone)]
#[model(table = "chain_comments")]
pub struct Comment {
    /// The primary key.
    #[field(id)]
    pub id: i64,
    /// The post commented on.
    #[field(references = Post)]
    pub post_id: i64,
    /// The text.
    pub body: String,
}

/// A user as every implementation returns it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UserOut {
    /// The key.
    pub id: i64,
    /// The name.
    pub name: String,
    /// The posts, by key.
    pub posts: Vec<PostOut>,
}

/// A post as every implementation returns it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PostOut {
    /// The key.
    pub id: i64,
    /// The text.
    pub body: String,
    /// The comments, by key.
    pub comments: Vec<CommentOut>,
}

/// A comment as every implementation returns it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CommentOut {
    /// The key.
    pub id: i64,
    /// The text.
    pub body: String,
}

fn schema() -> Schema {
    Schema::new()
        .model::<User>()
        .model::<Post>()
        .model::<Comment>()
}

/// Drops and refills the chain's tables: `users` users, each with `per` posts, each with `per`
/// comments.
pub async fn seed(db: &Db, users: i64, per: i64) -> Result<()> {
    db.drop_schema(&schema()).await?;
    db.create_schema(&schema()).await?;
    User::insert_many((1..=users).map(|u| user::New {
        id: u,
        name: format!("user {u}"),
    }))
    .exec(db)
    .await?;
    Post::insert_many((1..=users).flat_map(|u| {
        (0..per).map(move |p| post::New {
            // Keys interleave users, so that no level comes back in its parents' order by luck.
            id: p * users + u,
            user_id: u,
            body: format!("post {p} of user {u}: some text of a typical length for a post"),
        })
    }))
    .exec(db)
    .await?;
    let posts = users * per;
    Comment::insert_many((1..=posts).flat_map(|p| {
        (0..per).map(move |c| comment::New {
            id: c * posts + p,
            post_id: p,
            body: format!("comment {c} on post {p}, a short reply"),
        })
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// Loads every user with its posts and their comments.
pub async fn load(ctx: &Ctx, imp: Imp) -> Result<Vec<UserOut>> {
    match imp {
        Imp::HandIn | Imp::HandPerRequest | Imp::HandOneConnection => {
            by_level(ctx, Keys::List).await
        }
        Imp::HandOneParam => by_level(ctx, Keys::One).await,
        Imp::HandJson => json_per_root(ctx).await,
        Imp::TrellisSelect => with_select(&ctx.db).await,
        Imp::TrellisSelectInTurn => with_select(&ctx.db_in_turn).await,
        Imp::TrellisSelectByKey => with_select(&ctx.db_by_key).await,
        Imp::TrellisInclude => with_include(&ctx.db).await,
    }
}

async fn with_select(db: &Db) -> Result<Vec<UserOut>> {
    let users = User::find_many()
        .order_by(user::id.asc())
        .select(select!(User {
            id,
            name,
            posts(order_by = id.asc()) {
                id,
                body,
                comments(order_by = id.asc()) { id, body }
            }
        }))
        .fetch_all(db)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| UserOut {
            id: u.id,
            name: u.name,
            posts: u
                .posts
                .into_iter()
                .map(|p| PostOut {
                    id: p.id,
                    body: p.body,
                    comments: p
                        .comments
                        .into_iter()
                        .map(|c| CommentOut {
                            id: c.id,
                            body: c.body,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect())
}

async fn with_include(db: &Db) -> Result<Vec<UserOut>> {
    let users = User::find_many()
        .order_by(user::id.asc())
        .include(user::posts.with(|q| {
            q.order_by(post::id.asc())
                .include(post::comments.with(|q| q.order_by(comment::id.asc())))
        }))
        .fetch_all(db)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| UserOut {
            id: u.id,
            name: u.name,
            posts: u
                .posts
                .into_loaded()
                .unwrap_or_default()
                .into_iter()
                .map(|p| PostOut {
                    id: p.id,
                    body: p.body,
                    comments: p
                        .comments
                        .into_loaded()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|c| CommentOut {
                            id: c.id,
                            body: c.body,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect())
}

async fn by_level(ctx: &Ctx, how: Keys) -> Result<Vec<UserOut>> {
    let mut users = fetch(
        &ctx.pool,
        "SELECT id, name FROM chain_users ORDER BY id".to_owned(),
        &[],
        |r| {
            Ok(UserOut {
                id: r.int(0)?,
                name: r.text(1)?,
                posts: Vec::new(),
            })
        },
    )
    .await?;
    let user_ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let posts = fetch_level(
        ctx,
        how,
        "SELECT user_id, id, body FROM chain_posts WHERE user_id{keys} ORDER BY id",
        &user_ids,
        |r| {
            Ok((
                r.int(0)?,
                PostOut {
                    id: r.int(1)?,
                    body: r.text(2)?,
                    comments: Vec::new(),
                },
            ))
        },
    )
    .await?;
    let post_ids: Vec<i64> = posts.iter().map(|(_, p)| p.id).collect();
    let comments = fetch_level(
        ctx,
        how,
        "SELECT post_id, id, body FROM chain_comments WHERE post_id{keys} ORDER BY id",
        &post_ids,
        |r| {
            Ok((
                r.int(0)?,
                CommentOut {
                    id: r.int(1)?,
                    body: r.text(2)?,
                },
            ))
        },
    )
    .await?;
    let mut comments = group(comments);
    let mut posts = group(
        posts
            .into_iter()
            .map(|(user, mut post)| {
                post.comments = comments.remove(&post.id).unwrap_or_default();
                (user, post)
            })
            .collect(),
    );
    for user in &mut users {
        user.posts = posts.remove(&user.id).unwrap_or_default();
    }
    Ok(users)
}

/// One statement: each root row is one JSON array `[id, name, [[post id, body, [[comment id,
/// body], ..]], ..]]`, built by correlated subqueries, ordered inside the aggregates.
const JSON_PER_ROOT: &str = "SELECT json_array(u.id, u.name, json((\
        SELECT json_group_array(json_array(p.id, p.body, json((\
            SELECT json_group_array(json_array(c.id, c.body) ORDER BY c.id) \
            FROM chain_comments c WHERE c.post_id = p.id))) ORDER BY p.id) \
        FROM chain_posts p WHERE p.user_id = u.id))) \
    FROM chain_users u ORDER BY u.id";

async fn json_per_root(ctx: &Ctx) -> Result<Vec<UserOut>> {
    let docs = fetch(&ctx.pool, JSON_PER_ROOT.to_owned(), &[], |r| r.text(0)).await?;
    docs.iter()
        .map(|doc| Ok(serde_json::from_str::<UserOut>(doc)?))
        .collect()
}
