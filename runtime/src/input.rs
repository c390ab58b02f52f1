//! The plain-data form of filters: what a model's `Where` struct is made of. Every part
//! derives `Deserialize` (filters that arrive as JSON) and rejects unknown keys.

use std::marker::PhantomData;

use serde::{Deserialize, Deserializer};

use crate::filter::{Col, Filter, TextColumn};
use crate::model::Model;
use crate::relation::{Paged, Rel, Single};
use crate::types::FieldType;

/// Reads a present key as `Some`, even when its value is `null` (`{"equals": null}` means
/// "is NULL", not "no condition").
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
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
#[serde(deny_unknown_fields, bound(deserialize = "T: Deserialize<'de>"))]
pub struct FieldFilter<T> {
    /// `= value`
    #[serde(default, deserialize_with = "present")]
    pub equals: Option<T>,
    /// `<> value`
    #[serde(default, deserialize_with = "present")]
    pub not: Option<T>,
    /// `IN (...)`; an empty list matches nothing.
    #[serde(default, rename = "in")]
    pub in_: Option<Vec<T>>,
    /// `NOT IN (...)`; an empty list matches everything.
    #[serde(default)]
    pub not_in: Option<Vec<T>>,
    /// `< value`
    #[serde(default)]
    pub lt: Option<T>,
    /// `<= value`
    #[serde(default)]
    pub lte: Option<T>,
    /// `> value`
    #[serde(default)]
    pub gt: Option<T>,
    /// `>= value`
    #[serde(default)]
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
#[serde(deny_unknown_fields, bound(deserialize = "T: Deserialize<'de>"))]
pub struct TextFilter<T> {
    /// `= value`
    #[serde(default, deserialize_with = "present")]
    pub equals: Option<T>,
    /// `<> value`
    #[serde(default, deserialize_with = "present")]
    pub not: Option<T>,
    /// `IN (...)`
    #[serde(default, rename = "in")]
    pub in_: Option<Vec<T>>,
    /// `NOT IN (...)`
    #[serde(default)]
    pub not_in: Option<Vec<T>>,
    /// `< value`
    #[serde(default)]
    pub lt: Option<T>,
    /// `<= value`
    #[serde(default)]
    pub lte: Option<T>,
    /// `> value`
    #[serde(default)]
    pub gt: Option<T>,
    /// `>= value`
    #[serde(default)]
    pub gte: Option<T>,
    /// Contains the text.
    #[serde(default)]
    pub contains: Option<String>,
    /// Starts with the text.
    #[serde(default)]
    pub starts_with: Option<String>,
    /// Ends with the text.
    #[serde(default)]
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
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "W: Deserialize<'de>"))]
pub struct ManyFilter<W> {
    /// At least one related row matches.
    #[serde(default)]
    pub some: Option<Box<W>>,
    /// Every related row matches.
    #[serde(default)]
    pub every: Option<Box<W>>,
    /// No related row matches.
    #[serde(default)]
    pub none: Option<Box<W>>,
}

impl<W> Default for ManyFilter<W> {
    fn default() -> Self {
        Self {
            some: None,
            every: None,
            none: None,
        }
    }
}

impl<W> ManyFilter<W> {
    /// The conditions as a filter on the parent model.
    pub fn on<M, T, C>(self, relation: Rel<M, T, C>) -> Filter<M>
    where
        M: Model,
        T: Model,
        C: Paged,
        W: Into<Filter<T>>,
    {
        let mut out = Vec::new();
        if let Some(w) = self.some {
            out.push(relation.some(*w));
        }
        if let Some(w) = self.every {
            out.push(relation.every(*w));
        }
        if let Some(w) = self.none {
            out.push(relation.none(*w));
        }
        Filter::all(out)
    }
}

/// Conditions on the row of a to-one relation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "W: Deserialize<'de>"))]
pub struct OneFilter<W> {
    /// The related row exists and matches.
    #[serde(default)]
    pub is: Option<Box<W>>,
    /// The related row is absent or does not match.
    #[serde(default)]
    pub is_not: Option<Box<W>>,
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
            out.push(relation.is(*w));
        }
        if let Some(w) = self.is_not {
            out.push(relation.is_not(*w));
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

impl<M> From<NoWhere<M>> for Filter<M> {
    fn from(_: NoWhere<M>) -> Self {
        Filter::all([])
    }
}

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
