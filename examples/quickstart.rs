//! The quickstart: define three models, create their tables in an in-memory SQLite database,
//! write some rows and read them back. Run it with `cargo run --example quickstart`.

use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
#[model(table = "users")]
pub struct User {
    #[field(id)]
    pub id: String,
    #[field(unique)]
    pub email: String,
    pub name: Option<String>,
}

#[derive(Model, Debug, Clone)]
#[model(table = "profiles")]
pub struct Profile {
    #[field(id, auto)]
    pub id: i64,
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
    pub token: String,
}

#[tokio::main]
async fn main() -> Result<(), trellis::Error> {
    let db = Db::connect("sqlite::memory:").await?;
    db.create_schema(
        &Schema::new()
            .model::<User>()
            .model::<Profile>()
            .model::<Session>(),
    )
    .await?;

    let users = User::insert_many([
        User {
            id: "ada".into(),
            email: "ada@farminglabs.dev".into(),
            name: Some("Ada".into()),
        },
        User {
            id: "bob".into(),
            email: "bob@farminglabs.dev".into(),
            name: None,
        },
    ])
    .exec(&db)
    .await?;
    println!("inserted {} users", users.len());

    let profile = Profile::insert(Profile {
        id: 0,
        user_id: "ada".into(),
        bio: Some("Writes programs.".into()),
    })
    .exec(&db)
    .await?;
    println!(
        "profile #{} for {}: {:?}",
        profile.id, profile.user_id, profile.bio
    );

    Session::insert_many((1..=3).map(|i| Session {
        id: 0,
        user_id: "ada".into(),
        token: format!("token-{i}"),
    }))
    .exec(&db)
    .await?;

    let ada = User::find_unique(user::email, "ada@farminglabs.dev")
        .fetch_one(&db)
        .await?;
    println!("found {ada:?}");

    let recent = Session::find_many()
        .filter(session::user_id.eq("ada"))
        .order_by(session::id.desc())
        .take(2)
        .fetch_all(&db)
        .await?;
    for s in &recent {
        println!("session #{} {}", s.id, s.token);
    }

    let renamed = User::update_by_id("bob")
        .set(user::name, Some("Bob".to_owned()))
        .exec(&db)
        .await?;
    println!("renamed: {renamed:?}");
    println!("{} sessions in all", Session::count().fetch(&db).await?);

    // A duplicate email is a typed error, and nothing is written.
    let twin = User {
        id: "eve".into(),
        email: "ada@farminglabs.dev".into(),
        name: None,
    };
    match User::insert(twin).exec(&db).await {
        Err(Error::UniqueViolation { constraint, .. }) => {
            println!("rejected: duplicate {constraint:?}")
        }
        other => println!("unexpected: {other:?}"),
    }
    Ok(())
}
