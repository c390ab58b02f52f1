//! A query description over the differential models: a filter tree with every operator the
//! `Where` JSON reads, ordering with `NULL`s placed, `take`/`skip`/cursor, and the relations
//! loaded with their own filter, order and paging. The same description is rendered to
//! `Where` JSON, to the typed API and (in `reference`) evaluated in plain Rust.

use serde_json::{json, Value as Json};
use trellis::filter::Nulls;
use trellis::prelude::{not, Col, Error, Order};
use trellis::{FieldType, TextColumn};

/// A filter built through the typed API.
pub type Typed<M> = trellis::Filter<M>;

use super::schema::{badge, note, person, team, Badge, Note, Person, Team};

/// A value a column holds or a filter compares with; `None` is `NULL`.
pub type Val = Option<Scalar>;

/// Integers and decimals compare as numbers, text byte by byte (the generators keep ordered
/// text to lowercase ASCII, where every collation agrees with that).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scalar {
    Int(i64),
    Text(String),
    Dec(rust_decimal::Decimal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Contains,
    StartsWith,
    EndsWith,
}

/// One entry of a column's `Where` object.
#[derive(Debug, Clone)]
pub enum Op {
    Equals(Val),
    Not(Val),
    In(Vec<Val>),
    NotIn(Vec<Val>),
    Lt(Val),
    Lte(Val),
    Gt(Val),
    Gte(Val),
    Match {
        kind: Match,
        needle: String,
        insensitive: bool,
    },
}

/// `AND`, `OR` and `NOT` over conditions `L`.
#[derive(Debug, Clone)]
pub enum Filter<L> {
    Leaf(L),
    And(Vec<Filter<L>>),
    /// `AND` written as the entries of one `Where` object where they fit in one (`{"age":
    /// {"gt": 1, "lt": 9}, "name": {..}}`), as an `AND` list where they do not.
    Entries(Vec<Filter<L>>),
    Or(Vec<Filter<L>>),
    Not(Box<Filter<L>>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Many {
    Some,
    Every,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum One {
    Is,
    IsNot,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonCol {
    Id,
    Name,
    Code,
    Nick,
    Age,
    Score,
    ManagerId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteCol {
    Id,
    Body,
    Rank,
    Amount,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeCol {
    Id,
    Label,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamCol {
    Id,
    Name,
}

/// A condition on one column of a model without relations of its own in the filters.
#[derive(Debug, Clone)]
pub struct ColLeaf<C>(pub C, pub Op);

/// A condition on a person: a column, or a test on one of its relations.
#[derive(Debug, Clone)]
pub enum PersonLeaf {
    Col(PersonCol, Op),
    Manager(One, Box<Filter<PersonLeaf>>),
    Reports(Many, Box<Filter<PersonLeaf>>),
    Badge(One, Filter<ColLeaf<BadgeCol>>),
    Notes(Many, Filter<ColLeaf<NoteCol>>),
    Teams(Many, Filter<ColLeaf<TeamCol>>),
    /// A condition on an aggregate of a to-many relation (never compared with `NULL`).
    Agg(Agg, Op),
}

/// An aggregate of a person's to-many relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agg {
    Count(ManyRel),
    /// Of the notes' ranks (a nullable `i32`).
    RankSum,
    RankAvg,
    RankMin,
    RankMax,
    /// The sum of the reports' ages (a nullable `i32`).
    AgeSum,
    /// The greatest of the reports' scores (an `i64`).
    ScoreMax,
    /// Of the notes' amounts (a nullable decimal).
    AmountSum,
    AmountAvg,
    AmountMax,
    /// The least of the reports' codes (lowercase ASCII).
    CodeMin,
}

/// The to-many relations of a person, which can be counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManyRel {
    Notes,
    Reports,
    Teams,
}

/// What the root rows are ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonKey {
    Col(PersonCol),
    Count(ManyRel),
    /// Any aggregate but an average (which the reference keeps as a fraction).
    Agg(Agg),
}

/// One ordering term; `nulls` is always given for a nullable column (where a database puts
/// `NULL`s by default differs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term<K> {
    pub key: K,
    pub desc: bool,
    pub nulls: Option<Nulls>,
}

/// How one relation's rows are narrowed, ordered and paged per parent; the key breaks ties
/// last.
#[derive(Debug, Clone)]
pub struct Nested<C, L> {
    pub filter: Option<Filter<L>>,
    pub order: Vec<Term<C>>,
    pub cursor: Option<String>,
    pub skip: Option<u64>,
    pub take: Option<u64>,
}

/// A query on people; the id breaks ties last. `typed` says whether the filters go through
/// the typed API or through `Where` JSON.
#[derive(Debug, Clone)]
pub struct Query {
    pub filter: Filter<PersonLeaf>,
    pub order: Vec<Term<PersonKey>>,
    pub cursor: Option<String>,
    pub skip: Option<u64>,
    pub take: Option<u64>,
    pub notes: Nested<NoteCol, ColLeaf<NoteCol>>,
    pub reports: Nested<PersonCol, PersonLeaf>,
    pub teams: Nested<TeamCol, ColLeaf<TeamCol>>,
    pub typed: bool,
}

// ---- `Where` JSON

/// The name of a column in `Where` JSON.
pub trait Column: Copy {
    fn name(self) -> &'static str;
}

impl Column for PersonCol {
    fn name(self) -> &'static str {
        match self {
            PersonCol::Id => "id",
            PersonCol::Name => "name",
            PersonCol::Code => "code",
            PersonCol::Nick => "nick",
            PersonCol::Age => "age",
            PersonCol::Score => "score",
            PersonCol::ManagerId => "manager_id",
        }
    }
}

impl Column for NoteCol {
    fn name(self) -> &'static str {
        match self {
            NoteCol::Id => "id",
            NoteCol::Body => "body",
            NoteCol::Rank => "rank",
            NoteCol::Amount => "amount",
        }
    }
}

impl Column for BadgeCol {
    fn name(self) -> &'static str {
        match self {
            BadgeCol::Id => "id",
            BadgeCol::Label => "label",
        }
    }
}

