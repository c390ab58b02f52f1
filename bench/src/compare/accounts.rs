//! The `seed`, `find_first`, `page` and `counts` workloads: users with a profile, sessions (the
//! first five by token loaded, or their count and greatest token) and organizations through
//! memberships.

use serde::Deserialize;
use trellis::prelude::*;

use super::{
    fetch, fetch_level, fetch_level_via, group, Backend, Ctx, Imp, Keys, Param, Result, Via,
};

/// A user: a profile, ten sessions and three organizations each.
#[derive(Model, Debug, Clone)]
#[model(table = "seed_users")]
pub struct User {
    /// The primary key.
    #[field(id)]
    pub id: i64,
    /// The e-mail address, unique.
    #[field(unique)]
    pub email: String,
    /// The profile, once loaded.
    #[relation(has_one = Profile, foreign_key = "user_id")]
    pub profile: HasOne<Profile>,
    /// The sessions, once loaded.
    #[relation(has_many = Session, foreign_key = "user_id")]
    pub sessions: HasMany<Session>,
    /// The organizations, once loaded.
    #[relation(many_to_many = Organization, through = Membership, from = "user_id", to = "organization_id")]
    pub organizations: ManyToMany<Organization>,
}

/// A user's profile.
#[derive(Model, Debug, Clone)]
#[model(table = "seed_profiles")]
pub struct Profile {
    /// The primary key.
    #[field(id)]
    pub id: i64,
    /// The user (one profile per user).
    #[field(unique, references = User)]
    pub user_id: i64,
    /// A short text, missing for every other user.
    pub bio: Option<String>,
}

/// A login session.
#[derive(Model, Debug, Clone)]
#[model(table = "seed_sessions")]
pub struct Session {
    /// The primary key.
    #[field(id)]
    pub id: i64,
    /// The user.
    #[field(references = User)]
    pub user_id: i64,
    /// The token, unique per user, not in key order.
    pub token: String,
}

/// An organization.
#[derive(Model, Debug, Clone)]
#[model(table = "seed_organizations")]
pub struct Organization {
    /// The primary key.
    #[field(id)]
    pub id: i64,
    /// The name.
    pub name: String,
}

/// A membership: the join model of `User::organizations`.
#[derive(Model, Debug, Clone)]
#[model(table = "seed_memberships")]
pub struct Membership {
    /// The primary key.
    #[field(id)]
    pub id: i64,
    /// The member.
    #[field(references = User)]
    pub user_id: i64,
    /// The organization.
    #[field(references = Organization)]
    pub organization_id: i64,
}

/// Users in the data set.
pub const USERS: i64 = 1_000;
/// Sessions per user.
pub const SESSIONS: i64 = 10;
/// Sessions loaded per user (the first by token).
pub const TAKE: i64 = 5;
/// Organizations in the data set.
pub const ORGANIZATIONS: i64 = 50;
/// Memberships per user.
pub const MEMBERSHIPS: i64 = 3;
/// Users looked up one at a time by `find_first`.
pub const LOOKUPS: i64 = 100;
/// Users per page of the `page` workload.
pub const PAGE: i64 = 20;
/// Pages read one after the other by the `page` workload.
pub const PAGES: i64 = 10;
/// The `page` workload reads the users whose key is above this.
pub const PAGE_ABOVE: i64 = 100;

/// A user as every `seed` implementation returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserOut {
    /// The key.
    pub id: i64,
    /// The bio: `None` without a profile, `Some(None)` for a profile without a bio.
    pub bio: Option<Option<String>>,
    /// The first sessions' tokens, in token order.
    pub tokens: Vec<String>,
    /// The organizations' names, in key order.
    pub organizations: Vec<String>,
}

/// A user as every `find_first` implementation returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct CardOut {
    /// The key.
    pub id: i64,
    /// The bio: `None` without a profile, `Some(None)` for a profile without a bio.
    pub bio: Option<Option<String>>,
    /// The first sessions' tokens, in token order.
    pub tokens: Vec<String>,
}

fn schema() -> Schema {
    Schema::new()
        .model::<User>()
        .model::<Profile>()
        .model::<Session>()
        .model::<Organization>()
        .model::<Membership>()
}

fn email(u: i64) -> String {
    format!("user{u:04}@example.com")
}

