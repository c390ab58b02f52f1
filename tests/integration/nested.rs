//! Nested creates: a row with its has_one and has_many children and its many_to_many
//! connections, in one transaction, on every backend; a failure at any level leaves nothing.

use trellis::prelude::*;

use crate::models::{self, organization, Membership, Organization, Profile, Session, User};
use crate::support::backend_tests;

backend_tests!(
    create_fills_in_the_parent_key_of_has_one_and_has_many_children,
    create_on_a_generated_key_fills_it_into_the_children,
    create_many_writes_each_parent_with_its_own_children,
    create_connects_stored_rows_with_the_join_columns,
    create_connecting_a_missing_row_writes_nothing,
    create_failing_on_a_child_unique_key_writes_nothing,
    create_failing_on_the_has_one_child_writes_nothing,
    create_failing_on_a_join_row_writes_nothing,
    create_failing_on_a_child_foreign_key_writes_nothing,
    create_many_failing_on_a_later_parent_writes_nothing,
    create_many_splits_children_under_the_parameter_limit,
    create_many_runs_one_statement_per_level,
    connect_disconnect_and_set_many_to_many_on_a_stored_row,
    connect_belongs_to_points_the_foreign_key_and_disconnect_clears_it,
    connecting_a_missing_row_to_a_stored_row_writes_nothing,
    set_failing_on_a_join_row_keeps_the_old_connections,
);

/// An account with an `auto` key: the children's foreign keys come from the database.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "n_accounts")]
pub struct Account {
    #[field(id, auto)]
    pub id: i64,
    #[field(unique)]
    pub email: String,
    #[relation(has_one = Settings, foreign_key = "account_id")]
    pub settings: HasOne<Settings>,
    #[relation(has_many = Login, foreign_key = "account_id")]
    pub logins: HasMany<Login>,
    #[relation(many_to_many = Team, through = Seat, from = "account_id", to = "team_id")]
    pub teams: ManyToMany<Team>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "n_settings")]
pub struct Settings {
    #[field(id, auto)]
    pub id: i64,
    #[field(unique, references = Account)]
    pub account_id: i64,
    #[field(unique)]
    pub handle: String,
    #[field(default = "'light'")]
    pub theme: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "n_logins")]
pub struct Login {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = Account)]
    pub account_id: i64,
    #[field(unique)]
    pub token: String,
    #[field(references = Team)]
    pub team_id: Option<String>,
    #[relation(belongs_to = Account, foreign_key = "account_id")]
    pub account: BelongsTo<Account>,
    #[relation(belongs_to = Team, foreign_key = "team_id")]
    pub team: BelongsTo<Team>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "n_teams")]
pub struct Team {
    #[field(id)]
    pub id: String,
    #[field(unique)]
    pub slug: String,
}

/// The join model, with columns of its own (a unique one, to fail on).
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "n_seats")]
pub struct Seat {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = Account)]
    pub account_id: i64,
    #[field(references = Team)]
    pub team_id: String,
    pub role: String,
    #[field(unique)]
    pub badge: String,
}

pub(crate) async fn setup(db: &Db) -> Result<(), Error> {
    db.create_schema(
        &Schema::new()
            .model::<Account>()
            .model::<Settings>()
            .model::<Login>()
            .model::<Team>()
            .model::<Seat>(),
    )
    .await?;
    Team::insert_many(["red", "blue"].map(|t| team::New {
        id: format!("t-{t}"),
        slug: t.into(),
    }))
    .exec(db)
    .await?;
    Ok(())
}

fn new_account(email: &str) -> account::New {
    account::New {
        email: email.into(),
    }
}

fn logins(tokens: &[&str]) -> Vec<account::logins::New> {
    tokens
        .iter()
        .map(|t| account::logins::New {
            token: (*t).into(),
            team_id: None,
        })
        .collect()
}

pub(crate) fn seat(role: &str, badge: &str) -> account::teams::New {
    account::teams::New {
        role: role.into(),
        badge: badge.into(),
    }
}

/// The rows of every table the nested writes touch, to check that a failure left nothing.
async fn counts(db: &Db) -> Result<[i64; 4], Error> {
    Ok([
        Account::count().fetch(db).await?,
        Settings::count().fetch(db).await?,
        Login::count().fetch(db).await?,
        Seat::count().fetch(db).await?,
    ])
}

