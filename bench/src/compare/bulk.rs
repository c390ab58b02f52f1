//! The `bulk` workload: the `seed` shape's rows (users with a profile, ten sessions and three
//! memberships of stored organizations each) written into empty tables, in one transaction,
//! through Trellis's `insert_many` and nested `create_many` (returning the rows written, and
//! `exec_without_rows`) and through hand-written multi-row `INSERT`s.

use trellis::prelude::*;

use super::accounts::{MEMBERSHIPS, ORGANIZATIONS, SESSIONS, USERS};
use super::{execute_in_transaction, Backend, Ctx, Implementation, Param, Result};

/// A user: a profile, ten sessions and three organizations each.
#[derive(Model, Debug, Clone)]
#[model(table = "bulk_users")]
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
#[model(table = "bulk_profiles")]
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
#[model(table = "bulk_sessions")]
pub struct Session {
    /// The primary key.
    #[field(id)]
    pub id: i64,
    /// The user.
    #[field(references = User)]
    pub user_id: i64,
    /// The token.
    pub token: String,
}

/// An organization: stored before the writes, which connect users to it.
#[derive(Model, Debug, Clone)]
#[model(table = "bulk_organizations")]
pub struct Organization {
    /// The primary key.
    #[field(id)]
    pub id: i64,
    /// The name.
    pub name: String,
}

/// A membership: the join model of `User::organizations`.
#[derive(Model, Debug, Clone)]
#[model(table = "bulk_memberships")]
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

/// The implementations of one write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    /// Hand-written sqlx, multi-row `INSERT`s per table in one transaction: the reference.
    Hand,
    /// The same, each `INSERT` reading the stored rows back (`RETURNING`), as Trellis does.
    HandReturning,
    /// Trellis's `insert_many` per table, in one `db.transaction`.
    TrellisInsertMany,
    /// Trellis's nested `create_many`: the users with their profile, sessions and memberships.
    TrellisNested,
    /// [`Write::TrellisInsertMany`] with `exec_without_rows`: nothing read back.
    TrellisInsertManyWithoutRows,
    /// [`Write::TrellisNested`] with `exec_without_rows`: nothing read back.
    TrellisNestedWithoutRows,
}

impl Write {
    /// Every implementation, the reference first.
    pub const ALL: [Write; 6] = [
        Write::Hand,
        Write::HandReturning,
        Write::TrellisInsertMany,
        Write::TrellisNested,
        Write::TrellisInsertManyWithoutRows,
        Write::TrellisNestedWithoutRows,
    ];

    /// Whether it runs on this backend, whose server answers `INSERT .. RETURNING` or not
    /// (see [`server_returns_rows`]): MySQL has none (Trellis reads the rows back with a
    /// `SELECT` there), MariaDB has it from 10.5.
    pub fn runs_on(self, backend: Backend, returning: bool) -> bool {
        self != Write::HandReturning || backend != Backend::MySql || returning
    }
}

impl Implementation for Write {
    fn name(self, _: Backend) -> &'static str {
        match self {
            Write::Hand => "hand-written, multi-row `INSERT` per table",
            Write::HandReturning => "hand-written, multi-row `INSERT .. RETURNING` per table",
            Write::TrellisInsertMany => "Trellis `insert_many` per table",
            Write::TrellisNested => "Trellis nested `create_many`",
            Write::TrellisInsertManyWithoutRows => {
                "Trellis `insert_many` per table, `exec_without_rows`"
            }
            Write::TrellisNestedWithoutRows => "Trellis nested `create_many`, `exec_without_rows`",
        }
    }

    fn is_trellis(self) -> bool {
        !matches!(self, Write::Hand | Write::HandReturning)
    }
}

/// A user of the data set with everything written with it.
struct UserData {
    id: i64,
    email: String,
    bio: Option<String>,
    /// `(key, token)`.
    sessions: Vec<(i64, String)>,
    /// `(membership key, organization key)`.
    memberships: Vec<(i64, i64)>,
}

/// The rows one write stores: the `seed` workload's data (profile keys are user keys).
fn data() -> Vec<UserData> {
    (1..=USERS)
        .map(|u| UserData {
            id: u,
            email: format!("user{u:04}@example.com"),
            bio: (u % 2 == 0).then(|| format!("the bio of user {u}, a sentence or two long")),
            sessions: (0..SESSIONS)
                .map(|s| {
                    (
                        s * USERS + u,
                        format!("token-{:02}-{u:04}", (s * 7 + u) % SESSIONS),
                    )
                })
                .collect(),
            memberships: (0..MEMBERSHIPS)
                .map(|m| (m * USERS + u, 1 + (u * 7 + m * 17) % ORGANIZATIONS))
                .collect(),
        })
        .collect()
}