/// Drops and refills the tables.
pub async fn seed(db: &Db) -> Result<()> {
    db.drop_schema(&schema()).await?;
    db.create_schema(&schema()).await?;
    Organization::insert_many((1..=ORGANIZATIONS).map(|o| organization::New {
        id: o,
        name: format!("Organization {o:02}"),
    }))
    .exec(db)
    .await?;
    User::insert_many((1..=USERS).map(|u| user::New {
        id: u,
        email: email(u),
    }))
    .exec(db)
    .await?;
    Profile::insert_many((1..=USERS).map(|u| profile::New {
        id: u,
        user_id: u,
        bio: (u % 2 == 0).then(|| format!("the bio of user {u}, a sentence or two long")),
    }))
    .exec(db)
    .await?;
    Session::insert_many((1..=USERS).flat_map(|u| {
        (0..SESSIONS).map(move |s| session::New {
            id: s * USERS + u,
            user_id: u,
            // A permutation of 0..10 per user: token order is not key order.
            token: format!("token-{:02}-{u:04}", (s * 7 + u) % SESSIONS),
        })
    }))
    .exec(db)
    .await?;
    Membership::insert_many((1..=USERS).flat_map(|u| {
        (0..MEMBERSHIPS).map(move |m| membership::New {
            id: m * USERS + u,
            user_id: u,
            organization_id: 1 + (u * 7 + m * 17) % ORGANIZATIONS,
        })
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// `seed`: every user with its profile's bio, first sessions and organizations.
pub async fn load_all(ctx: &Ctx, imp: Imp) -> Result<Vec<UserOut>> {
    match imp {
        Imp::HandIn | Imp::HandPerRequest | Imp::HandOneConnection => {
            all_by_level(ctx, Keys::List).await
        }
        Imp::HandOneParam => all_by_level(ctx, Keys::One).await,
        Imp::HandJson => all_json(ctx).await,
        Imp::TrellisSelect => all_select(&ctx.db).await,
        Imp::TrellisSelectInTurn => all_select(&ctx.db_in_turn).await,
        Imp::TrellisSelectByKey => all_select(&ctx.db_by_key).await,
        Imp::TrellisInclude => all_include(&ctx.db).await,
    }
}

/// `find_first`: `LOOKUPS` users, one at a time, by e-mail, with bio and first sessions.
pub async fn find_each(ctx: &Ctx, imp: Imp) -> Result<Vec<Option<CardOut>>> {
    let mut out = Vec::with_capacity(LOOKUPS as usize);
    for i in 0..LOOKUPS {
        out.push(find_one(ctx, imp, 1 + i * (USERS / LOOKUPS)).await?);
    }
    Ok(out)
}

/// One request of `find_first`: user `u` by e-mail, with bio and first sessions.
pub async fn find_one(ctx: &Ctx, imp: Imp, u: i64) -> Result<Option<CardOut>> {
    let email = email(u);
    match imp {
        Imp::HandPerRequest => one_per_request(Via::Pool(&ctx.pool), ctx.backend, &email).await,
        Imp::HandOneConnection => {
            let mut conn = ctx.pool.conn().await?;
            one_per_request(Via::Conn(&mut conn), ctx.backend, &email).await
        }
        Imp::HandIn => one_by_level(ctx, Keys::List, &email).await,
        Imp::HandOneParam => one_by_level(ctx, Keys::One, &email).await,
        Imp::HandJson => one_json(ctx, &email).await,
        Imp::TrellisSelect => one_select(&ctx.db, &email).await,
        Imp::TrellisSelectInTurn => one_select(&ctx.db_in_turn, &email).await,
        Imp::TrellisSelectByKey => one_select(&ctx.db_by_key, &email).await,
        Imp::TrellisInclude => one_include(&ctx.db, &email).await,
    }
}

/// `page`: `PAGES` requests one after the other, each a page of `PAGE` users (those whose key
/// is above `PAGE_ABOVE`, by e-mail from the last, the page numbered by the request) with
/// their profile's bio, first sessions and organizations.
pub async fn pages(ctx: &Ctx, imp: Imp) -> Result<Vec<UserOut>> {
    let mut out = Vec::with_capacity((PAGE * PAGES) as usize);
    for page in 0..PAGES {
        out.extend(self::page(ctx, imp, page).await?);
    }
    Ok(out)
}

/// One page of the `page` workload.
pub async fn page(ctx: &Ctx, imp: Imp, page: i64) -> Result<Vec<UserOut>> {
    let pool = || Via::Pool(&ctx.pool);
    match imp {
        Imp::HandIn | Imp::HandPerRequest | Imp::HandJson => {
            page_by_level(pool(), ctx.backend, Keys::List, page).await
        }
        Imp::HandOneParam => page_by_level(pool(), ctx.backend, Keys::One, page).await,
        Imp::HandOneConnection => {
            let mut conn = ctx.pool.conn().await?;
            page_by_level(Via::Conn(&mut conn), ctx.backend, Keys::List, page).await
        }
        Imp::TrellisSelect => page_select(&ctx.db, page).await,
        Imp::TrellisSelectInTurn => page_select(&ctx.db_in_turn, page).await,
        Imp::TrellisSelectByKey => page_select(&ctx.db_by_key, page).await,
        Imp::TrellisInclude => page_include(&ctx.db, page).await,
    }
}

/// The users of page `page` (those whose key is above `PAGE_ABOVE`, by e-mail from the last).
fn users_page(page: i64) -> trellis::query::Find<User> {
    User::find_many()
        .filter(user::id.gt(PAGE_ABOVE))
        .order_by(user::email.desc())
        .skip((page * PAGE) as u64)
        .take(PAGE as u64)
}

async fn page_select(db: &Db, page: i64) -> Result<Vec<UserOut>> {
    let users = users_page(page)
        .select(select!(User {
            id,
            profile { bio },
            sessions(take = 5, order_by = token.asc()) { token },
            organizations(order_by = id.asc()) { name }
        }))
        .fetch_all(db)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| UserOut {
            id: u.id,
            bio: u.profile.map(|p| p.bio),
            tokens: u.sessions.into_iter().map(|s| s.token).collect(),
            organizations: u.organizations.into_iter().map(|o| o.name).collect(),
        })
        .collect())
}

async fn page_include(db: &Db, page: i64) -> Result<Vec<UserOut>> {
    let users = users_page(page)
        .include(user::profile)
        .include(user::sessions.with(|q| q.order_by(session::token.asc()).take(TAKE as u64)))
        .include(user::organizations.with(|q| q.order_by(organization::id.asc())))
        .fetch_all(db)
        .await?;
    Ok(users.into_iter().map(included).collect())
}

/// A user loaded with `include`, as the workloads return it.
fn included(u: User) -> UserOut {
    UserOut {
        id: u.id,
        bio: u.profile.into_loaded().flatten().map(|p| p.bio),
        tokens: u
            .sessions
            .into_loaded()
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.token)
            .collect(),
        organizations: u
            .organizations
            .into_loaded()
            .unwrap_or_default()
            .into_iter()
            .map(|o| o.name)
            .collect(),
    }
}

/// The keys of page `page`'s users, as a person writes it, on `via`.
async fn page_ids(via: Via<'_>, backend: Backend, page: i64) -> Result<Vec<i64>> {
    let p = |n| backend.placeholder(n);
    let sql = format!(
        "SELECT id FROM seed_users WHERE id > {} ORDER BY email DESC LIMIT {} OFFSET {}",
        p(1),
        p(2),
        p(3)
    );
    let params = [
        Param::Int(PAGE_ABOVE),
        Param::Int(PAGE),
        Param::Int(page * PAGE),
    ];
    fetch(via, sql, &params, |r| r.int(0)).await
}

/// One page as a person writes it: the page's users, then each relation's rows of those
/// users, one statement per level, on `via`.
async fn page_by_level(
    mut via: Via<'_>,
    backend: Backend,
    how: Keys,
    page: i64,
) -> Result<Vec<UserOut>> {
    let ids = page_ids(via.reborrow(), backend, page).await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let level = async |via: Via<'_>, sql: &str| {
        fetch_level_via(via, backend, how, sql, &ids, |r| {
            Ok((r.int(0)?, r.opt_text(1)?))
        })
        .await
    };
    let bios: std::collections::HashMap<i64, Option<String>> =
        level(via.reborrow(), PROFILES).await?.into_iter().collect();
    let mut tokens = group(
        level(via.reborrow(), SESSIONS_SQL)
            .await?
            .into_iter()
            .map(|(id, t)| (id, t.unwrap_or_default()))
            .collect(),
    );
    let mut organizations = group(
        level(via, ORGANIZATIONS_SQL)
            .await?
            .into_iter()
            .map(|(id, o)| (id, o.unwrap_or_default()))
            .collect(),
    );
    Ok(ids
        .into_iter()
        .map(|id| UserOut {
            id,
            bio: bios.get(&id).cloned(),
            tokens: tokens.remove(&id).unwrap_or_default(),
            organizations: organizations.remove(&id).unwrap_or_default(),
        })
        .collect())
}

