//! Filters on the number of rows a relation leads to: `author::books.count().gt(1)`, and
//! `{"books": {"_count": {"gt": 1}}}` in a `Where`, on the root and inside a relation.

use trellis::prelude::*;

use crate::support::backend_tests;

backend_tests!(
    rows_are_filtered_by_how_many_related_rows_they_have,
    a_where_filters_by_a_relation_count,
);

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "rc_authors")]
pub struct Author {
    #[field(id)]
    pub id: i64,
    #[relation(has_many = Book, foreign_key = "author_id")]
    pub books: HasMany<Book>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "rc_books")]
pub struct Book {
    #[field(id)]
    pub id: i64,
    #[field(references = Author)]
    pub author_id: i64,
    pub title: String,
    #[relation(has_many = Review, foreign_key = "book_id")]
    pub reviews: HasMany<Review>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "rc_reviews")]
pub struct Review {
    #[field(id)]
    pub id: i64,
    #[field(references = Book)]
    pub book_id: i64,
}

/// Author `a` has `a - 1` books (0 to 3); book `b` has `b % 3` reviews.
async fn setup(db: &Db) -> Result<(), Error> {
    db.create_schema(
        &Schema::new()
            .model::<Author>()
            .model::<Book>()
            .model::<Review>(),
    )
    .await?;
    Author::insert_many((1..=4).map(|id| author::New { id }))
        .exec(db)
        .await?;
    let mut books = Vec::new();
    for a in 1..=4_i64 {
        for n in 1..a {
            books.push(book::New {
                id: a * 10 + n,
                author_id: a,
                title: format!("book {n} of {a}"),
            });
        }
    }
    Book::insert_many(books.clone()).exec(db).await?;
    let reviews: Vec<review::New> = books
        .iter()
        .flat_map(|b| {
            (0..b.id % 3).map(move |r| review::New {
                id: b.id * 10 + r,
                book_id: b.id,
            })
        })
        .collect();
    Review::insert_many(reviews).exec(db).await?;
    Ok(())
}

async fn ids(db: &Db, filter: Filter<Author>) -> Result<Vec<i64>, Error> {
    let rows = Author::find_many()
        .filter(filter)
        .order_by(author::id.asc())
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|a| a.id).collect())
}

async fn rows_are_filtered_by_how_many_related_rows_they_have(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    assert_eq!(ids(&db, author::books.count().gt(1)).await?, [3, 4]);
    assert_eq!(ids(&db, author::books.count().eq(0)).await?, [1]);
    assert_eq!(ids(&db, author::books.count().ne(2)).await?, [1, 2, 4]);
    assert_eq!(ids(&db, author::books.count().lte(1)).await?, [1, 2]);
    assert_eq!(
        ids(
            &db,
            author::books
                .count()
                .gte(1)
                .and(author::books.count().lt(3))
        )
        .await?,
        [2, 3]
    );
    // Inside a relation's filter: the authors with a book of two reviews or more.
    assert_eq!(
        ids(&db, author::books.some(book::reviews.count().gte(2))).await?,
        [3, 4]
    );
    // And in a selection's relation filter, per parent.
    let read = Author::find_many()
        .order_by(author::id.asc())
        .select(select!(Author {
            id,
            reviewed: books(where = reviews.count().gt(0), order_by = id.asc()) { id },
        }))
        .fetch_all(&db)
        .await?;
    let reviewed: Vec<Vec<i64>> = read
        .iter()
        .map(|a| a.reviewed.iter().map(|b| b.id).collect())
        .collect();
    // Books 21, 31, 32, 41, 42, 43: 21 % 3 = 0, 31 -> 1, 32 -> 2, 41 -> 2, 42 -> 0, 43 -> 1.
    assert_eq!(reviewed, [vec![], vec![], vec![31, 32], vec![41, 43]]);
    Ok(())
}

async fn a_where_filters_by_a_relation_count(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let read = |json: &str| -> Filter<Author> {
        let filter: author::Where = serde_json::from_str(json).expect("the filter reads");
        filter.into()
    };
    assert_eq!(
        ids(&db, read(r#"{"books": {"_count": {"gt": 1}}}"#)).await?,
        [3, 4]
    );
    assert_eq!(
        ids(&db, read(r#"{"books": {"_count": {"in": [0, 3]}}}"#)).await?,
        [1, 4]
    );
    assert_eq!(
        ids(
            &db,
            read(r#"{"books": {"_count": {"gte": 1}, "some": {"reviews": {"_count": {"equals": 2}}}}}"#)
        )
        .await?,
        [3, 4]
    );
    // A misspelt key names the ones a relation filter takes.
    let wrong = serde_json::from_str::<author::Where>(r#"{"books": {"count": {"gt": 1}}}"#)
        .expect_err("an unknown key");
    assert!(
        wrong
            .to_string()
            .contains("unknown field `count`, expected one of `some`, `every`, `none`, `_count`"),
        "{wrong}"
    );
    Ok(())
}
