//! Snapshots of the SQL Trellis renders, per dialect. Rendering is a pure function, so these
//! need no database.

use trellis::prelude::*;
use trellis::sql::{
    create_table, render_insert, render_insert_returning, render_upsert, Dialect, OnConflict,
};

use crate::models::{order, user, Order, Profile, User};
use trellis::Value;

fn sql_of(find: trellis::query::Find<User>, dialect: Dialect) -> (String, usize) {
    let stmt = find.to_statement(dialect);
    (stmt.sql, stmt.params.len())
}

#[test]
fn select_with_filter_order_and_paging() {
    let find = || {
        User::find_many()
            .filter(user::age.gt(Some(18)).and(user::name.ne("x")))
            .order_by(user::email.desc())
            .take(10)
            .skip(20)
    };
    assert_eq!(
        sql_of(find(), Dialect::Postgres),
        (
            r#"SELECT "id", "email", "name", "age" FROM "users" WHERE ("age" > $1 AND "name" <> $2) ORDER BY "email" DESC LIMIT $3 OFFSET $4"#.to_owned(),
            4
        )
    );
    assert_eq!(
        sql_of(find(), Dialect::MySql).0,
        "SELECT `id`, `email`, `name`, `age` FROM `users` WHERE (`age` > ? AND `name` <> ?) ORDER BY `email` DESC LIMIT ? OFFSET ?"
    );
}

