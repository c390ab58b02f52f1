//! Composite primary keys: a join model keyed by its two foreign keys, as `#[field(id)]` on
//! both. Its table, its rows by their whole key, and the relations through it and to it. And
//! indexes of several columns (`#[model(unique(..), index(..))]`).

use trellis::prelude::*;

use crate::support::backend_tests;

backend_tests!(
    a_composite_key_is_the_tables_primary_key,
    rows_are_found_updated_and_deleted_by_their_whole_key,
    relations_load_through_and_to_a_model_with_a_composite_key,
    nested_writes_through_a_composite_join_model,
    indexes_of_several_columns_are_created_and_enforced,
);

/// A seat, numbered within its row of a room.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "cp_seats", unique(room, row, number), index(label, room))]
pub struct Seat {
    #[field(id, auto)]
    pub id: i64,
    pub room: String,
    pub row: i32,
    pub number: i32,
    pub label: String,
}

fn seat(room: &str, row: i32, number: i32) -> seat::New {
    seat::New {
        room: room.to_owned(),
        row,
        number,
        label: format!("{room}{row}-{number}"),
    }
}

async fn indexes_of_several_columns_are_created_and_enforced(db: Db) -> Result<(), Error> {
    let schema = Schema::new().model::<Seat>();
    db.create_schema(&schema).await?;
    let catalog = trellis::migrate::read_catalog(&db).await?;
    let table = catalog.table("cp_seats").expect("the table is created");
    let mut indexes: Vec<(Vec<&str>, bool)> = table
        .indexes
        .iter()
        .map(|i| (i.columns.iter().map(String::as_str).collect(), i.unique))
        .collect();
    indexes.sort();
    assert_eq!(
        indexes,
        [
            (vec!["label", "room"], false),
            (vec!["room", "row", "number"], true)
        ]
    );
    // The models' indexes are the database's: no migration to write.
    let next = trellis::migrate::next(&db, &schema).await?;
    assert!(next.is_empty(), "{}", next.sql);

    Seat::insert_many([
        seat("a", 1, 1),
        seat("a", 1, 2),
        seat("a", 2, 1),
        seat("b", 1, 1),
    ])
    .exec(&db)
    .await?;
    let again = Seat::insert(seat("a", 1, 2)).exec(&db).await;
    assert!(
        matches!(again, Err(Error::UniqueViolation { .. })),
        "{again:?}"
    );
    assert_eq!(Seat::count().fetch(&db).await?, 4);

    // A database without them gets them from the next migration.
    for index in &table.indexes {
        let drop = match db.dialect() {
            trellis::Dialect::MySql => format!("DROP INDEX {} ON cp_seats", index.name),
            _ => format!("DROP INDEX {}", index.name),
        };
        db.execute_raw(&drop, []).await?;
    }
    let next = trellis::migrate::next(&db, &schema).await?;
    assert!(
        next.sql.contains("uq_cp_seats_room_row_number")
            && next.sql.contains("idx_cp_seats_label_room"),
        "{}",
        next.sql
    );
    Ok(())
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "cp_posts")]
pub struct Post {
    #[field(id)]
    pub id: i64,
    pub title: String,
    #[relation(many_to_many = Tag, through = PostTag, from = "post_id", to = "tag_id")]
    pub tags: ManyToMany<Tag>,
    #[relation(has_many = PostTag, foreign_key = "post_id")]
    pub taggings: HasMany<PostTag>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "cp_tags")]
pub struct Tag {
    #[field(id)]
    pub id: String,
    #[relation(many_to_many = Post, through = PostTag, from = "tag_id", to = "post_id")]
    pub posts: ManyToMany<Post>,
}

/// A post's tag: the join model, keyed by the pair of its foreign keys.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "cp_post_tags")]
pub struct PostTag {
    #[field(id, references = Post, on_delete = "cascade")]
    pub post_id: i64,
    #[field(id, references = Tag)]
    pub tag_id: String,
    #[field(default = "1")]
    pub weight: i32,
    pub note: Option<String>,
    #[relation(belongs_to = Post, foreign_key = "post_id")]
    pub post: BelongsTo<Post>,
    #[relation(belongs_to = Tag, foreign_key = "tag_id")]
    pub tag: BelongsTo<Tag>,
}

fn schema() -> Schema {
    Schema::new()
        .model::<PostTag>()
        .model::<Post>()
        .model::<Tag>()
}

