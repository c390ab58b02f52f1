//! Random data and random queries for the differential tests.
//!
//! Where backends differ by nature the generators keep out of it (`docs/filters.md`):
//! - MySQL compares text with `equals`, `not`, `in` and `not_in` under the column's collation
//!   (letter case and accents ignored, trailing spaces padded), so those compare with
//!   [`EXACT`] texts, which differ from every stored text in more than that;
//! - ordering and `lt`/`gt` on text follow the collation too, so they are used on columns
//!   holding lowercase ASCII letters and digits only (`code`, the keys), where every
//!   collation agrees with byte order;
//! - where a database puts `NULL`s by default differs, so ordering by a nullable column
//!   always places them (`nulls_first` / `nulls_last`).
//!
//! The text matches (`contains`, `starts_with`, `ends_with`) compare every character on every
//! backend, so they get any text.

use proptest::prelude::*;
use trellis::filter::Nulls;

use super::query::{
    Agg, BadgeCol, ColLeaf, Filter, Many, ManyRel, Match, Nested, NoteCol, One, Op, PersonCol,
    PersonKey, PersonLeaf, Query, Scalar, TeamCol, Term, Val,
};
use super::reference::{BadgeRow, Data, NoteRow, PersonRow, SeatRow, TeamRow};

/// Texts stored in the text columns: empty, case pairs, LIKE's wildcards and escape,
/// non-ASCII; none differs from one of [`EXACT`] by case or accents alone.
const TEXTS: &[&str] = &[
    "", "ada", "ADAM", "bob", "a%b", "x_y", "b\\c", "zoë", "ZOË", "日本", "ab", "a b",
];
/// Texts `equals`/`in` compare with: distinct from each stored text under any collation.
const EXACT: &[&str] = &["ada", "bob", "ab", "日本", "nobody", ""];
/// Needles for the text matches.
const NEEDLES: &[&str] = &["", "a", "A", "%", "_", "\\", "ë", "Ë", "本", "b", " ", "ad"];
/// Codes: lowercase ASCII, duplicates likely.
const CODES: &[&str] = &["", "a", "ab", "b", "ba", "z"];
const INT32: &[i32] = &[i32::MIN, -1, 0, 1, 17, i32::MAX];
const INT64: &[i64] = &[i64::MIN, -1, 0, 1, i64::MAX];
/// Decimals stored, whose text orders unlike their numbers (`"9" > "10.25"`, `"-0.5" <
/// "-10"`), one written with a trailing zero.
const DECIMALS: &[&str] = &["-10", "-0.5", "0", "0.50", "1.5", "9", "10.25", "100"];
/// Decimals compared with: some stored (`1.50` equal to `1.5`), some between, sums of several.
const DECIMAL_BOUNDS: &[&str] = &[
    "-10.5", "-0.5", "0", "0.5", "1.50", "9.99", "10.25", "19.25", "111",
];
/// The most rows per table, so that keys are one digit.
const MAX_PEOPLE: usize = 7;
const MAX_TEAMS: usize = 3;
const MAX_NOTES: usize = 10;

fn person_id(i: usize) -> String {
    format!("p{i}")
}

fn note_id(i: usize) -> String {
    format!("n{i}")
}

fn team_id(i: usize) -> String {
    format!("t{i}")
}

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(list).prop_map(str::to_owned)
}

// ---- data

