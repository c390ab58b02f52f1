//! The reference: the documented meaning of a [`Query`] computed in plain Rust over the rows
//! the test stored, for the backends to be compared with.
//!
//! What it models, from `docs/filters.md` and `docs/relations.md`:
//! - a comparison with `NULL`, or of a `NULL` column with a value, is unknown, and `AND`, `OR`
//!   and `NOT` treat unknown as SQL does (a row comes back only when its filter is true);
//!   `equals: null` / `not: null` are `IS NULL` / `IS NOT NULL`; an empty `in` is false and an
//!   empty `not_in` true, whatever the column holds; a `NULL` in a list never matches, and
//!   makes `not_in` unknown for the values it does not exclude;
//! - a relation's count and sum of no rows are 0, its average, least and greatest value of no
//!   values `NULL` (so a comparison with them unknown); an average is compared exactly, as a
//!   fraction;
//! - a related row matches a relation filter when the filter is true for it: `some` / `none`
//!   ask whether one does, `every` whether all do (true without related rows), `is` whether
//!   the related row exists and does, `is_not` the opposite of `is`;
//! - text matches compare every character (`mode: insensitive` after Unicode lowercasing,
//!   which PostgreSQL follows with a UTF-8 `lc_ctype`, as on the test servers);
//! - rows are ordered by the terms, `NULL`s where the term puts them, the key last; a cursor
//!   keeps the rows after the cursor row in that order (the cursor row read by its key, from
//!   all rows; `NotFound` when there is none, `InvalidQuery` when it has no value in an
//!   ordering key, a column's or a relation aggregate's); `skip` and `take` come after;
//! - a relation's rows are narrowed, ordered and paged per parent in the same way; its cursor
//!   row is read only when there are parents to load it for.

use std::cmp::Ordering;

use trellis::filter::Nulls;

use super::query::{
    Agg, BadgeCol, ColLeaf, Filter, ManyRel, Match, Nested, NoteCol, One, Op, PersonCol, PersonKey,
    PersonLeaf, Query, Scalar, TeamCol, Term, Val,
};

#[derive(Debug, Clone, PartialEq)]
pub struct PersonRow {
    pub id: String,
    pub name: String,
    pub code: String,
    pub nick: Option<String>,
    pub age: Option<i32>,
    pub score: i64,
    pub manager_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BadgeRow {
    pub id: String,
    pub person_id: String,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoteRow {
    pub id: String,
    pub person_id: String,
    pub body: String,
    pub rank: Option<i32>,
    pub amount: Option<rust_decimal::Decimal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TeamRow {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeatRow {
    pub id: String,
    pub person_id: String,
    pub team_id: String,
}

/// Every row of the differential tables.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub people: Vec<PersonRow>,
    pub badges: Vec<BadgeRow>,
    pub notes: Vec<NoteRow>,
    pub teams: Vec<TeamRow>,
    pub seats: Vec<SeatRow>,
}

/// One person of the result with its relations loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub person: PersonRow,
    pub manager: Option<PersonRow>,
    pub badge: Option<BadgeRow>,
    pub notes: Vec<NoteRow>,
    pub reports: Vec<PersonRow>,
    pub teams: Vec<TeamRow>,
}

/// The error a query must end with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    NotFound,
    InvalidQuery,
}

/// A row whose columns `C` the reference reads.
pub trait Row {
    type Col: Copy + PartialEq;
    const KEY: Self::Col;
    fn get(&self, col: Self::Col) -> Val;
}

fn text(s: &str) -> Val {
    Some(Scalar::Text(s.to_owned()))
}

fn opt_text(s: &Option<String>) -> Val {
    s.as_deref().and_then(text)
}

fn int(i: impl Into<i64>) -> Val {
    Some(Scalar::Int(i.into()))
}

impl Row for PersonRow {
    type Col = PersonCol;
    const KEY: PersonCol = PersonCol::Id;
    fn get(&self, col: PersonCol) -> Val {
        match col {
            PersonCol::Id => text(&self.id),
            PersonCol::Name => text(&self.name),
            PersonCol::Code => text(&self.code),
            PersonCol::Nick => opt_text(&self.nick),
            PersonCol::Age => self.age.and_then(int),
            PersonCol::Score => int(self.score),
            PersonCol::ManagerId => opt_text(&self.manager_id),
        }
    }
}

impl Row for NoteRow {
    type Col = NoteCol;
    const KEY: NoteCol = NoteCol::Id;
    fn get(&self, col: NoteCol) -> Val {
        match col {
            NoteCol::Id => text(&self.id),
            NoteCol::Body => text(&self.body),
            NoteCol::Rank => self.rank.and_then(int),
            NoteCol::Amount => self.amount.map(Scalar::Dec),
        }
    }
}

impl Row for BadgeRow {
    type Col = BadgeCol;
    const KEY: BadgeCol = BadgeCol::Id;
    fn get(&self, col: BadgeCol) -> Val {
        match col {
            BadgeCol::Id => text(&self.id),
            BadgeCol::Label => opt_text(&self.label),
        }
    }
}

impl Row for TeamRow {
    type Col = TeamCol;
    const KEY: TeamCol = TeamCol::Id;
    fn get(&self, col: TeamCol) -> Val {
        match col {
            TeamCol::Id => text(&self.id),
            TeamCol::Name => text(&self.name),
        }
    }
}

// ---- relations

impl Data {
    pub fn person(&self, id: &str) -> Option<&PersonRow> {
        self.people.iter().find(|p| p.id == id)
    }