#[test]
fn skip_without_take_per_dialect() {
    let sql = |d| sql_of(User::find_many().skip(5), d).0;
    assert!(sql(Dialect::Sqlite).ends_with(r#"FROM "users" LIMIT -1 OFFSET ?"#));
    assert!(sql(Dialect::Postgres).ends_with(r#"FROM "users" OFFSET $1"#));
    assert!(sql(Dialect::MySql).ends_with("FROM `users` LIMIT 18446744073709551615 OFFSET ?"));
}

#[test]
fn values_never_enter_the_sql_text() {
    let hostile = "'; DROP TABLE users; --";
    let (sql, params) = sql_of(
        User::find_many().filter(user::name.eq(hostile)),
        Dialect::Sqlite,
    );
    assert_eq!(
        sql,
        r#"SELECT "id", "email", "name", "age" FROM "users" WHERE "name" = ?"#
    );
    assert_eq!(params, 1);
}

#[test]
fn empty_in_lists_and_nulls() {
    let sql = |f: Filter<User>| sql_of(User::find_many().filter(f), Dialect::Postgres).0;
    assert!(sql(user::id.in_(Vec::<String>::new())).ends_with("WHERE 1=0"));
    assert!(sql(user::id.not_in(Vec::<String>::new())).ends_with("WHERE 1=1"));
    assert!(sql(user::age.eq(None)).ends_with(r#"WHERE "age" IS NULL"#));
    assert!(sql(not(user::age.ne(None))).ends_with(r#"WHERE NOT ("age" IS NOT NULL)"#));
    assert!(sql(user::id.in_(["a", "b"])).ends_with(r#"WHERE "id" IN ($1, $2)"#));
}

#[test]
fn identifiers_are_quoted_and_escaped() {
    assert_eq!(Dialect::Postgres.quote(r#"we"ird"#), r#""we""ird""#);
    assert_eq!(Dialect::MySql.quote("we`ird"), "`we``ird`");
    let find = Order::find_many().filter(order::select.eq("x"));
    assert_eq!(
        find.to_statement(Dialect::MySql).sql,
        "SELECT `group`, `select`, `from` FROM `order` WHERE `select` = ?"
    );
}

#[test]
fn insert_leaves_generated_keys_out_and_returns_rows() {
    let columns = Order::META.insert_columns(true);
    let stmt = render_insert(
        Dialect::Postgres,
        Order::META,
        &columns,
        vec![vec![], vec![]],
        true,
    );
    assert!(
        stmt.sql
            .starts_with(r#"INSERT INTO "order" ("select", "from") VALUES"#),
        "{}",
        stmt.sql
    );
    assert!(
        stmt.sql.ends_with(r#"RETURNING "group", "select", "from""#),
        "{}",
        stmt.sql
    );
}

#[test]
fn insert_of_many_rows_returning_the_key_alone_per_dialect() {
    let columns = Order::META.insert_columns(false);
    let rows = || {
        (0..3)
            .map(|i| vec![Value::Text(format!("s{i}")), Value::I64(i)])
            .collect::<Vec<_>>()
    };
    let sql = |d| render_insert_returning(d, Order::META, &columns, rows(), &["group"]);
    let postgres = sql(Dialect::Postgres);
    assert_eq!(
        postgres.sql,
        r#"INSERT INTO "order" ("select", "from") VALUES ($1, $2), ($3, $4), ($5, $6) RETURNING "group""#
    );
    assert_eq!(postgres.params.len(), 6);
    assert_eq!(
        sql(Dialect::Sqlite).sql,
        r#"INSERT INTO "order" ("select", "from") VALUES (?, ?), (?, ?), (?, ?) RETURNING "group""#
    );
    let mysql = sql(Dialect::MySql);
    assert_eq!(
        mysql.sql,
        "INSERT INTO `order` (`select`, `from`) VALUES (?, ?), (?, ?), (?, ?) RETURNING `group`"
    );
    // The values bound in order, row after row.
    assert_eq!(
        format!("{:?}", mysql.params),
        format!("{:?}", rows().concat())
    );
    // Without `RETURNING`, for writes that read nothing back.
    assert_eq!(
        render_insert(Dialect::Sqlite, Order::META, &columns, rows(), false).sql,
        r#"INSERT INTO "order" ("select", "from") VALUES (?, ?), (?, ?), (?, ?)"#
    );
}

#[test]
fn upsert_per_dialect() {
    let columns = User::META.insert_columns(false);
    let conflict = OnConflict {
        target: vec!["email"],
        update: vec!["name", "age"],
    };
    let sql = |d| {
        render_upsert(
            d,
            User::META,
            &columns,
            vec![vec![]],
            &conflict,
            d != Dialect::MySql,
        )
        .sql
    };
    assert_eq!(
        sql(Dialect::Postgres),
        r#"INSERT INTO "users" ("id", "email", "name", "age") VALUES () ON CONFLICT ("email") DO UPDATE SET "name" = excluded."name", "age" = excluded."age" RETURNING "id", "email", "name", "age""#
    );
    assert_eq!(
        sql(Dialect::Sqlite),
        r#"INSERT INTO "users" ("id", "email", "name", "age") VALUES () ON CONFLICT ("email") DO UPDATE SET "name" = excluded."name", "age" = excluded."age" RETURNING "id", "email", "name", "age""#
    );
    assert_eq!(
        sql(Dialect::MySql),
        "INSERT INTO `users` (`id`, `email`, `name`, `age`) VALUES () ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `age` = VALUES(`age`)"
    );
}

#[test]
fn ddl_per_dialect() {
    let sql = |d| {
        create_table(d, Profile::META)
            .into_iter()
            .map(|s| s.sql)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        sql(Dialect::Postgres),
        [
            r#"CREATE TABLE IF NOT EXISTS "profiles" ("id" TEXT NOT NULL PRIMARY KEY, "user_id" TEXT NOT NULL UNIQUE, "bio" TEXT, CONSTRAINT "fk_profiles_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE)"#
        ]
    );
    assert_eq!(
        sql(Dialect::MySql),
        // Text keys compare byte for byte; other text is unbounded.
        ["CREATE TABLE IF NOT EXISTS `profiles` (`id` VARCHAR(255) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY, `user_id` VARCHAR(255) COLLATE utf8mb4_bin NOT NULL UNIQUE, `bio` LONGTEXT, CONSTRAINT `fk_profiles_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE) DEFAULT CHARSET=utf8mb4"]
    );
    let sessions = create_table(Dialect::Sqlite, crate::models::Session::META);
    assert_eq!(
        sessions.iter().map(|s| s.sql.as_str()).collect::<Vec<_>>(),
        [
            r#"CREATE TABLE IF NOT EXISTS "sessions" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "userId" TEXT NOT NULL, "token" TEXT NOT NULL, CONSTRAINT "fk_sessions_userId" FOREIGN KEY ("userId") REFERENCES "users" ("id"))"#,
            r#"CREATE INDEX IF NOT EXISTS "idx_sessions_userId" ON "sessions" ("userId")"#,
        ]
    );
    let orders = create_table(Dialect::Postgres, Order::META);
    assert!(
        orders[0]
            .sql
            .contains(r#""group" INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"#),
        "{}",
        orders[0].sql
    );
    let _ = User::META;
}

#[test]
fn text_matches_escape_pattern_characters_per_dialect() {
    let render = |f: Filter<User>, d| {
        let stmt = User::find_many().filter(f).to_statement(d);
        (stmt.sql, format!("{:?}", stmt.params))
    };
    let (sql, params) = render(user::name.starts_with("50%_!"), Dialect::Postgres);
    assert!(sql.ends_with(r#"WHERE "name" LIKE $1 ESCAPE '!'"#), "{sql}");
    assert_eq!(params, r#"["50!%!_!!%"]"#);
    // A substring search takes the needle as it is.
    let (sql, params) = render(user::name.contains("50%_!"), Dialect::Postgres);
    assert!(
        sql.ends_with(r#"WHERE POSITION($1 IN "name") > 0"#),
        "{sql}"
    );
    assert_eq!(params, r#"["50%_!"]"#);
    // SQLite: functions Trellis registers, which take the needle as it is (no pattern) and
    // compare every byte, NUL included.
    let (sql, params) = render(user::name.starts_with("[a]*\0"), Dialect::Sqlite);
    assert!(
        sql.ends_with(r#"WHERE trellis_starts_with("name", ?)"#),
        "{sql}"
    );
    assert_eq!(params, r#"["[a]*\0"]"#);
    let (sql, _) = render(user::name.contains_ignore_case("x"), Dialect::Sqlite);
    assert!(
        sql.ends_with(r#"WHERE trellis_contains(trellis_lower("name"), trellis_lower(?))"#),
        "{sql}"
    );
    let (sql, _) = render(user::name.contains_ignore_case("x"), Dialect::MySql);
    assert!(
        sql.ends_with("WHERE POSITION(LOWER(?) IN LOWER(`name`) COLLATE utf8mb4_bin) > 0"),
        "{sql}"
    );
    let (sql, _) = render(user::name.starts_with_ignore_case("x"), Dialect::MySql);
    assert!(
        sql.ends_with("WHERE LOWER(`name`) COLLATE utf8mb4_bin LIKE LOWER(?) ESCAPE '!'"),
        "{sql}"
    );
    // A suffix is compared at the end only, not tried at every position of the text.
    let (sql, params) = render(user::name.ends_with_ignore_case("x%"), Dialect::MySql);
    assert!(
        sql.ends_with(
            "WHERE RIGHT(LOWER(`name`), CHAR_LENGTH(LOWER(?))) COLLATE utf8mb4_bin LIKE LOWER(?) ESCAPE '!'"
        ),
        "{sql}"
    );
    assert_eq!(params, r#"["x%", "x!%"]"#);
    let (sql, params) = render(user::name.ends_with("x_"), Dialect::Postgres);
    assert!(
        sql.ends_with(r#"WHERE RIGHT("name", CHAR_LENGTH($1)) LIKE $2 ESCAPE '!'"#),
        "{sql}"
    );
    assert_eq!(params, r#"["x_", "x!_"]"#);
}

#[test]
fn related_rows_are_paged_per_parent() {
    use trellis::sql::{render_related, RelatedQuery};
    let keys = [
        trellis::Value::Text("a".into()),
        trellis::Value::Text("b".into()),
    ];
    let stmt = render_related(
        Dialect::Postgres,
        &RelatedQuery {
            target: crate::models::Session::META,
            columns: &[],
            key_column: "userId",
            join: None,
            keys: &keys,
            filter: None,
            order_by: &[crate::models::session::token.desc().into_term()],
            take: Some(5),
            skip: None,
            single: false,
            every_parent: false,
            key_range: None,
        },
    );
    // PostgreSQL: a `LATERAL` page per key, each parent's rows found through the key column's
    // index first (the inner `OFFSET 0`: whatever the planner's statistics, it never walks
    // another index hoping to meet a parent's rows), then sorted and cut with `LIMIT`, each
    // page in its order (the nested loop keeps it; no sort of the whole); the keys go as one
    // array parameter, and each row comes back with the position of the key it was asked for.
    assert_eq!(
        stmt.sql,
        r#"SELECT "w".* FROM unnest($1) WITH ORDINALITY AS "k"("v", "i") CROSS JOIN LATERAL (SELECT "t"."id", "t"."userId", "t"."token", "k"."i" AS "__trellis_key" FROM (SELECT "t".* FROM "sessions" AS "t" WHERE "t"."userId" = "k"."v" OFFSET 0) AS "t" ORDER BY "t"."token" DESC, "t"."id" ASC LIMIT $2 OFFSET $3) AS "w""#
    );
    assert_eq!(format!("{:?}", stmt.params), r#"[Text(["a", "b"]), 5, 0]"#);
    // A key column the model gives no index (here `token`): a lookup per parent would scan
    // the table once per parent, so a window numbers every parent's rows in one pass.
    let unindexed = render_related(
        Dialect::Postgres,
        &RelatedQuery {
            target: crate::models::Session::META,
            columns: &["id"],
            key_column: "token",
            join: None,
            keys: &keys,
            filter: None,
            order_by: &[],
            take: Some(1),
            skip: None,
            single: false,
            every_parent: false,
            key_range: None,
        },
    );
    assert_eq!(
        unindexed.sql,
        r#"SELECT * FROM (SELECT "t"."id", "k"."i" AS "__trellis_key", ROW_NUMBER() OVER (PARTITION BY "k"."i" ORDER BY "t"."id" ASC) AS "__trellis_rn" FROM "sessions" AS "t" JOIN unnest($1) WITH ORDINALITY AS "k"("v", "i") ON "t"."token" = "k"."v" WHERE "t"."token" = ANY($2)) AS "w" WHERE "w"."__trellis_rn" > $3 AND "w"."__trellis_rn" <= $4 ORDER BY "w"."__trellis_key", "w"."__trellis_rn""#
    );
    // MySQL: a window numbers each parent's rows.
    let paged = |dialect| {
        render_related(
            dialect,
            &RelatedQuery {
                target: crate::models::Session::META,
                columns: &["token"],
                key_column: "userId",
                join: None,
                keys: &keys,
                filter: None,
                order_by: &[crate::models::session::token.desc().into_term()],
                take: Some(5),
                skip: Some(1),
                single: false,
                every_parent: false,
                key_range: None,
            },
        )
    };
    let mysql = paged(Dialect::MySql);
    assert_eq!(
        mysql.sql,
        "SELECT * FROM (SELECT `t`.`token`, `k`.`i` AS `__trellis_key`, ROW_NUMBER() OVER (PARTITION BY `k`.`i` ORDER BY `t`.`token` DESC, `t`.`id` ASC) AS `__trellis_rn` FROM `sessions` AS `t` JOIN JSON_TABLE(?, '$[*]' COLUMNS (`i` FOR ORDINALITY, `v` LONGTEXT PATH '$')) AS `k` ON `t`.`userId` = `k`.`v`) AS `w` WHERE `w`.`__trellis_rn` > ? AND `w`.`__trellis_rn` <= ? ORDER BY `w`.`__trellis_key`, `w`.`__trellis_rn`"
    );
    assert_eq!(format!("{:?}", mysql.params), r#"["[\"a\",\"b\"]", 1, 6]"#);
    // SQLite: each key's page picked by a correlated subquery through the key column's
    // index, sorted and cut with `LIMIT`/`OFFSET` (SQLite has no `LATERAL`).
    let sqlite_paged = paged(Dialect::Sqlite);
    assert_eq!(
        sqlite_paged.sql,
        r#"SELECT "t"."token", "k"."key" AS "__trellis_key" FROM json_each(?) AS "k" JOIN "sessions" AS "t" ON "t"."id" IN (SELECT "t"."id" FROM "sessions" AS "t" WHERE "t"."userId" = "k"."value" ORDER BY "t"."token" DESC, "t"."id" ASC LIMIT ? OFFSET ?) ORDER BY "k"."key", "t"."token" DESC, "t"."id" ASC"#
    );
    assert_eq!(
        format!("{:?}", sqlite_paged.params),
        r#"["[\"a\",\"b\"]", 5, 1]"#
    );
    let sqlite = render_related(
        Dialect::Sqlite,
        &RelatedQuery {
            target: crate::models::Session::META,
            columns: &["token"],
            key_column: "userId",
            join: None,
            keys: &keys,
            filter: None,
            order_by: &[],
            take: None,
            skip: None,
            single: false,
            every_parent: false,
            key_range: None,
        },
    );
    assert_eq!(
        sqlite.sql,
        r#"SELECT "t"."token", "k"."key" AS "__trellis_key" FROM "sessions" AS "t" JOIN json_each(?) AS "k" ON "t"."userId" = "k"."value" ORDER BY "t"."id" ASC"#
    );
    // SQLite, integer keys: compared the same under any collation, so filtered by value and
    // ordered by the key column first, the order its index reads rows in (no sort for an
    // integer primary key); paged with the correlated subquery, the key by value.
    let int_keys = [trellis::Value::I64(1), trellis::Value::I64(2)];
    let by_value = |take| {
        render_related(
            Dialect::Sqlite,
            &RelatedQuery {
                target: crate::models::Session::META,
                columns: &["token"],
                key_column: "userId",
                join: None,
                keys: &int_keys,
                filter: None,
                order_by: &[],
                take,
                skip: None,
                single: false,
                every_parent: false,
                key_range: None,
            },
        )
    };
    assert_eq!(
        by_value(None).sql,
        r#"SELECT "t"."token", "t"."userId" AS "__trellis_key" FROM "sessions" AS "t" WHERE "t"."userId" IN (SELECT value FROM json_each(?)) ORDER BY "t"."userId", "t"."id" ASC"#
    );
    assert_eq!(format!("{:?}", by_value(None).params), r#"["[1,2]"]"#);
    assert_eq!(
        by_value(Some(3)).sql,
        r#"SELECT "t"."token", "k"."value" AS "__trellis_key" FROM json_each(?) AS "k" JOIN "sessions" AS "t" ON "t"."id" IN (SELECT "t"."id" FROM "sessions" AS "t" WHERE "t"."userId" = "k"."value" ORDER BY "t"."id" ASC LIMIT ? OFFSET ?) ORDER BY "k"."key", "t"."id" ASC"#
    );
    assert!(!trellis::sql::pages_in_loader(
        Dialect::Sqlite,
        &RelatedQuery {
            keys: &int_keys,
            take: Some(3),
            ..session_query(&[])
        }
    ));
    // Paged in another order than the key's: SQLite sorts each parent's rows as it reads them
    // through the key column's index, and the loader keeps each parent's page as the rows
    // arrive (no `LIMIT` in the statement, no correlated subquery).
    let ordered = RelatedQuery {
        keys: &int_keys,
        order_by: &[crate::models::session::token.desc().into_term()],
        take: Some(3),
        skip: Some(1),
        ..session_query(&["token"])
    };
    assert!(trellis::sql::pages_in_loader(Dialect::Sqlite, &ordered));
    assert_eq!(
        render_related(Dialect::Sqlite, &ordered).sql,
        r#"SELECT "t"."token", "t"."userId" AS "__trellis_key" FROM "sessions" AS "t" WHERE "t"."userId" IN (SELECT value FROM json_each(?)) ORDER BY "t"."userId", "t"."token" DESC, "t"."id" ASC"#
    );
    // Elsewhere, and on SQLite for one parent, the statement cuts the page.
    for (dialect, keys) in [
        (Dialect::Postgres, &int_keys[..]),
        (Dialect::MySql, &int_keys[..]),
        (Dialect::Sqlite, &int_keys[..1]),
        (Dialect::Sqlite, &keys[..]),
    ] {
        let q = RelatedQuery { keys, ..ordered };
        assert!(!trellis::sql::pages_in_loader(dialect, &q), "{dialect:?}");
        let sql = render_related(dialect, &q).sql;
        assert!(
            sql.contains("LIMIT") || sql.contains("ROW_NUMBER()"),
            "{sql}"
        );
    }
    assert_eq!(format!("{:?}", sqlite.params), r#"["[\"a\",\"b\"]"]"#);
    // PostgreSQL, many parents, in the order of the target's integer key: no `ORDER BY` (the
    // rows stream as the scan finds them), the key read again for the loader to sort by.
    let by_key = RelatedQuery {
        keys: &int_keys,
        ..session_query(&["token"])
    };
    assert!(trellis::sql::orders_in_loader(Dialect::Postgres, &by_key));
    assert_eq!(
        render_related(Dialect::Postgres, &by_key).sql,
        r#"SELECT "t"."token", "t"."userId" AS "__trellis_key", CAST("t"."id" AS BIGINT) AS "__trellis_order" FROM "sessions" AS "t" WHERE "t"."userId" >= $1 AND "t"."userId" <= $2"#
    );
    assert_eq!(trellis::sql::selected_order_key(&by_key), None);
    // A selection that reads the key: the loader sorts by that column.
    let with_key = RelatedQuery {
        columns: &["id", "token"],
        ..by_key
    };
    assert_eq!(trellis::sql::selected_order_key(&with_key), Some(0));
    assert_eq!(
        render_related(Dialect::Postgres, &with_key).sql,
        r#"SELECT "t"."id", "t"."token", "t"."userId" AS "__trellis_key" FROM "sessions" AS "t" WHERE "t"."userId" >= $1 AND "t"."userId" <= $2"#
    );
    // Another order, a page, one parent, or another backend: the statement orders the rows.
    let by_token = [crate::models::session::token.asc().into_term()];
    for (dialect, q) in [
        (
            Dialect::Postgres,
            RelatedQuery {
                order_by: &by_token,
                ..by_key
            },
        ),
        (
            Dialect::Postgres,
            RelatedQuery {
                take: Some(2),
                ..by_key
            },
        ),
        (
            Dialect::Postgres,
            RelatedQuery {
                keys: &int_keys[..1],
                ..by_key
            },
        ),
        (Dialect::MySql, RelatedQuery { ..by_key }),
        (Dialect::Sqlite, RelatedQuery { ..by_key }),
    ] {
        assert!(!trellis::sql::orders_in_loader(dialect, &q), "{dialect:?}");
        let sql = render_related(dialect, &q).sql;
        assert!(
            sql.contains("ORDER BY") && !sql.contains("__trellis_order"),
            "{sql}"
        );
    }
}

/// A related query on sessions by `userId`, every option off.
fn session_query(columns: &'static [&'static str]) -> trellis::sql::RelatedQuery<'static> {
    trellis::sql::RelatedQuery {
        target: crate::models::Session::META,
        columns,
        key_column: "userId",
        join: None,
        keys: &[],
        filter: None,
        order_by: &[],
        take: None,
        skip: None,
        single: false,
        every_parent: false,
        key_range: None,
    }
}

/// The parents every row of their table (`every_parent`): the statement reads the target's
/// table whole, narrowed by the relation's filter, in the page's order but not by parent, with
/// no keys bound; the loader keeps the keys' rows and cuts the pages. Anything else looks the
/// keys up.
#[test]
fn relations_of_every_parent_read_the_whole_table() {
    use trellis::sql::{pages_in_loader, reads_whole_table, render_related, RelatedQuery};
    let keys = [trellis::Value::I64(1), trellis::Value::I64(2)];
    let every = RelatedQuery {
        keys: &keys,
        every_parent: true,
        key_range: None,
        ..session_query(&["token"])
    };
    assert!(reads_whole_table(Dialect::Sqlite, &every));
    let stmt = render_related(Dialect::Sqlite, &every);
    assert_eq!(
        stmt.sql,
        r#"SELECT "t"."token", "t"."userId" AS "__trellis_key" FROM "sessions" AS "t" ORDER BY "t"."id" ASC"#
    );
    assert!(stmt.params.is_empty());
    // Counted per parent, the same way.
    assert_eq!(
        trellis::sql::render_related_aggregate(
            Dialect::Sqlite,
            &every,
            trellis::filter::Aggregate::Count
        )
        .sql,
        r#"SELECT "t"."userId" AS "__trellis_key", COUNT(*) FROM "sessions" AS "t" GROUP BY "t"."userId""#
    );
    // The parents every row of a range of keys (a chunk of a stream in key order): the
    // range of the key column, bound, before the relation's filter; counted the same way.
    let not_x = crate::models::session::token.ne("x");
    let ranged = RelatedQuery {
        key_range: Some((1, 2)),
        filter: Some(not_x.expr()),
        ..every
    };
    assert!(reads_whole_table(Dialect::Postgres, &ranged));
    let stmt = render_related(Dialect::Postgres, &ranged);
    assert_eq!(
        stmt.sql,
        r#"SELECT "t"."token", "t"."userId" AS "__trellis_key", CAST("t"."id" AS BIGINT) AS "__trellis_order" FROM "sessions" AS "t" WHERE "t"."userId" >= $1 AND "t"."userId" <= $2 AND ("t"."token" <> $3)"#
    );
    assert_eq!(format!("{:?}", stmt.params), r#"[1, 2, "x"]"#);
    assert_eq!(
        trellis::sql::render_related_aggregate(
            Dialect::MySql,
            &ranged,
            trellis::filter::Aggregate::Count
        )
        .sql,
        "SELECT `t`.`userId` AS `__trellis_key`, COUNT(*) FROM `sessions` AS `t` WHERE `t`.`userId` >= ? AND `t`.`userId` <= ? AND (`t`.`token` <> ?) GROUP BY `t`.`userId`"
    );
    // Several aggregates of the same rows: one statement, a column each.
    assert_eq!(
        trellis::sql::render_related_aggregates(
            Dialect::Sqlite,
            &every,
            &[
                trellis::filter::Aggregate::Count,
                trellis::filter::Aggregate::Max("token", trellis::filter::Operand::Other)
            ]
        )
        .sql,
        r#"SELECT "t"."userId" AS "__trellis_key", COUNT(*), MAX("t"."token") FROM "sessions" AS "t" GROUP BY "t"."userId""#
    );
    // Filtered and paged: the filter in the statement, the page cut by the loader.
    let by_token = [crate::models::session::token.desc().into_term()];
    let paged = RelatedQuery {
        filter: Some(not_x.expr()),
        order_by: &by_token,
        take: Some(2),
        skip: Some(1),
        ..every
    };
    assert!(pages_in_loader(Dialect::Sqlite, &paged));
    let stmt = render_related(Dialect::Sqlite, &paged);
    assert_eq!(
        stmt.sql,
        r#"SELECT "t"."token", "t"."userId" AS "__trellis_key" FROM "sessions" AS "t" WHERE ("t"."token" <> ?) ORDER BY "t"."token" DESC, "t"."id" ASC"#
    );
    assert_eq!(format!("{:?}", stmt.params), r#"["x"]"#);
    // A to-one relation: no order.
    let single = RelatedQuery {
        single: true,
        ..every
    };
    assert_eq!(
        render_related(Dialect::Sqlite, &single).sql,
        r#"SELECT "t"."token", "t"."userId" AS "__trellis_key" FROM "sessions" AS "t""#
    );
    // Many-to-many: the key from the join table, every row of it.
    let teams = RelatedQuery {
        target: crate::models::Organization::META,
        columns: &["name"],
        key_column: "user_id",
        join: Some((crate::models::Membership::META, "organization_id")),
        ..every
    };
    assert_eq!(
        render_related(Dialect::Sqlite, &teams).sql,
        r#"SELECT "t"."name", "j"."user_id" AS "__trellis_key" FROM "organizations" AS "t" JOIN "memberships" AS "j" ON "j"."organization_id" = "t"."id" ORDER BY "t"."id" ASC"#
    );
    // MySQL: the whole table too, each parent's rows numbered by a window, only the pages sent.
    assert!(reads_whole_table(Dialect::MySql, &paged));
    assert!(!pages_in_loader(Dialect::MySql, &paged));
    let stmt = render_related(Dialect::MySql, &paged);
    assert_eq!(
        stmt.sql,
        "SELECT * FROM (SELECT `t`.`token`, `t`.`userId` AS `__trellis_key`, ROW_NUMBER() OVER (PARTITION BY `t`.`userId` ORDER BY `t`.`token` DESC, `t`.`id` ASC) AS `__trellis_rn` FROM `sessions` AS `t` WHERE (`t`.`token` <> ?)) AS `w` WHERE `w`.`__trellis_rn` > ? AND `w`.`__trellis_rn` <= ? ORDER BY `w`.`__trellis_key`, `w`.`__trellis_rn`"
    );
    assert_eq!(format!("{:?}", stmt.params), r#"["x", 1, 3]"#);
    // PostgreSQL: in key order, sorted by the loader (`orders_in_loader`).
    assert!(reads_whole_table(Dialect::Postgres, &every));
    assert!(trellis::sql::orders_in_loader(Dialect::Postgres, &every));
    assert_eq!(
        render_related(Dialect::Postgres, &every).sql,
        r#"SELECT "t"."token", "t"."userId" AS "__trellis_key", CAST("t"."id" AS BIGINT) AS "__trellis_order" FROM "sessions" AS "t""#
    );
    // PostgreSQL's pages and SQLite's pages in key order (read a page at a time through the
    // key column's index), one key, text keys, parents not known to be all, or a key column
    // that may be `NULL` (rows of no parent the scan would read for nothing): by key.
    let text = [
        trellis::Value::Text("a".into()),
        trellis::Value::Text("b".into()),
    ];
    let nullable = RelatedQuery {
        target: Order::META,
        columns: &["select"],
        key_column: "from",
        ..every
    };
    for (dialect, q) in [
        (Dialect::Postgres, RelatedQuery { ..paged }),
        (
            Dialect::Sqlite,
            RelatedQuery {
                take: Some(1),
                ..every
            },
        ),
        (
            Dialect::Sqlite,
            RelatedQuery {
                keys: &keys[..1],
                ..every
            },
        ),
        (
            Dialect::Sqlite,
            RelatedQuery {
                keys: &text,
                ..every
            },
        ),
        (
            Dialect::Sqlite,
            RelatedQuery {
                every_parent: false,
                key_range: None,
                ..every
            },
        ),
        (Dialect::Sqlite, nullable),
    ] {
        assert!(!reads_whole_table(dialect, &q), "{dialect:?} {q:?}");
        let stmt = render_related(dialect, &q);
        assert!(!stmt.params.is_empty(), "{dialect:?}: {}", stmt.sql);
    }
}

#[test]
fn related_rows_are_ordered_only_where_the_order_shows() {
    use trellis::sql::{render_related, RelatedQuery};
    let keys = [trellis::Value::I64(1), trellis::Value::I64(2)];
    let query = |order_by, single| RelatedQuery {
        target: crate::models::Session::META,
        columns: &["token"],
        key_column: "userId",
        join: None,
        keys: &[],
        filter: None,
        order_by,
        take: None,
        skip: None,
        single,
        every_parent: false,
        key_range: None,
    };
    // A to-one relation has one row per key: nothing to order.
    let one = render_related(
        Dialect::Sqlite,
        &RelatedQuery {
            keys: &keys,
            ..query(&[], true)
        },
    );
    assert!(!one.sql.contains("ORDER BY"), "{}", one.sql);
    // Ordering by the key itself needs no tie-break on it.
    let by_id = [crate::models::session::id.desc().into_term()];
    let many = render_related(
        Dialect::Postgres,
        &RelatedQuery {
            keys: &keys,
            ..query(&by_id, false)
        },
    );
    assert!(
        many.sql.ends_with(r#"ORDER BY "t"."id" DESC"#),
        "{}",
        many.sql
    );
    // PostgreSQL matches consecutive integer keys by their range, and each row carries its key
    // column's value; text keys are joined as a table, and each row carries the asked key's
    // position.
    assert_eq!(
        many.sql,
        r#"SELECT "t"."token", "t"."userId" AS "__trellis_key" FROM "sessions" AS "t" WHERE "t"."userId" >= $1 AND "t"."userId" <= $2 ORDER BY "t"."id" DESC"#
    );
    let debug = |params: &[trellis::Value]| -> Vec<String> {
        params.iter().map(|v| format!("{v:?}")).collect()
    };
    assert_eq!(debug(&many.params), debug(&keys));
    // Other integer keys by `= ANY($1)`, bounded by the least and the greatest key, which the
    // planner estimates as few rows even without the table's statistics.
    let spread = [
        trellis::Value::I64(7),
        trellis::Value::I64(3),
        trellis::Value::I64(7),
    ];
    let some = render_related(
        Dialect::Postgres,
        &RelatedQuery {
            keys: &spread,
            ..query(&by_id, false)
        },
    );
    assert_eq!(
        some.sql,
        r#"SELECT "t"."token", "t"."userId" AS "__trellis_key" FROM "sessions" AS "t" WHERE "t"."userId" = ANY($1) AND "t"."userId" >= $2 AND "t"."userId" <= $3 ORDER BY "t"."id" DESC"#
    );
    assert_eq!(
        debug(some.params.get(1..).unwrap_or_default()),
        debug(&[trellis::Value::I64(3), trellis::Value::I64(7)])
    );
    assert_eq!(
        trellis::sql::parent_key_positions(Dialect::Postgres, &keys),
        None
    );
    let names = [trellis::Value::Text("a".into())];
    assert_eq!(
        trellis::sql::parent_key_positions(Dialect::Postgres, &names),
        Some(1)
    );
    // SQLite: integer keys by value too; text keys by position, counted from 0.
    assert_eq!(
        trellis::sql::parent_key_positions(Dialect::Sqlite, &keys),
        None
    );
    assert_eq!(
        trellis::sql::parent_key_positions(Dialect::Sqlite, &names),
        Some(0)
    );
    // MySQL lists integer keys (cheaper than `JSON_TABLE`, and integers compare the same under
    // any collation); each row then carries its key column's value.
    let mysql = render_related(
        Dialect::MySql,
        &RelatedQuery {
            keys: &keys,
            ..query(&[], false)
        },
    );
    assert_eq!(
        mysql.sql,
        "SELECT `t`.`token`, `t`.`userId` AS `__trellis_key` FROM `sessions` AS `t` WHERE `t`.`userId` IN (?, ?) ORDER BY `t`.`id` ASC"
    );
    assert_eq!(
        trellis::sql::parent_key_positions(Dialect::MySql, &keys),
        None
    );
    // A list is padded to the next power of two with its last key, so that the text takes
    // few shapes (each prepared once per connection): 3, 4, .., 17 and 20 keys bind 4, 4, ..,
    // 32 and 32 values; past 1,024 keys, as many as there are.
    let listed = |n: i64| {
        let keys: Vec<trellis::Value> = (1..=n).map(trellis::Value::I64).collect();
        let stmt = render_related(
            Dialect::MySql,
            &RelatedQuery {
                keys: &keys,
                ..query(&[], false)
            },
        );
        (
            stmt.sql.matches('?').count(),
            format!("{:?}", stmt.params.last()),
        )
    };
    assert_eq!(listed(3), (4, "Some(3)".to_owned()));
    assert_eq!(listed(17), (32, "Some(17)".to_owned()));
    assert_eq!(listed(20).0, 32);
    assert_eq!(listed(1024).0, 1024);
    assert_eq!(listed(1025).0, 1025);
    let text = [trellis::Value::Text("a".into())];
    assert_eq!(
        trellis::sql::parent_key_positions(Dialect::MySql, &text),
        Some(1)
    );
}

#[test]
fn one_parents_rows_are_the_statement_a_person_would_write() {
    use trellis::sql::{render_related, RelatedQuery};
    let one = [trellis::Value::I64(7)];
    let page = |dialect, keys| {
        render_related(
            dialect,
            &RelatedQuery {
                target: crate::models::Session::META,
                columns: &["token"],
                key_column: "userId",
                join: None,
                keys,
                filter: None,
                order_by: &[crate::models::session::token.asc().into_term()],
                take: Some(5),
                skip: None,
                single: false,
                every_parent: false,
                key_range: None,
            },
        )
    };
    // One parent: its rows through the key column, ordered and cut, with no table of keys
    // and no per-parent paging.
    let expected = [
        (
            Dialect::Postgres,
            r#"SELECT "t"."token", "t"."userId" AS "__trellis_key" FROM "sessions" AS "t" WHERE "t"."userId" = $1 ORDER BY "t"."token" ASC, "t"."id" ASC LIMIT $2"#,
        ),
        (
            Dialect::Sqlite,
            r#"SELECT "t"."token", "t"."userId" AS "__trellis_key" FROM "sessions" AS "t" WHERE "t"."userId" = ? ORDER BY "t"."token" ASC, "t"."id" ASC LIMIT ?"#,
        ),
        (
            Dialect::MySql,
            "SELECT `t`.`token`, `t`.`userId` AS `__trellis_key` FROM `sessions` AS `t` WHERE `t`.`userId` = ? ORDER BY `t`.`token` ASC, `t`.`id` ASC LIMIT ?",
        ),
    ];
    for (dialect, sql) in expected {
        let stmt = page(dialect, &one);
        assert_eq!(stmt.sql, sql);
        assert_eq!(format!("{:?}", stmt.params), "[7, 5]");
        assert_eq!(trellis::sql::parent_key_positions(dialect, &one), None);
    }
    // A text key too: the database may match rows whose key differs from the asked one in
    // case or trailing spaces, so each row carries the one key's position, as a constant, as
    // a batch's rows carry their key's position in the table of keys.
    let text = [trellis::Value::Text("a".into())];
    let expected = [
        (
            Dialect::Postgres,
            r#"SELECT "t"."token", CAST(1 AS BIGINT) AS "__trellis_key" FROM "sessions" AS "t" WHERE "t"."userId" = $1 ORDER BY "t"."token" ASC, "t"."id" ASC LIMIT $2"#,
            Some(1),
        ),
        (
            Dialect::Sqlite,
            r#"SELECT "t"."token", 0 AS "__trellis_key" FROM "sessions" AS "t" WHERE "t"."userId" = ? ORDER BY "t"."token" ASC, "t"."id" ASC LIMIT ?"#,
            Some(0),
        ),
        (
            Dialect::MySql,
            "SELECT `t`.`token`, 1 AS `__trellis_key` FROM `sessions` AS `t` WHERE `t`.`userId` = ? ORDER BY `t`.`token` ASC, `t`.`id` ASC LIMIT ?",
            Some(1),
        ),
    ];
    for (dialect, sql, first) in expected {
        let stmt = page(dialect, &text);
        assert_eq!(stmt.sql, sql);
        assert_eq!(format!("{:?}", stmt.params), r#"["a", 5]"#);
        assert_eq!(trellis::sql::parent_key_positions(dialect, &text), first);
    }
    // Two parents: pages per parent.
    let two = [trellis::Value::I64(7), trellis::Value::I64(8)];
    assert!(page(Dialect::Postgres, &two).sql.contains("LATERAL"));
    // Through a join model, with a filter, and a skip without a take (SQLite's "no limit").
    let skipped = render_related(
        Dialect::Sqlite,
        &RelatedQuery {
            target: crate::models::Organization::META,
            columns: &["name"],
            key_column: "user_id",
            join: Some((crate::models::Membership::META, "organization_id")),
            keys: &one,
            filter: Some(crate::models::organization::name.eq("x").expr()),
            order_by: &[],
            take: None,
            skip: Some(2),
            single: false,
            every_parent: false,
            key_range: None,
        },
    );
    assert_eq!(
        skipped.sql,
        r#"SELECT "t"."name", "j"."user_id" AS "__trellis_key" FROM "organizations" AS "t" JOIN "memberships" AS "j" ON "j"."organization_id" = "t"."id" WHERE "j"."user_id" = ? AND ("t"."name" = ?) ORDER BY "t"."id" ASC LIMIT -1 OFFSET ?"#
    );
    assert_eq!(format!("{:?}", skipped.params), r#"[7, "x", 2]"#);
    // One parent's count: by its key, grouped, the key (or its position) beside the count.
    let not_x = crate::models::session::token.ne("x");
    let counted = |dialect, keys| {
        trellis::sql::render_related_aggregate(
            dialect,
            &RelatedQuery {
                keys,
                filter: Some(not_x.expr()),
                ..session_query(&[])
            },
            trellis::filter::Aggregate::Count,
        )
    };
    assert_eq!(
        counted(Dialect::MySql, &one).sql,
        "SELECT `t`.`userId` AS `__trellis_key`, COUNT(*) FROM `sessions` AS `t` WHERE `t`.`userId` = ? AND (`t`.`token` <> ?) GROUP BY `t`.`userId`"
    );
    let stmt = counted(Dialect::Postgres, &text);
    assert_eq!(
        stmt.sql,
        r#"SELECT CAST(1 AS BIGINT) AS "__trellis_key", COUNT(*) FROM "sessions" AS "t" WHERE "t"."userId" = $1 AND ("t"."token" <> $2) GROUP BY "t"."userId""#
    );
    assert_eq!(format!("{:?}", stmt.params), r#"["a", "x"]"#);
}

#[test]
fn many_to_many_joins_the_join_model_in_the_same_query() {
    use trellis::sql::{render_related, RelatedQuery};
    let keys = [
        trellis::Value::Text("u1".into()),
        trellis::Value::Text("u2".into()),
    ];
    let stmt = render_related(
        Dialect::MySql,
        &RelatedQuery {
            target: crate::models::Organization::META,
            columns: &[],
            key_column: "user_id",
            join: Some((crate::models::Membership::META, "organization_id")),
            keys: &keys,
            filter: Some(crate::models::organization::name.eq("Acme").expr()),
            order_by: &[],
            take: None,
            skip: None,
            single: false,
            every_parent: false,
            key_range: None,
        },
    );
    assert_eq!(
        stmt.sql,
        "SELECT `t`.`id`, `t`.`name`, `k`.`i` AS `__trellis_key` FROM `organizations` AS `t` JOIN `memberships` AS `j` ON `j`.`organization_id` = `t`.`id` JOIN JSON_TABLE(?, '$[*]' COLUMNS (`i` FOR ORDINALITY, `v` LONGTEXT PATH '$')) AS `k` ON `j`.`user_id` = `k`.`v` WHERE (`t`.`name` = ?) ORDER BY `t`.`id` ASC"
    );
}

/// A relation's sum, average, least and greatest value: `COUNT(*)`'s place in the grouped
/// statement, read back as one type on every backend (a sum of no rows is 0; PostgreSQL and
/// MySQL sum and average integers as decimals, so they are cast); and the same aggregates as
/// correlated subqueries in filters and orderings.
#[test]
fn relation_aggregates_render_per_dialect() {
    use crate::models::session;
    use trellis::filter::{Aggregate, Operand};
    let keys = [trellis::Value::I64(1), trellis::Value::I64(2)];
    let query = trellis::sql::RelatedQuery {
        keys: &keys,
        ..session_query(&[])
    };
    let render =
        |dialect, aggregate| trellis::sql::render_related_aggregate(dialect, &query, aggregate).sql;
    let sum = Aggregate::Sum("id", Operand::Integers);
    assert_eq!(
        render(Dialect::Postgres, sum),
        r#"SELECT "t"."userId" AS "__trellis_key", CAST(COALESCE(SUM("t"."id"), 0) AS BIGINT) FROM "sessions" AS "t" WHERE "t"."userId" >= $1 AND "t"."userId" <= $2 GROUP BY "t"."userId""#
    );
    assert_eq!(
        render(Dialect::MySql, Aggregate::Avg("id", Operand::Integers)),
        "SELECT `t`.`userId` AS `__trellis_key`, AVG(CAST(`t`.`id` AS DOUBLE)) FROM `sessions` AS `t` WHERE `t`.`userId` IN (?, ?) GROUP BY `t`.`userId`"
    );
    assert_eq!(
        render(Dialect::Sqlite, Aggregate::Sum("id", Operand::Reals)),
        r#"SELECT "t"."userId" AS "__trellis_key", COALESCE(SUM("t"."id"), 0.0) FROM "sessions" AS "t" WHERE "t"."userId" IN (SELECT value FROM json_each(?)) GROUP BY "t"."userId""#
    );
    // Decimals: summed exactly, averaged to ten places; on SQLite, which keeps them as text,
    // by Trellis's functions, and compared as numbers by its collation.
    let sum = Aggregate::Sum("amount", Operand::Decimals);
    let avg = Aggregate::Avg("amount", Operand::Decimals);
    let max = Aggregate::Max("amount", Operand::Decimals);
    let of = |dialect, aggregate| {
        let sql = render(dialect, aggregate);
        let start = sql.find(", ").map_or(0, |at| at + 2);
        let end = sql.find(" FROM ").unwrap_or(sql.len());
        sql[start..end].to_owned()
    };
    assert_eq!(
        of(Dialect::Sqlite, sum),
        r#"COALESCE(trellis_decimal_sum("t"."amount"), '0') COLLATE "trellis_decimal""#
    );
    assert_eq!(
        of(Dialect::Sqlite, avg),
        r#"trellis_decimal_avg("t"."amount") COLLATE "trellis_decimal""#
    );
    assert_eq!(
        of(Dialect::Sqlite, max),
        r#"MAX("t"."amount") COLLATE "trellis_decimal""#
    );
    assert_eq!(
        of(Dialect::Postgres, sum),
        r#"COALESCE(SUM("t"."amount"), 0)"#
    );
    assert_eq!(
        of(Dialect::MySql, avg),
        "ROUND(AVG(CAST(`t`.`amount` AS DECIMAL(65, 30))), 10)"
    );
    assert_eq!(
        of(Dialect::Postgres, avg),
        r#"ROUND(AVG(CAST("t"."amount" AS NUMERIC(1000, 30))), 10)"#
    );
    assert_eq!(of(Dialect::Postgres, max), r#"MAX("t"."amount")"#);
    let stmt = User::find_many()
        .filter(user::sessions.max(session::token).gt("t5".to_owned()))
        .order_by(user::sessions.avg(session::id).desc())
        .to_statement(Dialect::Postgres);
    assert_eq!(
        stmt.sql,
        r#"SELECT "id", "email", "name", "age" FROM "users" WHERE (SELECT MAX("r1"."token") FROM "sessions" AS "r1" WHERE "r1"."userId" = "users"."id") > $1 ORDER BY (SELECT CAST(AVG("r2"."id") AS DOUBLE PRECISION) FROM "sessions" AS "r2" WHERE "r2"."userId" = "users"."id") DESC"#
    );
    assert_eq!(format!("{:?}", stmt.params), r#"["t5"]"#);
}

/// A grouped query: the keys, then the aggregates; `WHERE` before grouping, `HAVING` after,
/// the keys breaking ties of the order; without keys, one row over every matching row.
#[test]
fn grouped_queries_render_per_dialect() {
    use crate::models::{session, Session};
    use trellis::aggregate::count;
    let grouped = Session::group_by(session::user_id)
        .aggregate((count(), session::id.max()))
        .filter(session::token.ne("x"))
        .having(session::id.sum().gt(10))
        .order_by(count().desc())
        .take(5);
    let stmt = grouped.to_statement(Dialect::Postgres);
    assert_eq!(
        stmt.sql,
        r#"SELECT "userId", COUNT(*), MAX("id") FROM "sessions" WHERE "token" <> $1 GROUP BY "userId" HAVING CAST(COALESCE(SUM("id"), 0) AS BIGINT) > $2 ORDER BY COUNT(*) DESC, "userId" ASC LIMIT $3"#
    );
    assert_eq!(format!("{:?}", stmt.params), r#"["x", 10, 5]"#);
    let whole = Session::aggregate((count(), session::id.avg()))
        .filter(session::token.ne("x"))
        .to_statement(Dialect::MySql);
    assert_eq!(
        whole.sql,
        "SELECT COUNT(*), AVG(CAST(`id` AS DOUBLE)) FROM `sessions` WHERE `token` <> ?"
    );
}

#[test]
fn relation_filters_render_as_correlated_exists() {
    use crate::models::{organization, session};
    let filter = user::sessions
        .some(session::token.starts_with("x"))
        .and(user::organizations.some(organization::name.eq("Acme")));
    let stmt = User::find_many()
        .filter(filter)
        .to_statement(Dialect::Postgres);
    assert_eq!(
        stmt.sql,
        r#"SELECT "id", "email", "name", "age" FROM "users" WHERE (EXISTS (SELECT 1 FROM "sessions" AS "r1" WHERE "r1"."userId" = "users"."id" AND ("r1"."token" LIKE $1 ESCAPE '!')) AND EXISTS (SELECT 1 FROM "organizations" AS "r2" JOIN "memberships" AS "r2_j" ON "r2_j"."organization_id" = "r2"."id" WHERE "r2_j"."user_id" = "users"."id" AND ("r2"."name" = $2)))"#
    );
    let every = User::find_many()
        .filter(user::sessions.every(session::token.eq("t")))
        .to_statement(Dialect::Sqlite);
    assert!(every.sql.ends_with(r#"WHERE NOT EXISTS (SELECT 1 FROM "sessions" AS "r1" WHERE "r1"."userId" = "users"."id" AND ("r1"."token" = ?) IS NOT TRUE LIMIT 1)"#), "{}", every.sql);
}

#[test]
fn nulls_ordering_per_dialect() {
    let sql = |d| {
        User::find_many()
            .order_by(user::age.desc().nulls_last())
            .to_statement(d)
            .sql
    };
    assert!(sql(Dialect::Postgres).ends_with(r#"ORDER BY "age" DESC NULLS LAST"#));
    assert!(sql(Dialect::Sqlite).ends_with(r#"ORDER BY "age" DESC NULLS LAST"#));
    // MySQL has no NULLS LAST: an IS NULL term comes first.
    assert!(sql(Dialect::MySql).ends_with("ORDER BY `age` IS NULL ASC, `age` DESC"));
    let by_count = User::find_many()
        .order_by(user::sessions.count().desc())
        .to_statement(Dialect::MySql)
        .sql;
    assert!(by_count.ends_with("ORDER BY (SELECT COUNT(*) FROM `sessions` AS `r1` WHERE `r1`.`userId` = `users`.`id`) DESC"), "{by_count}");
}
