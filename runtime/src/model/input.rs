//! The plain-data form of filters: what a model's `Where` struct is made of. Every part
//! derives `Deserialize` (filters that arrive as JSON) and rejects unknown keys.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::dsl::erased::Erased;
use crate::dsl::filter::{Col, Filter, TextColumn};
use crate::dsl::model::Model;
use crate::dsl::relation::{Many, Rel, Single};
use crate::values::types::FieldType;
use crate::values::value::Value;

/// Reads a present key as `Some`, even when its value is `null` (`{"equals": null}` means
/// "is NULL", not "no condition"; `{"lt": null}` compares with NULL and matches no row; for a
/// member that cannot be null, `null` is an error instead of a condition left out).
#[doc(hidden)]
pub fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A filter struct that serde's derive reads from a map (it derives with `remote = "Self"`).
#[doc(hidden)]
pub trait FromMap<'de>: Sized {
    /// What the error message says was expected.
    const EXPECTING: &'static str;
    /// Reads the members from a map.
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Reads a filter from a JSON object (a map) only. Serde's derived readers also take an array
/// of the members in order, which would turn `[]` into a filter without conditions: a client's
/// filter must never widen by accident.
#[doc(hidden)]
pub fn object<'de, D: Deserializer<'de>, T: FromMap<'de>>(d: D) -> Result<T, D::Error> {
    struct Object<T>(PhantomData<T>);
    impl<'de, T: FromMap<'de>> Visitor<'de> for Object<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::from_map(map)
        }
    }
    d.deserialize_map(Object(PhantomData))
}

/// How many `Where` objects may nest inside each other in a filter read from data (through
/// `AND`, `OR`, `NOT` and relation filters). Each level takes stack while it is read, and
/// databases bound how deep subqueries nest (SQLite's expression depth allows about 29 nested
/// relation filters); past this depth reading fails with an error instead of exhausting the
/// stack of the thread or reaching the database.
pub const MAX_WHERE_DEPTH: usize = 24;