fn schema() -> Schema {
    Schema::new()
        .model::<User>()
        .model::<Profile>()
        .model::<Session>()
        .model::<Organization>()
        .model::<Membership>()
}

/// Whether the server answers `INSERT .. RETURNING`: SQLite and PostgreSQL, and MariaDB from
/// 10.5 (its `VERSION()` reads `10.11.19-MariaDB-..`), not MySQL.
pub async fn server_returns_rows(ctx: &Ctx) -> Result<bool> {
    if ctx.backend != Backend::MySql {
        return Ok(true);
    }
    let rows = ctx.db.fetch_raw("SELECT VERSION()", []).await?;
    let version: String = match rows.first() {
        Some(row) => row.get_native(0)?,
        None => return Ok(false),
    };
    let version = version.strip_prefix("5.5.5-").unwrap_or(&version);
    let mut numbers = version.split('.').map(|n| n.parse::<u32>().unwrap_or(0));
    let major_minor = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
    Ok(version.contains("MariaDB") && major_minor >= (10, 5))
}

/// Drops and creates the tables, and stores the organizations the writes connect to.
pub async fn setup(db: &Db) -> Result<()> {
    db.drop_schema(&schema()).await?;
    db.create_schema(&schema()).await?;
    Organization::insert_many((1..=ORGANIZATIONS).map(|o| organization::New {
        id: o,
        name: format!("Organization {o:02}"),
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// Empties the tables a write fills (children first); the organizations stay.
pub async fn clear(ctx: &Ctx) -> Result<()> {
    let statements: Vec<(String, Vec<Param<'_>>)> = match ctx.backend {
        // One statement for the four tables, which PostgreSQL allows with foreign keys between
        // them, and which leaves no dead rows behind.
        Backend::Postgres => vec![(
            "TRUNCATE bulk_memberships, bulk_sessions, bulk_profiles, bulk_users".to_owned(),
            Vec::new(),
        )],
        // MySQL refuses to truncate a table another one references.
        Backend::Sqlite | Backend::MySql => [
            "bulk_memberships",
            "bulk_sessions",
            "bulk_profiles",
            "bulk_users",
        ]
        .map(|t| (format!("DELETE FROM {t}"), Vec::new()))
        .into(),
    };
    execute_in_transaction(&ctx.pool, &statements, false).await
}

/// One write of the whole data set into empty tables.
pub async fn write(ctx: &Ctx, imp: Write) -> Result<()> {
    match imp {
        Write::Hand => by_hand(ctx, false).await,
        Write::HandReturning => by_hand(ctx, true).await,
        Write::TrellisInsertMany => insert_many(&ctx.db, Answer::Rows).await,
        Write::TrellisNested => nested(&ctx.db, Answer::Rows).await,
        Write::TrellisInsertManyWithoutRows => insert_many(&ctx.db, Answer::Count).await,
        Write::TrellisNestedWithoutRows => nested(&ctx.db, Answer::Count).await,
    }
}

/// What a Trellis write answers with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// The rows as stored (`exec`).
    Rows,
    /// How many rows it wrote (`exec_without_rows`).
    Count,
}

async fn nested(db: &Db, answer: Answer) -> Result<()> {
    let create = User::create_many(data().into_iter().map(|u| {
        let mut create = User::create(user::New {
            id: u.id,
            email: u.email,
        })
        .with(user::profile::create(user::profile::New {
            id: u.id,
            bio: u.bio,
        }))
        .with(user::sessions::create(
            u.sessions
                .into_iter()
                .map(|(id, token)| user::sessions::New { id, token }),
        ));
        for (id, organization) in u.memberships {
            create = create.with(user::organizations::connect(
                organization,
                user::organizations::New { id },
            ));
        }
        create
    }));
    let users = match answer {
        Answer::Rows => create.exec(db).await?.len() as u64,
        Answer::Count => create.exec_without_rows(db).await?,
    };
    if users != USERS as u64 {
        return Err(format!("create_many wrote {users} users").into());
    }
    Ok(())
}

async fn insert_many(db: &Db, answer: Answer) -> Result<()> {
    let data = data();
    db.transaction(async |tx| {
        let mut profiles = Vec::with_capacity(data.len());
        let mut sessions = Vec::with_capacity(data.len() * SESSIONS as usize);
        let mut memberships = Vec::with_capacity(data.len() * MEMBERSHIPS as usize);
        let mut users = Vec::with_capacity(data.len());
        for u in data {
            profiles.push(profile::New {
                id: u.id,
                user_id: u.id,
                bio: u.bio,
            });
            sessions.extend(u.sessions.into_iter().map(|(id, token)| session::New {
                id,
                user_id: u.id,
                token,
            }));
            memberships.extend(u.memberships.into_iter().map(|(id, organization_id)| {
                membership::New {
                    id,
                    user_id: u.id,
                    organization_id,
                }
            }));
            users.push(user::New {
                id: u.id,
                email: u.email,
            });
        }
        match answer {
            Answer::Rows => {
                User::insert_many(users).exec(tx).await?;
                Profile::insert_many(profiles).exec(tx).await?;
                Session::insert_many(sessions).exec(tx).await?;
                Membership::insert_many(memberships).exec(tx).await?;
            }
            Answer::Count => {
                User::insert_many(users).exec_without_rows(tx).await?;
                Profile::insert_many(profiles).exec_without_rows(tx).await?;
                Session::insert_many(sessions).exec_without_rows(tx).await?;
                Membership::insert_many(memberships)
                    .exec_without_rows(tx)
                    .await?;
            }
        }
        Ok::<_, trellis::Error>(())
    })
    .await?;
    Ok(())
}

/// Multi-row `INSERT` statements of `rows` (each `columns.len()` values, flattened), as many
/// rows per statement as the backend's parameter limit allows; `returning` adds
/// `RETURNING` with the columns.
fn inserts<'a>(
    backend: Backend,
    table: &str,
    columns: &[&str],
    values: Vec<Param<'a>>,
    returning: bool,
) -> Vec<(String, Vec<Param<'a>>)> {
    let limit = match backend {
        Backend::Sqlite => 32_766,
        Backend::Postgres | Backend::MySql => 65_535,
    };
    let per_row = columns.len();
    let rows_per_statement = limit / per_row;
    values
        .chunks(rows_per_statement * per_row)
        .map(|chunk| {
            let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
            for row in 0..chunk.len() / per_row {
                sql.push_str(if row == 0 { "(" } else { ", (" });
                for col in 0..per_row {
                    if col > 0 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&backend.placeholder(row * per_row + col + 1));
                }
                sql.push(')');
            }
            if returning {
                sql.push_str(" RETURNING ");
                sql.push_str(&columns.join(", "));
            }
            (sql, chunk.to_vec())
        })
        .collect()
}

async fn by_hand(ctx: &Ctx, returning: bool) -> Result<()> {
    let data = data();
    let backend = ctx.backend;
    let mut users = Vec::with_capacity(data.len() * 2);
    let mut profiles = Vec::with_capacity(data.len() * 3);
    let mut sessions = Vec::with_capacity(data.len() * SESSIONS as usize * 3);
    let mut memberships = Vec::with_capacity(data.len() * MEMBERSHIPS as usize * 3);
    for u in &data {
        users.extend([Param::Int(u.id), Param::Text(&u.email)]);
        profiles.extend([
            Param::Int(u.id),
            Param::Int(u.id),
            Param::OptText(u.bio.as_deref()),
        ]);
        for (id, token) in &u.sessions {
            sessions.extend([Param::Int(*id), Param::Int(u.id), Param::Text(token)]);
        }
        for &(id, organization) in &u.memberships {
            memberships.extend([Param::Int(id), Param::Int(u.id), Param::Int(organization)]);
        }
    }
    let mut statements = inserts(backend, "bulk_users", &["id", "email"], users, returning);
    statements.extend(inserts(
        backend,
        "bulk_profiles",
        &["id", "user_id", "bio"],
        profiles,
        returning,
    ));
    statements.extend(inserts(
        backend,
        "bulk_sessions",
        &["id", "user_id", "token"],
        sessions,
        returning,
    ));
    statements.extend(inserts(
        backend,
        "bulk_memberships",
        &["id", "user_id", "organization_id"],
        memberships,
        returning,
    ));
    execute_in_transaction(&ctx.pool, &statements, returning).await
}

/// Every row a write stores, each table by key.
#[derive(Debug, PartialEq)]
pub struct Contents {
    /// `(id, email)`.
    pub users: Vec<(i64, String)>,
    /// `(id, user_id, bio)`.
    pub profiles: Vec<(i64, i64, Option<String>)>,
    /// `(id, user_id, token)`.
    pub sessions: Vec<(i64, i64, String)>,
    /// `(id, user_id, organization_id)`.
    pub memberships: Vec<(i64, i64, i64)>,
}

/// What every write must leave in the tables.
pub fn expected() -> Contents {
    let data = data();
    let mut sessions: Vec<(i64, i64, String)> = data
        .iter()
        .flat_map(|u| u.sessions.iter().map(|(id, t)| (*id, u.id, t.clone())))
        .collect();
    sessions.sort_by_key(|s| s.0);
    let mut memberships: Vec<(i64, i64, i64)> = data
        .iter()
        .flat_map(|u| u.memberships.iter().map(|&(id, o)| (id, u.id, o)))
        .collect();
    memberships.sort_by_key(|m| m.0);
    Contents {
        users: data.iter().map(|u| (u.id, u.email.clone())).collect(),
        profiles: data.iter().map(|u| (u.id, u.id, u.bio.clone())).collect(),
        sessions,
        memberships,
    }
}

/// The tables' rows, read back by key.
pub async fn contents(db: &Db) -> Result<Contents> {
    Ok(Contents {
        users: User::find_many()
            .order_by(user::id.asc())
            .fetch_all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.email))
            .collect(),
        profiles: Profile::find_many()
            .order_by(profile::id.asc())
            .fetch_all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.user_id, p.bio))
            .collect(),
        sessions: Session::find_many()
            .order_by(session::id.asc())
            .fetch_all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.user_id, s.token))
            .collect(),
        memberships: Membership::find_many()
            .order_by(membership::id.asc())
            .fetch_all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, m.user_id, m.organization_id))
            .collect(),
    })
}

