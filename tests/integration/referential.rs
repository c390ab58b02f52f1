//! Updates and deletes chosen by relation filters (`some`, `every`, `none`, `is`, `is_not`),
//! and what the declared referential actions do to the children of deleted rows (cascade,
//! set null, restrict), the same on every backend.

use trellis::prelude::*;

use crate::support::backend_tests;

backend_tests!(
    deletes_by_relation_filter_follow_the_referential_actions,
    a_restricted_delete_fails_whole,
    updates_and_deletes_by_a_relation_to_the_same_table,
);

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "teams")]
pub struct Team {
    #[field(id)]
    pub id: String,
    pub name: String,
    #[relation(has_many = Player, foreign_key = "team_id")]
    pub players: HasMany<Player>,
    #[relation(has_many = Badge, foreign_key = "team_id")]
    pub badges: HasMany<Badge>,
    #[relation(has_many = Note, foreign_key = "team_id")]
    pub notes: HasMany<Note>,
}

/// Leaves with its team: `set null`.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "players")]
pub struct Player {
    #[field(id)]
    pub id: String,
    #[field(references = Team, on_delete = "set null")]
    pub team_id: Option<String>,
    #[field(references = Player, on_delete = "set null")]
    pub captain_id: Option<String>,
    pub name: String,
    #[relation(belongs_to = Team, foreign_key = "team_id")]
    pub team: BelongsTo<Team>,
    #[relation(belongs_to = Player, foreign_key = "captain_id")]
    pub captain: BelongsTo<Player>,
}

/// Keeps its team: `restrict`.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "badges")]
pub struct Badge {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = Team, on_delete = "restrict")]
    pub team_id: String,
    pub label: String,
}

/// Goes with its team: `cascade`.
#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "notes")]
pub struct Note {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = Team, on_delete = "cascade")]
    pub team_id: String,
    pub text: String,
}

/// red: players ann and ben (ann captains ben), a note; blue: player cy, a badge, a note;
/// green: nothing.
async fn seed(db: &Db) -> Result<(), Error> {
    let schema = Schema::new()
        .model::<Team>()
        .model::<Player>()
        .model::<Badge>()
        .model::<Note>();
    db.create_schema(&schema).await?;
    Team::insert_many(
        [("red", "Red"), ("blue", "Blue"), ("green", "Green")].map(|(id, name)| team::New {
            id: id.into(),
            name: name.into(),
        }),
    )
    .exec(db)
    .await?;
    Player::insert_many(
        [
            ("ann", Some("red"), None),
            ("ben", Some("red"), Some("ann")),
            ("cy", Some("blue"), Some("ann")),
        ]
        .map(|(id, team, captain)| player::New {
            id: id.into(),
            team_id: team.map(Into::into),
            captain_id: captain.map(Into::into),
            name: id.to_uppercase(),
        }),
    )
    .exec(db)
    .await?;
    Badge::insert(badge::New {
        team_id: "blue".into(),
        label: "gold".into(),
    })
    .exec(db)
    .await?;
    Note::insert_many([("red", "r"), ("blue", "b")].map(|(team, text)| note::New {
        team_id: team.into(),
        text: text.into(),
    }))
    .exec(db)
    .await?;
    Ok(())
}

async fn team_ids(db: &Db) -> Result<Vec<String>, Error> {
    let teams = Team::find_many()
        .order_by(team::id.asc())
        .fetch_all(db)
        .await?;
    Ok(teams.into_iter().map(|t| t.id).collect())
}

async fn players(db: &Db) -> Result<Vec<(String, Option<String>, Option<String>)>, Error> {
    let players = Player::find_many()
        .order_by(player::id.asc())
        .fetch_all(db)
        .await?;
    Ok(players
        .into_iter()
        .map(|p| (p.id, p.team_id, p.captain_id))
        .collect())
}

async fn note_teams(db: &Db) -> Result<Vec<String>, Error> {
    let notes = Note::find_many()
        .order_by(note::team_id.asc())
        .fetch_all(db)
        .await?;
    Ok(notes.into_iter().map(|n| n.team_id).collect())
}

fn owned(
    rows: &[(&str, Option<&str>, Option<&str>)],
) -> Vec<(String, Option<String>, Option<String>)> {
    rows.iter()
        .map(|(id, team, captain)| {
            (
                (*id).to_owned(),
                team.map(str::to_owned),
                captain.map(str::to_owned),
            )
        })
        .collect()
}

