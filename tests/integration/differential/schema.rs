//! The models of the differential tests: people with a manager among themselves (a
//! `belongs_to` and a `has_many` on the same table), a badge each at most (`has_one`), notes
//! (`has_many`) and teams (`many_to_many` through seats). Every key is text the generators
//! choose, so that the reference knows every row's key without reading it back.

use trellis::prelude::*;

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "diff_people")]
pub struct Person {
    #[field(id)]
    pub id: String,
    /// Compared with `equals`/`in` and the text matches, never ordered.
    pub name: String,
    /// Lowercase ASCII letters only: the text column rows are ordered by.
    pub code: String,
    pub nick: Option<String>,
    pub age: Option<i32>,
    pub score: i64,
    #[field(references = Person)]
    pub manager_id: Option<String>,
    #[relation(belongs_to = Person, foreign_key = "manager_id")]
    pub manager: BelongsTo<Person>,
    #[relation(has_many = Person, foreign_key = "manager_id")]
    pub reports: HasMany<Person>,
    #[relation(has_one = Badge, foreign_key = "person_id")]
    pub badge: HasOne<Badge>,
    #[relation(has_many = Note, foreign_key = "person_id")]
    pub notes: HasMany<Note>,
    #[relation(many_to_many = Team, through = Seat, from = "person_id", to = "team_id")]
    pub teams: ManyToMany<Team>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "diff_badges")]
pub struct Badge {
    #[field(id)]
    pub id: String,
    #[field(unique, references = Person)]
    pub person_id: String,
    pub label: Option<String>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "diff_notes")]
pub struct Note {
    #[field(id)]
    pub id: String,
    #[field(references = Person)]
    pub person_id: String,
    pub body: String,
    pub rank: Option<i32>,
    /// Decimals whose text orders unlike their numbers (`"9" > "10.25"`).
    pub amount: Option<rust_decimal::Decimal>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "diff_teams")]
pub struct Team {
    #[field(id)]
    pub id: String,
    pub name: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[model(table = "diff_seats")]
pub struct Seat {
    #[field(id)]
    pub id: String,
    #[field(references = Person)]
    pub person_id: String,
    #[field(references = Team)]
    pub team_id: String,
}

pub fn schema() -> Schema {
    Schema::new()
        .model::<Person>()
        .model::<Badge>()
        .model::<Note>()
        .model::<Team>()
        .model::<Seat>()
}
