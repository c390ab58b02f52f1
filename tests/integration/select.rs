//! `select!`: typed nested selections, one query per level, only the selected columns.

use trellis::prelude::*;
use trellis::Value;

use crate::models::{user, Session, User};
use crate::relations::{seed, texts};
use crate::support::backend_tests;

backend_tests!(
    one_to_one_and_one_to_many_like_the_docs_page,
    many_to_many_and_belongs_to_shapes,
    selections_serialize_with_the_selected_fields_only,
    named_selections_are_checked_and_typed,
    relation_counts_in_a_selection,
    integer_keys_page_each_parent_as_rust_does,
    a_level_reading_a_column_twice_gets_it_twice,
    levels_read_directly_and_through_the_driver_share_one_connection,
    related_rows_come_in_key_order_whatever_order_they_were_written_in,
);

/// Each author's key, with the key and note keys of each of its entries.
type KeyTree = (i64, Vec<(i64, Vec<i64>)>);

/// Related rows without an `order_by` come in the order of their key, though written in the
/// opposite order (on PostgreSQL the statement leaves that order to the loader, and the table
/// hands rows over as they lie: see `sql::orders_in_loader`).
async fn related_rows_come_in_key_order_whatever_order_they_were_written_in(
    db: Db,
) -> Result<(), Error> {
    use journal::{author, entry, note, Author, Entry, Note};
    journal::create(&db, 2).await?;
    // Written last key first, one row at a time.
    for id in (1..=6).rev() {
        Entry::insert(entry::New {
            id,
            author_id: 1 + id % 2,
            written: journal::day(26),
        })
        .exec(&db)
        .await?;
    }
    for id in (1..=24).rev() {
        Note::insert(note::New {
            id,
            entry_id: 1 + id % 6,
            body: format!("note {id}"),
        })
        .exec(&db)
        .await?;
    }
    let expected: Vec<KeyTree> = (1..=2)
        .map(|a| {
            let entries = (1..=6)
                .filter(|e| 1 + e % 2 == a)
                .map(|e| (e, (1..=24).filter(|n| 1 + n % 6 == e).collect()))
                .collect();
            (a, entries)
        })
        .collect();
    let selected: Vec<KeyTree> = Author::find_many()
        .order_by(author::id.asc())
        .select(select!(Author { id, entries { id, notes { id } } }))
        .fetch_all(&db)
        .await?
        .into_iter()
        .map(|a| {
            let entries = a
                .entries
                .into_iter()
                .map(|e| (e.id, e.notes.into_iter().map(|n| n.id).collect()))
                .collect();
            (a.id, entries)
        })
        .collect();
    assert_eq!(selected, expected);
    let included: Vec<KeyTree> = Author::find_many()
        .order_by(author::id.asc())
        .include(author::entries.with(|q| q.include(entry::notes)))
        .fetch_all(&db)
        .await?
        .into_iter()
        .map(|a| {
            let entries = a
                .entries
                .get()
                .unwrap_or_default()
                .iter()
                .map(|e| {
                    let notes = e.notes.get().unwrap_or_default().iter().map(|n| n.id);
                    (e.id, notes.collect())
                })
                .collect();
            (a.id, entries)
        })
        .collect();
    assert_eq!(included, expected);
    // The key read for the order alone (`sql::ORDER_KEY`) when the selection leaves it out.
    let bodies: Vec<Vec<Vec<String>>> = Author::find_many()
        .order_by(author::id.asc())
        .select(select!(Author { entries { notes { body } } }))
        .fetch_all(&db)
        .await?
        .into_iter()
        .map(|a| {
            let notes = a.entries.into_iter().map(|e| e.notes.into_iter());
            notes.map(|n| n.map(|n| n.body).collect()).collect()
        })
        .collect();
    let expected_bodies: Vec<Vec<Vec<String>>> = expected
        .iter()
        .map(|(_, entries)| {
            let notes = entries.iter().map(|(_, notes)| notes.iter());
            notes
                .map(|n| n.map(|id| format!("note {id}")).collect())
                .collect()
        })
        .collect();
    assert_eq!(bodies, expected_bodies);
    Ok(())
}

/// Models whose middle level has a date column: on SQLite its rows come through sqlx, while
/// the levels around it are stepped directly.
mod journal {
    use trellis::prelude::*;