pub fn data() -> impl Strategy<Value = Data> {
    (0..=MAX_PEOPLE, 0..=MAX_TEAMS).prop_flat_map(|(people, teams)| {
        let person = |i: usize| {
            (
                pick(TEXTS),
                pick(CODES),
                prop::option::of(pick(TEXTS)),
                prop::option::of(prop::sample::select(INT32)),
                prop::sample::select(INT64),
                // A manager among the people before: rows are inserted in order.
                prop::option::weighted(0.6, 0..i.max(1)).prop_map(move |m| m.filter(|&m| m < i)),
                prop::option::of(prop::option::of(pick(TEXTS))),
            )
                .prop_map(move |(name, code, nick, age, score, manager, badge)| {
                    let person = PersonRow {
                        id: person_id(i),
                        name,
                        code,
                        nick,
                        age,
                        score,
                        manager_id: manager.map(person_id),
                    };
                    let badge = badge.map(|label| BadgeRow {
                        id: format!("b{i}"),
                        person_id: person_id(i),
                        label,
                    });
                    (person, badge)
                })
        };
        let rows: Vec<_> = (0..people).map(person).collect();
        let notes = prop::collection::vec(
            (
                0..people.max(1),
                pick(TEXTS),
                prop::option::of(prop::sample::select(INT32)),
                prop::option::of(prop::sample::select(DECIMALS)),
            ),
            if people == 0 { 0..1 } else { 0..MAX_NOTES + 1 },
        );
        let team_names = prop::collection::vec(pick(TEXTS), teams);
        let seats = prop::collection::btree_set((0..people.max(1), 0..teams.max(1)), 0..8);
        (rows, notes, team_names, seats).prop_map(move |(rows, notes, team_names, seats)| {
            let (people_rows, badges): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
            Data {
                badges: badges.into_iter().flatten().collect(),
                notes: notes
                    .into_iter()
                    .enumerate()
                    .map(|(i, (p, body, rank, amount))| NoteRow {
                        id: note_id(i),
                        person_id: person_id(p),
                        body,
                        rank,
                        amount: amount.map(decimal),
                    })
                    .collect(),
                teams: team_names
                    .into_iter()
                    .enumerate()
                    .map(|(i, name)| TeamRow {
                        id: team_id(i),
                        name,
                    })
                    .collect(),
                seats: seats
                    .into_iter()
                    .filter(|&(p, t)| p < people && t < teams)
                    .enumerate()
                    .map(|(i, (p, t))| SeatRow {
                        id: format!("s{i}"),
                        person_id: person_id(p),
                        team_id: team_id(t),
                    })
                    .collect(),
                people: people_rows,
            }
        })
    })
}

// ---- column conditions

fn texts(list: &'static [&'static str], nullable: bool) -> BoxedStrategy<Val> {
    let value = prop::sample::select(list).prop_map(|s| Some(Scalar::Text(s.to_owned())));
    if nullable {
        prop_oneof![4 => value, 1 => Just(None)].boxed()
    } else {
        value.boxed()
    }
}

fn ints(list: &'static [i64], nullable: bool) -> BoxedStrategy<Val> {
    let value = prop::sample::select(list).prop_map(|i| Some(Scalar::Int(i)));
    if nullable {
        prop_oneof![4 => value, 1 => Just(None)].boxed()
    } else {
        value.boxed()
    }
}

fn decimal(text: &str) -> rust_decimal::Decimal {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn decimals(list: &'static [&'static str], nullable: bool) -> BoxedStrategy<Val> {
    let value = prop::sample::select(list).prop_map(|d| Some(Scalar::Dec(decimal(d))));
    if nullable {
        prop_oneof![4 => value, 1 => Just(None)].boxed()
    } else {
        value.boxed()
    }
}

fn text_match() -> impl Strategy<Value = Op> {
    (
        prop::sample::select(&[Match::Contains, Match::StartsWith, Match::EndsWith][..]),
        pick(NEEDLES),
        any::<bool>(),
    )
        .prop_map(|(kind, needle, insensitive)| Op::Match {
            kind,
            needle,
            insensitive,
        })
}