async fn deletes_by_relation_filter_follow_the_referential_actions(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    // `none` with an empty filter: the teams without a badge (red and green).
    let deleted = Team::delete_many()
        .filter(team::badges.none(Filter::<Badge>::all([])))
        .exec(&db)
        .await?;
    assert_eq!(deleted, 2);
    assert_eq!(team_ids(&db).await?, ["blue"]);
    // red's players stay, without a team (set null); its note went with it (cascade).
    assert_eq!(
        players(&db).await?,
        owned(&[
            ("ann", None, None),
            ("ben", None, Some("ann")),
            ("cy", Some("blue"), Some("ann")),
        ])
    );
    assert_eq!(note_teams(&db).await?, ["blue"]);
    // `is_not`: players whose team is absent or not blue (ann and ben).
    let renamed = Player::update_many()
        .filter(player::team.is_not(team::id.eq("blue")))
        .set(player::name, "free agent")
        .exec(&db)
        .await?;
    assert_eq!(renamed, 2);
    // `every`: teams all of whose players are named CY (blue; no team is left without players).
    let touched = Team::update_many()
        .filter(team::players.every(player::name.eq("CY")))
        .set(team::name, "Blue!")
        .exec(&db)
        .await?;
    assert_eq!(touched, 1);
    let blue = Team::find_by_id("blue").fetch_one(&db).await?;
    assert_eq!(blue.name, "Blue!");
    Ok(())
}

async fn a_restricted_delete_fails_whole(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    // blue holds a badge (restrict); red does not. Deleting both in one statement fails, and
    // neither is deleted: no set null, no cascade happened either.
    let result = Team::delete_many()
        .filter(team::players.some(player::name.ne("")))
        .exec(&db)
        .await;
    assert!(
        matches!(result, Err(Error::ForeignKeyViolation { .. })),
        "{result:?}"
    );
    assert_eq!(team_ids(&db).await?, ["blue", "green", "red"]);
    assert_eq!(
        players(&db).await?,
        owned(&[
            ("ann", Some("red"), None),
            ("ben", Some("red"), Some("ann")),
            ("cy", Some("blue"), Some("ann")),
        ])
    );
    assert_eq!(note_teams(&db).await?, ["blue", "red"]);
    // Once the badge is gone, the same delete goes through.
    Badge::delete_many()
        .filter(badge::label.eq("gold"))
        .exec(&db)
        .await?;
    let deleted = Team::delete_many()
        .filter(team::players.some(player::name.ne("")))
        .exec(&db)
        .await?;
    assert_eq!(deleted, 2);
    assert_eq!(team_ids(&db).await?, ["green"]);
    assert!(note_teams(&db).await?.is_empty());
    Ok(())
}

async fn updates_and_deletes_by_a_relation_to_the_same_table(db: Db) -> Result<(), Error> {
    seed(&db).await?;
    // The filter reads the table the statement writes (MySQL refuses that in a plain
    // subquery).
    let renamed = Player::update_many()
        .filter(player::captain.is(player::name.eq("ANN")))
        .set(player::name, "captained")
        .exec(&db)
        .await?;
    assert_eq!(renamed, 2);
    let deleted = Player::delete_many()
        .filter(player::captain.is(player::id.eq("ann")))
        .exec(&db)
        .await?;
    assert_eq!(deleted, 2);
    // ann captained ben and cy; deleting ann sets nobody's captain (none are left).
    assert_eq!(players(&db).await?, owned(&[("ann", Some("red"), None)]));
    Ok(())
}

#[test]
fn the_generated_schemas_declare_the_same_actions() {
    let schema = Schema::new()
        .model::<Team>()
        .model::<Player>()
        .model::<Badge>()
        .model::<Note>();
    for dialect in [
        trellis::Dialect::Sqlite,
        trellis::Dialect::Postgres,
        trellis::Dialect::MySql,
    ] {
        let sql = schema.to_sql(dialect);
        let prisma = schema.to_prisma(dialect);
        let drizzle = schema.to_drizzle(dialect);
        for (table, sql_action, prisma_action, drizzle_action) in [
            (
                "players",
                "ON DELETE SET NULL",
                "onDelete: SetNull",
                "onDelete: \"set null\"",
            ),
            (
                "badges",
                "ON DELETE RESTRICT",
                "onDelete: Restrict",
                "onDelete: \"restrict\"",
            ),
            (
                "notes",
                "ON DELETE CASCADE",
                "onDelete: Cascade",
                "onDelete: \"cascade\"",
            ),
        ] {
            let create = sql
                .lines()
                .find(|l| l.contains("CREATE TABLE") && l.contains(table))
                .unwrap_or_default();
            assert!(create.contains(sql_action), "{dialect:?} {table}: {create}");
            assert!(prisma.contains(prisma_action), "{dialect:?}: {prisma}");
            assert!(drizzle.contains(drizzle_action), "{dialect:?}: {drizzle}");
        }
    }
}