async fn create_fills_in_the_parent_key_of_has_one_and_has_many_children(
    db: Db,
) -> Result<(), Error> {
    db.create_schema(&models::schema()).await?;
    let ada = User::create(models::user::New {
        id: "ada".into(),
        email: "ada@example.com".into(),
        name: "Ada".into(),
        age: None,
    })
    .with(models::user::profile::create(models::user::profile::New {
        id: "p-ada".into(),
        bio: Some("Counts things.".into()),
    }))
    .with(models::user::sessions::create(
        ["t1", "t2"].map(|t| models::user::sessions::New { token: t.into() }),
    ))
    .exec(&db)
    .await?;
    // The returned row carries the children as stored.
    let profile = ada.profile.get().cloned();
    assert_eq!(
        profile
            .as_ref()
            .map(|p| (p.user_id.as_str(), p.bio.as_deref())),
        Some(("ada", Some("Counts things.")))
    );
    let sessions = ada.sessions.rows();
    assert_eq!(
        sessions
            .iter()
            .map(|s| (s.user_id.as_str(), s.token.as_str()))
            .collect::<Vec<_>>(),
        [("ada", "t1"), ("ada", "t2")]
    );
    assert!(sessions.iter().all(|s| s.id > 0));
    // And the database holds them.
    let read = User::find_by_id("ada")
        .include(models::user::profile)
        .include(models::user::sessions)
        .fetch_one(&db)
        .await?;
    assert_eq!(read.profile.get(), profile.as_ref());
    let mut stored: Vec<Session> = read.sessions.into_rows();
    stored.sort_by_key(|s| s.id);
    assert_eq!(stored, sessions);
    assert_eq!(Profile::count().fetch(&db).await?, 1);
    Ok(())
}

async fn create_on_a_generated_key_fills_it_into_the_children(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    Account::insert(new_account("first@example.com"))
        .exec(&db)
        .await?;
    let account = Account::create(new_account("a@example.com"))
        .with(account::settings::create(account::settings::New {
            handle: "a".into(),
        }))
        .with(account::logins::create(logins(&["x", "y", "z"])))
        .exec(&db)
        .await?;
    let settings = account.settings.get().cloned();
    assert_eq!(
        settings.as_ref().map(|s| (s.account_id, s.theme.as_str())),
        Some((account.id, "light"))
    );
    let logins = account.logins.rows();
    assert_eq!(logins.len(), 3);
    assert!(logins.iter().all(|l| l.account_id == account.id));
    let read = Login::find_many()
        .filter(login::account_id.eq(account.id))
        .order_by(login::token.asc())
        .fetch_all(&db)
        .await?;
    assert_eq!(
        read.iter().map(|l| l.token.as_str()).collect::<Vec<_>>(),
        ["x", "y", "z"]
    );
    assert_eq!(
        Settings::find_unique(settings::account_id, account.id)
            .fetch_optional(&db)
            .await?,
        settings
    );
    Ok(())
}

async fn create_many_writes_each_parent_with_its_own_children(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let stored = Account::create_many((0..4).map(|i| {
        let create = Account::create(new_account(&format!("{i}@example.com"))).with(
            account::logins::create(logins(&[&format!("{i}-a"), &format!("{i}-b")])),
        );
        // Every other account gets settings.
        if i % 2 == 0 {
            create.with(account::settings::create(account::settings::New {
                handle: format!("h{i}"),
            }))
        } else {
            create
        }
    }))
    .exec(&db)
    .await?;
    assert_eq!(stored.len(), 4);
    for (i, account) in stored.iter().enumerate() {
        assert_eq!(account.email, format!("{i}@example.com"));
        let read = Account::find_by_id(account.id)
            .include(account::logins)
            .include(account::settings)
            .fetch_one(&db)
            .await?;
        let mut tokens: Vec<String> = read.logins.rows().iter().map(|l| l.token.clone()).collect();
        tokens.sort();
        assert_eq!(tokens, [format!("{i}-a"), format!("{i}-b")]);
        assert_eq!(
            read.settings.get().map(|s| s.handle.clone()),
            (i % 2 == 0).then(|| format!("h{i}"))
        );
        assert_eq!(account.logins.rows().len(), 2);
    }
    assert_eq!(counts(&db).await?, [4, 2, 8, 0]);
    Ok(())
}