/// Equality and lists of `values`; with `ordered`, the comparisons too.
fn compare(values: BoxedStrategy<Val>, ordered: bool) -> BoxedStrategy<Op> {
    let list = || prop::collection::vec(values.clone(), 0..4);
    let equality = prop_oneof![
        values.clone().prop_map(Op::Equals),
        values.clone().prop_map(Op::Not),
        list().prop_map(Op::In),
        list().prop_map(Op::NotIn),
    ];
    if !ordered {
        return equality.boxed();
    }
    prop_oneof![
        equality,
        values.clone().prop_map(Op::Lt),
        values.clone().prop_map(Op::Lte),
        values.clone().prop_map(Op::Gt),
        values.prop_map(Op::Gte),
    ]
    .boxed()
}

/// Conditions on a text column compared under the collation (never ordered).
fn collated_text(nullable: bool) -> BoxedStrategy<Op> {
    prop_oneof![compare(texts(EXACT, nullable), false), text_match()].boxed()
}

/// Conditions on a text column of lowercase ASCII (codes, keys).
fn ascii_text(values: &'static [&'static str], nullable: bool) -> BoxedStrategy<Op> {
    prop_oneof![compare(texts(values, nullable), true), text_match()].boxed()
}

const INT32_WIDE: &[i64] = &[i32::MIN as i64, -1, 0, 1, 17, i32::MAX as i64];
const PERSON_IDS: &[&str] = &["p0", "p1", "p3", "p6", "p9"];
const NOTE_IDS: &[&str] = &["n0", "n1", "n4", "n9", "nx"];
const TEAM_IDS: &[&str] = &["t0", "t1", "t2", "t9"];

fn person_col() -> BoxedStrategy<(PersonCol, Op)> {
    prop_oneof![
        ascii_text(PERSON_IDS, false).prop_map(|op| (PersonCol::Id, op)),
        collated_text(false).prop_map(|op| (PersonCol::Name, op)),
        ascii_text(CODES, false).prop_map(|op| (PersonCol::Code, op)),
        collated_text(true).prop_map(|op| (PersonCol::Nick, op)),
        compare(ints(INT32_WIDE, true), true).prop_map(|op| (PersonCol::Age, op)),
        compare(ints(INT64, false), true).prop_map(|op| (PersonCol::Score, op)),
        ascii_text(PERSON_IDS, true).prop_map(|op| (PersonCol::ManagerId, op)),
    ]
    .boxed()
}

fn note_col() -> BoxedStrategy<ColLeaf<NoteCol>> {
    prop_oneof![
        ascii_text(NOTE_IDS, false).prop_map(|op| ColLeaf(NoteCol::Id, op)),
        collated_text(false).prop_map(|op| ColLeaf(NoteCol::Body, op)),
        compare(ints(INT32_WIDE, true), true).prop_map(|op| ColLeaf(NoteCol::Rank, op)),
        compare(decimals(DECIMAL_BOUNDS, true), true).prop_map(|op| ColLeaf(NoteCol::Amount, op)),
    ]
    .boxed()
}

fn badge_col() -> BoxedStrategy<ColLeaf<BadgeCol>> {
    prop_oneof![
        ascii_text(&["b0", "b2", "b9"], false).prop_map(|op| ColLeaf(BadgeCol::Id, op)),
        collated_text(true).prop_map(|op| ColLeaf(BadgeCol::Label, op)),
    ]
    .boxed()
}

fn team_col() -> BoxedStrategy<ColLeaf<TeamCol>> {
    prop_oneof![
        ascii_text(TEAM_IDS, false).prop_map(|op| ColLeaf(TeamCol::Id, op)),
        collated_text(false).prop_map(|op| ColLeaf(TeamCol::Name, op)),
    ]
    .boxed()
}

// ---- filters

fn combined<L: Clone + std::fmt::Debug + 'static>(
    inner: BoxedStrategy<Filter<L>>,
) -> BoxedStrategy<Filter<L>> {
    prop_oneof![
        prop::collection::vec(inner.clone(), 0..3).prop_map(Filter::And),
        prop::collection::vec(inner.clone(), 2..4).prop_map(Filter::Entries),
        prop::collection::vec(inner.clone(), 0..3).prop_map(Filter::Or),
        inner.prop_map(|f| Filter::Not(Box::new(f))),
    ]
    .boxed()
}

