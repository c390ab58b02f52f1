//! Aggregates of the rows a to-many relation leads to: `count`, `sum` and `avg` of a numeric
//! column, `min` and `max` of an ordered one, each typed by its column. A
//! [`RelationAggregate`] orders (`user::posts.max(post::score).desc()`) or filters
//! (`user::posts.sum(post::score).gt(100)`); `select!` reads the same aggregates per row.

use std::marker::PhantomData;

use crate::dsl::filter::{Col, Filter, Order, OrderKey, OrderTerm, RelationLink};
use crate::ir::{Aggregate, CmpOp, SumOf};
use crate::values::types::FieldType;

/// A column type `sum` and `avg` take: a number.
#[diagnostic::on_unimplemented(
    message = "`sum` and `avg` take a numeric column, and `{Self}` is not a number",
    label = "not a numeric column",
    note = "sum or average a column of type i16, i32, i64, f32 or f64 (or an `Option` of one); count the rows with `count`, or take `min`/`max` of this column"
)]
pub trait Numeric: FieldType {
    /// The type of the sum: `i64` for integers, `f64` for floating-point numbers.
    type Sum: FieldType + Default + Clone;
    /// What the sum adds up.
    const SUM: SumOf;
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
}

macro_rules! numeric {
    ($($ty:ty => $sum:ty, $of:ident;)*) => {$(
        impl Numeric for $ty {
            type Sum = $sum;
            const SUM: SumOf = SumOf::$of;
        }
    )*};
}

numeric! {
    i16 => i64, Integers;
    i32 => i64, Integers;
    i64 => i64, Integers;
    f32 => f64, Reals;
    f64 => f64, Reals;
}

impl<T: Numeric> Numeric for Option<T> {
    type Sum = T::Sum;
    const SUM: SumOf = T::SUM;
}

macro_rules! ordered {
    ($($(#[$attr:meta])* $ty:ty;)*) => {$(
        $(#[$attr])*
        impl Ordered for $ty {
            type Value = $ty;
        }
    )*};
}

ordered! {
    i16;
    i32;
    i64;
    f32;
    f64;
    String;
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