thread_local! {
    /// `Where` objects being read on this thread, one inside the other.
    static WHERE_DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Leaves one level of `Where` nesting when dropped.
struct Level;

impl Drop for Level {
    fn drop(&mut self) {
        WHERE_DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// A model's `Where` struct as data: its members' names, and the members themselves, in the
/// same order, each one a [`Member`] set from its JSON. The derive implements it with one
/// array of the members; [`read_where`] does the reading, one copy for every model.
#[doc(hidden)]
pub trait WhereMembers: Default {
    /// The members' keys, in the order [`WhereMembers::member`] numbers them.
    const MEMBERS: &'static [&'static str];
    /// What the error message says was expected.
    const EXPECTING: &'static str;
    /// Member `index`, to set from its value.
    fn member(&mut self, index: usize) -> Option<&mut dyn Member>;
}

/// One member of a `Where` struct, set from its value: present, so `Some` (a `null` is read
/// as the member's type reads it, an error for every member of a `Where`).
#[doc(hidden)]
pub trait Member {
    /// Reads the member from `value`.
    fn set(&mut self, value: serde_json::Value) -> Result<(), serde_json::Error>;
}

impl<T: serde::de::DeserializeOwned> Member for Option<T> {
    fn set(&mut self, value: serde_json::Value) -> Result<(), serde_json::Error> {
        *self = Some(T::deserialize(value)?);
        Ok(())
    }
}

/// The filter a `Where` struct stands for: every member given, with its `AND`, `OR` and `NOT`
/// (a model's `From<Where>` calls this with its members' conditions).
#[doc(hidden)]
pub fn where_filter<M, W: Into<Filter<M>>, const N: usize>(
    conditions: [Option<Filter<M>>; N],
    and: Option<Vec<W>>,
    or: Option<Vec<W>>,
    not: Option<Box<W>>,
) -> Filter<M> {
    let mut out: Vec<Filter<M>> = conditions.into_iter().flatten().collect();
    if let Some(all) = and {
        out.push(Filter::all(all.into_iter().map(Into::into)));
    }
    if let Some(any) = or {
        out.push(Filter::any(any.into_iter().map(Into::into)));
    }
    if let Some(not) = not {
        out.push(crate::dsl::filter::not((*not).into()));
    }
    Filter::all(out)
}

/// A JSON value read from any self-describing format, as `serde_json::Value` reads it, but
/// with a key given twice in an object an error at every depth (`serde_json::Value` keeps the
/// last one): a filter whose meaning depends on which duplicate wins is refused.
struct Strict(serde_json::Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde_json::Value as V;
        struct StrictVisitor;
        impl<'de> Visitor<'de> for StrictVisitor {
            type Value = Strict;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Strict, E> {
                Ok(Strict(V::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Strict, E> {
                Ok(Strict(V::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Strict, E> {
                Ok(Strict(V::from(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Strict, E> {
                Ok(Strict(V::from(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Strict, E> {
                Ok(Strict(V::String(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Strict, E> {
                Ok(Strict(V::String(v)))
            }
            fn visit_none<E>(self) -> Result<Strict, E> {
                Ok(Strict(V::Null))
            }
            fn visit_unit<E>(self) -> Result<Strict, E> {
                Ok(Strict(V::Null))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Strict, D::Error> {
                Strict::deserialize(d)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Strict, A::Error> {
                let mut out = Vec::new();
                while let Some(Strict(v)) = seq.next_element()? {
                    out.push(v);
                }
                Ok(Strict(V::Array(out)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
                use serde::de::Error as _;
                let mut out = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    let Strict(value) = map.next_value()?;
                    if out.contains_key(&key) {
                        return Err(A::Error::custom(format_args!("duplicate field `{key}`")));
                    }
                    out.insert(key, value);
                }
                Ok(Strict(V::Object(out)))
            }
        }
        d.deserialize_any(StrictVisitor)
    }
}

/// Reads the members of an object, each by its index in `names`: unknown and repeated keys
/// are errors, and so is anything but an object (serde's derived readers would take an array
/// of the members in order, turning `[]` into a filter without conditions: a client's filter
/// must never widen by accident).
fn members<'de, D: Deserializer<'de>>(
    d: D,
    names: &'static [&'static str],
    expecting: &'static str,
) -> Result<Vec<(usize, serde_json::Value)>, D::Error> {
    struct Members {
        names: &'static [&'static str],
        expecting: &'static str,
    }
    impl<'de> Visitor<'de> for Members {
        type Value = Vec<(usize, serde_json::Value)>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            use serde::de::Error as _;
            let mut out: Vec<(usize, serde_json::Value)> = Vec::new();
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                let Some((index, name)) = self.names.iter().enumerate().find(|(_, n)| **n == key)
                else {
                    return Err(A::Error::unknown_field(&key, self.names));
                };
                if out.iter().any(|(i, _)| *i == index) {
                    return Err(A::Error::duplicate_field(name));
                }
                out.push((index, map.next_value::<Strict>()?.0));
            }
            Ok(out)
        }
    }
    d.deserialize_map(Members { names, expecting })
}

/// Reads a model's `Where` object, one level deeper than its caller, failing past
/// [`MAX_WHERE_DEPTH`].
#[doc(hidden)]
pub fn read_where<'de, D: Deserializer<'de>, W: WhereMembers>(d: D) -> Result<W, D::Error> {
    use serde::de::Error as _;
    let depth = WHERE_DEPTH.with(|d| {
        let depth = d.get() + 1;
        d.set(depth);
        depth
    });
    let _level = Level;
    if depth > MAX_WHERE_DEPTH {
        return Err(D::Error::custom(format_args!(
            "the filter nests more than {MAX_WHERE_DEPTH} levels deep"
        )));
    }
    let mut out = W::default();
    for (index, value) in members(d, W::MEMBERS, W::EXPECTING)? {
        if let Some(member) = out.member(index) {
            member.set(value).map_err(D::Error::custom)?;
        }
    }
    Ok(out)
}

/// The comparisons both column filters share, as filters on `column`.
#[allow(clippy::too_many_arguments)]
fn comparisons<M, T: FieldType, K>(
    column: Col<M, T, K>,
    equals: Option<T>,
    not: Option<T>,
    in_: Option<Vec<T>>,
    not_in: Option<Vec<T>>,
    lt: Option<T>,
    lte: Option<T>,
    gt: Option<T>,
    gte: Option<T>,
) -> Vec<Filter<M>> {
    let mut out = Vec::new();
    out.extend(equals.map(|v| column.eq(v)));
    out.extend(not.map(|v| column.ne(v)));
    out.extend(in_.map(|v| column.in_(v)));
    out.extend(not_in.map(|v| column.not_in(v)));
    out.extend(lt.map(|v| column.lt(v)));
    out.extend(lte.map(|v| column.lte(v)));
    out.extend(gt.map(|v| column.gt(v)));
    out.extend(gte.map(|v| column.gte(v)));
    out
}

/// Conditions on one column; every condition given must hold. For an `Option` column,
/// `equals: None` is `IS NULL` and `not: None` is `IS NOT NULL`; other comparisons with
/// `NULL` match nothing, as in SQL.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    remote = "Self",
    deny_unknown_fields,
    bound(deserialize = "T: Deserialize<'de>")
)]
pub struct FieldFilter<T> {
    /// `= value`
    #[serde(default, deserialize_with = "present")]
    pub equals: Option<T>,
    /// `<> value`
    #[serde(default, deserialize_with = "present")]
    pub not: Option<T>,
    /// `IN (...)`; an empty list matches nothing.
    #[serde(default, rename = "in", deserialize_with = "present")]
    pub in_: Option<Vec<T>>,
    /// `NOT IN (...)`; an empty list matches everything.
    #[serde(default, deserialize_with = "present")]
    pub not_in: Option<Vec<T>>,
    /// `< value`
    #[serde(default, deserialize_with = "present")]
    pub lt: Option<T>,
    /// `<= value`
    #[serde(default, deserialize_with = "present")]
    pub lte: Option<T>,
    /// `> value`
    #[serde(default, deserialize_with = "present")]
    pub gt: Option<T>,
    /// `>= value`
    #[serde(default, deserialize_with = "present")]
    pub gte: Option<T>,
}

impl<T> Default for FieldFilter<T> {
    fn default() -> Self {
        Self {
            equals: None,
            not: None,
            in_: None,
            not_in: None,
            lt: None,
            lte: None,
            gt: None,
            gte: None,
        }
    }
}

impl<T> FieldFilter<T> {
    /// The same conditions on values `f` makes of these.
    pub fn map<U>(self, f: impl Fn(T) -> U) -> FieldFilter<U> {
        FieldFilter {
            equals: self.equals.map(&f),
            not: self.not.map(&f),
            in_: self.in_.map(|v| v.into_iter().map(&f).collect()),
            not_in: self.not_in.map(|v| v.into_iter().map(&f).collect()),
            lt: self.lt.map(&f),
            lte: self.lte.map(&f),
            gt: self.gt.map(&f),
            gte: self.gte.map(&f),
        }
    }
}

impl<T: FieldType> FieldFilter<T> {
    /// Only `= value`.
    pub fn equals(value: T) -> Self {
        Self {
            equals: Some(value),
            ..Self::default()
        }
    }

    /// The conditions as a filter on `column`.
    pub fn on<M, K>(self, column: Col<M, T, K>) -> Filter<M> {
        let Self {
            equals,
            not,
            in_,
            not_in,
            lt,
            lte,
            gt,
            gte,
        } = self;
        Filter::all(comparisons(
            column, equals, not, in_, not_in, lt, lte, gt, gte,
        ))
    }
}

/// How text comparisons treat letter case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Case matters.
    #[default]
    Default,
    /// Case is ignored (for `contains`, `starts_with` and `ends_with`).
    Insensitive,
}

// `TextFilter` repeats `FieldFilter`'s members instead of `#[serde(flatten)]`ing it: serde's
// `deny_unknown_fields` does not work through `flatten`, and unknown keys must be rejected.

/// Conditions on a text column: the comparisons of [`FieldFilter`], plus literal `contains`,
/// `starts_with` and `ends_with` (`%` and `_` match themselves), case-insensitive with
/// `mode: insensitive`.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    remote = "Self",
    deny_unknown_fields,
    bound(deserialize = "T: Deserialize<'de>")
)]
pub struct TextFilter<T> {
    /// `= value`
    #[serde(default, deserialize_with = "present")]
    pub equals: Option<T>,
    /// `<> value`
    #[serde(default, deserialize_with = "present")]
    pub not: Option<T>,
    /// `IN (...)`
    #[serde(default, rename = "in", deserialize_with = "present")]
    pub in_: Option<Vec<T>>,
    /// `NOT IN (...)`
    #[serde(default, deserialize_with = "present")]
    pub not_in: Option<Vec<T>>,
    /// `< value`
    #[serde(default, deserialize_with = "present")]
    pub lt: Option<T>,
    /// `<= value`
    #[serde(default, deserialize_with = "present")]
    pub lte: Option<T>,
    /// `> value`
    #[serde(default, deserialize_with = "present")]
    pub gt: Option<T>,
    /// `>= value`
    #[serde(default, deserialize_with = "present")]
    pub gte: Option<T>,
    /// Contains the text.
    #[serde(default, deserialize_with = "present")]
    pub contains: Option<String>,
    /// Starts with the text.
    #[serde(default, deserialize_with = "present")]
    pub starts_with: Option<String>,
    /// Ends with the text.
    #[serde(default, deserialize_with = "present")]
    pub ends_with: Option<String>,
    /// Whether case matters for the three above.
    #[serde(default)]
    pub mode: Mode,
}

impl<T> Default for TextFilter<T> {
    fn default() -> Self {
        Self {
            equals: None,
            not: None,
            in_: None,
            not_in: None,
            lt: None,
            lte: None,
            gt: None,
            gte: None,
            contains: None,
            starts_with: None,
            ends_with: None,
            mode: Mode::Default,
        }
    }
}

impl<T: FieldType + TextColumn> TextFilter<T> {
    /// Only `= value`.
    pub fn equals(value: T) -> Self {
        Self {
            equals: Some(value),
            ..Self::default()
        }
    }

    /// The conditions as a filter on `column`.
    pub fn on<M, K>(self, column: Col<M, T, K>) -> Filter<M> {
        let Self {
            equals,
            not,
            in_,
            not_in,
            lt,
            lte,
            gt,
            gte,
            contains,
            starts_with,
            ends_with,
            mode,
        } = self;
        let mut out = comparisons(column, equals, not, in_, not_in, lt, lte, gt, gte);
        let insensitive = mode == Mode::Insensitive;
        if let Some(v) = contains {
            out.push(if insensitive {
                column.contains_ignore_case(&v)
            } else {
                column.contains(&v)
            });
        }
        if let Some(v) = starts_with {
            out.push(if insensitive {
                column.starts_with_ignore_case(&v)
            } else {
                column.starts_with(&v)
            });
        }
        if let Some(v) = ends_with {
            out.push(if insensitive {
                column.ends_with_ignore_case(&v)
            } else {
                column.ends_with(&v)
            });
        }
        Filter::all(out)
    }
}

/// Conditions on the rows of a to-many relation.
#[derive(Debug)]
pub struct ManyFilter<W> {
    /// At least one related row matches.
    pub some: Option<Erased<W>>,
    /// Every related row matches.
    pub every: Option<Erased<W>>,
    /// No related row matches.
    pub none: Option<Erased<W>>,
    /// Conditions on the number of related rows (`{"_count": {"gt": 5}}`).
    pub count: Option<FieldFilter<i64>>,
    /// Conditions on sums, averages, least and greatest values of the related rows' columns
    /// (`{"_sum": {"score": {"gt": 100}}}`).
    pub aggregates: Vec<AggregateCondition>,
}

/// Conditions on an aggregate of a column of a relation's rows, as a `Where` reads them
/// (`{"_sum": {"score": {"gt": 100}}}`, `_avg`, `_min`, `_max`): the values are of the type the
/// aggregate gives (a sum of integers is an integer, an average a number, a least or greatest
/// value the column's type).
#[derive(Debug, Clone)]
pub struct AggregateCondition {
    /// The aggregate.
    pub aggregate: crate::ir::Aggregate,
    /// The conditions on its value.
    pub filter: FieldFilter<Value>,
}

impl<W: Clone + Send + Sync + 'static> Clone for ManyFilter<W> {
    fn clone(&self) -> Self {
        Self {
            some: self.some.clone(),
            every: self.every.clone(),
            none: self.none.clone(),
            count: self.count.clone(),
            aggregates: self.aggregates.clone(),
        }
    }
}

impl<W> Default for ManyFilter<W> {
    fn default() -> Self {
        Self {
            some: None,
            every: None,
            none: None,
            count: None,
            aggregates: Vec::new(),
        }
    }
}

impl<W> ManyFilter<W> {
    /// The conditions as a filter on the parent model.
    pub fn on<M, T, C>(self, relation: Rel<M, T, C>) -> Filter<M>
    where
        M: Model,
        T: Model,
        C: Many,
        W: Into<Filter<T>>,
    {
        let mut out = Vec::new();
        if let Some(w) = self.some {
            out.push(relation.some(Into::<Filter<T>>::into(w.into_inner())));
        }
        if let Some(w) = self.every {
            out.push(relation.every(Into::<Filter<T>>::into(w.into_inner())));
        }
        if let Some(w) = self.none {
            out.push(relation.none(Into::<Filter<T>>::into(w.into_inner())));
        }
        let link = relation.link();
        if let Some(count) = self.count {
            out.push(aggregate_filter(
                link,
                crate::ir::Aggregate::Count,
                count.map(Value::I64),
            ));
        }
        for condition in self.aggregates {
            out.push(aggregate_filter(
                link,
                condition.aggregate,
                condition.filter,
            ));
        }
        Filter::all(out)
    }
}

/// The conditions of `filter` on an aggregate of the rows the relation `link` leads along.
fn aggregate_filter<M>(
    link: crate::dsl::filter::RelationLink,
    aggregate: crate::ir::Aggregate,
    filter: FieldFilter<Value>,
) -> Filter<M> {
    use crate::ir::CmpOp;
    let compare = |op, value| {
        Filter::new(crate::dsl::filter::Expr::AggregateCompare {
            link,
            aggregate,
            op,
            value,
        })
    };
    let mut out = Vec::new();
    out.extend(filter.equals.map(|v| compare(CmpOp::Eq, v)));
    out.extend(filter.not.map(|v| compare(CmpOp::Ne, v)));
    out.extend(filter.lt.map(|v| compare(CmpOp::Lt, v)));
    out.extend(filter.lte.map(|v| compare(CmpOp::Lte, v)));
    out.extend(filter.gt.map(|v| compare(CmpOp::Gt, v)));
    out.extend(filter.gte.map(|v| compare(CmpOp::Gte, v)));
    if let Some(values) = filter.in_ {
        out.push(Filter::any(
            values.into_iter().map(|v| compare(CmpOp::Eq, v)),
        ));
    }
    if let Some(values) = filter.not_in {
        out.push(Filter::all(
            values.into_iter().map(|v| compare(CmpOp::Ne, v)),
        ));
    }
    Filter::all(out)
}

/// Conditions on the row of a to-one relation.
#[derive(Debug)]
pub struct OneFilter<W> {
    /// The related row exists and matches.
    pub is: Option<Erased<W>>,
    /// The related row is absent or does not match.
    pub is_not: Option<Erased<W>>,
}

impl<W: Clone + Send + Sync + 'static> Clone for OneFilter<W> {
    fn clone(&self) -> Self {
        Self {
            is: self.is.clone(),
            is_not: self.is_not.clone(),
        }
    }
}

impl<W> Default for OneFilter<W> {
    fn default() -> Self {
        Self {
            is: None,
            is_not: None,
        }
    }
}

impl<W> OneFilter<W> {
    /// The conditions as a filter on the parent model.
    pub fn on<M, T, C>(self, relation: Rel<M, T, C>) -> Filter<M>
    where
        M: Model,
        T: Model,
        C: Single,
        W: Into<Filter<T>>,
    {
        let mut out = Vec::new();
        if let Some(w) = self.is {
            out.push(relation.is(Into::<Filter<T>>::into(w.into_inner())));
        }
        if let Some(w) = self.is_not {
            out.push(relation.is_not(Into::<Filter<T>>::into(w.into_inner())));
        }
        Filter::all(out)
    }
}

/// A where struct with no conditions, for a model whose derive failed.
#[doc(hidden)]
pub struct NoWhere<M>(PhantomData<fn() -> M>);

impl<M> Default for NoWhere<M> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<M> Clone for NoWhere<M> {
    fn clone(&self) -> Self {
        Self(PhantomData)
    }
}

impl<M> std::fmt::Debug for NoWhere<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NoWhere")
    }
}

impl<'de, M> Deserialize<'de> for NoWhere<M> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Self(PhantomData))
    }
}

impl<M> crate::dsl::filter::IntoFilter for NoWhere<M> {
    type Model = M;
    fn into_filter(self) -> Filter<M> {
        Filter::all([])
    }
}

impl<M> From<NoWhere<M>> for Filter<M> {
    fn from(_: NoWhere<M>) -> Self {
        Filter::all([])
    }
}

/// Picks the filter of a column of type `T` by the kind of `T` (see [`WhereFilter`]).
pub trait KindFilter<T> {
    /// The filter.
    type Filter;
}
impl<T> KindFilter<T> for crate::values::types::IsText {
    type Filter = TextFilter<T>;
}
impl<T> KindFilter<T> for crate::values::types::NotText {
    type Filter = FieldFilter<T>;
}

/// The filter of a column of type `T` in a `Where` struct: [`TextFilter`] for text columns
/// (`String` and `Option<String>`, also through a type alias), [`FieldFilter`] for others.
pub type WhereFilter<T> = <<T as FieldType>::Kind as KindFilter<T>>::Filter;

/// A column's filter in a `Where` struct.
pub trait ColumnFilter<T> {
    /// The conditions as a filter on `column`.
    fn on_column<M, K>(self, column: Col<M, T, K>) -> Filter<M>;
}

impl<T: FieldType> ColumnFilter<T> for FieldFilter<T> {
    fn on_column<M, K>(self, column: Col<M, T, K>) -> Filter<M> {
        self.on(column)
    }
}

impl<T: FieldType + TextColumn> ColumnFilter<T> for TextFilter<T> {
    fn on_column<M, K>(self, column: Col<M, T, K>) -> Filter<M> {
        self.on(column)
    }
}

impl<'de, T: Deserialize<'de>> FromMap<'de> for FieldFilter<T> {
    const EXPECTING: &'static str = "an object of conditions on a column";
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        Self::deserialize(MapAccessDeserializer::new(map))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for FieldFilter<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        object(d)
    }
}

impl<'de, T: Deserialize<'de>> FromMap<'de> for TextFilter<T> {
    const EXPECTING: &'static str = "an object of conditions on a text column";
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        Self::deserialize(MapAccessDeserializer::new(map))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for TextFilter<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        object(d)
    }
}

// A relation filter reads its object into a `serde_json::Value` first, and the related
// model's `Where` from that. Read straight from the caller's deserializer, each model's
// `Where` reader would be compiled inside the one before it, along every relation path: past
// some sixty models in a row, the compiler's limit on nested instantiations stops the build.
// From a `Value`, every level uses the same deserializer type, and the nesting grows by one
// step per model instead of several.

/// Reads a relation filter: an object with only the keys given, each a related `Where`.
fn relation_filter<'de, D, W, const N: usize>(
    d: D,
    keys: [&'static str; N],
    expecting: &'static str,
) -> Result<[Option<Erased<W>>; N], D::Error>
where
    D: Deserializer<'de>,
    W: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    relation_entries::<D::Error, W, N>(relation_object(d, expecting)?, keys, &[])
}

/// A relation filter's object.
fn relation_object<'de, D: Deserializer<'de>>(
    d: D,
    expecting: &'static str,
) -> Result<serde_json::Map<String, serde_json::Value>, D::Error> {
    use serde::de::Error as _;
    match Strict::deserialize(d)? {
        Strict(serde_json::Value::Object(map)) => Ok(map),
        _ => Err(D::Error::custom(format_args!("expected {expecting}"))),
    }
}

/// The entries of a relation filter's object, each a related `Where`, by `keys`; another key
/// is an error, which names `keys` and the `others` the caller took out already.
fn relation_entries<E, W, const N: usize>(
    map: serde_json::Map<String, serde_json::Value>,
    keys: [&'static str; N],
    others: &[&str],
) -> Result<[Option<Erased<W>>; N], E>
where
    E: serde::de::Error,
    W: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    let mut out: [Option<Erased<W>>; N] = std::array::from_fn(|_| None);
    for (key, value) in map {
        let Some(slot) = keys.iter().position(|k| *k == key) else {
            let expected: Vec<String> = (keys.iter().chain(others))
                .map(|k| format!("`{k}`"))
                .collect();
            let expected = expected.join(", ");
            return Err(E::custom(format_args!(
                "unknown field `{key}`, expected one of {expected}"
            )));
        };
        let filter = W::deserialize(value).map_err(E::custom)?;
        if let Some(entry) = out.get_mut(slot) {
            *entry = Some(Erased::new(filter));
        }
    }
    Ok(out)
}

/// The keys of a to-many relation filter besides `some`, `every` and `none`.
const AGGREGATE_KEYS: [&str; 5] = ["_count", "_sum", "_avg", "_min", "_max"];

impl<'de, W> Deserialize<'de> for ManyFilter<W>
where
    W: serde::de::DeserializeOwned + Send + Sync + 'static + crate::dsl::filter::IntoFilter,
    W::Model: Model,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut map = relation_object(
            d,
            "an object with `some`, `every`, `none`, `_count`, `_sum`, `_avg`, `_min` or `_max`",
        )?;
        let count = match map.remove("_count") {
            Some(value) => Some(FieldFilter::<i64>::deserialize(value).map_err(D::Error::custom)?),
            None => None,
        };
        let mut aggregates = Vec::new();
        for key in AGGREGATE_KEYS {
            if let Some(value) = map.remove(key) {
                let target = <W::Model as Model>::META;
                aggregates
                    .extend(aggregate_conditions(target, key, value).map_err(D::Error::custom)?);
            }
        }
        let [some, every, none] =
            relation_entries::<D::Error, W, 3>(map, ["some", "every", "none"], &AGGREGATE_KEYS)?;
        Ok(ManyFilter {
            some,
            every,
            none,
            count,
            aggregates,
        })
    }
}

