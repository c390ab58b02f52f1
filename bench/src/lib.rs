//! The data set and both implementations of the nested-select benchmark: Trellis's `select!`
//! and the same work written by hand with sqlx (one query per level, keys in `IN (...)`).
//!
//! [`compare`] holds the loading comparison across backends run by the `compare` binary.

pub mod compare;

use std::collections::HashMap;

use sqlx::{Row as _, SqlitePool};
use trellis::prelude::*;

/// A user: one profile, ten sessions and three organizations each in the data set.
#[derive(Model, Debug, Clone)]
#[model(table = "users")]
pub struct User {
    /// The primary key (`u0000`, `u0001`, ...).
    #[field(id)]
    pub id: String,
    /// The e-mail address, unique across users.
    #[field(unique)]
    pub email: String,
    /// The user's profile, once loaded.
    #[relation(has_one = Profile, foreign_key = "user_id")]
    pub profile: HasOne<Profile>,
    /// The user's sessions, once loaded.
    #[relation(has_many = Session, foreign_key = "user_id")]
    pub sessions: HasMany<Session>,
    /// The organizations the user is a member of, once loaded.
    #[relation(many_to_many = Organization, through = Membership, from = "user_id", to = "organization_id")]
    pub organizations: ManyToMany<Organization>,
}

/// A user's profile.
#[derive(Model, Debug, Clone)]
#[model(table = "profiles")]
pub struct Profile {
    /// The primary key.
    #[field(id)]
    pub id: String,
    /// The user the profile belongs to (unique: one profile per user).
    #[field(unique, references = User)]
    pub user_id: String,
    /// A short text, missing for every third user.
    pub bio: Option<String>,
}

/// A login session of a user.
#[derive(Model, Debug, Clone)]
#[model(table = "sessions")]
pub struct Session {
    /// The primary key.
    #[field(id)]
    pub id: String,
    /// The user who logged in.
    #[field(references = User)]
    pub user_id: String,
    /// The session's token.
    pub token: String,
}

/// An organization, which users join through memberships.
#[derive(Model, Debug, Clone)]
#[model(table = "organizations")]
pub struct Organization {
    /// The primary key.
    #[field(id)]
    pub id: String,
    /// The name.
    pub name: String,
}

/// A user's membership of an organization: the join model of `User::organizations`.
#[derive(Model, Debug, Clone)]
#[model(table = "memberships")]
pub struct Membership {
    /// The primary key.
    #[field(id)]
    pub id: String,
    /// The member.
    #[field(references = User)]
    pub user_id: String,
    /// The organization.
    #[field(references = Organization)]
    pub organization_id: String,
}

/// What both implementations return per user.
#[derive(Debug, Clone, PartialEq)]
pub struct UserOut {
    /// The user's key.
    pub id: String,
    /// The user's e-mail address.
    pub email: String,
    /// The profile's bio: `None` without a profile, `Some(None)` for a profile without one.
    pub bio: Option<Option<String>>,
    /// The tokens of the user's sessions, in token order.
    pub tokens: Vec<String>,
    /// The names of the user's organizations, in name order.
    pub organizations: Vec<String>,
}

/// 1,000 users, each with a profile, 10 sessions and 3 of 20 organizations.
pub async fn seed(db: &Db, users: usize) -> Result<(), Error> {
    let schema = Schema::new()
        .model::<User>()
        .model::<Profile>()
        .model::<Session>()
        .model::<Organization>()
        .model::<Membership>();
    db.create_schema(&schema).await?;
    Organization::insert_many((0..20).map(|o| organization::New {
        id: format!("o{o:02}"),
        name: format!("Org {o:02}"),
    }))
    .exec(db)
    .await?;
    User::insert_many((0..users).map(|u| user::New {
        id: format!("u{u:04}"),
        email: format!("u{u:04}@example.com"),
    }))
    .exec(db)
    .await?;
    Profile::insert_many((0..users).map(|u| profile::New {
        id: format!("p{u:04}"),
        user_id: format!("u{u:04}"),
        bio: (u % 3 != 0).then(|| format!("bio of {u}")),
    }))
    .exec(db)
    .await?;
    Session::insert_many((0..users).flat_map(|u| {
        (0..10).map(move |s| session::New {
            id: format!("s{u:04}-{s}"),
            user_id: format!("u{u:04}"),
            token: format!("tok-{:02}-{u:04}", (s * 7) % 10),
        })
    }))
    .exec(db)
    .await?;
    Membership::insert_many((0..users).flat_map(|u| {
        (0..3).map(move |m| membership::New {
            id: format!("m{u:04}-{m}"),
            user_id: format!("u{u:04}"),
            organization_id: format!("o{:02}", (u + m * 7) % 20),
        })
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// The nested select through Trellis.
pub async fn with_trellis(db: &Db) -> Result<Vec<UserOut>, Error> {
    let users = User::find_many()
        .order_by(user::id.asc())
        .select(select!(User {
            id,
            email,
            profile { bio },
            sessions(order_by = token.asc()) { token },
            organizations(order_by = name.asc()) { name }
        }))
        .fetch_all(db)
        .await?;
    Ok(users
        .into_iter()
        .map(|u| UserOut {
            id: u.id,
            email: u.email,
            bio: u.profile.map(|p| p.bio),
            tokens: u.sessions.into_iter().map(|s| s.token).collect(),
            organizations: u.organizations.into_iter().map(|o| o.name).collect(),
        })
        .collect())
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// The same work written by hand with sqlx on SQLite.
pub async fn with_sqlx(pool: &SqlitePool) -> Result<Vec<UserOut>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, email FROM users ORDER BY id")
        .fetch_all(pool)
        .await?;
    let mut users: Vec<UserOut> = rows
        .iter()
        .map(|r| {
            Ok(UserOut {
                id: r.try_get(0)?,
                email: r.try_get(1)?,
                bio: None,
                tokens: Vec::new(),
                organizations: Vec::new(),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let index: HashMap<String, usize> = users
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.clone(), i))
        .collect();
    let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();

    let sql = format!(
        "SELECT user_id, bio FROM profiles WHERE user_id IN ({})",
        placeholders(ids.len())
    );
    // Placeholders only: the values are bound.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in &ids {
        q = q.bind(*id);
    }
    let profiles = q.fetch_all(pool).await?;
    let sql = format!(
        "SELECT user_id, token FROM sessions WHERE user_id IN ({}) ORDER BY token, id",
        placeholders(ids.len())
    );
    // Placeholders only: the values are bound.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in &ids {
        q = q.bind(*id);
    }
    let sessions = q.fetch_all(pool).await?;
    let sql = format!(
        "SELECT m.user_id, o.name FROM organizations o JOIN memberships m ON m.organization_id = o.id \
         WHERE m.user_id IN ({}) ORDER BY o.name, o.id",
        placeholders(ids.len())
    );
    // Placeholders only: the values are bound.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in &ids {
        q = q.bind(*id);
    }
    let organizations = q.fetch_all(pool).await?;

    for r in &profiles {
        let user: String = r.try_get(0)?;
        if let Some(&i) = index.get(&user) {
            users[i].bio = Some(r.try_get(1)?);
        }
    }
    for r in &sessions {
        let user: String = r.try_get(0)?;
        if let Some(&i) = index.get(&user) {
            users[i].tokens.push(r.try_get(1)?);
        }
    }
    for r in &organizations {
        let user: String = r.try_get(0)?;
        if let Some(&i) = index.get(&user) {
            users[i].organizations.push(r.try_get(1)?);
        }
    }
    Ok(users)
}