fn tagging(post_id: i64, tag_id: &str, weight: i32) -> PostTag {
    PostTag {
        post_id,
        tag_id: tag_id.to_owned(),
        weight,
        note: None,
        post: Default::default(),
        tag: Default::default(),
    }
}

/// Posts 1 and 2, tags a, b and c; post 1 tagged a (weight 1) and b (2), post 2 tagged a (3).
async fn setup(db: &Db) -> Result<(), Error> {
    db.create_schema(&schema()).await?;
    Post::insert_many([1, 2, 3].map(|id| post::New {
        id,
        title: format!("Post {id}"),
    }))
    .exec(db)
    .await?;
    Tag::insert_many(["a", "b", "c"].map(|id| tag::New { id: id.into() }))
        .exec(db)
        .await?;
    PostTag::insert_many([tagging(1, "a", 1), tagging(1, "b", 2), tagging(2, "a", 3)])
        .exec(db)
        .await?;
    Ok(())
}

fn keys(rows: &[PostTag]) -> Vec<(i64, &str, i32)> {
    rows.iter()
        .map(|r| (r.post_id, r.tag_id.as_str(), r.weight))
        .collect()
}

async fn a_composite_key_is_the_tables_primary_key(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let catalog = trellis::migrate::read_catalog(&db).await?;
    let table = catalog
        .tables
        .iter()
        .find(|t| t.name == "cp_post_tags")
        .expect("the join table is created");
    assert_eq!(table.primary_key, ["post_id", "tag_id"]);
    // The key's index serves lookups by `post_id`; `tag_id` gets one of its own.
    let indexed: Vec<&[String]> = table.indexes.iter().map(|i| &i.columns[..]).collect();
    assert!(indexed.contains(&&["tag_id".to_owned()][..]), "{indexed:?}");
    assert!(
        !indexed.contains(&&["post_id".to_owned()][..]),
        "{indexed:?}"
    );
    // The same pair twice is refused; the same post with another tag is not.
    let again = PostTag::insert(tagging(1, "a", 9)).exec(&db).await;
    assert!(
        matches!(again, Err(Error::UniqueViolation { .. })),
        "{again:?}"
    );
    PostTag::insert(tagging(1, "c", 4)).exec(&db).await?;
    assert_eq!(PostTag::count().fetch(&db).await?, 4);
    // A migration of the models to this database has nothing to do.
    let next = trellis::migrate::next(&db, &schema()).await?;
    assert!(next.is_empty(), "{}", next.sql);
    Ok(())
}

async fn rows_are_found_updated_and_deleted_by_their_whole_key(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let found = PostTag::find_by_id((1, "b".to_owned()))
        .fetch_one(&db)
        .await?;
    assert_eq!(
        (found.post_id, found.tag_id.as_str(), found.weight),
        (1, "b", 2)
    );
    assert!(PostTag::find_by_id((2, "b".to_owned()))
        .fetch_optional(&db)
        .await?
        .is_none());

    // An update by key changes that row only, not the others of the same post or tag.
    let updated = PostTag::update_by_id((1, "a".to_owned()))
        .set(post_tag::weight, 5)
        .exec(&db)
        .await?;
    assert_eq!(updated.weight, 5);
    let order = || {
        PostTag::find_many()
            .order_by(post_tag::post_id.asc())
            .order_by(post_tag::tag_id.asc())
    };
    assert_eq!(
        keys(&order().fetch_all(&db).await?),
        [(1, "a", 5), (1, "b", 2), (2, "a", 3)]
    );

    // A `New` row leaves `weight` to the database's default, and comes back as stored.
    let stored = PostTag::insert_many([
        post_tag::New {
            post_id: 2,
            tag_id: "b".into(),
            note: Some("new".into()),
        },
        post_tag::New {
            post_id: 3,
            tag_id: "b".into(),
            note: None,
        },
    ])
    .exec(&db)
    .await?;
    assert_eq!(keys(&stored), [(2, "b", 1), (3, "b", 1)]);
    assert_eq!(stored[0].note.as_deref(), Some("new"));

    // An upsert conflicts on the whole key: it updates (2, a) and inserts (3, a).
    let upserted = PostTag::upsert_many([tagging(2, "a", 7), tagging(3, "a", 8)])
        .exec(&db)
        .await?;
    assert_eq!(keys(&upserted), [(2, "a", 7), (3, "a", 8)]);

    // A delete by key removes that row only.
    PostTag::delete_by_id((1, "b".to_owned())).exec(&db).await?;
    assert_eq!(
        keys(&order().fetch_all(&db).await?),
        [
            (1, "a", 5),
            (2, "a", 7),
            (2, "b", 1),
            (3, "a", 8),
            (3, "b", 1)
        ]
    );
    Ok(())
}