async fn all_select(db: &Db) -> Result<Vec<UserOut>> {
    let users = User::find_many()
        .order_by(user::id.asc())
        .select(select!(User {
            id,
            profile { bio },
            sessions(take = 5, order_by = token.asc()) { token },
            organizations(order_by = id.asc()) { name }
        }))
        .fetch_all(db)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| UserOut {
            id: u.id,
            bio: u.profile.map(|p| p.bio),
            tokens: u.sessions.into_iter().map(|s| s.token).collect(),
            organizations: u.organizations.into_iter().map(|o| o.name).collect(),
        })
        .collect())
}

async fn all_include(db: &Db) -> Result<Vec<UserOut>> {
    let users = User::find_many()
        .order_by(user::id.asc())
        .include(user::profile)
        .include(user::sessions.with(|q| q.order_by(session::token.asc()).take(TAKE as u64)))
        .include(user::organizations.with(|q| q.order_by(organization::id.asc())))
        .fetch_all(db)
        .await?;
    Ok(users.into_iter().map(included).collect())
}

async fn one_select(db: &Db, email: &str) -> Result<Option<CardOut>> {
    let user = User::find_first()
        .filter(user::email.eq(email))
        .select(select!(User {
            id,
            profile { bio },
            sessions(take = 5, order_by = token.asc()) { token }
        }))
        .fetch_optional(db)
        .await?;
    Ok(user.map(|u| CardOut {
        id: u.id,
        bio: u.profile.map(|p| p.bio),
        tokens: u.sessions.into_iter().map(|s| s.token).collect(),
    }))
}