/// The conditions of `{"_sum": {"score": {..}}}` (`key` is `_sum`, `_avg`, `_min` or `_max`)
/// on the columns of `target`, each read as the type its aggregate gives. `Where` knows the
/// related model only by its metadata, so it takes the columns whose type that tells: numbers
/// (decimals too), and text for `_min` and `_max`; the typed API (`user::posts.max(post::at)`)
/// takes the rest.
fn aggregate_conditions(
    target: &'static crate::meta::model::ModelMeta,
    key: &str,
    value: serde_json::Value,
) -> Result<Vec<AggregateCondition>, String> {
    use crate::ir::{Aggregate, Operand};
    use crate::values::value::SqlType;
    let serde_json::Value::Object(columns) = value else {
        return Err(format!(
            "expected an object of `{}`'s columns under `{key}`, like `{{\"{key}\": {{\"column\": {{\"gt\": 1}}}}}}`",
            target.name
        ));
    };
    let mut out = Vec::new();
    for (field, conditions) in columns {
        let Some(column) = target.column(&field) else {
            let fields: Vec<String> = target
                .columns
                .iter()
                .map(|c| format!("`{}`", c.field))
                .collect();
            return Err(format!(
                "unknown field `{field}` under `{key}`: `{}`'s fields are {}",
                target.name,
                fields.join(", ")
            ));
        };
        let integer = matches!(
            column.sql_type,
            SqlType::SmallInt | SqlType::Int | SqlType::BigInt
        );
        let real = matches!(column.sql_type, SqlType::Real | SqlType::Double);
        let decimal = column.sql_type == SqlType::Decimal;
        let operand = if integer {
            Operand::Integers
        } else if real {
            Operand::Reals
        } else if decimal {
            Operand::Decimals
        } else {
            Operand::Other
        };
        let name = column.name;
        let read = |v: serde_json::Value| -> Result<FieldFilter<Value>, String> {
            let invalid = |e: serde_json::Error| format!("`{key}` of `{field}`: {e}");
            Ok(match (key, column.sql_type) {
                ("_sum", _) if integer => FieldFilter::<i64>::deserialize(v)
                    .map_err(invalid)?
                    .map(Value::I64),
                #[cfg(feature = "rust_decimal")]
                (_, SqlType::Decimal) => FieldFilter::<rust_decimal::Decimal>::deserialize(v)
                    .map_err(invalid)?
                    .map(Value::Decimal),
                ("_sum" | "_avg", _) => FieldFilter::<f64>::deserialize(v)
                    .map_err(invalid)?
                    .map(Value::F64),
                (_, SqlType::SmallInt) => FieldFilter::<i16>::deserialize(v)
                    .map_err(invalid)?
                    .map(Value::I16),
                (_, SqlType::Int) => FieldFilter::<i32>::deserialize(v)
                    .map_err(invalid)?
                    .map(Value::I32),
                (_, SqlType::BigInt) => FieldFilter::<i64>::deserialize(v)
                    .map_err(invalid)?
                    .map(Value::I64),
                (_, SqlType::Real) => FieldFilter::<f32>::deserialize(v)
                    .map_err(invalid)?
                    .map(Value::F32),
                (_, SqlType::Double) => FieldFilter::<f64>::deserialize(v)
                    .map_err(invalid)?
                    .map(Value::F64),
                _ => FieldFilter::<String>::deserialize(v)
                    .map_err(invalid)?
                    .map(Value::Text),
            })
        };
        let text = column.sql_type == SqlType::Text;
        let aggregate = match key {
            "_sum" if integer || real || decimal => Aggregate::Sum(name, operand),
            "_avg" if integer || real || decimal => Aggregate::Avg(name, operand),
            "_min" if integer || real || decimal || text => Aggregate::Min(name, operand),
            "_max" if integer || real || decimal || text => Aggregate::Max(name, operand),
            "_sum" | "_avg" => {
                return Err(format!(
                    "`{key}` takes a numeric column, and `{field}` of `{}` is not one",
                    target.name
                ))
            }
            _ => {
                return Err(format!(
                    "`{key}` in a `Where` takes a numeric or text column; compare `{field}` of `{}` with the typed API (`.max(column)`)",
                    target.name
                ))
            }
        };
        out.push(AggregateCondition {
            aggregate,
            filter: read(conditions)?,
        });
    }
    Ok(out)
}

impl<'de, W: serde::de::DeserializeOwned + Send + Sync + 'static> Deserialize<'de>
    for OneFilter<W>
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let [is, is_not] = relation_filter(d, ["is", "is_not"], "an object with `is` or `is_not`")?;
        Ok(OneFilter { is, is_not })
    }
}
