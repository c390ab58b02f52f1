//! Aggregates of the rows a to-many relation leads to: `count`, `sum` and `avg` of a numeric
//! column, `min` and `max` of an ordered one, each typed by its column. A
//! [`RelationAggregate`] orders (`user::posts.max(post::score).desc()`) or filters
//! (`user::posts.sum(post::score).gt(100)`); `select!` reads the same aggregates per row.

use std::marker::PhantomData;

use crate::dsl::filter::{Col, Filter, Order, OrderKey, OrderTerm, RelationLink};
use crate::ir::{Aggregate, CmpOp, Operand};
use crate::values::types::FieldType;

/// A column type `sum` and `avg` take: a number.
#[diagnostic::on_unimplemented(
    message = "`sum` and `avg` take a numeric column, and `{Self}` is not a number",
    label = "not a numeric column",
    note = "sum or average a column of type i16, i32, i64, f32, f64 or `rust_decimal::Decimal` (or an `Option` of one); count the rows with `count`, or take `min`/`max` of this column"
)]
pub trait Numeric: FieldType {
    /// The type of the sum: `i64` for integers, `f64` for floating-point numbers, `Decimal`
    /// for decimals.
    type Sum: FieldType + Default + Clone;
    /// The type of the average (in an `Option`, `None` when there are no rows): `f64`, or
    /// `Decimal` for decimals.
    type Avg: FieldType + Clone;
    /// What the column holds.
    const OPERAND: Operand;
}

/// A column type `min` and `max` take: numbers, text, dates and times.
#[diagnostic::on_unimplemented(
    message = "`min` and `max` take a column of numbers, text, dates or times, and `{Self}` is not one",
    label = "no order `min` and `max` can use on every database",
    note = "count the rows with `count`, or take `min`/`max` of another column"
)]
pub trait Ordered: FieldType {
    /// The column's type without its `Option`: `min` and `max` give `Option` of it (`None`
    /// when there are no rows).
    type Value: FieldType + Clone;
    /// What the column holds: decimals compare as numbers, not as SQLite's text.
    const OPERAND: Operand = Operand::Other;
}