/// The first table whose rows differ from `expected`'s, for the mismatch message.
pub fn first_difference(expected: &Contents, got: &Contents) -> Option<String> {
    fn diff<T: PartialEq + std::fmt::Debug>(table: &str, a: &[T], b: &[T]) -> Option<String> {
        if a == b {
            return None;
        }
        if a.len() != b.len() {
            return Some(format!("{table}: {} rows against {}", b.len(), a.len()));
        }
        let i = a.iter().zip(b).position(|(x, y)| x != y)?;
        Some(format!(
            "{table}, row {i}:\n  expected {:?}\n  got      {:?}",
            a[i], b[i]
        ))
    }
    diff("bulk_users", &expected.users, &got.users)
        .or_else(|| diff("bulk_profiles", &expected.profiles, &got.profiles))
        .or_else(|| diff("bulk_sessions", &expected.sessions, &got.sessions))
        .or_else(|| diff("bulk_memberships", &expected.memberships, &got.memberships))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_split_rows_under_the_parameter_limit_and_number_placeholders_per_statement() {
        // 3 columns: 21,845 rows fit PostgreSQL's 65,535 parameters; 10,922 SQLite's 32,766.
        let values: Vec<Param<'_>> = (0..30_000 * 3).map(Param::Int).collect();
        let pg = inserts(
            Backend::Postgres,
            "t",
            &["a", "b", "c"],
            values.clone(),
            true,
        );
        let rows = |(sql, params): &(String, Vec<Param<'_>>)| {
            (sql.matches('(').count() - 1, params.len() / 3)
        };
        assert_eq!(
            pg.iter().map(rows).collect::<Vec<_>>(),
            [(21_845, 21_845), (8_155, 8_155)]
        );
        assert!(pg[1]
            .0
            .starts_with("INSERT INTO t (a, b, c) VALUES ($1, $2, $3), ($4, $5, $6)"));
        assert!(pg[1]
            .0
            .ends_with(", ($24463, $24464, $24465) RETURNING a, b, c"));
        let sqlite = inserts(Backend::Sqlite, "t", &["a", "b", "c"], values, false);
        assert_eq!(
            sqlite.iter().map(rows).collect::<Vec<_>>(),
            [(10_922, 10_922), (10_922, 10_922), (8_156, 8_156)]
        );
        assert!(sqlite[2].0.ends_with("(?, ?, ?)"));
    }
}
