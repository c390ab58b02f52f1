//! The three relation shapes on an in-memory SQLite database: a user's profile (one-to-one),
//! its first five sessions (one-to-many, paged per user) and its organizations through
//! memberships (many-to-many). Run it with `cargo run --example relations`.

use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
#[model(table = "users")]
pub struct User {
    #[field(id)]
    pub id: String,
    #[field(unique)]
    pub email: String,
    #[relation(has_one = Profile, foreign_key = "user_id")]
    pub profile: HasOne<Profile>,
    #[relation(has_many = Session, foreign_key = "user_id")]
    pub sessions: HasMany<Session>,
    #[relation(many_to_many = Organization, through = Membership, from = "user_id", to = "organization_id")]
    pub organizations: ManyToMany<Organization>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "profiles")]
pub struct Profile {
    #[field(id)]
    pub id: String,
    #[field(unique, references = User)]
    pub user_id: String,
    pub bio: Option<String>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "sessions")]
pub struct Session {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = User)]
    pub user_id: String,
    #[field(unique)]
    pub token: String,
    #[relation(belongs_to = User, foreign_key = "user_id")]
    pub user: BelongsTo<User>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "organizations")]
pub struct Organization {
    #[field(id)]
    pub id: String,
    pub name: String,
}

#[derive(Model, Debug, Clone)]
#[model(table = "memberships")]
pub struct Membership {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = User)]
    pub user_id: String,
    #[field(references = Organization)]
    pub organization_id: String,
    pub role: String,
}

#[tokio::main]
async fn main() -> Result<(), trellis::Error> {
    let db = Db::connect("sqlite::memory:").await?;
    db.create_schema(
        &Schema::new()
            .model::<User>()
            .model::<Profile>()
            .model::<Session>()
            .model::<Organization>()
            .model::<Membership>(),
    )
    .await?;

    for (id, email) in [
        ("ada", "ada@farminglabs.dev"),
        ("bob", "bob@farminglabs.dev"),
    ] {
        User::insert(user::New {
            id: id.into(),
            email: email.into(),
        })
        .exec(&db)
        .await?;
    }
    Profile::insert(profile::New {
        id: "p1".into(),
        user_id: "ada".into(),
        bio: Some("Counts things.".into()),
    })
    .exec(&db)
    .await?;
    Session::insert_many((1..=8).map(|i| session::New {
        id: 0,
        user_id: "ada".into(),
        token: format!("ada-{i}"),
    }))
    .exec(&db)
    .await?;
    Session::insert(session::New {
        id: 0,
        user_id: "bob".into(),
        token: "bob-1".into(),
    })
    .exec(&db)
    .await?;
    Organization::insert_many([
        organization::New {
            id: "o1".into(),
            name: "Acme".into(),
        },
        organization::New {
            id: "o2".into(),
            name: "Globex".into(),
        },
    ])
    .exec(&db)
    .await?;
    Membership::insert_many([
        membership::New {
            id: 0,
            user_id: "ada".into(),
            organization_id: "o1".into(),
            role: "admin".into(),
        },
        membership::New {
            id: 0,
            user_id: "ada".into(),
            organization_id: "o2".into(),
            role: "member".into(),
        },
        membership::New {
            id: 0,
            user_id: "bob".into(),
            organization_id: "o1".into(),
            role: "member".into(),
        },
    ])
    .exec(&db)
    .await?;

    // One-to-one.
    let ada = User::find_first()
        .filter(user::email.eq("ada@farminglabs.dev"))
        .include(user::profile)
        .fetch_one(&db)
        .await?;
    println!(
        "{}: bio {:?}",
        ada.id,
        ada.profile.get().and_then(|p| p.bio.as_deref())
    );

    // One-to-many, the first five sessions of each user.
    let before = db.statement_count();
    let users = User::find_many()
        .order_by(user::id.asc())
        .include(user::sessions.with(|q| q.order_by(session::token.asc()).take(5)))
        .include(user::organizations.with(|q| q.order_by(organization::name.asc())))
        .fetch_all(&db)
        .await?;
    for u in &users {
        let tokens: Vec<&str> = u
            .sessions
            .get()
            .unwrap_or_default()
            .iter()
            .map(|s| s.token.as_str())
            .collect();
        let orgs: Vec<&str> = u
            .organizations
            .get()
            .unwrap_or_default()
            .iter()
            .map(|o| o.name.as_str())
            .collect();
        println!("{}: sessions {tokens:?}, organizations {orgs:?}", u.id);
    }
    println!(
        "{} users with two relations in {} statements",
        users.len(),
        db.statement_count() - before
    );

    // belongs_to: each session's user, loaded once per distinct user.
    let sessions = Session::find_many()
        .include(session::user)
        .fetch_all(&db)
        .await?;
    let owners: Vec<&str> = sessions
        .iter()
        .filter_map(|s| s.user.get())
        .map(|u| u.email.as_str())
        .collect();
    println!(
        "{} sessions, owners {:?}",
        sessions.len(),
        owners.iter().collect::<std::collections::BTreeSet<_>>()
    );
    Ok(())
}