    #[derive(Model, Debug, Clone, PartialEq)]
    #[model(table = "journal_authors")]
    pub struct Author {
        #[field(id)]
        pub id: i64,
        pub name: String,
        #[relation(has_many = Entry, foreign_key = "author_id")]
        pub entries: HasMany<Entry>,
    }

    #[derive(Model, Debug, Clone, PartialEq)]
    #[model(table = "journal_entries")]
    pub struct Entry {
        #[field(id)]
        pub id: i64,
        #[field(references = Author)]
        pub author_id: i64,
        pub written: chrono::NaiveDate,
        #[relation(has_many = Note, foreign_key = "entry_id")]
        pub notes: HasMany<Note>,
    }

    #[derive(Model, Debug, Clone, PartialEq)]
    #[model(table = "journal_notes")]
    pub struct Note {
        #[field(id)]
        pub id: i64,
        #[field(references = Entry)]
        pub entry_id: i64,
        pub body: String,
    }

    /// Creates the tables, with authors `1..=authors` in them.
    pub async fn create(db: &Db, authors: i64) -> Result<(), Error> {
        db.create_schema(
            &Schema::new()
                .model::<Author>()
                .model::<Entry>()
                .model::<Note>(),
        )
        .await?;
        Author::insert_many((1..=authors).map(|id| author::New {
            id,
            name: format!("author {id}"),
        }))
        .exec(db)
        .await?;
        Ok(())
    }

    /// A day of November 2026.
    pub fn day(d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, d).expect("a day of November")
    }
}

/// An author's name, and the day and note bodies of each entry.
type Journal = (String, Vec<(u32, Vec<String>)>);