impl Column for TeamCol {
    fn name(self) -> &'static str {
        match self {
            TeamCol::Id => "id",
            TeamCol::Name => "name",
        }
    }
}

pub trait ToJson {
    fn to_json(&self) -> Json;
}

fn val(v: &Val) -> Json {
    match v {
        None => Json::Null,
        Some(Scalar::Int(i)) => json!(i),
        Some(Scalar::Text(s)) => json!(s),
        // `Where` reads a decimal from its text, exactly.
        Some(Scalar::Dec(d)) => json!(d.to_string()),
    }
}

impl ToJson for Op {
    fn to_json(&self) -> Json {
        let list = |vs: &[Val]| Json::Array(vs.iter().map(val).collect());
        match self {
            Op::Equals(v) => json!({ "equals": val(v) }),
            Op::Not(v) => json!({ "not": val(v) }),
            Op::In(vs) => json!({ "in": list(vs) }),
            Op::NotIn(vs) => json!({ "not_in": list(vs) }),
            Op::Lt(v) => json!({ "lt": val(v) }),
            Op::Lte(v) => json!({ "lte": val(v) }),
            Op::Gt(v) => json!({ "gt": val(v) }),
            Op::Gte(v) => json!({ "gte": val(v) }),
            Op::Match {
                kind,
                needle,
                insensitive,
            } => {
                let key = match kind {
                    Match::Contains => "contains",
                    Match::StartsWith => "starts_with",
                    Match::EndsWith => "ends_with",
                };
                if *insensitive {
                    json!({ key: needle, "mode": "insensitive" })
                } else {
                    json!({ key: needle })
                }
            }
        }
    }
}