/// A filter on a model without relations of its own: one level of `AND`/`OR`/`NOT` at most.
fn col_filter<C: Clone + std::fmt::Debug + 'static>(
    leaf: BoxedStrategy<ColLeaf<C>>,
) -> BoxedStrategy<Filter<ColLeaf<C>>> {
    leaf.prop_map(Filter::Leaf)
        .prop_recursive(1, 4, 2, combined)
        .boxed()
}

fn many() -> impl Strategy<Value = Many> {
    prop::sample::select(&[Many::Some, Many::Every, Many::None][..])
}

fn one() -> impl Strategy<Value = One> {
    prop::sample::select(&[One::Is, One::IsNot][..])
}

/// Counts compared with.
const COUNTS: &[i64] = &[0, 1, 2, 3];
/// Sums of `i32`s compared with: small ones, and past an `i32`'s range.
const SUMS: &[i64] = &[
    i32::MIN as i64 * 2,
    i32::MIN as i64,
    -1,
    0,
    1,
    17,
    34,
    i32::MAX as i64,
    i32::MAX as i64 + 1,
];

/// A condition on an aggregate of a person's relation: never `NULL` on the right (neither the
/// typed API nor `Where` compares an aggregate with `NULL`), never a text match.
fn aggregate() -> BoxedStrategy<(Agg, Op)> {
    let rels = prop::sample::select(&[ManyRel::Notes, ManyRel::Reports, ManyRel::Teams][..]);
    let ints32 = || compare(ints(INT32_WIDE, false), true);
    prop_oneof![
        (rels, compare(ints(COUNTS, false), true)).prop_map(|(r, op)| (Agg::Count(r), op)),
        compare(ints(SUMS, false), true).prop_map(|op| (Agg::RankSum, op)),
        ints32().prop_map(|op| (Agg::RankAvg, op)),
        ints32().prop_map(|op| (Agg::RankMin, op)),
        ints32().prop_map(|op| (Agg::RankMax, op)),
        compare(ints(SUMS, false), true).prop_map(|op| (Agg::AgeSum, op)),
        compare(ints(INT64, false), true).prop_map(|op| (Agg::ScoreMax, op)),
        compare(texts(CODES, false), true).prop_map(|op| (Agg::CodeMin, op)),
        compare(decimals(DECIMAL_BOUNDS, false), true).prop_map(|op| (Agg::AmountSum, op)),
        compare(decimals(DECIMAL_BOUNDS, false), true).prop_map(|op| (Agg::AmountAvg, op)),
        compare(decimals(DECIMAL_BOUNDS, false), true).prop_map(|op| (Agg::AmountMax, op)),
    ]
    .boxed()
}

/// A filter on people: columns, relation tests (the self-relation's nesting further people
/// filters), `AND`, `OR` and `NOT`.
pub fn person_filter() -> BoxedStrategy<Filter<PersonLeaf>> {
    let leaf = prop_oneof![
        3 => person_col().prop_map(|(c, op)| PersonLeaf::Col(c, op)),
        1 => (one(), col_filter(badge_col())).prop_map(|(t, f)| PersonLeaf::Badge(t, f)),
        1 => (many(), col_filter(note_col())).prop_map(|(t, f)| PersonLeaf::Notes(t, f)),
        1 => (many(), col_filter(team_col())).prop_map(|(t, f)| PersonLeaf::Teams(t, f)),
        2 => aggregate().prop_map(|(a, op)| PersonLeaf::Agg(a, op)),
    ]
    .prop_map(Filter::Leaf);
    leaf.prop_recursive(3, 10, 3, |inner| {
        prop_oneof![
            2 => combined(inner.clone()),
            1 => (one(), inner.clone())
                .prop_map(|(t, f)| Filter::Leaf(PersonLeaf::Manager(t, Box::new(f)))),
            1 => (many(), inner)
                .prop_map(|(t, f)| Filter::Leaf(PersonLeaf::Reports(t, Box::new(f)))),
        ]
    })
    .boxed()
}

