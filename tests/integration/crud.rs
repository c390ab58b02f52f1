//! Insert, find, update, delete and count.

use trellis::prelude::*;

use crate::models::{schema, session, user, Order, Session, User};
use crate::support::backend_tests;

backend_tests!(
    insert_returns_stored_row_and_find_reads_it_back,
    insert_many_keeps_order_and_fills_generated_keys,
    insert_many_splits_under_the_parameter_limit,
    find_many_filters_orders_and_pages,
    find_unique_and_first,
    update_by_filter_and_by_key,
    delete_by_filter_and_by_key,
    count_and_exists,
    reserved_words_as_names,
    where_struct_filters_by_equality,
    cursor_pagination_follows_the_order,
);

async fn setup(db: &Db) -> Result<(), Error> {
    db.create_schema(&schema()).await
}

async fn insert_returns_stored_row_and_find_reads_it_back(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let ada = user("ada", Some(36));
    let stored = User::insert(ada.clone()).exec(&db).await?;
    assert_eq!(stored, ada);
    assert_eq!(User::find_by_id("ada").fetch_one(&db).await?, ada);
    assert_eq!(User::find_by_id("nobody").fetch_optional(&db).await?, None);
    let missing = User::find_by_id("nobody").fetch_one(&db).await;
    assert!(
        matches!(missing, Err(Error::NotFound { model: "User" })),
        "{missing:?}"
    );
    Ok(())
}