impl<L: ToJson> ToJson for Filter<L> {
    fn to_json(&self) -> Json {
        match self {
            Filter::Leaf(leaf) => leaf.to_json(),
            Filter::And(v) => json!({ "AND": v.iter().map(ToJson::to_json).collect::<Vec<_>>() }),
            Filter::Entries(v) => {
                let items: Vec<Json> = v.iter().map(ToJson::to_json).collect();
                entries(&items).unwrap_or_else(|| json!({ "AND": items }))
            }
            Filter::Or(v) => json!({ "OR": v.iter().map(ToJson::to_json).collect::<Vec<_>>() }),
            Filter::Not(f) => json!({ "NOT": f.to_json() }),
        }
    }
}

/// The filters as the entries of one object: each filter's entries, and the conditions on one
/// column or relation side by side; `None` when two would take the same place, or when a
/// `mode` would apply to another filter's text matches.
fn entries(items: &[Json]) -> Option<Json> {
    let mut out = serde_json::Map::new();
    for item in items {
        for (key, value) in item.as_object()? {
            let Some(existing) = out.get_mut(key) else {
                out.insert(key.clone(), value.clone());
                continue;
            };
            let (Some(existing), Some(value)) = (existing.as_object_mut(), value.as_object())
            else {
                return None;
            };
            let has_mode = existing.contains_key("mode") || value.contains_key("mode");
            if has_mode || key == "NOT" || value.keys().any(|k| existing.contains_key(k)) {
                return None;
            }
            existing.extend(value.clone());
        }
    }
    Some(Json::Object(out))
}

impl<C: Column> ToJson for ColLeaf<C> {
    fn to_json(&self) -> Json {
        json!({ self.0.name(): self.1.to_json() })
    }
}

fn many(test: Many) -> &'static str {
    match test {
        Many::Some => "some",
        Many::Every => "every",
        Many::None => "none",
    }
}

fn one(test: One) -> &'static str {
    match test {
        One::Is => "is",
        One::IsNot => "is_not",
    }
}

impl ToJson for PersonLeaf {
    fn to_json(&self) -> Json {
        match self {
            PersonLeaf::Col(c, op) => json!({ c.name(): op.to_json() }),
            PersonLeaf::Manager(t, f) => json!({ "manager": { one(*t): f.to_json() } }),
            PersonLeaf::Reports(t, f) => json!({ "reports": { many(*t): f.to_json() } }),
            PersonLeaf::Badge(t, f) => json!({ "badge": { one(*t): f.to_json() } }),
            PersonLeaf::Notes(t, f) => json!({ "notes": { many(*t): f.to_json() } }),
            PersonLeaf::Teams(t, f) => json!({ "teams": { many(*t): f.to_json() } }),
            PersonLeaf::Agg(agg, op) => {
                let op = op.to_json();
                match agg {
                    Agg::Count(rel) => json!({ rel_name(*rel): { "_count": op } }),
                    Agg::RankSum => json!({ "notes": { "_sum": { "rank": op } } }),
                    Agg::RankAvg => json!({ "notes": { "_avg": { "rank": op } } }),
                    Agg::RankMin => json!({ "notes": { "_min": { "rank": op } } }),
                    Agg::RankMax => json!({ "notes": { "_max": { "rank": op } } }),
                    Agg::AgeSum => json!({ "reports": { "_sum": { "age": op } } }),
                    Agg::ScoreMax => json!({ "reports": { "_max": { "score": op } } }),
                    Agg::CodeMin => json!({ "reports": { "_min": { "code": op } } }),
                    Agg::AmountSum => json!({ "notes": { "_sum": { "amount": op } } }),
                    Agg::AmountAvg => json!({ "notes": { "_avg": { "amount": op } } }),
                    Agg::AmountMax => json!({ "notes": { "_max": { "amount": op } } }),
                }
            }
        }
    }
}

fn rel_name(rel: ManyRel) -> &'static str {
    match rel {
        ManyRel::Notes => "notes",
        ManyRel::Reports => "reports",
        ManyRel::Teams => "teams",
    }
}

/// Reads rendered JSON back as the model's `Where`, as a server would.
pub fn from_json<W: serde::de::DeserializeOwned>(filter: &impl ToJson) -> Result<W, Error> {
    let json = filter.to_json();
    serde_json::from_value(json.clone())
        .map_err(|e| Error::InvalidQuery(format!("the generated filter {json}: {e}")))
}