// ---- order and paging

fn term<K: Clone + std::fmt::Debug + 'static>(
    key: impl Strategy<Value = (K, bool)>,
) -> impl Strategy<Value = Term<K>> {
    let nulls = prop::sample::select(&[Nulls::First, Nulls::Last][..]);
    (key, any::<bool>(), nulls, any::<bool>()).prop_map(|((key, nullable), desc, nulls, give)| {
        Term {
            key,
            desc,
            nulls: (nullable || give).then_some(nulls),
        }
    })
}

/// Ordering keys of people, with whether they can be `NULL`.
fn person_col_key() -> impl Strategy<Value = (PersonCol, bool)> {
    prop::sample::select(
        &[
            (PersonCol::Code, false),
            (PersonCol::Age, true),
            (PersonCol::Score, false),
            (PersonCol::ManagerId, true),
            (PersonCol::Id, false),
        ][..],
    )
}

fn person_key() -> impl Strategy<Value = (PersonKey, bool)> {
    prop_oneof![
        4 => person_col_key().prop_map(|(c, n)| (PersonKey::Col(c), n)),
        1 => prop::sample::select(&[ManyRel::Notes, ManyRel::Reports, ManyRel::Teams][..])
            .prop_map(|r| (PersonKey::Count(r), false)),
        // Each with whether it can be `NULL` (a least or greatest value of none).
        1 => prop::sample::select(
            &[
                (Agg::RankSum, false),
                (Agg::RankMin, true),
                (Agg::RankMax, true),
                (Agg::AgeSum, false),
                (Agg::ScoreMax, true),
                (Agg::CodeMin, true),
                (Agg::AmountSum, false),
                (Agg::AmountAvg, true),
                (Agg::AmountMax, true),
            ][..]
        )
        .prop_map(|(a, nullable)| (PersonKey::Agg(a), nullable)),
    ]
}

fn paging() -> impl Strategy<Value = (Option<u64>, Option<u64>)> {
    (
        prop::option::weighted(0.3, 0..3u64),
        prop::option::weighted(0.4, 0..4u64),
    )
}

fn nested<C: Clone + std::fmt::Debug + 'static, L: Clone + std::fmt::Debug + 'static>(
    filter: BoxedStrategy<Filter<L>>,
    key: impl Strategy<Value = (C, bool)> + 'static,
    ids: &'static [&'static str],
) -> impl Strategy<Value = Nested<C, L>> {
    (
        prop::option::weighted(0.4, filter),
        prop::collection::vec(term(key), 0..3),
        prop::option::weighted(0.2, pick(ids)),
        paging(),
    )
        .prop_map(|(filter, order, cursor, (skip, take))| Nested {
            filter,
            order,
            cursor,
            skip,
            take,
        })
}

pub fn query() -> impl Strategy<Value = Query> {
    let notes = nested(
        col_filter(note_col()),
        prop::sample::select(
            &[
                (NoteCol::Rank, true),
                (NoteCol::Amount, true),
                (NoteCol::Id, false),
            ][..],
        ),
        NOTE_IDS,
    );
    let reports = nested(person_filter(), person_col_key(), PERSON_IDS);
    let teams = nested(col_filter(team_col()), Just((TeamCol::Id, false)), TEAM_IDS);
    (
        person_filter(),
        prop::collection::vec(term(person_key()), 0..3),
        prop::option::weighted(0.25, pick(PERSON_IDS)),
        paging(),
        (notes, reports, teams),
        any::<bool>(),
    )
        .prop_map(
            |(filter, order, cursor, (skip, take), (notes, reports, teams), typed)| Query {
                filter,
                order,
                cursor,
                skip,
                take,
                notes,
                reports,
                teams,
                typed,
            },
        )
}