/// One load whose levels alternate between rows SQLite hands over directly (authors, notes)
/// and rows read through sqlx (entries, with a date), on the one connection the load holds:
/// the direct reads keep its handle locked between them, and a read through sqlx must let go
/// of it first (else sqlx's worker thread waits for it for ever). Bounded, so a hang fails.
async fn levels_read_directly_and_through_the_driver_share_one_connection(
    db: Db,
) -> Result<(), Error> {
    use journal::{author, entry, note, Author, Entry, Note};
    journal::create(&db, 3).await?;
    Entry::insert_many((1..=6u32).map(|day| entry::New {
        id: i64::from(day),
        author_id: 1 + i64::from(day) % 3,
        written: journal::day(day),
    }))
    .exec(&db)
    .await?;
    Note::insert_many((1..=12).map(|id| note::New {
        id,
        entry_id: 1 + id % 6,
        body: format!("note {id}"),
    }))
    .exec(&db)
    .await?;
    let load = || async {
        Author::find_many()
            .order_by(author::id.asc())
            .select(select!(Author {
                name,
                entries(order_by = id.asc()) {
                    written,
                    notes(order_by = id.asc()) { body }
                }
            }))
            .fetch_all(&db)
            .await
    };
    for _ in 0..3 {
        let got = tokio::time::timeout(std::time::Duration::from_secs(30), load())
            .await
            .map_err(|_| Error::InvalidQuery("the load did not finish".to_owned()))??;
        let got: Vec<Journal> = got
            .into_iter()
            .map(|a| {
                (
                    a.name,
                    a.entries
                        .into_iter()
                        .map(|e| {
                            use chrono::Datelike;
                            (
                                e.written.day(),
                                e.notes.into_iter().map(|n| n.body).collect(),
                            )
                        })
                        .collect(),
                )
            })
            .collect();
        let notes = |entry: i64| -> Vec<String> {
            (1..=12)
                .filter(|n| 1 + n % 6 == entry)
                .map(|n| format!("note {n}"))
                .collect()
        };
        let expected: Vec<Journal> = (1..=3)
            .map(|a| {
                (
                    format!("author {a}"),
                    (1..=6)
                        .filter(|e| 1 + e % 3 == a)
                        .map(|e| (e as u32, notes(e)))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(got, expected);
    }
    Ok(())
}

/// A selection's output moves each column's text out of a row read directly from SQLite; a
/// level written by hand that reads a column twice still gets its value both times (the first
/// row shows the second read, and the level then copies instead).
async fn a_level_reading_a_column_twice_gets_it_twice(db: Db) -> Result<(), Error> {
    use trellis::select::{level, tag};
    seed(&db).await?;
    let twice = level(tag::<User>(), vec!["email"], (), |row, ()| {
        Ok((row.get(user::email)?, row.get(user::email)?))
    });
    let read = User::find_many()
        .order_by(user::id.asc())
        .select(twice)
        .fetch_all(&db)
        .await?;
    let emails = User::find_many()
        .order_by(user::id.asc())
        .select(select!(User { email }))
        .fetch_all(&db)
        .await?;
    assert!(emails.len() > 1, "{emails:?}");
    let expected: Vec<(String, String)> = emails
        .into_iter()
        .map(|u| (u.email.clone(), u.email))
        .collect();
    assert_eq!(read, expected);
    Ok(())
}

/// Integer parent keys (each row carries its key column's value, not a position) with a filter,
/// an order and a page per parent, through `select!` and `include`, for has_many and
/// many_to_many: every parent's page is the one Rust computes from the rows written.
async fn integer_keys_page_each_parent_as_rust_does(db: Db) -> Result<(), Error> {
    use crate::nested::{account, login, seat, team, Account, Team};
    crate::nested::setup(&db).await?;
    Team::insert_many(["green", "gold", "grey"].map(|t| team::New {
        id: format!("t-{t}"),
        slug: t.into(),
    }))
    .exec(&db)
    .await?;
    let slugs = ["red", "blue", "green", "gold", "grey"];
    // Lower-case letters and digits only: every collation orders them as Rust does.
    let mut expected = Vec::new();
    for i in 0..25usize {
        let tokens: Vec<String> = (0..i % 9)
            .map(|j| format!("{}{i:02}{j:02}", ["m", "c", "x", "a", "q"][(i + j) % 5]))
            .collect();
        let joined: Vec<&str> = (0..i % 4).map(|t| slugs[(i + t) % 5]).collect();
        let mut create = Account::create(account::New {
            email: format!("a{i}@example.com"),
        })
        .with(account::logins::create(tokens.iter().map(|t| {
            account::logins::New {
                token: t.clone(),
                team_id: None,
            }
        })));
        for slug in &joined {
            create = create.with(account::teams::connect(
                format!("t-{slug}"),
                seat("member", &format!("b{i}-{slug}")),
            ));
        }
        let stored = create.exec(&db).await?;
        let mut page: Vec<String> = tokens.into_iter().filter(|t| t.as_str() > "b").collect();
        page.sort_by(|a, b| b.cmp(a));
        let page: Vec<String> = page.into_iter().skip(1).take(3).collect();
        let mut teams: Vec<String> = joined.iter().map(|s| (*s).to_owned()).collect();
        teams.sort();
        teams.truncate(2);
        expected.push((stored.id, page, teams));
    }
    let selected: Vec<(i64, Vec<String>, Vec<String>)> = Account::find_many()
        .order_by(account::id.asc())
        .select(select!(Account {
            id,
            logins(where = token.gt("b"), order_by = token.desc(), skip = 1, take = 3) { token },
            teams(order_by = slug.asc(), take = 2) { slug }
        }))
        .fetch_all(&db)
        .await?
        .into_iter()
        .map(|a| {
            (
                a.id,
                a.logins.into_iter().map(|l| l.token).collect(),
                a.teams.into_iter().map(|t| t.slug).collect(),
            )
        })
        .collect();
    assert_eq!(selected, expected);
    let included: Vec<(i64, Vec<String>, Vec<String>)> = Account::find_many()
        .order_by(account::id.asc())
        .include(account::logins.with(|q| {
            q.filter(login::token.gt("b"))
                .order_by(login::token.desc())
                .skip(1)
                .take(3)
        }))
        .include(account::teams.with(|q| q.order_by(team::slug.asc()).take(2)))
        .fetch_all(&db)
        .await?
        .into_iter()
        .map(|a| {
            let logins = a
                .logins
                .get()
                .unwrap_or_default()
                .iter()
                .map(|l| l.token.clone())
                .collect();
            let teams = a
                .teams
                .get()
                .unwrap_or_default()
                .iter()
                .map(|t| t.slug.clone())
                .collect();
            (a.id, logins, teams)
        })
        .collect();
    assert_eq!(included, expected);
    // Each parent alone (its relations then go as the single-parent statement): the same page.
    for (id, page, teams) in &expected {
        let alone = Account::find_first()
            .filter(account::id.eq(*id))
            .select(select!(Account {
                id,
                logins(where = token.gt("b"), order_by = token.desc(), skip = 1, take = 3) { token },
                teams(order_by = slug.asc(), take = 2) { slug }
            }))
            .fetch_optional(&db)
            .await?
            .map(|a| {
                (
                    a.id,
                    a.logins.into_iter().map(|l| l.token).collect::<Vec<_>>(),
                    a.teams.into_iter().map(|t| t.slug).collect::<Vec<_>>(),
                )
            });
        assert_eq!(alone, Some((*id, page.clone(), teams.clone())));
    }
    Ok(())
}

async fn one_to_one_and_one_to_many_like_the_docs_page(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let before = db.statement_count();
    let ada = User::find_first()
        .filter(user::email.eq("ada@example.com"))
        .select(select!(User {
            id,
            profile { bio },
            sessions(take = 5, order_by = token.asc()) { token }
        }))
        .fetch_optional(&db)
        .await?
        .ok_or(Error::NotFound { model: "User" })?;
    assert_eq!(
        db.statement_count() - before,
        3,
        "users, profiles, sessions"
    );
    assert_eq!(ada.id, "ada");
    let bio: Option<String> = ada.profile.and_then(|p| p.bio);
    assert_eq!(bio.as_deref(), Some("Counts things."));
    let tokens: Vec<String> = ada.sessions.into_iter().map(|s| s.token).collect();
    let query = format!(
        "SELECT token FROM sessions WHERE {} = ? ORDER BY token LIMIT 5",
        db.dialect().quote("userId")
    );
    assert_eq!(
        tokens,
        texts(&db, &query, vec![Value::Text("ada".into())]).await?
    );

    // Each parent gets its own page; the root reads only what is selected or needed as a key.
    let selection = User::find_many().order_by(user::id.asc()).select(
        select!(User { email, sessions(take = 1, skip = 1, order_by = token.desc()) { token } }),
    );
    let sql = selection.to_statement(db.dialect()).sql;
    let q = |name: &str| db.dialect().quote(name);
    assert!(
        sql.starts_with(&format!(
            "SELECT {}, {} FROM {}",
            q("email"),
            q("id"),
            q("users")
        )),
        "{sql}"
    );
    let users = selection.fetch_all(&db).await?;
    let pages: Vec<Vec<String>> = users
        .into_iter()
        .map(|u| u.sessions.into_iter().map(|s| s.token).collect())
        .collect();
    assert_eq!(
        pages,
        [vec!["t5".to_owned()], vec!["b0".to_owned()], vec![]]
    );
    Ok(())
}

async fn many_to_many_and_belongs_to_shapes(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let users = User::find_many()
        .order_by(user::id.asc())
        .select(select!(User { id, organizations(order_by = name.asc(), where = name.ne("Initech")) { name } }))
        .fetch_all(&db)
        .await?;
    let names: Vec<(String, Vec<String>)> = users
        .into_iter()
        .map(|u| (u.id, u.organizations.into_iter().map(|o| o.name).collect()))
        .collect();
    assert_eq!(
        names,
        [
            (
                "ada".to_owned(),
                vec!["Acme".to_owned(), "Globex".to_owned()]
            ),
            ("bob".to_owned(), vec!["Acme".to_owned()]),
            ("cy".to_owned(), vec![]),
        ]
    );

    // A belongs_to through a non-null key is the row itself, not an Option; nesting goes on.
    let sessions = Session::find_many()
        .filter(crate::models::session::token.eq("b1"))
        .select(select!(Session { token, user { email, profile { id } } }))
        .fetch_all(&db)
        .await?;
    let email: &str = &sessions[0].user.email;
    assert_eq!(email, "bob@example.com");
    assert_eq!(
        sessions[0].user.profile.as_ref().map(|p| p.id.as_str()),
        Some("p-bob")
    );
    Ok(())
}

async fn selections_serialize_with_the_selected_fields_only(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let bob = User::find_by_id("bob")
        .select(select!(User { id, age, profile { bio } }))
        .fetch_one(&db)
        .await?;
    let json: serde_json::Value =
        serde_json::to_value(&bob).map_err(|e| Error::InvalidQuery(e.to_string()))?;
    assert_eq!(
        json,
        serde_json::json!({ "id": "bob", "age": 40, "profile": { "bio": null } })
    );
    assert!(format!("{bob:?}").starts_with("UserSelection { id: \"bob\""));
    Ok(())
}

/// A named selection, usable in signatures.
#[derive(Selection, Debug, Clone, PartialEq, serde::Serialize)]
#[selection(model = User)]
pub struct UserCard {
    pub id: String,
    pub age: Option<i32>,
    #[selection(take = 2, order_by = "token.desc()")]
    pub sessions: Vec<SessionToken>,
    #[selection(relation)]
    pub profile: Option<ProfileBio>,
}

#[derive(Selection, Debug, Clone, PartialEq, serde::Serialize)]
#[selection(model = Session)]
pub struct SessionToken {
    pub token: String,
}

#[derive(Selection, Debug, Clone, PartialEq, serde::Serialize)]
#[selection(model = crate::models::Profile)]
pub struct ProfileBio {
    pub bio: Option<String>,
}

async fn cards(db: &Db) -> Result<Vec<UserCard>, Error> {
    User::find_many()
        .order_by(user::id.asc())
        .select(UserCard::level())
        .fetch_all(db)
        .await
}

async fn named_selections_are_checked_and_typed(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let cards = cards(&db).await?;
    assert_eq!(
        cards[0],
        UserCard {
            id: "ada".into(),
            age: Some(36),
            sessions: vec![
                SessionToken { token: "t6".into() },
                SessionToken { token: "t5".into() }
            ],
            profile: Some(ProfileBio {
                bio: Some("Counts things.".into())
            }),
        }
    );
    assert_eq!(cards[2].sessions, []);
    assert_eq!(cards[2].profile, None);
    Ok(())
}

async fn relation_counts_in_a_selection(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    let before = db.statement_count();
    let users = User::find_many()
        .order_by(user::id.asc())
        .select(select!(User {
            id,
            sessions: count,
            organizations: count
        }))
        .fetch_all(&db)
        .await?;
    assert_eq!(
        db.statement_count() - before,
        3,
        "users, then one query per counted relation"
    );
    for u in &users {
        let query = format!(
            "SELECT token FROM sessions WHERE {} = ?",
            db.dialect().quote("userId")
        );
        let tokens = texts(&db, &query, vec![Value::Text(u.id.clone())]).await?;
        let sessions: i64 = u.sessions;
        assert_eq!(sessions, tokens.len() as i64, "sessions of {}", u.id);
    }
    let organizations: Vec<i64> = users.iter().map(|u| u.organizations).collect();
    assert_eq!(organizations, [2, 1, 0]);

    let recent = User::find_many()
        .order_by(user::id.asc())
        .select(select!(User { id, sessions(where = token.gte("t5")): count }))
        .fetch_all(&db)
        .await?;
    let recent: Vec<i64> = recent.iter().map(|u| u.sessions).collect();
    assert_eq!(recent, [2, 0, 0]);
    Ok(())
}

/// On SQLite, a nested load is stepped on the connection's own handle with
/// `LoadStrategy::Direct` (every statement of it, counts included) and through the driver's
/// rows with `LoadStrategy::Driver`, with the same result.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_loads_take_the_path_their_strategy_names() -> Result<(), Error> {
    use trellis::{ConnectOptions, LoadStrategy};
    let mut results = Vec::new();
    for strategy in [LoadStrategy::Direct, LoadStrategy::Driver] {
        let options = ConnectOptions::new()
            .max_connections(1)
            .load_strategy(strategy);
        let db = Db::connect_with("sqlite::memory:", options).await?;
        seed(&db).await?;
        let (statements, direct) = (db.statement_count(), db.direct_read_count());
        let rows = User::find_many()
            .order_by(user::id.asc())
            .select(select!(User {
                id,
                name,
                profile { bio },
                sessions(order_by = token.asc(), take = 2) { token },
                organizations { name },
                session_count: sessions: count,
            }))
            .fetch_all(&db)
            .await?;
        let statements = db.statement_count() - statements;
        let direct = db.direct_read_count() - direct;
        // The users, then one statement per relation and one for the count.
        assert_eq!(statements, 5, "{strategy:?}");
        match strategy {
            LoadStrategy::Driver => assert_eq!(direct, 0),
            _ => assert_eq!(direct, statements, "{strategy:?}"),
        }
        results.push(format!("{rows:?}"));
    }
    assert_eq!(results[0], results[1]);
    Ok(())
}

/// One user as the sibling-relations test reads it: profile, sessions, organizations.
type UserRows = (String, Option<Option<String>>, Vec<String>, Vec<String>);

async fn users_with_three_relations<'c>(conn: impl Executor<'c>) -> Result<Vec<UserRows>, Error> {
    Ok(User::find_many()
        .order_by(user::id.asc())
        .select(select!(User {
            id,
            profile { bio },
            sessions(order_by = token.asc()) { token },
            organizations(order_by = name.asc()) { name }
        }))
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|u| {
            (
                u.id,
                u.profile.map(|p| p.bio),
                u.sessions.into_iter().map(|s| s.token).collect(),
                u.organizations.into_iter().map(|o| o.name).collect(),
            )
        })
        .collect())
}