async fn one_include(db: &Db, email: &str) -> Result<Option<CardOut>> {
    let user = User::find_first()
        .filter(user::email.eq(email))
        .include(user::profile)
        .include(user::sessions.with(|q| q.order_by(session::token.asc()).take(TAKE as u64)))
        .fetch_optional(db)
        .await?;
    Ok(user.map(|u| {
        let u = included(u);
        CardOut {
            id: u.id,
            bio: u.bio,
            tokens: u.tokens,
        }
    }))
}

const PROFILES: &str = "SELECT user_id, bio FROM seed_profiles WHERE user_id{keys}";

/// The first sessions (`TAKE`) of each user by token: `ROW_NUMBER()` per user, as one writes
/// it for many parents at once.
const SESSIONS_SQL: &str = "SELECT user_id, token FROM (\
        SELECT user_id, token, id, \
            ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY token, id) AS rn \
        FROM seed_sessions WHERE user_id{keys}) s \
    WHERE rn <= 5 ORDER BY user_id, rn";

const ORGANIZATIONS_SQL: &str = "SELECT m.user_id, o.name FROM seed_memberships m \
    JOIN seed_organizations o ON o.id = m.organization_id \
    WHERE m.user_id{keys} ORDER BY m.user_id, o.id";

async fn profiles(ctx: &Ctx, how: Keys, ids: &[i64]) -> Result<Vec<(i64, Option<String>)>> {
    fetch_level(ctx, how, PROFILES, ids, |r| Ok((r.int(0)?, r.opt_text(1)?))).await
}

async fn sessions(ctx: &Ctx, how: Keys, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    fetch_level(ctx, how, SESSIONS_SQL, ids, |r| Ok((r.int(0)?, r.text(1)?))).await
}

async fn all_by_level(ctx: &Ctx, how: Keys) -> Result<Vec<UserOut>> {
    let mut users = fetch(
        &ctx.pool,
        "SELECT id FROM seed_users ORDER BY id".to_owned(),
        &[],
        |r| {
            Ok(UserOut {
                id: r.int(0)?,
                bio: None,
                tokens: Vec::new(),
                organizations: Vec::new(),
            })
        },
    )
    .await?;
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let profiles = profiles(ctx, how, &ids).await?;
    let mut tokens = group(sessions(ctx, how, &ids).await?);
    let mut organizations = group(
        fetch_level(ctx, how, ORGANIZATIONS_SQL, &ids, |r| {
            Ok((r.int(0)?, r.text(1)?))
        })
        .await?,
    );
    let mut bios: std::collections::HashMap<i64, Option<String>> = profiles.into_iter().collect();
    for user in &mut users {
        user.bio = bios.remove(&user.id);
        user.tokens = tokens.remove(&user.id).unwrap_or_default();
        user.organizations = organizations.remove(&user.id).unwrap_or_default();
    }
    Ok(users)
}