macro_rules! numeric {
    ($($(#[$attr:meta])* $ty:ty => $sum:ty, $avg:ty, $of:ident;)*) => {$(
        $(#[$attr])*
        impl Numeric for $ty {
            type Sum = $sum;
            type Avg = $avg;
            const OPERAND: Operand = Operand::$of;
        }
    )*};
}

numeric! {
    i16 => i64, f64, Integers;
    i32 => i64, f64, Integers;
    i64 => i64, f64, Integers;
    f32 => f64, f64, Reals;
    f64 => f64, f64, Reals;
    #[cfg(feature = "rust_decimal")]
    rust_decimal::Decimal => rust_decimal::Decimal, rust_decimal::Decimal, Decimals;
}

impl<T: Numeric> Numeric for Option<T> {
    type Sum = T::Sum;
    type Avg = T::Avg;
    const OPERAND: Operand = T::OPERAND;
}

macro_rules! ordered {
    ($($(#[$attr:meta])* $ty:ty $(= $of:ident)?;)*) => {$(
        $(#[$attr])*
        impl Ordered for $ty {
            type Value = $ty;
            $(const OPERAND: Operand = Operand::$of;)?
        }
    )*};
}

ordered! {
    i16 = Integers;
    i32 = Integers;
    i64 = Integers;
    f32 = Reals;
    f64 = Reals;
    String;
    #[cfg(feature = "rust_decimal")]
    rust_decimal::Decimal = Decimals;
    #[cfg(feature = "chrono")]
    chrono::NaiveDateTime;
    #[cfg(feature = "chrono")]
    chrono::DateTime<chrono::Utc>;
    #[cfg(feature = "chrono")]
    chrono::NaiveDate;
    #[cfg(feature = "chrono")]
    chrono::NaiveTime;
    #[cfg(feature = "time")]
    time::PrimitiveDateTime;
    #[cfg(feature = "time")]
    time::OffsetDateTime;
    #[cfg(feature = "time")]
    time::Date;
    #[cfg(feature = "time")]
    time::Time;
}

impl<T: Ordered> Ordered for Option<T> {
    type Value = T::Value;
    const OPERAND: Operand = T::OPERAND;
}

/// A column of model `T`: what a relation's aggregate reads, so that a column of another
/// model is refused where it is named.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of `{T}`, the model the relation leads to",
    label = "a column of another model",
    note = "aggregate a column of the related model, like `user::posts.sum(post::score)`"
)]
pub trait ColumnOf<T>: Copy {
    /// The column's Rust type.
    type Value: FieldType;
    /// The column's name.
    fn column_name(self) -> &'static str;
}

impl<T, V: FieldType, K> ColumnOf<T> for Col<T, V, K> {
    type Value = V;
    fn column_name(self) -> &'static str {
        self.name()
    }
}

/// An aggregate of the rows a to-many relation leads to, from model `M`, giving a `V`: an
/// ordering key (`.desc()`) or the left side of a filter (`.gt(5)`).
///
/// A comparison with the average, minimum or maximum of no rows is unknown, as in SQL, so a
/// row without related rows matches no filter on them; a sum of no rows is 0 and a count 0.
pub struct RelationAggregate<M, V> {
    link: RelationLink,
    aggregate: Aggregate,
    _model: PhantomData<fn() -> (M, V)>,
}

impl<M, V> Clone for RelationAggregate<M, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M, V> Copy for RelationAggregate<M, V> {}

/// The number of rows a to-many relation leads to (`user::sessions.count()`).
pub type RelationCount<M> = RelationAggregate<M, i64>;

impl<M, V: FieldType> RelationAggregate<M, V> {
    /// `aggregate` of the rows of the relation `link` leads along.
    pub(crate) fn of(link: RelationLink, aggregate: Aggregate) -> Self {
        RelationAggregate {
            link,
            aggregate,
            _model: PhantomData,
        }
    }

    fn compare(self, op: CmpOp, value: V) -> Filter<M> {
        Filter::new(crate::dsl::filter::Expr::AggregateCompare {
            link: self.link,
            aggregate: self.aggregate,
            op,
            value: value.into_value(),
        })
    }

    /// Equal to `value`.
    pub fn eq(self, value: V) -> Filter<M> {
        self.compare(CmpOp::Eq, value)
    }

    /// Other than `value`.
    pub fn ne(self, value: V) -> Filter<M> {
        self.compare(CmpOp::Ne, value)
    }

    /// Greater than `value`.
    pub fn gt(self, value: V) -> Filter<M> {
        self.compare(CmpOp::Gt, value)
    }

    /// `value` or greater.
    pub fn gte(self, value: V) -> Filter<M> {
        self.compare(CmpOp::Gte, value)
    }

    /// Less than `value`.
    pub fn lt(self, value: V) -> Filter<M> {
        self.compare(CmpOp::Lt, value)
    }

    /// `value` or less.
    pub fn lte(self, value: V) -> Filter<M> {
        self.compare(CmpOp::Lte, value)
    }

    fn order(self, descending: bool) -> Order<M> {
        Order::from_term(OrderTerm {
            key: OrderKey::Aggregate(self.link, self.aggregate),
            descending,
            nulls: None,
        })
    }

    /// Smallest first (where `NULL`s go, for an aggregate of no rows, is the database's
    /// choice, as for a column).
    pub fn asc(self) -> Order<M> {
        self.order(false)
    }

    /// Greatest first.
    pub fn desc(self) -> Order<M> {
        self.order(true)
    }
}

/// An aggregate of a column of model `M`'s rows, giving a `V`: what a grouped query reads
/// (`Sale::group_by(sale::shop_id).aggregate((count(), sale::amount.sum()))`), orders by
/// (`sale::amount.sum().desc()`) and keeps groups by (`.having(sale::amount.sum().gt(100))`).
pub struct ColumnAggregate<M, V> {
    aggregate: Aggregate,
    _model: PhantomData<fn() -> (M, V)>,
}

impl<M, V> Clone for ColumnAggregate<M, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M, V> Copy for ColumnAggregate<M, V> {}

impl<M, V> std::fmt::Debug for ColumnAggregate<M, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.aggregate.fmt(f)
    }
}

/// The number of rows (of each group): `COUNT(*)`.
pub fn count<M>() -> ColumnAggregate<M, i64> {
    ColumnAggregate::of(Aggregate::Count)
}

impl<M, V> ColumnAggregate<M, V> {
    fn of(aggregate: Aggregate) -> Self {
        ColumnAggregate {
            aggregate,
            _model: PhantomData,
        }
    }

    /// The aggregate as the SQL renderer sees it.
    pub fn aggregate(self) -> Aggregate {
        self.aggregate
    }
}

impl<M, V: FieldType> ColumnAggregate<M, V> {
    fn compare(self, op: CmpOp, value: V) -> Having<M> {
        Having::new(crate::ir::Expr::GroupCompare {
            aggregate: self.aggregate,
            op,
            value: value.into_value(),
        })
    }

    /// Groups whose aggregate equals `value`.
    pub fn eq(self, value: V) -> Having<M> {
        self.compare(CmpOp::Eq, value)
    }

    /// Groups whose aggregate is other than `value`.
    pub fn ne(self, value: V) -> Having<M> {
        self.compare(CmpOp::Ne, value)
    }

    /// Groups whose aggregate is greater than `value`.
    pub fn gt(self, value: V) -> Having<M> {
        self.compare(CmpOp::Gt, value)
    }