/// The same through `include`.
async fn users_with_three_includes<'c>(conn: impl Executor<'c>) -> Result<Vec<UserRows>, Error> {
    use crate::models::{organization, session};
    Ok(User::find_many()
        .order_by(user::id.asc())
        .include(user::profile)
        .include(user::sessions.with(|q| q.order_by(session::token.asc())))
        .include(user::organizations.with(|q| q.order_by(organization::name.asc())))
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|u| {
            let sessions = u.sessions.get().unwrap_or_default();
            let organizations = u.organizations.get().unwrap_or_default();
            (
                u.id.clone(),
                u.profile.get().map(|p| p.bio.clone()),
                sessions.iter().map(|s| s.token.clone()).collect(),
                organizations.iter().map(|o| o.name.clone()).collect(),
            )
        })
        .collect())
}

/// PostgreSQL and MySQL load the sibling relations of a level at the same time (here from its
/// first row on: `parallel_from_rows(1)`), each on a connection of the pool idle at that
/// moment, and get the rows they get loading them in turn (in a transaction, or with
/// `parallel_relations(false)`); SQLite loads them in turn.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sibling_relations_load_at_the_same_time_with_the_same_rows() {
    use trellis::ConnectOptions;
    for backend in crate::support::backends() {
        for parallel in [true, false] {
            let options = ConnectOptions::new()
                .parallel_relations(parallel)
                .parallel_from_rows(1);
            let test_db =
                crate::support::TestDb::pooled(&backend, "sibling_relations", options).await;
            let db = test_db.db.clone();
            let outcome = async {
                seed(&db).await?;
                let in_turn = db
                    .transaction(async |tx| users_with_three_relations(tx).await)
                    .await?;
                assert_eq!(
                    db.transaction(async |tx| users_with_three_includes(tx).await)
                        .await?,
                    in_turn
                );
                assert_eq!(db.parallel_load_count(), 0, "a transaction loads in turn");
                assert!(in_turn.iter().any(|u| u.2.len() > 1 && !u.3.is_empty()));
                // The first loads find no idle connection to spare and open one in the
                // background; the loads after it use it (given up to 5 s; 20 loads where none
                // is expected).
                // Behind a pooler in transaction mode a read is one transaction, on one
                // connection.
                let expected = parallel && backend.url.is_some() && !backend.pooler;
                let (mut selected, mut included) = (false, false);
                for _ in 0..if expected { 500 } else { 20 } {
                    let before = db.parallel_load_count();
                    assert_eq!(users_with_three_relations(&db).await?, in_turn);
                    let between = db.parallel_load_count();
                    assert_eq!(users_with_three_includes(&db).await?, in_turn);
                    selected |= between > before;
                    included |= db.parallel_load_count() > between;
                    if selected && included {
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                }
                assert_eq!((selected, included), (expected, expected));
                // Both siblings fail, each on a cursor naming a row that does not exist, the
                // first one level down (later than the second): the error is the first
                // sibling's, as when they load in turn.
                let failing = User::find_many().select(select!(User {
                    id,
                    organizations { name, members(cursor = (id, "none")) { id } },
                    sessions(cursor = (id, -1)) { token }
                }));
                match failing.fetch_all(&db).await {
                    Err(Error::NotFound { model }) => assert_eq!(model, "User"),
                    other => panic!("expected the organizations' users' NotFound: {other:?}"),
                }
                let failing = User::find_many()
                    .include(user::organizations.with(|q| {
                        q.include(
                            crate::models::organization::members
                                .with(|q| q.cursor(user::id, "none")),
                        )
                    }))
                    .include(user::sessions.with(|q| q.cursor(crate::models::session::id, -1)));
                match failing.fetch_all(&db).await {
                    Err(Error::NotFound { model }) => assert_eq!(model, "User"),
                    other => panic!("expected the organizations' users' NotFound: {other:?}"),
                }
                Ok::<_, Error>(())
            }
            .await;
            if let Err(e) = outcome {
                panic!("[{}] parallel {parallel}: {e:?}", backend.name);
            }
            test_db.finish().await;
        }
    }
}