async fn relations_load_through_and_to_a_model_with_a_composite_key(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let posts = Post::find_many()
        .order_by(post::id.asc())
        .select(select!(Post {
            id,
            tags(order_by = id.asc()) { id, posts(order_by = id.asc()) { id } },
            taggings { tag_id, weight, tag { id } },
        }))
        .fetch_all(&db)
        .await?;
    let read: Vec<_> = posts
        .iter()
        .map(|p| {
            let tags: Vec<_> = p
                .tags
                .iter()
                .map(|t| {
                    (
                        t.id.as_str(),
                        t.posts.iter().map(|p| p.id).collect::<Vec<_>>(),
                    )
                })
                .collect();
            // The rows of the join model come in key order: (post, tag).
            let taggings: Vec<_> = p
                .taggings
                .iter()
                .map(|t| (t.tag_id.as_str(), t.weight, t.tag.id.as_str()))
                .collect();
            (p.id, tags, taggings)
        })
        .collect();
    assert_eq!(
        read,
        [
            (
                1,
                vec![("a", vec![1, 2]), ("b", vec![1])],
                vec![("a", 1, "a"), ("b", 2, "b")]
            ),
            (2, vec![("a", vec![1, 2])], vec![("a", 3, "a")]),
            (3, vec![], vec![]),
        ]
    );

    // One page per post, by weight: the composite key breaks no tie here, and the pages
    // are each post's own.
    let pages = Post::find_many()
        .order_by(post::id.asc())
        .select(select!(Post { id, taggings(take = 1, order_by = weight.desc()) { tag_id } }))
        .fetch_all(&db)
        .await?;
    let firsts: Vec<_> = pages
        .iter()
        .map(|p| {
            p.taggings
                .iter()
                .map(|t| t.tag_id.clone())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(firsts, [vec!["b".to_owned()], vec!["a".to_owned()], vec![]]);

    // Filters through the join model and on the model itself.
    let tagged_b = Post::find_many()
        .filter(post::tags.some(tag::id.eq("b")))
        .fetch_all(&db)
        .await?;
    assert_eq!(tagged_b.iter().map(|p| p.id).collect::<Vec<_>>(), [1]);
    let heavy = PostTag::find_many()
        .filter(post_tag::post.is(post::title.eq("Post 2")))
        .fetch_all(&db)
        .await?;
    assert_eq!(keys(&heavy), [(2, "a", 3)]);
    Ok(())
}

async fn nested_writes_through_a_composite_join_model(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    // Connecting writes join rows keyed by the pair; the weight is the database's default.
    let created = Post::create(post::New {
        id: 4,
        title: "Post 4".into(),
    })
    .with(post::tags::connect(
        "b",
        post::tags::New {
            note: Some("via b".into()),
        },
    ))
    .with(post::tags::connect("c", post::tags::New { note: None }))
    .exec(&db)
    .await?;
    assert_eq!(created.tags.rows().len(), 2);
    let rows = PostTag::find_many()
        .filter(post_tag::post_id.eq(4))
        .order_by(post_tag::tag_id.asc())
        .fetch_all(&db)
        .await?;
    assert_eq!(keys(&rows), [(4, "b", 1), (4, "c", 1)]);
    assert_eq!(rows[0].note.as_deref(), Some("via b"));

    // Disconnecting deletes the one join row.
    Post::update_by_id(4)
        .with(post::tags::disconnect("b"))
        .exec(&db)
        .await?;
    let left = PostTag::find_many()
        .filter(post_tag::post_id.eq(4))
        .fetch_all(&db)
        .await?;
    assert_eq!(keys(&left), [(4, "c", 1)]);

    // A row of the join model cannot be named by one key value: pointing one at another
    // post through its belongs_to is a typed error, and nothing is written.
    let refused = PostTag::update_by_id((4, "c".to_owned()))
        .set(post_tag::weight, 9)
        .with(post_tag::post::connect(1))
        .exec(&db)
        .await;
    assert!(
        matches!(&refused, Err(Error::InvalidQuery(m)) if m.contains("composite")),
        "{refused:?}"
    );
    assert_eq!(
        keys(
            &PostTag::find_many()
                .filter(post_tag::post_id.eq(4))
                .fetch_all(&db)
                .await?
        ),
        [(4, "c", 1)]
    );
    Ok(())
}