async fn one_by_level(ctx: &Ctx, how: Keys, email: &str) -> Result<Option<CardOut>> {
    let sql = format!(
        "SELECT id FROM seed_users WHERE email = {} LIMIT 1",
        ctx.backend.placeholder(1)
    );
    let Some(id) = fetch(&ctx.pool, sql, &[Param::Text(email)], |r| r.int(0))
        .await?
        .pop()
    else {
        return Ok(None);
    };
    let bio = profiles(ctx, how, &[id]).await?.pop().map(|(_, bio)| bio);
    let tokens = sessions(ctx, how, &[id])
        .await?
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    Ok(Some(CardOut { id, bio, tokens }))
}

/// One user as a person writes it for one request: three statements, each for one row's key,
/// each on `via` (the pool, or one connection taken for the request).
async fn one_per_request(
    mut via: Via<'_>,
    backend: Backend,
    email: &str,
) -> Result<Option<CardOut>> {
    let (user, profile, sessions) = per_request_sql(backend);
    let Some(id) = fetch(
        via.reborrow(),
        user.to_owned(),
        &[Param::Text(email)],
        |r| r.int(0),
    )
    .await?
    .pop() else {
        return Ok(None);
    };
    let bio = fetch(via.reborrow(), profile.to_owned(), &[Param::Int(id)], |r| {
        r.opt_text(0)
    })
    .await?
    .pop();
    let tokens = fetch(via, sessions.to_owned(), &[Param::Int(id)], |r| r.text(0)).await?;
    Ok(Some(CardOut { id, bio, tokens }))
}

/// The three statements of one request: the user by e-mail, its profile, its first sessions.
fn per_request_sql(backend: Backend) -> (&'static str, &'static str, &'static str) {
    match backend {
        Backend::Postgres => (
            "SELECT id FROM seed_users WHERE email = $1 LIMIT 1",
            "SELECT bio FROM seed_profiles WHERE user_id = $1",
            "SELECT token FROM seed_sessions WHERE user_id = $1 ORDER BY token, id LIMIT 5",
        ),
        Backend::Sqlite | Backend::MySql => (
            "SELECT id FROM seed_users WHERE email = ? LIMIT 1",
            "SELECT bio FROM seed_profiles WHERE user_id = ?",
            "SELECT token FROM seed_sessions WHERE user_id = ? ORDER BY token, id LIMIT 5",
        ),
    }
}

/// The JSON of a user's profile (`[bio]`, or `NULL` without one) and first tokens.
const JSON_PROFILE_AND_TOKENS: &str = "json((SELECT json_array(p.bio) FROM seed_profiles p \
        WHERE p.user_id = u.id)), \
    json((SELECT json_group_array(s.token ORDER BY s.token, s.id) FROM (\
        SELECT token, id FROM seed_sessions WHERE user_id = u.id ORDER BY token, id LIMIT 5) s))";

/// A `seed` row's JSON: `[id, [bio] or null, [tokens], [organization names]]`.
type JsonUser = (i64, Option<(Option<String>,)>, Vec<String>, Vec<String>);

async fn all_json(ctx: &Ctx) -> Result<Vec<UserOut>> {
    debug_assert_eq!(ctx.backend, Backend::Sqlite);
    let sql = format!(
        "SELECT json_array(u.id, {JSON_PROFILE_AND_TOKENS}, \
            json((SELECT json_group_array(o.name ORDER BY o.id) FROM seed_memberships m \
                JOIN seed_organizations o ON o.id = m.organization_id WHERE m.user_id = u.id))) \
         FROM seed_users u ORDER BY u.id"
    );
    let docs = fetch(&ctx.pool, sql, &[], |r| r.text(0)).await?;
    docs.iter()
        .map(|doc| {
            let (id, profile, tokens, organizations): JsonUser = serde_json::from_str(doc)?;
            Ok(UserOut {
                id,
                bio: profile.map(|(bio,)| bio),
                tokens,
                organizations,
            })
        })
        .collect()
}