// ---- the typed API

fn text(v: &Val) -> Option<String> {
    match v {
        None => None,
        Some(Scalar::Text(s)) => Some(s.clone()),
        Some(other) => panic!("{other:?} compared with a text column"),
    }
}

fn int(v: &Val) -> Option<i64> {
    match v {
        None => None,
        Some(Scalar::Int(i)) => Some(*i),
        Some(other) => panic!("{other:?} compared with an integer column"),
    }
}

fn dec(v: &Val) -> Option<rust_decimal::Decimal> {
    match v {
        None => None,
        Some(Scalar::Dec(d)) => Some(*d),
        Some(other) => panic!("{other:?} compared with a decimal column"),
    }
}

fn req_dec(v: &Val) -> rust_decimal::Decimal {
    required(dec(v))
}

fn required<T>(v: Option<T>) -> T {
    v.expect("the generators compare columns that cannot be NULL with values only")
}

fn req_text(v: &Val) -> String {
    required(text(v))
}

fn req_int(v: &Val) -> i64 {
    required(int(v))
}

fn opt_int32(v: &Val) -> Option<i32> {
    int(v).map(|i| i32::try_from(i).expect("an `i32` value"))
}

/// The comparisons of `op` on `column`, each value converted by `to`.
fn compare<M, T: FieldType, K>(column: Col<M, T, K>, op: &Op, to: fn(&Val) -> T) -> Typed<M> {
    match op {
        Op::Equals(v) => column.eq(to(v)),
        Op::Not(v) => column.ne(to(v)),
        Op::In(vs) => column.in_(vs.iter().map(to)),
        Op::NotIn(vs) => column.not_in(vs.iter().map(to)),
        Op::Lt(v) => column.lt(to(v)),
        Op::Lte(v) => column.lte(to(v)),
        Op::Gt(v) => column.gt(to(v)),
        Op::Gte(v) => column.gte(to(v)),
        Op::Match { .. } => panic!("a text match on `{}`", column.name()),
    }
}

/// The comparisons of `op` with an aggregate, each value converted by `to`.
fn compare_agg<V: FieldType>(
    agg: trellis::relation::RelationAggregate<Person, V>,
    op: &Op,
    to: impl Fn(&Val) -> V,
) -> Typed<Person> {
    match op {
        Op::Equals(v) => agg.eq(to(v)),
        Op::Not(v) => agg.ne(to(v)),
        Op::In(vs) => Typed::any(vs.iter().map(|v| agg.eq(to(v)))),
        Op::NotIn(vs) => Typed::all(vs.iter().map(|v| agg.ne(to(v)))),
        Op::Lt(v) => agg.lt(to(v)),
        Op::Lte(v) => agg.lte(to(v)),
        Op::Gt(v) => agg.gt(to(v)),
        Op::Gte(v) => agg.gte(to(v)),
        Op::Match { .. } => panic!("a text match on an aggregate"),
    }
}

fn req_int32(v: &Val) -> i32 {
    required(opt_int32(v))
}

fn typed_agg(agg: Agg, op: &Op) -> Typed<Person> {
    match agg {
        Agg::Count(rel) => compare_agg(count_of(rel), op, req_int),
        Agg::RankSum => compare_agg(person::notes.sum(note::rank), op, req_int),
        Agg::RankAvg => compare_agg(person::notes.avg(note::rank), op, |v| req_int(v) as f64),
        Agg::RankMin => compare_agg(person::notes.min(note::rank), op, req_int32),
        Agg::RankMax => compare_agg(person::notes.max(note::rank), op, req_int32),
        Agg::AgeSum => compare_agg(person::reports.sum(person::age), op, req_int),
        Agg::ScoreMax => compare_agg(person::reports.max(person::score), op, req_int),
        Agg::CodeMin => compare_agg(person::reports.min(person::code), op, req_text),
        Agg::AmountSum => compare_agg(person::notes.sum(note::amount), op, req_dec),
        Agg::AmountAvg => compare_agg(person::notes.avg(note::amount), op, req_dec),
        Agg::AmountMax => compare_agg(person::notes.max(note::amount), op, req_dec),
    }
}