async fn insert_many_keeps_order_and_fills_generated_keys(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    User::insert(user("ada", None)).exec(&db).await?;
    let tokens = ["c", "a", "b"];
    let sessions = tokens.map(|t| crate::models::session::New {
        user_id: "ada".into(),
        token: t.into(),
    });
    let stored = Session::insert_many(sessions).exec(&db).await?;
    assert_eq!(
        stored.iter().map(|s| s.token.as_str()).collect::<Vec<_>>(),
        tokens
    );
    let ids: Vec<i64> = stored.iter().map(|s| s.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase: {ids:?}");
    assert!(ids[0] > 0);
    // The returned keys are the stored ones.
    for s in &stored {
        assert_eq!(&Session::find_by_id(s.id).fetch_one(&db).await?, s);
    }
    assert!(Session::insert_many(Vec::<Session>::new())
        .exec(&db)
        .await?
        .is_empty());
    Ok(())
}

async fn insert_many_splits_under_the_parameter_limit(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    User::insert(user("ada", None)).exec(&db).await?;
    // Two written columns per row: more rows than one statement can bind on every backend.
    let n = db.dialect().max_params() / 2 + 10;
    let stored = Session::insert_many((0..n).map(|i| session("ada", &format!("t{i:06}"))))
        .exec(&db)
        .await?;
    assert_eq!(stored.len(), n);
    assert_eq!(Session::count().fetch(&db).await?, n as i64);
    let last = &stored[n - 1];
    assert_eq!(last.token, format!("t{:06}", n - 1));
    assert_eq!(&Session::find_by_id(last.id).fetch_one(&db).await?, last);
    Ok(())
}

async fn find_many_filters_orders_and_pages(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let users = vec![
        user("a", Some(30)),
        user("b", Some(20)),
        user("c", None),
        user("d", Some(40)),
        user("e", Some(20)),
    ];
    User::insert_many(users.clone()).exec(&db).await?;
    let ids = |list: Vec<User>| list.into_iter().map(|u| u.id).collect::<Vec<_>>();

    let by_age = User::find_many()
        .filter(crate::models::user::age.is_not_null())
        .order_by(crate::models::user::age.desc())
        .order_by(crate::models::user::id.asc())
        .fetch_all(&db)
        .await?;
    assert_eq!(ids(by_age), ["d", "a", "b", "e"]);

    let page = User::find_many()
        .order_by(crate::models::user::id.asc())
        .skip(1)
        .take(2)
        .fetch_all(&db)
        .await?;
    assert_eq!(ids(page), ["b", "c"]);

    let rest = User::find_many()
        .order_by(crate::models::user::id.asc())
        .skip(3)
        .fetch_all(&db)
        .await?;
    assert_eq!(ids(rest), ["d", "e"]);

    let twenty = User::find_many()
        .filter(crate::models::user::age.eq(Some(20)))
        .order_by(crate::models::user::id.desc())
        .fetch_all(&db)
        .await?;
    assert_eq!(ids(twenty), ["e", "b"]);

    let no_age = User::find_many()
        .filter(crate::models::user::age.eq(None))
        .fetch_all(&db)
        .await?;
    assert_eq!(ids(no_age), ["c"]);

    let several = User::find_many()
        .filter(crate::models::user::id.in_(["a", "c", "zz"]))
        .filter(not(crate::models::user::id.eq("c")))
        .fetch_all(&db)
        .await?;
    assert_eq!(ids(several), ["a"]);

    let none = User::find_many()
        .filter(crate::models::user::id.in_(Vec::<String>::new()))
        .fetch_all(&db)
        .await?;
    assert!(none.is_empty());
    let all = User::find_many()
        .filter(crate::models::user::id.not_in(Vec::<String>::new()))
        .fetch_all(&db)
        .await?;
    assert_eq!(all.len(), users.len());

    let either = User::find_many()
        .filter(
            crate::models::user::age
                .gt(Some(35))
                .or(crate::models::user::age.lt(Some(25))),
        )
        .order_by(crate::models::user::id.asc())
        .fetch_all(&db)
        .await?;
    assert_eq!(ids(either), ["b", "d", "e"]);
    Ok(())
}

async fn find_unique_and_first(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    User::insert_many([user("a", Some(3)), user("b", Some(1))])
        .exec(&db)
        .await?;
    let b = User::find_unique(crate::models::user::email, "b@example.com")
        .fetch_one(&db)
        .await?;
    assert_eq!(b.id, "b");
    let youngest = User::find_first()
        .order_by(crate::models::user::age.asc())
        .fetch_optional(&db)
        .await?;
    assert_eq!(youngest.map(|u| u.id).as_deref(), Some("b"));
    let nobody = User::find_first()
        .filter(crate::models::user::name.eq("nobody"))
        .fetch_optional(&db)
        .await?;
    assert_eq!(nobody, None);
    Ok(())
}

async fn update_by_filter_and_by_key(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    User::insert_many([user("a", Some(1)), user("b", Some(1)), user("c", Some(5))])
        .exec(&db)
        .await?;
    let matched = User::update_many()
        .filter(crate::models::user::age.eq(Some(1)))
        .set(crate::models::user::name, "young")
        .set(crate::models::user::age, None)
        .exec(&db)
        .await?;
    assert_eq!(matched, 2);
    let young = User::find_many()
        .filter(crate::models::user::name.eq("young"))
        .order_by(crate::models::user::id.asc())
        .fetch_all(&db)
        .await?;
    assert_eq!(
        young
            .iter()
            .map(|u| (u.id.as_str(), u.age))
            .collect::<Vec<_>>(),
        [("a", None), ("b", None)]
    );
    assert_eq!(User::find_by_id("c").fetch_one(&db).await?.name, "User c");

    let c = User::update_by_id("c")
        .set(crate::models::user::age, Some(6))
        .exec(&db)
        .await?;
    assert_eq!(c.age, Some(6));
    assert_eq!(User::find_by_id("c").fetch_one(&db).await?, c);

    let missing = User::update_by_id("zz")
        .set(crate::models::user::age, Some(1))
        .exec(&db)
        .await;
    assert!(
        matches!(missing, Err(Error::NotFound { .. })),
        "{missing:?}"
    );

    let empty = User::update_many().exec(&db).await;
    assert!(matches!(empty, Err(Error::InvalidQuery(_))), "{empty:?}");
    Ok(())
}

async fn delete_by_filter_and_by_key(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    User::insert_many([user("a", Some(1)), user("b", Some(2)), user("c", Some(3))])
        .exec(&db)
        .await?;
    let deleted = User::delete_many()
        .filter(crate::models::user::age.gte(Some(2)))
        .exec(&db)
        .await?;
    assert_eq!(deleted, 2);
    User::delete_by_id("a").exec(&db).await?;
    assert_eq!(User::count().fetch(&db).await?, 0);
    let again = User::delete_by_id("a").exec(&db).await;
    assert!(
        matches!(again, Err(Error::NotFound { model: "User" })),
        "{again:?}"
    );
    Ok(())
}

async fn count_and_exists(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    assert_eq!(User::count().fetch(&db).await?, 0);
    assert!(!User::count().exists(&db).await?);
    User::insert_many([user("a", Some(1)), user("b", Some(2)), user("c", None)])
        .exec(&db)
        .await?;
    assert_eq!(User::count().fetch(&db).await?, 3);
    let older = User::count()
        .filter(crate::models::user::age.gt(Some(1)))
        .fetch(&db)
        .await?;
    assert_eq!(older, 1);
    assert!(
        User::count()
            .filter(crate::models::user::age.is_null())
            .exists(&db)
            .await?
    );
    Ok(())
}

async fn reserved_words_as_names(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let stored = Order::insert_many([
        Order {
            id: 0,
            select: "it's \"quoted\" `too`".into(),
            from: Some(7),
        },
        Order {
            id: 0,
            select: "plain".into(),
            from: None,
        },
    ])
    .exec(&db)
    .await?;
    let found = Order::find_many()
        .filter(crate::models::order::from.eq(Some(7)))
        .order_by(crate::models::order::select.asc())
        .fetch_all(&db)
        .await?;
    assert_eq!(found, stored[..1]);
    Order::update_by_id(stored[1].id)
        .set(crate::models::order::from, Some(8))
        .exec(&db)
        .await?;
    assert_eq!(
        Order::count()
            .filter(crate::models::order::from.is_not_null())
            .fetch(&db)
            .await?,
        2
    );
    Ok(())
}

async fn where_struct_filters_by_equality(db: Db) -> Result<(), Error> {
    use trellis::input::{FieldFilter, TextFilter};
    setup(&db).await?;
    User::insert_many([user("a", Some(1)), user("b", Some(1)), user("c", None)])
        .exec(&db)
        .await?;
    let ids = |users: Vec<User>| users.into_iter().map(|u| u.id).collect::<Vec<_>>();
    let found = User::find_many()
        .filter(crate::models::user::Where {
            age: Some(FieldFilter::equals(Some(1))),
            name: Some(TextFilter::equals("User b".to_owned())),
            ..Default::default()
        })
        .fetch_all(&db)
        .await?;
    assert_eq!(ids(found), ["b"]);
    let everyone = User::count()
        .filter(crate::models::user::Where::default())
        .fetch(&db)
        .await?;
    assert_eq!(everyone, 3);

    // The same struct from JSON: operators, null as IS NULL, AND/OR/NOT, relation filters.
    let from_json = |json: &str| -> crate::models::user::Where {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    };
    let cases = [
        (r#"{"age": {"equals": null}}"#, vec!["c"]),
        (
            r#"{"age": {"gte": 1}, "name": {"ends_with": "A", "mode": "insensitive"}}"#,
            vec!["a"],
        ),
        (
            r#"{"OR": [{"id": {"equals": "a"}}, {"id": {"in": ["c"]}}]}"#,
            vec!["a", "c"],
        ),
        (
            r#"{"NOT": {"age": {"equals": 1}}, "age": {"not": null}}"#,
            vec![],
        ),
        (r#"{"OR": []}"#, vec![]),
        (
            r#"{"sessions": {"none": {}}, "email": {"contains": "@example"}}"#,
            vec!["a", "b", "c"],
        ),
    ];
    for (json, expected) in cases {
        let found = User::find_many()
            .filter(from_json(json))
            .order_by(crate::models::user::id.asc())
            .fetch_all(&db)
            .await?;
        assert_eq!(ids(found), expected, "{json}");
    }
    // Unknown keys are rejected, at any depth.
    for json in [
        r#"{"agee": {"equals": 1}}"#,
        r#"{"age": {"equal": 1}}"#,
        r#"{"sessions": {"any": {}}}"#,
    ] {
        let err = serde_json::from_str::<crate::models::user::Where>(json)
            .map(|_| ())
            .unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{json}: {err}");
    }
    Ok(())
}

async fn cursor_pagination_follows_the_order(db: Db) -> Result<(), Error> {
    use crate::models::user as u;
    setup(&db).await?;
    User::insert_many([
        user("a", Some(30)),
        user("b", Some(20)),
        user("c", Some(20)),
        user("d", Some(40)),
        user("e", Some(10)),
    ])
    .exec(&db)
    .await?;
    let ids = |users: Vec<User>| users.into_iter().map(|u| u.id).collect::<Vec<_>>();
    // Ties on age are broken by the cursor's column.
    let after_b = User::find_many()
        .order_by(u::age.asc())
        .cursor(u::id, "b")
        .fetch_all(&db)
        .await?;
    assert_eq!(ids(after_b), ["c", "a", "d"]);
    let after_c = User::find_many()
        .order_by(u::age.desc())
        .cursor(u::id, "c")
        .fetch_all(&db)
        .await?;
    assert_eq!(ids(after_c), ["e"]);

    // Paging through everything, two at a time.
    let mut pages = Vec::new();
    let mut last: Option<String> = None;
    loop {
        let mut page = User::find_many().order_by(u::age.asc()).take(2);
        if let Some(last) = &last {
            page = page.cursor(u::email, format!("{last}@example.com"));
        }
        let page = ids(page.fetch_all(&db).await?);
        if page.is_empty() {
            break;
        }
        last = page.last().cloned();
        pages.push(page);
    }
    assert_eq!(pages, [vec!["e", "b"], vec!["c", "a"], vec!["d"]]);

    // With a selection, and with filters.
    let selected = User::find_many()
        .filter(u::age.gt(Some(10)))
        .order_by(u::id.desc())
        .cursor(u::id, "c")
        .select(select!(User { id }))
        .fetch_all(&db)
        .await?;
    assert_eq!(
        selected.into_iter().map(|s| s.id).collect::<Vec<_>>(),
        ["b", "a"]
    );

    let missing = User::find_many().cursor(u::id, "zz").fetch_all(&db).await;
    assert!(
        matches!(missing, Err(Error::NotFound { .. })),
        "{missing:?}"
    );
    User::update_by_id("a").set(u::age, None).exec(&db).await?;
    let null_key = User::find_many()
        .order_by(u::age.asc())
        .cursor(u::id, "a")
        .fetch_all(&db)
        .await;
    assert!(
        matches!(null_key, Err(Error::InvalidQuery(_))),
        "{null_key:?}"
    );
    Ok(())
}