async fn one_json(ctx: &Ctx, email: &str) -> Result<Option<CardOut>> {
    let sql = format!(
        "SELECT json_array(u.id, {JSON_PROFILE_AND_TOKENS}) \
         FROM seed_users u WHERE u.email = ? LIMIT 1"
    );
    let doc = fetch(&ctx.pool, sql, &[Param::Text(email)], |r| r.text(0))
        .await?
        .pop();
    doc.map(|doc| {
        #[derive(Deserialize)]
        struct Card(i64, Option<(Option<String>,)>, Vec<String>);
        let Card(id, profile, tokens) = serde_json::from_str(&doc)?;
        Ok(CardOut {
            id,
            bio: profile.map(|(bio,)| bio),
            tokens,
        })
    })
    .transpose()
}

/// A user as every `counts` implementation returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct CountsOut {
    /// The key.
    pub id: i64,
    /// How many sessions the user has.
    pub sessions: i64,
    /// The greatest of its sessions' tokens.
    pub last_token: Option<String>,
    /// How many organizations it belongs to.
    pub organizations: i64,
}

/// `counts`: `PAGES` requests one after the other, each a page of users as `page` reads them,
/// each user with aggregates of its relations instead of their rows: how many sessions it
/// has and the greatest token, and how many organizations it belongs to.
pub async fn count_pages(ctx: &Ctx, imp: Imp) -> Result<Vec<CountsOut>> {
    let mut out = Vec::with_capacity((PAGE * PAGES) as usize);
    for page in 0..PAGES {
        out.extend(count_page(ctx, imp, page).await?);
    }
    Ok(out)
}

async fn count_page(ctx: &Ctx, imp: Imp, page: i64) -> Result<Vec<CountsOut>> {
    match imp {
        Imp::TrellisSelect | Imp::TrellisInclude => count_page_select(&ctx.db, page).await,
        Imp::TrellisSelectInTurn => count_page_select(&ctx.db_in_turn, page).await,
        Imp::TrellisSelectByKey => count_page_select(&ctx.db_by_key, page).await,
        Imp::HandOneParam => count_page_by_level(ctx, Keys::One, page).await,
        Imp::HandIn | Imp::HandPerRequest | Imp::HandOneConnection | Imp::HandJson => {
            count_page_by_level(ctx, Keys::List, page).await
        }
    }
}

async fn count_page_select(db: &Db, page: i64) -> Result<Vec<CountsOut>> {
    let users = users_page(page)
        .select(select!(User {
            id,
            sessions: count,
            last_token: sessions: max(token),
            organizations: count,
        }))
        .fetch_all(db)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| CountsOut {
            id: u.id,
            sessions: u.sessions,
            last_token: u.last_token,
            organizations: u.organizations,
        })
        .collect())
}

/// Both of a user's session aggregates in one statement, as a person writes it.
const SESSION_AGGREGATES: &str =
    "SELECT user_id, COUNT(*), MAX(token) FROM seed_sessions WHERE user_id{keys} GROUP BY user_id";

const ORGANIZATION_COUNTS: &str = "SELECT m.user_id, COUNT(*) FROM seed_memberships m \
    JOIN seed_organizations o ON o.id = m.organization_id \
    WHERE m.user_id{keys} GROUP BY m.user_id";

/// One page of `counts` as a person writes it: the page's users, then one grouped statement
/// per relation for those users.
async fn count_page_by_level(ctx: &Ctx, how: Keys, page: i64) -> Result<Vec<CountsOut>> {
    let ids = page_ids(Via::Pool(&ctx.pool), ctx.backend, page).await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sessions: std::collections::HashMap<i64, (i64, Option<String>)> =
        fetch_level(ctx, how, SESSION_AGGREGATES, &ids, |r| {
            Ok((r.int(0)?, (r.int(1)?, r.opt_text(2)?)))
        })
        .await?
        .into_iter()
        .collect();
    let organizations: std::collections::HashMap<i64, i64> =
        fetch_level(ctx, how, ORGANIZATION_COUNTS, &ids, |r| {
            Ok((r.int(0)?, r.int(1)?))
        })
        .await?
        .into_iter()
        .collect();
    Ok(ids
        .into_iter()
        .map(|id| {
            let (sessions, last_token) = sessions.get(&id).cloned().unwrap_or((0, None));
            CountsOut {
                id,
                sessions,
                last_token,
                organizations: organizations.get(&id).copied().unwrap_or(0),
            }
        })
        .collect())
}