fn count_of(rel: ManyRel) -> trellis::relation::RelationCount<Person> {
    match rel {
        ManyRel::Notes => person::notes.count(),
        ManyRel::Reports => person::reports.count(),
        ManyRel::Teams => person::teams.count(),
    }
}

/// As [`compare`], with the text matches.
fn compare_text<M, T: FieldType + TextColumn, K>(
    column: Col<M, T, K>,
    op: &Op,
    to: fn(&Val) -> T,
) -> Typed<M> {
    let Op::Match {
        kind,
        needle,
        insensitive,
    } = op
    else {
        return compare(column, op, to);
    };
    match (kind, insensitive) {
        (Match::Contains, false) => column.contains(needle),
        (Match::StartsWith, false) => column.starts_with(needle),
        (Match::EndsWith, false) => column.ends_with(needle),
        (Match::Contains, true) => column.contains_ignore_case(needle),
        (Match::StartsWith, true) => column.starts_with_ignore_case(needle),
        (Match::EndsWith, true) => column.ends_with_ignore_case(needle),
    }
}

/// The filter through the typed API, each condition rendered by `leaf`.
pub fn typed<M, L>(filter: &Filter<L>, leaf: &impl Fn(&L) -> Typed<M>) -> Typed<M> {
    match filter {
        Filter::Leaf(l) => leaf(l),
        Filter::And(v) | Filter::Entries(v) => Typed::all(v.iter().map(|f| typed(f, leaf))),
        Filter::Or(v) => Typed::any(v.iter().map(|f| typed(f, leaf))),
        Filter::Not(f) => not(typed(f, leaf)),
    }
}

pub fn typed_person(filter: &Filter<PersonLeaf>) -> Typed<Person> {
    typed(filter, &|leaf: &PersonLeaf| match leaf {
        PersonLeaf::Col(c, op) => match c {
            PersonCol::Id => compare_text(person::id, op, req_text),
            PersonCol::Name => compare_text(person::name, op, req_text),
            PersonCol::Code => compare_text(person::code, op, req_text),
            PersonCol::Nick => compare_text(person::nick, op, text),
            PersonCol::Age => compare(person::age, op, opt_int32),
            PersonCol::Score => compare(person::score, op, req_int),
            PersonCol::ManagerId => compare_text(person::manager_id, op, text),
        },
        PersonLeaf::Manager(t, f) => match t {
            One::Is => person::manager.is(typed_person(f)),
            One::IsNot => person::manager.is_not(typed_person(f)),
        },
        PersonLeaf::Reports(t, f) => match t {
            Many::Some => person::reports.some(typed_person(f)),
            Many::Every => person::reports.every(typed_person(f)),
            Many::None => person::reports.none(typed_person(f)),
        },
        PersonLeaf::Badge(t, f) => match t {
            One::Is => person::badge.is(typed_badge(f)),
            One::IsNot => person::badge.is_not(typed_badge(f)),
        },
        PersonLeaf::Notes(t, f) => match t {
            Many::Some => person::notes.some(typed_note(f)),
            Many::Every => person::notes.every(typed_note(f)),
            Many::None => person::notes.none(typed_note(f)),
        },
        PersonLeaf::Teams(t, f) => match t {
            Many::Some => person::teams.some(typed_team(f)),
            Many::Every => person::teams.every(typed_team(f)),
            Many::None => person::teams.none(typed_team(f)),
        },
        PersonLeaf::Agg(agg, op) => typed_agg(*agg, op),
    })
}