    pub fn manager(&self, p: &PersonRow) -> Option<&PersonRow> {
        p.manager_id.as_deref().and_then(|id| self.person(id))
    }

    pub fn reports<'a>(&'a self, p: &'a PersonRow) -> impl Iterator<Item = &'a PersonRow> {
        self.people
            .iter()
            .filter(move |r| r.manager_id.as_deref() == Some(p.id.as_str()))
    }

    pub fn badge(&self, p: &PersonRow) -> Option<&BadgeRow> {
        self.badges.iter().find(|b| b.person_id == p.id)
    }

    pub fn notes<'a>(&'a self, p: &'a PersonRow) -> impl Iterator<Item = &'a NoteRow> {
        self.notes.iter().filter(move |n| n.person_id == p.id)
    }

    /// A person's teams, once per seat (a person may hold several seats in one team).
    pub fn teams<'a>(&'a self, p: &'a PersonRow) -> impl Iterator<Item = &'a TeamRow> {
        self.seats
            .iter()
            .filter(move |s| s.person_id == p.id)
            .filter_map(|s| self.teams.iter().find(|t| t.id == s.team_id))
    }

    fn count(&self, p: &PersonRow, rel: ManyRel) -> usize {
        match rel {
            ManyRel::Notes => self.notes(p).count(),
            ManyRel::Reports => self.reports(p).count(),
            ManyRel::Teams => self.teams(p).count(),
        }
    }
}

impl Data {
    fn ranks(&self, p: &PersonRow) -> Vec<i64> {
        self.notes(p)
            .filter_map(|n| n.rank)
            .map(i64::from)
            .collect()
    }

    /// An aggregate's value: a count or a sum of no rows is 0, the least or greatest of no
    /// values `NULL`. An average is a fraction, which [`eval_avg`] compares.
    pub fn aggregate(&self, p: &PersonRow, agg: Agg) -> Val {
        let ages = || self.reports(p).filter_map(|r| r.age).map(i64::from);
        match agg {
            Agg::Count(rel) => int(self.count(p, rel) as i64),
            Agg::RankSum => int(self.ranks(p).iter().sum::<i64>()),
            Agg::RankMin => self.ranks(p).into_iter().min().and_then(int),
            Agg::RankMax => self.ranks(p).into_iter().max().and_then(int),
            Agg::AgeSum => int(ages().sum::<i64>()),
            Agg::ScoreMax => self.reports(p).map(|r| r.score).max().and_then(int),
            Agg::CodeMin => self
                .reports(p)
                .map(|r| r.code.as_str())
                .min()
                .and_then(text),
            Agg::AmountSum => Some(Scalar::Dec(self.amounts(p).iter().sum())),
            Agg::AmountAvg => self.amount_avg(p).map(Scalar::Dec),
            Agg::AmountMax => self.amounts(p).into_iter().max().map(Scalar::Dec),
            Agg::RankAvg => panic!("an average is compared by `eval_avg`"),
        }
    }

    fn amounts(&self, p: &PersonRow) -> Vec<rust_decimal::Decimal> {
        self.notes(p).filter_map(|n| n.amount).collect()
    }

