//! Typed column handles and the filters, orderings and assignments built from them.
//!
//! A handle `Col<M, T, K>` names one column of model `M` holding Rust type `T`; `K` is
//! [`Unique`] for columns that identify a row. Everything built from a handle carries `M`,
//! so a filter for one model cannot be used on another.

use std::fmt;
use std::marker::PhantomData;

pub use crate::ir::{
    Aggregate, CmpOp, Expr, MatchKind, Nulls, Operand, OrderKey, OrderTerm, RelationLink,
    RelationTest, MAX_FILTER_DEPTH,
};
use crate::values::types::FieldType;

/// Marker for columns that may hold the same value in many rows.
#[derive(Debug, Clone, Copy)]
pub enum Plain {}
/// Marker for the primary key and `#[field(unique)]` columns.
#[derive(Debug, Clone, Copy)]
pub enum Unique {}

/// Ties a handle to its model, value type and kind without owning any of them.
type Marker<M, T, K> = PhantomData<fn() -> (M, T, K)>;

/// A typed handle on one column of model `M`.
pub struct Col<M, T, K = Plain> {
    name: &'static str,
    _marker: Marker<M, T, K>,
}

impl<M, T, K> Clone for Col<M, T, K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M, T, K> Copy for Col<M, T, K> {}

impl<M, T, K> fmt::Debug for Col<M, T, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Col({})", self.name)
    }
}

impl<M, T, K> Col<M, T, K> {
    /// A handle on the column named `name` (generated code calls this).
    #[doc(hidden)]
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            _marker: PhantomData,
        }
    }

    /// The column's name in the database.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<M, T: FieldType, K> Col<M, T, K> {
    fn compare(self, op: CmpOp, value: impl Into<T>) -> Filter<M> {
        Filter::new(Expr::Compare {
            column: self.name,
            op,
            value: value.into().to_value(),
        })
    }

    /// `column = value`
    pub fn eq(self, value: impl Into<T>) -> Filter<M> {
        self.compare(CmpOp::Eq, value)
    }
    /// `column <> value`
    pub fn ne(self, value: impl Into<T>) -> Filter<M> {
        self.compare(CmpOp::Ne, value)
    }
    /// `column < value`
    pub fn lt(self, value: impl Into<T>) -> Filter<M> {
        self.compare(CmpOp::Lt, value)
    }
    /// `column <= value`
    pub fn lte(self, value: impl Into<T>) -> Filter<M> {
        self.compare(CmpOp::Lte, value)
    }
    /// `column > value`
    pub fn gt(self, value: impl Into<T>) -> Filter<M> {
        self.compare(CmpOp::Gt, value)
    }
    /// `column >= value`
    pub fn gte(self, value: impl Into<T>) -> Filter<M> {
        self.compare(CmpOp::Gte, value)
    }
    /// `column IN (...)`; an empty list matches no row.
    pub fn in_<V: Into<T>>(self, values: impl IntoIterator<Item = V>) -> Filter<M> {
        Filter::new(Expr::InList {
            column: self.name,
            values: values.into_iter().map(|v| v.into().to_value()).collect(),
            negated: false,
        })
    }
    /// `column NOT IN (...)`; an empty list matches every row.
    pub fn not_in<V: Into<T>>(self, values: impl IntoIterator<Item = V>) -> Filter<M> {
        Filter::new(Expr::InList {
            column: self.name,
            values: values.into_iter().map(|v| v.into().to_value()).collect(),
            negated: true,
        })
    }
    /// Ascending order on this column.
    pub fn asc(self) -> Order<M> {
        Order::new(self.name, false)
    }
    /// Descending order on this column.
    pub fn desc(self) -> Order<M> {
        Order::new(self.name, true)
    }
}

impl<M, T: FieldType, K> Col<M, Option<T>, K> {
    /// `column IS NULL`
    pub fn is_null(self) -> Filter<M> {
        Filter::new(Expr::IsNull {
            column: self.name,
            negated: false,
        })
    }
    /// `column IS NOT NULL`
    pub fn is_not_null(self) -> Filter<M> {
        Filter::new(Expr::IsNull {
            column: self.name,
            negated: true,
        })
    }
}

/// Columns holding text: `String` and `Option<String>`, under whatever name (a type alias of
/// `String` is text too): the types whose [`FieldType::Kind`] is `IsText`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not text: `contains`, `starts_with` and `ends_with` apply to `String` and `Option<String>` columns",
    label = "not a text column"
)]
pub trait TextColumn {}
impl<T: FieldType<Kind = crate::values::types::IsText>> TextColumn for T {}