pub fn typed_note(filter: &Filter<ColLeaf<NoteCol>>) -> Typed<Note> {
    typed(filter, &|ColLeaf(c, op): &ColLeaf<NoteCol>| match c {
        NoteCol::Id => compare_text(note::id, op, req_text),
        NoteCol::Body => compare_text(note::body, op, req_text),
        NoteCol::Rank => compare(note::rank, op, opt_int32),
        NoteCol::Amount => compare(note::amount, op, dec),
    })
}

pub fn typed_badge(filter: &Filter<ColLeaf<BadgeCol>>) -> Typed<Badge> {
    typed(filter, &|ColLeaf(c, op): &ColLeaf<BadgeCol>| match c {
        BadgeCol::Id => compare_text(badge::id, op, req_text),
        BadgeCol::Label => compare_text(badge::label, op, text),
    })
}

pub fn typed_team(filter: &Filter<ColLeaf<TeamCol>>) -> Typed<Team> {
    typed(filter, &|ColLeaf(c, op): &ColLeaf<TeamCol>| match c {
        TeamCol::Id => compare_text(team::id, op, req_text),
        TeamCol::Name => compare_text(team::name, op, req_text),
    })
}

/// `NULL`s placed as the term says.
fn placed<M>(order: Order<M>, nulls: Option<Nulls>) -> Order<M> {
    match nulls {
        None => order,
        Some(Nulls::First) => order.nulls_first(),
        Some(Nulls::Last) => order.nulls_last(),
    }
}

fn direction<M, T: FieldType, K>(column: Col<M, T, K>, t: &Term<impl Copy>) -> Order<M> {
    let order = if t.desc { column.desc() } else { column.asc() };
    placed(order, t.nulls)
}

pub fn person_order(t: &Term<PersonKey>) -> Order<Person> {
    match t.key {
        PersonKey::Col(c) => person_col_order(&Term {
            key: c,
            desc: t.desc,
            nulls: t.nulls,
        }),
        PersonKey::Count(rel) => {
            let count = count_of(rel);
            if t.desc {
                count.desc()
            } else {
                count.asc()
            }
        }
        PersonKey::Agg(agg) => {
            fn by<V: FieldType>(
                agg: trellis::relation::RelationAggregate<Person, V>,
                t: &Term<PersonKey>,
            ) -> Order<Person> {
                placed(if t.desc { agg.desc() } else { agg.asc() }, t.nulls)
            }
            match agg {
                Agg::Count(rel) => by(count_of(rel), t),
                Agg::RankSum => by(person::notes.sum(note::rank), t),
                Agg::RankAvg => by(person::notes.avg(note::rank), t),
                Agg::RankMin => by(person::notes.min(note::rank), t),
                Agg::RankMax => by(person::notes.max(note::rank), t),
                Agg::AgeSum => by(person::reports.sum(person::age), t),
                Agg::ScoreMax => by(person::reports.max(person::score), t),
                Agg::CodeMin => by(person::reports.min(person::code), t),
                Agg::AmountSum => by(person::notes.sum(note::amount), t),
                Agg::AmountAvg => by(person::notes.avg(note::amount), t),
                Agg::AmountMax => by(person::notes.max(note::amount), t),
            }
        }
    }
}

pub fn person_col_order(t: &Term<PersonCol>) -> Order<Person> {
    match t.key {
        PersonCol::Id => direction(person::id, t),
        PersonCol::Name => direction(person::name, t),
        PersonCol::Code => direction(person::code, t),
        PersonCol::Nick => direction(person::nick, t),
        PersonCol::Age => direction(person::age, t),
        PersonCol::Score => direction(person::score, t),
        PersonCol::ManagerId => direction(person::manager_id, t),
    }
}

pub fn note_order(t: &Term<NoteCol>) -> Order<Note> {
    match t.key {
        NoteCol::Id => direction(note::id, t),
        NoteCol::Body => direction(note::body, t),
        NoteCol::Rank => direction(note::rank, t),
        NoteCol::Amount => direction(note::amount, t),
    }
}

pub fn team_order(t: &Term<TeamCol>) -> Order<Team> {
    match t.key {
        TeamCol::Id => direction(team::id, t),
        TeamCol::Name => direction(team::name, t),
    }
}