    /// The average of the notes' amounts, exact, then to ten places, half away from zero (as
    /// `docs/aggregates.md` says every backend gives it); `None` without amounts.
    pub fn amount_avg(&self, p: &PersonRow) -> Option<rust_decimal::Decimal> {
        let amounts = self.amounts(p);
        let count = rust_decimal::Decimal::from(amounts.len());
        (!amounts.is_empty()).then(|| {
            (amounts.iter().sum::<rust_decimal::Decimal>() / count)
                .round_dp_with_strategy(10, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        })
    }

    /// The average of the notes' ranks, to a thousandth (`None` without ranks).
    pub fn rank_avg_milli(&self, p: &PersonRow) -> Option<i64> {
        let ranks = self.ranks(p);
        (!ranks.is_empty())
            .then(|| (ranks.iter().sum::<i64>() as f64 / ranks.len() as f64 * 1e3).round() as i64)
    }
}

/// `op` on the average of `values`, compared exactly: `sum op n * count`. The average of no
/// values is `NULL`.
fn eval_avg(values: &[i64], op: &Op) -> Option<bool> {
    let against = |operand: &Val, test: fn(Ordering) -> bool| -> Option<bool> {
        let Some(Scalar::Int(n)) = operand else {
            return None;
        };
        if values.is_empty() {
            return None;
        }
        let sum: i128 = values.iter().map(|v| i128::from(*v)).sum();
        Some(test(sum.cmp(&(i128::from(*n) * values.len() as i128))))
    };
    let in_list = |list: &[Val]| kleene_or(list.iter().map(|v| against(v, Ordering::is_eq)));
    match op {
        Op::In(list) if list.is_empty() => Some(false),
        Op::NotIn(list) if list.is_empty() => Some(true),
        Op::In(list) => in_list(list),
        Op::NotIn(list) => in_list(list).map(|b| !b),
        Op::Equals(v) => against(v, Ordering::is_eq),
        Op::Not(v) => against(v, Ordering::is_ne),
        Op::Lt(v) => against(v, Ordering::is_lt),
        Op::Lte(v) => against(v, Ordering::is_le),
        Op::Gt(v) => against(v, Ordering::is_gt),
        Op::Gte(v) => against(v, Ordering::is_ge),
        Op::Match { .. } => None,
    }
}

// ---- filters, in SQL's three-valued logic (`None` is unknown)

fn kleene_and(items: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for item in items {
        match item {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    if unknown {
        None
    } else {
        Some(true)
    }
}

fn kleene_or(items: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    kleene_and(items.map(|i| i.map(|b| !b))).map(|b| !b)
}

pub fn eval<L>(filter: &Filter<L>, leaf: &impl Fn(&L) -> Option<bool>) -> Option<bool> {
    match filter {
        Filter::Leaf(l) => leaf(l),
        Filter::And(v) | Filter::Entries(v) => kleene_and(v.iter().map(|f| eval(f, leaf))),
        Filter::Or(v) => kleene_or(v.iter().map(|f| eval(f, leaf))),
        Filter::Not(f) => eval(f, leaf).map(|b| !b),
    }
}

/// `value op operand`, with `NULL` on either side unknown.
fn cmp(value: &Val, operand: &Val, test: fn(Ordering) -> bool) -> Option<bool> {
    match (value, operand) {
        (Some(a), Some(b)) => Some(test(a.cmp(b))),
        _ => None,
    }
}

/// `value IN (list)`: true when one equals it, else unknown when a `NULL` is on either side.
fn in_list(value: &Val, list: &[Val]) -> Option<bool> {
    kleene_or(list.iter().map(|v| cmp(value, v, Ordering::is_eq)))
}

pub fn eval_op(value: &Val, op: &Op) -> Option<bool> {
    match op {
        Op::Equals(None) => Some(value.is_none()),
        Op::Not(None) => Some(value.is_some()),
        Op::Equals(v) => cmp(value, v, Ordering::is_eq),
        Op::Not(v) => cmp(value, v, Ordering::is_ne),
        Op::In(list) if list.is_empty() => Some(false),
        Op::NotIn(list) if list.is_empty() => Some(true),
        Op::In(list) => in_list(value, list),
        Op::NotIn(list) => in_list(value, list).map(|b| !b),
        Op::Lt(v) => cmp(value, v, Ordering::is_lt),
        Op::Lte(v) => cmp(value, v, Ordering::is_le),
        Op::Gt(v) => cmp(value, v, Ordering::is_gt),
        Op::Gte(v) => cmp(value, v, Ordering::is_ge),
        Op::Match {
            kind,
            needle,
            insensitive,
        } => {
            let Some(Scalar::Text(hay)) = value else {
                return None;
            };
            let (hay, needle) = if *insensitive {
                (hay.to_lowercase(), needle.to_lowercase())
            } else {
                (hay.clone(), needle.clone())
            };
            Some(match kind {
                Match::Contains => hay.contains(&needle),
                Match::StartsWith => hay.starts_with(&needle),
                Match::EndsWith => hay.ends_with(&needle),
            })
        }
    }
}

fn matches_col<R: Row>(filter: &Filter<ColLeaf<R::Col>>, row: &R) -> bool {
    eval(filter, &|ColLeaf(c, op): &ColLeaf<R::Col>| {
        eval_op(&row.get(*c), op)
    }) == Some(true)
}

fn test_many<'a, R: 'a>(
    test: super::query::Many,
    mut rows: impl Iterator<Item = &'a R>,
    matches: impl Fn(&R) -> bool,
) -> Option<bool> {
    use super::query::Many;
    Some(match test {
        Many::Some => rows.any(&matches),
        Many::Every => rows.all(&matches),
        Many::None => !rows.any(&matches),
    })
}

fn test_one<R>(test: One, row: Option<&R>, matches: impl Fn(&R) -> bool) -> Option<bool> {
    let is = row.is_some_and(matches);
    Some(match test {
        One::Is => is,
        One::IsNot => !is,
    })
}

pub fn matches_person(data: &Data, filter: &Filter<PersonLeaf>, p: &PersonRow) -> bool {
    eval_person(data, filter, p) == Some(true)
}

fn eval_person(data: &Data, filter: &Filter<PersonLeaf>, p: &PersonRow) -> Option<bool> {
    eval(filter, &|leaf: &PersonLeaf| match leaf {
        PersonLeaf::Col(c, op) => eval_op(&p.get(*c), op),
        PersonLeaf::Manager(t, f) => test_one(*t, data.manager(p), |m| matches_person(data, f, m)),
        PersonLeaf::Reports(t, f) => test_many(*t, data.reports(p), |r| matches_person(data, f, r)),
        PersonLeaf::Badge(t, f) => test_one(*t, data.badge(p), |b| matches_col(f, b)),
        PersonLeaf::Notes(t, f) => test_many(*t, data.notes(p), |n| matches_col(f, n)),
        PersonLeaf::Teams(t, f) => test_many(*t, data.teams(p), |r| matches_col(f, r)),
        PersonLeaf::Agg(Agg::RankAvg, op) => eval_avg(&data.ranks(p), op),
        PersonLeaf::Agg(agg, op) => eval_op(&data.aggregate(p, *agg), op),
    })
}

// ---- ordering and paging

fn cmp_term(a: &Val, b: &Val, desc: bool, nulls: Option<Nulls>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) | (Some(_), None) => {
            let null_first = match nulls {
                Some(Nulls::First) => Ordering::Less,
                Some(Nulls::Last) => Ordering::Greater,
                None => panic!("a nullable ordering column without `NULL`s placed"),
            };
            if a.is_none() {
                null_first
            } else {
                null_first.reverse()
            }
        }
        (Some(x), Some(y)) if desc => y.cmp(x),
        (Some(x), Some(y)) => x.cmp(y),
    }
}

/// The values of the ordering keys of one row, the key last.
type Keys = Vec<(Val, bool, Option<Nulls>)>;

fn cmp_keys(a: &Keys, b: &Keys) -> Ordering {
    a.iter()
        .zip(b)
        .map(|((x, desc, nulls), (y, ..))| cmp_term(x, y, *desc, *nulls))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

fn col_keys<R: Row>(row: &R, order: &[Term<R::Col>]) -> Keys {
    order
        .iter()
        .map(|t| (row.get(t.key), t.desc, t.nulls))
        .chain(std::iter::once((row.get(R::KEY), false, None)))
        .collect()
}

/// Orders `rows` by their keys, keeps those after the cursor's keys, then skips and takes.
fn arrange<T>(
    mut rows: Vec<(Keys, T)>,
    cursor: Option<Keys>,
    skip: Option<u64>,
    take: Option<u64>,
) -> Vec<T> {
    rows.sort_by(|a, b| cmp_keys(&a.0, &b.0));
    rows.into_iter()
        .filter(|(k, _)| cursor.as_ref().is_none_or(|c| cmp_keys(k, c).is_gt()))
        .map(|(_, row)| row)
        .skip(skip.map_or(0, |n| n as usize))
        .take(take.map_or(usize::MAX, |n| n as usize))
        .collect()
}

/// The keys of the cursor row, read by key from `all`.
fn cursor_keys<R: Row>(
    all: &[R],
    id: Option<&String>,
    keys: impl Fn(&R) -> Keys,
) -> Result<Option<Keys>, Expected> {
    let Some(id) = id else { return Ok(None) };
    let row = all
        .iter()
        .find(|r| r.get(R::KEY) == text(id))
        .ok_or(Expected::NotFound)?;
    let keys = keys(row);
    if keys.iter().any(|(v, ..)| v.is_none()) {
        return Err(Expected::InvalidQuery);
    }
    Ok(Some(keys))
}

/// One relation's rows of one parent, per `nested`.
fn nested<R: Row + Clone, L>(
    all: &[R],
    rows: impl Iterator<Item = R>,
    nested: &Nested<R::Col, L>,
    matches: impl Fn(&Filter<L>, &R) -> bool,
) -> Result<Vec<R>, Expected> {
    let cursor = cursor_keys(all, nested.cursor.as_ref(), |r| col_keys(r, &nested.order))?;
    let rows = rows
        .filter(|r| nested.filter.as_ref().is_none_or(|f| matches(f, r)))
        .map(|r| (col_keys(&r, &nested.order), r))
        .collect();
    Ok(arrange(rows, cursor, nested.skip, nested.take))
}

fn person_keys(data: &Data, p: &PersonRow, order: &[Term<PersonKey>]) -> Keys {
    order
        .iter()
        .map(|t| {
            let value = match t.key {
                PersonKey::Col(c) => p.get(c),
                PersonKey::Count(rel) => int(data.count(p, rel) as i64),
                PersonKey::Agg(agg) => data.aggregate(p, agg),
            };
            (value, t.desc, t.nulls)
        })
        .chain(std::iter::once((p.get(PersonCol::Id), false, None)))
        .collect()
}

/// What `query` returns on `data`.
pub fn run(data: &Data, query: &Query) -> Result<Vec<Found>, Expected> {
    let cursor = cursor_keys(&data.people, query.cursor.as_ref(), |p| {
        person_keys(data, p, &query.order)
    })?;
    let rows = data
        .people
        .iter()
        .filter(|p| matches_person(data, &query.filter, p))
        .map(|p| (person_keys(data, p, &query.order), p))
        .collect();
    let people = arrange(rows, cursor, query.skip, query.take);
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for p in &people {
        found.push(Found {
            person: (*p).clone(),
            manager: data.manager(p).cloned(),
            badge: data.badge(p).cloned(),
            notes: nested(
                &data.notes,
                data.notes(p).cloned(),
                &query.notes,
                matches_col,
            )?,
            reports: nested(
                &data.people,
                data.reports(p).cloned(),
                &query.reports,
                |f, r| matches_person(data, f, r),
            )?,
            teams: nested(
                &data.teams,
                data.teams(p).cloned(),
                &query.teams,
                matches_col,
            )?,
        });
    }
    Ok(found)
}

/// The ids of the people `filter` selects, in id order, with the number of their notes,
/// reports and teams.
pub fn counts(data: &Data, filter: &Filter<PersonLeaf>) -> Vec<(String, i64, i64, i64)> {
    let mut rows: Vec<_> = data
        .people
        .iter()
        .filter(|p| matches_person(data, filter, p))
        .map(|p| {
            (
                p.id.clone(),
                data.count(p, ManyRel::Notes) as i64,
                data.count(p, ManyRel::Reports) as i64,
                data.count(p, ManyRel::Teams) as i64,
            )
        })
        .collect();
    rows.sort();
    rows
}