async fn create_connects_stored_rows_with_the_join_columns(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let account = Account::create(new_account("a@example.com"))
        .with(account::teams::connect("t-red", seat("owner", "b1")))
        .with(account::teams::connect_by(
            team::slug,
            "blue",
            seat("guest", "b2"),
        ))
        .exec(&db)
        .await?;
    let mut teams: Vec<&str> = account
        .teams
        .rows()
        .iter()
        .map(|t| t.slug.as_str())
        .collect();
    teams.sort();
    assert_eq!(teams, ["blue", "red"]);
    let seats = Seat::find_many()
        .order_by(seat::badge.asc())
        .fetch_all(&db)
        .await?;
    assert_eq!(
        seats
            .iter()
            .map(|s| (s.account_id, s.team_id.as_str(), s.role.as_str()))
            .collect::<Vec<_>>(),
        [
            (account.id, "t-red", "owner"),
            (account.id, "t-blue", "guest")
        ]
    );
    let read = Account::find_by_id(account.id)
        .include(account::teams)
        .fetch_one(&db)
        .await?;
    assert_eq!(read.teams.rows().len(), 2);

    // The shared models: users join organizations through memberships.
    db.create_schema(&models::schema()).await?;
    Organization::insert(organization::New {
        id: "acme".into(),
        name: "Acme".into(),
    })
    .exec(&db)
    .await?;
    let ada = User::create(models::user::New {
        id: "ada".into(),
        email: "ada@example.com".into(),
        name: "Ada".into(),
        age: None,
    })
    .with(models::user::organizations::connect(
        "acme",
        models::user::organizations::New {
            role: "admin".into(),
        },
    ))
    .exec(&db)
    .await?;
    assert_eq!(ada.organizations.rows().len(), 1);
    let memberships = Membership::find_many().fetch_all(&db).await?;
    assert_eq!(
        memberships
            .iter()
            .map(|m| (
                m.user_id.as_str(),
                m.organization_id.as_str(),
                m.role.as_str()
            ))
            .collect::<Vec<_>>(),
        [("ada", "acme", "admin")]
    );
    Ok(())
}

async fn create_connecting_a_missing_row_writes_nothing(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let err = Account::create(new_account("a@example.com"))
        .with(account::logins::create(logins(&["x"])))
        .with(account::teams::connect("t-red", seat("owner", "b1")))
        .with(account::teams::connect_by(
            team::slug,
            "green",
            seat("guest", "b2"),
        ))
        .exec(&db)
        .await;
    match err {
        Err(Error::RelatedNotFound {
            model,
            relation,
            target,
            column,
            ..
        }) => assert_eq!(
            (model, relation, target, column),
            ("Account", "teams", "Team", "slug")
        ),
        other => panic!("expected RelatedNotFound, got {other:?}"),
    }
    assert_eq!(counts(&db).await?, [0, 0, 0, 0]);
    Ok(())
}

fn expect_unique(result: Result<impl std::fmt::Debug, Error>, column: &str) {
    match result {
        Err(Error::UniqueViolation { constraint, .. }) => {
            let constraint = constraint.unwrap_or_default();
            assert!(
                constraint.contains(column),
                "the constraint names `{column}`: {constraint:?}"
            );
        }
        other => panic!("expected a unique violation on `{column}`, got {other:?}"),
    }
}

async fn create_failing_on_a_child_unique_key_writes_nothing(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    // Two logins of one create with the same token: the logins' statement fails after the
    // account's and the settings' went in.
    let result = Account::create(new_account("a@example.com"))
        .with(account::settings::create(account::settings::New {
            handle: "a".into(),
        }))
        .with(account::logins::create(logins(&["x", "x"])))
        .exec(&db)
        .await;
    expect_unique(result, "token");
    assert_eq!(counts(&db).await?, [0, 0, 0, 0]);
    Ok(())
}

async fn create_failing_on_the_has_one_child_writes_nothing(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let first = Account::create(new_account("a@example.com"))
        .with(account::settings::create(account::settings::New {
            handle: "taken".into(),
        }))
        .exec(&db)
        .await?;
    let result = Account::create(new_account("b@example.com"))
        .with(account::settings::create(account::settings::New {
            handle: "taken".into(),
        }))
        .with(account::logins::create(logins(&["y"])))
        .exec(&db)
        .await;
    expect_unique(result, "handle");
    assert_eq!(counts(&db).await?, [1, 1, 0, 0]);
    assert_eq!(
        Account::find_many().fetch_all(&db).await?,
        [Account {
            settings: Default::default(),
            ..first
        }]
    );
    Ok(())
}

async fn create_failing_on_a_join_row_writes_nothing(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    // The join rows come last: the account and its logins are in when they fail.
    let result = Account::create(new_account("a@example.com"))
        .with(account::logins::create(logins(&["x"])))
        .with(account::teams::connect("t-red", seat("owner", "same")))
        .with(account::teams::connect("t-blue", seat("guest", "same")))
        .exec(&db)
        .await;
    expect_unique(result, "badge");
    assert_eq!(counts(&db).await?, [0, 0, 0, 0]);
    Ok(())
}