impl<M, T: TextColumn, K> Col<M, T, K> {
    fn text_match(self, needle: &str, kind: MatchKind, ignore_case: bool) -> Filter<M> {
        Filter::new(Expr::Match {
            column: self.name,
            needle: needle.to_owned(),
            kind,
            ignore_case,
        })
    }

    /// The text contains `needle` literally (`%`, `_` and other pattern characters match
    /// only themselves).
    pub fn contains(self, needle: &str) -> Filter<M> {
        self.text_match(needle, MatchKind::Contains, false)
    }
    /// The text starts with `needle`, literally.
    pub fn starts_with(self, needle: &str) -> Filter<M> {
        self.text_match(needle, MatchKind::StartsWith, false)
    }
    /// The text ends with `needle`, literally.
    pub fn ends_with(self, needle: &str) -> Filter<M> {
        self.text_match(needle, MatchKind::EndsWith, false)
    }
    /// Like [`contains`](Self::contains), ignoring the case of letters (all of Unicode's, not
    /// only ASCII; on PostgreSQL as its `lc_ctype` folds).
    pub fn contains_ignore_case(self, needle: &str) -> Filter<M> {
        self.text_match(needle, MatchKind::Contains, true)
    }
    /// Like [`starts_with`](Self::starts_with), ignoring the case of letters.
    pub fn starts_with_ignore_case(self, needle: &str) -> Filter<M> {
        self.text_match(needle, MatchKind::StartsWith, true)
    }
    /// Like [`ends_with`](Self::ends_with), ignoring the case of letters.
    pub fn ends_with_ignore_case(self, needle: &str) -> Filter<M> {
        self.text_match(needle, MatchKind::EndsWith, true)
    }
}

/// A filter on rows of model `M`.
pub struct Filter<M> {
    expr: Expr,
    /// Levels of nesting, leaves counting one; never above `MAX_FILTER_DEPTH + 1`.
    depth: usize,
    _model: PhantomData<fn() -> M>,
}

impl<M> Clone for Filter<M> {
    fn clone(&self) -> Self {
        Self {
            expr: self.expr.clone(),
            depth: self.depth,
            _model: PhantomData,
        }
    }
}

impl<M> fmt::Debug for Filter<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.expr.fmt(f)
    }
}

impl<M> Filter<M> {
    /// A condition with no filters inside.
    pub(crate) fn new(expr: Expr) -> Self {
        Self {
            expr,
            depth: 1,
            _model: PhantomData,
        }
    }

    /// A condition around filters whose deepest is `inner` levels deep. Past the limit the
    /// inner filters are dropped (while they are still shallow enough to drop) and the
    /// filter becomes [`Expr::TooDeep`].
    pub(crate) fn around(inner: usize, expr: Expr) -> Self {
        let depth = inner + 1;
        if depth > MAX_FILTER_DEPTH {
            drop(expr);
            return Self {
                expr: Expr::TooDeep,
                depth: MAX_FILTER_DEPTH + 1,
                _model: PhantomData,
            };
        }
        Self {
            expr,
            depth,
            _model: PhantomData,
        }
    }

    /// How many levels deep the filter nests.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The expression the SQL renderer sees.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    pub(crate) fn into_expr(self) -> Expr {
        self.expr
    }

    /// Both this filter and `other` hold.
    pub fn and(self, other: Filter<M>) -> Filter<M> {
        Filter::all([self, other])
    }

    /// This filter or `other` holds.
    pub fn or(self, other: Filter<M>) -> Filter<M> {
        Filter::any([self, other])
    }

    /// Every filter in the list holds; an empty list matches every row.
    pub fn all(filters: impl IntoIterator<Item = Filter<M>>) -> Filter<M> {
        Filter::junction(filters, Expr::And)
    }

    /// At least one filter in the list holds; an empty list matches no row.
    pub fn any(filters: impl IntoIterator<Item = Filter<M>>) -> Filter<M> {
        Filter::junction(filters, Expr::Or)
    }

    /// `AND`/`OR` of the filters; one filter alone is itself, without a level around it.
    fn junction(
        filters: impl IntoIterator<Item = Filter<M>>,
        make: fn(Vec<Expr>) -> Expr,
    ) -> Filter<M> {
        let mut filters: Vec<Filter<M>> = filters.into_iter().collect();
        if filters.len() == 1 {
            if let Some(only) = filters.pop() {
                return only;
            }
        }
        let inner = filters.iter().map(|f| f.depth).max().unwrap_or(0);
        Filter::around(inner, make(filters.into_iter().map(|f| f.expr).collect()))
    }

    /// A filter on another model's rows, inside a condition on this model's.
    pub(crate) fn wrapping<T>(inner: Filter<T>, make: impl FnOnce(Expr) -> Expr) -> Filter<M> {
        let depth = inner.depth;
        Filter::around(depth, make(inner.expr))
    }
}