    /// Groups whose aggregate is `value` or greater.
    pub fn gte(self, value: V) -> Having<M> {
        self.compare(CmpOp::Gte, value)
    }

    /// Groups whose aggregate is less than `value`.
    pub fn lt(self, value: V) -> Having<M> {
        self.compare(CmpOp::Lt, value)
    }

    /// Groups whose aggregate is `value` or less.
    pub fn lte(self, value: V) -> Having<M> {
        self.compare(CmpOp::Lte, value)
    }

    fn order(self, descending: bool) -> GroupOrder<M> {
        GroupOrder::from_term(OrderTerm {
            key: OrderKey::Grouped(self.aggregate),
            descending,
            nulls: None,
        })
    }

    /// Groups with the smallest aggregate first.
    pub fn asc(self) -> GroupOrder<M> {
        self.order(false)
    }

    /// Groups with the greatest aggregate first.
    pub fn desc(self) -> GroupOrder<M> {
        self.order(true)
    }
}

impl<M, V: FieldType, K> Col<M, V, K> {
    /// The sum of this column over each group's rows (0 for none): an `i64` for integers, an
    /// `f64` for floating-point numbers, a `Decimal` for decimals.
    pub fn sum(self) -> ColumnAggregate<M, V::Sum>
    where
        V: Numeric,
    {
        ColumnAggregate::of(Aggregate::Sum(self.name(), V::OPERAND))
    }

    /// The average of this column over each group's rows (`None` for none): an `f64`, or a
    /// `Decimal` for decimals.
    pub fn avg(self) -> ColumnAggregate<M, Option<V::Avg>>
    where
        V: Numeric,
    {
        ColumnAggregate::of(Aggregate::Avg(self.name(), V::OPERAND))
    }

    /// The least value of this column in each group (`None` for none).
    pub fn min(self) -> ColumnAggregate<M, Option<V::Value>>
    where
        V: Ordered,
    {
        ColumnAggregate::of(Aggregate::Min(self.name(), V::OPERAND))
    }

    /// The greatest value of this column in each group (`None` for none).
    pub fn max(self) -> ColumnAggregate<M, Option<V::Value>>
    where
        V: Ordered,
    {
        ColumnAggregate::of(Aggregate::Max(self.name(), V::OPERAND))
    }
}

/// A condition on the groups of a grouped query (its `HAVING`), made by comparing an
/// aggregate: `sale::amount.sum().gt(100)`.
pub struct Having<M> {
    expr: crate::ir::Expr,
    _model: PhantomData<fn() -> M>,
}

impl<M> Clone for Having<M> {
    fn clone(&self) -> Self {
        Having::new(self.expr.clone())
    }
}

impl<M> std::fmt::Debug for Having<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.expr.fmt(f)
    }
}

impl<M> Having<M> {
    fn new(expr: crate::ir::Expr) -> Self {
        Having {
            expr,
            _model: PhantomData,
        }
    }

    /// Both hold.
    pub fn and(self, other: Having<M>) -> Having<M> {
        Having::new(crate::ir::Expr::And(vec![self.expr, other.expr]))
    }

    /// Either holds.
    pub fn or(self, other: Having<M>) -> Having<M> {
        Having::new(crate::ir::Expr::Or(vec![self.expr, other.expr]))
    }

    /// The condition as the SQL renderer sees it.
    pub fn into_expr(self) -> crate::ir::Expr {
        self.expr
    }
}

impl<M> std::ops::Not for Having<M> {
    type Output = Having<M>;
    fn not(self) -> Having<M> {
        Having::new(crate::ir::Expr::Not(Box::new(self.expr)))
    }
}

/// An ordering of a grouped query: by one of its key columns (`sale::shop_id.asc()`) or by an
/// aggregate (`sale::amount.sum().desc()`).
pub struct GroupOrder<M> {
    term: OrderTerm,
    _model: PhantomData<fn() -> M>,
}

impl<M> GroupOrder<M> {
    fn from_term(term: OrderTerm) -> Self {
        GroupOrder {
            term,
            _model: PhantomData,
        }
    }

    /// The term as the SQL renderer sees it.
    pub fn into_term(self) -> OrderTerm {
        self.term
    }

    /// `NULL`s before every value.
    pub fn nulls_first(mut self) -> Self {
        self.term.nulls = Some(crate::ir::Nulls::First);
        self
    }

    /// `NULL`s after every value.
    pub fn nulls_last(mut self) -> Self {
        self.term.nulls = Some(crate::ir::Nulls::Last);
        self
    }
}

impl<M> From<Order<M>> for GroupOrder<M> {
    fn from(order: Order<M>) -> Self {
        GroupOrder::from_term(order.into_term())
    }
}