async fn create_failing_on_a_child_foreign_key_writes_nothing(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    // A login's other foreign key points at no team: the database refuses the logins'
    // statement, after the account's and its settings' went in.
    let result = Account::create(new_account("a@example.com"))
        .with(account::settings::create(account::settings::New {
            handle: "a".into(),
        }))
        .with(account::logins::create([account::logins::New {
            token: "x".into(),
            team_id: Some("t-missing".into()),
        }]))
        .exec(&db)
        .await;
    assert!(
        matches!(result, Err(Error::ForeignKeyViolation { .. })),
        "{result:?}"
    );
    assert_eq!(counts(&db).await?, [0, 0, 0, 0]);
    Ok(())
}

async fn create_many_failing_on_a_later_parent_writes_nothing(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let result = Account::create_many(["a", "b", "a"].map(|e| {
        Account::create(new_account(&format!("{e}@example.com")))
            .with(account::logins::create(logins(&[&format!("{e}-1")])))
    }))
    .exec(&db)
    .await;
    expect_unique(result, "email");
    assert_eq!(counts(&db).await?, [0, 0, 0, 0]);
    Ok(())
}

async fn create_many_splits_children_under_the_parameter_limit(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    // Three columns per login: more logins than one statement can bind, across 3 accounts.
    let per_account = db.dialect().max_params() / 3 / 3 + 10;
    let stored = Account::create_many((0..3).map(|a| {
        Account::create(new_account(&format!("{a}@example.com"))).with(account::logins::create(
            (0..per_account).map(|i| account::logins::New {
                token: format!("{a}-{i:06}"),
                team_id: None,
            }),
        ))
    }))
    .exec(&db)
    .await?;
    for account in &stored {
        assert_eq!(account.logins.rows().len(), per_account);
        assert!(account
            .logins
            .rows()
            .iter()
            .all(|l| l.account_id == account.id));
        assert_eq!(
            Login::count()
                .filter(login::account_id.eq(account.id))
                .fetch(&db)
                .await?,
            per_account as i64
        );
    }
    Ok(())
}

async fn seats_of(db: &Db, account: i64) -> Result<Vec<(String, String)>, Error> {
    Ok(Seat::find_many()
        .filter(seat::account_id.eq(account))
        .order_by(seat::team_id.asc())
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|s| (s.team_id, s.role))
        .collect())
}

fn pair(team: &str, role: &str) -> (String, String) {
    (team.to_owned(), role.to_owned())
}

async fn connect_disconnect_and_set_many_to_many_on_a_stored_row(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let a = Account::insert(new_account("a@example.com"))
        .exec(&db)
        .await?;
    let other = Account::create(new_account("b@example.com"))
        .with(account::teams::connect("t-red", seat("owner", "other")))
        .exec(&db)
        .await?;

    let updated = Account::update_by_id(a.id)
        .with(account::teams::connect("t-red", seat("owner", "b1")))
        .with(account::teams::connect_by(
            team::slug,
            "blue",
            seat("guest", "b2"),
        ))
        .exec(&db)
        .await?;
    assert_eq!(updated.teams.rows().len(), 2);
    assert_eq!(
        seats_of(&db, a.id).await?,
        [pair("t-blue", "guest"), pair("t-red", "owner")]
    );

    Account::update_by_id(a.id)
        .with(account::teams::disconnect_by(team::slug, "red"))
        .exec(&db)
        .await?;
    assert_eq!(seats_of(&db, a.id).await?, [pair("t-blue", "guest")]);

    let set = Account::update_by_id(a.id)
        .with(account::teams::set([
            ("t-red", seat("admin", "b3")),
            ("t-blue", seat("admin", "b4")),
        ]))
        .exec(&db)
        .await?;
    assert_eq!(set.teams.rows().len(), 2);
    assert_eq!(
        seats_of(&db, a.id).await?,
        [pair("t-blue", "admin"), pair("t-red", "admin")]
    );
    Account::update_by_id(a.id)
        .with(account::teams::set(Vec::<(&str, _)>::new()))
        .exec(&db)
        .await?;
    assert_eq!(seats_of(&db, a.id).await?, []);
    Account::update_by_id(a.id)
        .with(account::teams::disconnect("t-red"))
        .exec(&db)
        .await?;
    // The other account's connections were never touched.
    assert_eq!(seats_of(&db, other.id).await?, [pair("t-red", "owner")]);
    Ok(())
}