impl<M> std::ops::Not for Filter<M> {
    type Output = Filter<M>;
    fn not(self) -> Filter<M> {
        Filter::wrapping(self, |inner| Expr::Not(Box::new(inner)))
    }
}

/// What `.filter(..)` takes: a [`Filter`], or a model's where struct (`user::Where`).
pub trait IntoFilter {
    /// The model whose rows it filters.
    type Model;
    /// The filter.
    fn into_filter(self) -> Filter<Self::Model>;
}

impl<M> IntoFilter for Filter<M> {
    type Model = M;
    fn into_filter(self) -> Filter<M> {
        self
    }
}

/// A filter on rows of model `Self` applies to a query of `M`: only when `Self` is `M`.
/// `.filter(..)` takes any [`IntoFilter`] whose model is `FilterOn` the query's, so that a
/// filter on another model's columns is reported with both models named.
#[diagnostic::on_unimplemented(
    message = "this filter is on `{Self}`'s columns, but the query reads `{M}`",
    label = "a filter on `{Self}`",
    note = "filter with `{M}`'s handles; to filter by a related `{Self}`, go through the relation: `relation.some(..)`, `relation.is(..)`"
)]
pub trait FilterOn<M> {
    /// The filter, as one on `M`.
    fn cast(filter: Filter<Self>) -> Filter<M>
    where
        Self: Sized;
}

impl<M> FilterOn<M> for M {
    fn cast(filter: Filter<M>) -> Filter<M> {
        filter
    }
}

/// A filter on rows of model `Self` applies to the rows a relation leads to, of `T`: only
/// when `Self` is `T`.
#[diagnostic::on_unimplemented(
    message = "this filter is on `{Self}`'s columns, but the relation leads to `{T}`",
    label = "a filter on `{Self}`",
    note = "inside `some`, `every`, `none`, `is` and `is_not`, filter with the related model's handles"
)]
pub trait RelatedFilter<T> {
    /// The filter, as one on `T`.
    fn cast(filter: Filter<Self>) -> Filter<T>
    where
        Self: Sized;
}

impl<T> RelatedFilter<T> for T {
    fn cast(filter: Filter<T>) -> Filter<T> {
        filter
    }
}

/// The filter `filter` as one on `M`, for `.filter(..)`.
pub(crate) fn filter_on<M, F>(filter: F) -> Filter<M>
where
    F: IntoFilter,
    F::Model: FilterOn<M>,
{
    <F::Model as FilterOn<M>>::cast(filter.into_filter())
}

/// Builds the negation of a filter: `not(user::email.eq("x"))`.
pub fn not<M>(filter: Filter<M>) -> Filter<M> {
    !filter
}

/// One `ORDER BY` term on model `M`.
pub struct Order<M> {
    pub(crate) term: OrderTerm,
    _model: PhantomData<fn() -> M>,
}

impl<M> Clone for Order<M> {
    fn clone(&self) -> Self {
        Order::from_term(self.term.clone())
    }
}

impl<M> fmt::Debug for Order<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.term.fmt(f)
    }
}

impl<M> Order<M> {
    pub(crate) fn new(column: &'static str, descending: bool) -> Self {
        Self::from_term(OrderTerm {
            key: OrderKey::Column(column),
            descending,
            nulls: None,
        })
    }

    pub(crate) fn from_term(term: OrderTerm) -> Self {
        Self {
            term,
            _model: PhantomData,
        }
    }

    /// The term as the SQL renderer sees it.
    pub fn into_term(self) -> OrderTerm {
        self.term
    }

    /// `NULL`s before every value (on every database, MySQL included).
    pub fn nulls_first(mut self) -> Self {
        self.term.nulls = Some(Nulls::First);
        self
    }

    /// `NULL`s after every value.
    pub fn nulls_last(mut self) -> Self {
        self.term.nulls = Some(Nulls::Last);
        self
    }
}