async fn connect_belongs_to_points_the_foreign_key_and_disconnect_clears_it(
    db: Db,
) -> Result<(), Error> {
    setup(&db).await?;
    let a = Account::create(new_account("a@example.com"))
        .with(account::logins::create(logins(&["x"])))
        .exec(&db)
        .await?;
    let b = Account::insert(new_account("b@example.com"))
        .exec(&db)
        .await?;
    let login = &a.logins.rows()[0];

    let moved = Login::update_by_id(login.id)
        .with(login::account::connect_by(account::email, "b@example.com"))
        .with(login::team::connect("t-red"))
        .exec(&db)
        .await?;
    assert_eq!(
        (moved.account_id, moved.team_id.as_deref()),
        (b.id, Some("t-red"))
    );
    let read = Login::find_by_id(login.id).fetch_one(&db).await?;
    assert_eq!(
        (read.account_id, read.team_id),
        (b.id, Some("t-red".to_owned()))
    );

    let cleared = Login::update_by_id(login.id)
        .with(login::team::disconnect())
        .with(login::account::connect(a.id))
        .exec(&db)
        .await?;
    assert_eq!((cleared.account_id, cleared.team_id), (a.id, None));
    let read = Login::find_by_id(login.id).fetch_one(&db).await?;
    assert_eq!((read.account_id, read.team_id), (a.id, None));
    Ok(())
}

async fn connecting_a_missing_row_to_a_stored_row_writes_nothing(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let a = Account::create(new_account("a@example.com"))
        .with(account::logins::create(logins(&["x"])))
        .exec(&db)
        .await?;
    let login = a.logins.rows()[0].clone();
    let err = Login::update_by_id(login.id)
        .set(login::token, "changed")
        .with(login::team::connect("t-red"))
        .with(login::account::connect(a.id + 1000))
        .exec(&db)
        .await;
    assert!(
        matches!(
            err,
            Err(Error::RelatedNotFound {
                relation: "account",
                ..
            })
        ),
        "{err:?}"
    );
    assert_eq!(Login::find_by_id(login.id).fetch_one(&db).await?, login);

    let err = Account::update_by_id(a.id)
        .set(account::email, "changed@example.com")
        .with(account::teams::connect("t-red", seat("owner", "b1")))
        .with(account::teams::disconnect("t-green"))
        .exec(&db)
        .await;
    assert!(
        matches!(
            err,
            Err(Error::RelatedNotFound {
                relation: "teams",
                target: "Team",
                ..
            })
        ),
        "{err:?}"
    );
    let read = Account::find_by_id(a.id).fetch_one(&db).await?;
    assert_eq!(read.email, "a@example.com");
    assert_eq!(counts(&db).await?, [1, 0, 1, 0]);
    Ok(())
}

async fn set_failing_on_a_join_row_keeps_the_old_connections(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let a = Account::create(new_account("a@example.com"))
        .with(account::teams::connect("t-red", seat("owner", "b1")))
        .exec(&db)
        .await?;
    // The old join row is deleted first; the new ones collide on their badge.
    let result = Account::update_by_id(a.id)
        .with(account::teams::set([
            ("t-red", seat("admin", "same")),
            ("t-blue", seat("admin", "same")),
        ]))
        .exec(&db)
        .await;
    expect_unique(result, "badge");
    assert_eq!(seats_of(&db, a.id).await?, [pair("t-red", "owner")]);
    Ok(())
}

/// The statements of a nested create: as many for 50 accounts as for one, so one per level
/// (and, on MySQL, the read-back of each level).
async fn create_many_runs_one_statement_per_level(db: Db) -> Result<(), Error> {
    setup(&db).await?;
    let mut counted = Vec::new();
    for (round, accounts) in [(0, 1), (1, 50)] {
        let before = db.statement_count();
        Account::create_many((0..accounts).map(|i| {
            Account::create(new_account(&format!("{round}-{i}@example.com")))
                .with(account::settings::create(account::settings::New {
                    handle: format!("{round}-{i}"),
                }))
                .with(account::logins::create(logins(&[
                    &format!("{round}-{i}-a"),
                    &format!("{round}-{i}-b"),
                ])))
                .with(account::teams::connect(
                    "t-red",
                    seat("owner", &format!("{round}-{i}-r")),
                ))
                .with(account::teams::connect_by(
                    team::slug,
                    "blue",
                    seat("guest", &format!("{round}-{i}-b")),
                ))
        }))
        .exec(&db)
        .await?;
        counted.push(db.statement_count() - before);
    }
    // Accounts, settings, logins, the teams looked up (by key, and by slug), the seats;
    // MySQL (and MariaDB before 10.5) reads each insert's rows back.
    let levels = if crate::bulk::server_returns_inserted_rows(&db).await? {
        6
    } else {
        10
    };
    assert_eq!(counted, [levels, levels]);
    assert_eq!(Seat::count().fetch(&db).await?, 102);
    assert_eq!(Login::count().fetch(&db).await?, 102);
    Ok(())
}
