//! Relations between models: the field wrappers that hold loaded rows, the static metadata the
//! derive generates for each relation, and the typed handles used to ask for them.
//!
//! A relation field is not a column. Rows come back from a query with every relation "not
//! loaded"; `.include(user::sessions)` loads one, in one query for all parent rows.

use std::fmt;
use std::marker::PhantomData;

use serde::{Serialize, Serializer};

pub use crate::dsl::aggregate::{ColumnOf, Numeric, Ordered, RelationAggregate, RelationCount};
use crate::dsl::erased::Erased;
use crate::dsl::filter::{Filter, IntoFilter, RelatedFilter};
use crate::ir::Aggregate;
use crate::meta::model::RelationMeta;

/// Rows of `T` whose foreign key points at this row (`#[relation(has_many = T, ..)]`).
pub struct HasMany<T> {
    rows: Option<Erased<Vec<T>>>,
    count: Option<i64>,
}

/// Rows of `T` reached through a join model (`#[relation(many_to_many = T, ..)]`).
pub struct ManyToMany<T> {
    rows: Option<Erased<Vec<T>>>,
    count: Option<i64>,
}

/// What a query loads into a to-many relation field: its rows, or their number.
#[doc(hidden)]
pub enum ManyLoad<T> {
    /// `.include(rel)`
    Rows(Vec<T>),
    /// `.include(rel.counted())`
    Count(i64),
}

/// The row of `T` whose unique foreign key points at this row, if any
/// (`#[relation(has_one = T, ..)]`).
pub struct HasOne<T> {
    row: Option<Option<Erased<T>>>,
}

/// The row of `T` this row's foreign key points at (`#[relation(belongs_to = T, ..)]`);
/// absent only when the foreign key is `NULL`.
pub struct BelongsTo<T> {
    row: Option<Option<Erased<T>>>,
}

// The rows are held `Erased` (see `dsl/erased.rs`): a model that holds another model's rows
// would otherwise make the compiler walk the whole relation graph to check its auto traits.

macro_rules! many_wrapper {
    ($name:ident) => {
        impl<T: Send + Sync + 'static> $name<T> {
            /// A relation holding `rows`, as if loaded.
            pub fn loaded(rows: Vec<T>) -> Self {
                Self {
                    rows: Some(Erased::new(rows)),
                    count: None,
                }
            }

            /// Stores what a query loaded (generated code calls this).
            #[doc(hidden)]
            pub fn __load(&mut self, load: ManyLoad<T>) {
                match load {
                    ManyLoad::Rows(rows) => self.rows = Some(Erased::new(rows)),
                    ManyLoad::Count(n) => self.count = Some(n),
                }
            }
        }

        impl<T> $name<T> {
            /// The number of related rows, as `.include(rel.counted())` (or
            /// `rel.counted_with(..)`) counted them; `None` when they were not counted. It
            /// is not the number of loaded rows, which a relation's `take` or `where` may
            /// have narrowed: that is `rows().len()`.
            pub fn count(&self) -> Option<i64> {
                self.count
            }

            /// Whether the rows were loaded.
            pub fn is_loaded(&self) -> bool {
                self.rows.is_some()
            }
            /// The loaded rows; `None` when the relation was not included in the query.
            pub fn get(&self) -> Option<&[T]> {
                self.rows.as_ref().map(|rows| rows.get().as_slice())
            }
            /// Takes the loaded rows out.
            pub fn into_loaded(self) -> Option<Vec<T>> {
                self.rows.map(Erased::into_inner)
            }
            /// The loaded rows; none when the relation was not loaded (tell the two apart
            /// with [`Self::is_loaded`]).
            pub fn rows(&self) -> &[T] {
                self.get().unwrap_or_default()
            }
            /// Takes the loaded rows out; none when the relation was not loaded.
            pub fn into_rows(self) -> Vec<T> {
                self.into_loaded().unwrap_or_default()
            }
        }
    };
}

macro_rules! one_wrapper {
    ($name:ident) => {
        impl<T: Send + Sync + 'static> $name<T> {
            /// A relation holding `row`, as if loaded.
            pub fn loaded(row: Option<T>) -> Self {
                Self {
                    row: Some(row.map(Erased::new)),
                }
            }
        }

        impl<T> $name<T> {
            /// Whether the row was loaded.
            pub fn is_loaded(&self) -> bool {
                self.row.is_some()
            }
            /// The loaded row: `None` when the relation was not included in the query, or when
            /// there is no such row (see [`Self::is_loaded`]).
            pub fn get(&self) -> Option<&T> {
                self.row
                    .as_ref()
                    .and_then(|row| row.as_ref().map(Erased::get))
            }
            /// Takes the loaded row out: `None` when not loaded, `Some(None)` when absent.
            pub fn into_loaded(self) -> Option<Option<T>> {
                self.row.map(|row| row.map(Erased::into_inner))
            }
            /// Takes the loaded row out: `None` when there is none, or when the relation was
            /// not loaded (tell the two apart with [`Self::is_loaded`]).
            pub fn into_row(self) -> Option<T> {
                self.into_loaded().flatten()
            }
        }
    };
}

macro_rules! common {
    ($name:ident, $field:ident $(, $extra:ident)?) => {
        /// Not loaded.
        impl<T> Default for $name<T> {
            fn default() -> Self {
                Self { $field: None $(, $extra: None)? }
            }
        }

        impl<T: Clone + Send + Sync + 'static> Clone for $name<T> {
            fn clone(&self) -> Self {
                Self {
                    $field: self.$field.clone(),
                    $($extra: self.$extra,)?
                }
            }
        }

        impl<T: PartialEq> PartialEq for $name<T> {
            fn eq(&self, other: &Self) -> bool {
                self.$field == other.$field $(&& self.$extra == other.$extra)?
            }
        }

        impl<T: fmt::Debug> fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match &self.$field {
                    Some(loaded) => loaded.fmt(f)?,
                    None => f.write_str("<not loaded>")?,
                }
                $(if let Some(n) = self.$extra {
                    write!(f, " (count: {n})")?;
                })?
                Ok(())
            }
        }

        /// Serializes what was loaded; `null` when nothing was. (A count is read with
        /// `count()`; it is not serialized.)
        impl<T: Serialize> Serialize for $name<T> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.$field.serialize(serializer)
            }
        }
    };
}

many_wrapper!(HasMany);
many_wrapper!(ManyToMany);
one_wrapper!(HasOne);
one_wrapper!(BelongsTo);
common!(HasMany, rows, count);
common!(ManyToMany, rows, count);
common!(HasOne, row);
common!(BelongsTo, row);

/// Marker for relations that lead to at most one row (has_one, and belongs_to through a
/// nullable key): `take`/`skip` make no sense on them.
#[derive(Debug, Clone, Copy)]
pub enum ToOne {}
/// Marker for belongs_to through a non-null key: exactly one row.
#[derive(Debug, Clone, Copy)]
pub enum Required {}
/// Marker for relations that lead to many rows.
#[derive(Debug, Clone, Copy)]
pub enum ToMany {}

/// Stores loaded rows into a parent's relation field (generated per relation).
#[doc(hidden)]
pub enum Setter<M, T> {
    /// has_many, many_to_many
    Many(fn(&mut M, ManyLoad<T>)),
    /// belongs_to, has_one
    One(fn(&mut M, Option<T>)),
}

impl<M, T> Clone for Setter<M, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M, T> Copy for Setter<M, T> {}

/// A typed handle on the relation of model `M` that leads to `T`; `C` is [`ToMany`],
/// [`ToOne`] or [`Required`]. Pass it to `.include(..)`, or refine it first with [`Rel::with`].
pub struct Rel<M, T, C> {
    pub(crate) meta: &'static RelationMeta,
    pub(crate) set: Setter<M, T>,
    _cardinality: PhantomData<fn() -> C>,
}

impl<M, T, C> Clone for Rel<M, T, C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M, T, C> Copy for Rel<M, T, C> {}

impl<M, T, C> fmt::Debug for Rel<M, T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rel({})", self.meta.name)
    }
}

impl<M, T, C> Rel<M, T, C> {
    /// A handle (generated code calls this).
    #[doc(hidden)]
    pub const fn new(meta: &'static RelationMeta, set: Setter<M, T>) -> Self {
        Self {
            meta,
            set,
            _cardinality: PhantomData,
        }
    }

    /// The relation's metadata.
    pub fn meta(&self) -> &'static RelationMeta {
        self.meta
    }
}

impl<M: crate::dsl::model::Model, T, C> Rel<M, T, C> {
    /// The handle of `M`'s relation number `index` (generated code calls this, in a
    /// constant: an index out of range fails the build, never a run).
    #[doc(hidden)]
    #[allow(clippy::indexing_slicing)]
    pub const fn at(index: usize, set: Setter<M, T>) -> Self {
        Self::new(&M::META.relations[index], set)
    }
}

/// Relations that lead to at most one row: `is`/`is_not` apply to them.
#[diagnostic::on_unimplemented(
    message = "`is` and `is_not` apply to `belongs_to` and `has_one` relations; use `some`, `every` or `none` on a to-many relation",
    label = "this relation leads to many rows"
)]
pub trait Single {}
impl Single for ToOne {}
impl Single for Required {}

impl<M: crate::dsl::model::Model, T: crate::dsl::model::Model, C> Rel<M, T, C> {
    fn test(self, test: crate::dsl::filter::RelationTest, filter: Filter<T>) -> Filter<M> {
        let link = self.link();
        Filter::wrapping(filter, |inner| crate::dsl::filter::Expr::Related {
            link,
            test,
            filter: Box::new(inner),
        })
    }

    pub(crate) fn link(self) -> crate::dsl::filter::RelationLink {
        crate::dsl::filter::RelationLink {
            relation: self.meta,
            parent: M::META,
        }
    }

    /// Rows with at least one related row matching `filter` (`EXISTS`).
    pub fn some<F>(self, filter: F) -> Filter<M>
    where
        F: IntoFilter,
        F::Model: RelatedFilter<T>,
        C: Many,
    {
        self.test(
            crate::dsl::filter::RelationTest::Some,
            <F::Model as RelatedFilter<T>>::cast(filter.into_filter()),
        )
    }

    /// Rows whose related rows all match `filter` (rows with none included).
    pub fn every<F>(self, filter: F) -> Filter<M>
    where
        F: IntoFilter,
        F::Model: RelatedFilter<T>,
        C: Many,
    {
        self.test(
            crate::dsl::filter::RelationTest::Every,
            <F::Model as RelatedFilter<T>>::cast(filter.into_filter()),
        )
    }

    /// Rows with no related row matching `filter`.
    pub fn none<F>(self, filter: F) -> Filter<M>
    where
        F: IntoFilter,
        F::Model: RelatedFilter<T>,
        C: Many,
    {
        self.test(
            crate::dsl::filter::RelationTest::None,
            <F::Model as RelatedFilter<T>>::cast(filter.into_filter()),
        )
    }

    /// Rows whose related row exists and matches `filter`.
    pub fn is<F>(self, filter: F) -> Filter<M>
    where
        F: IntoFilter,
        F::Model: RelatedFilter<T>,
        C: Single,
    {
        self.test(
            crate::dsl::filter::RelationTest::Some,
            <F::Model as RelatedFilter<T>>::cast(filter.into_filter()),
        )
    }

    /// Rows whose related row is absent or does not match `filter`.
    pub fn is_not<F>(self, filter: F) -> Filter<M>
    where
        F: IntoFilter,
        F::Model: RelatedFilter<T>,
        C: Single,
    {
        self.test(
            crate::dsl::filter::RelationTest::None,
            <F::Model as RelatedFilter<T>>::cast(filter.into_filter()),
        )
    }

    /// The number of related rows, to order by (`user::sessions.count().desc()`) or to filter
    /// by (`user::sessions.count().gt(5)`).
    pub fn count(self) -> RelationCount<M>
    where
        C: Countable,
    {
        RelationAggregate::of(self.link(), Aggregate::Count)
    }

    /// The sum of a numeric column of the related rows (0 when there are none), as an `i64`
    /// for integers, an `f64` for floating-point numbers and a `Decimal` for decimals:
    /// `user::posts.sum(post::score)`.
    pub fn sum<K>(self, column: K) -> RelationAggregate<M, <K::Value as Numeric>::Sum>
    where
        C: Countable,
        K: ColumnOf<T>,
        K::Value: Numeric,
    {
        let sum = Aggregate::Sum(column.column_name(), <K::Value as Numeric>::OPERAND);
        RelationAggregate::of(self.link(), sum)
    }

    /// The average of a numeric column of the related rows, as an `f64`, or a `Decimal` for
    /// decimals (unknown when there are none).
    pub fn avg<K>(self, column: K) -> RelationAggregate<M, <K::Value as Numeric>::Avg>
    where
        C: Countable,
        K: ColumnOf<T>,
        K::Value: Numeric,
    {
        let avg = Aggregate::Avg(column.column_name(), <K::Value as Numeric>::OPERAND);
        RelationAggregate::of(self.link(), avg)
    }

    /// The least value of a column of the related rows (unknown when there are none).
    pub fn min<K>(self, column: K) -> RelationAggregate<M, <K::Value as Ordered>::Value>
    where
        C: Countable,
        K: ColumnOf<T>,
        K::Value: Ordered,
    {
        let min = Aggregate::Min(column.column_name(), <K::Value as Ordered>::OPERAND);
        RelationAggregate::of(self.link(), min)
    }

    /// The greatest value of a column of the related rows (unknown when there are none).
    pub fn max<K>(self, column: K) -> RelationAggregate<M, <K::Value as Ordered>::Value>
    where
        C: Countable,
        K: ColumnOf<T>,
        K::Value: Ordered,
    {
        let max = Aggregate::Max(column.column_name(), <K::Value as Ordered>::OPERAND);
        RelationAggregate::of(self.link(), max)
    }
}

/// Relations that lead to many rows: `some`, `every` and `none` apply to them.
#[diagnostic::on_unimplemented(
    message = "`some`, `every` and `none` apply to `has_many` and `many_to_many` relations; use `is` or `is_not` on a to-one relation",
    label = "this relation leads to at most one row"
)]
pub trait Many {}
impl Many for ToMany {}

/// Relations whose related rows can be ordered and paged: the to-many ones.
#[diagnostic::on_unimplemented(
    message = "`order_by`, `take` and `skip` apply to `has_many` and `many_to_many` relations only",
    label = "this relation leads to at most one row",
    note = "filter a to-one relation with `.filter(..)`, or page the to-many relation on the other side"
)]
pub trait Paged {}
impl Paged for ToMany {}

/// Relations whose rows can be counted and aggregated: the to-many ones.
#[diagnostic::on_unimplemented(
    message = "`count`, `sum`, `avg`, `min` and `max` apply to `has_many` and `many_to_many` relations only",
    label = "this relation leads to at most one row",
    note = "a to-one relation has at most one row: select its columns (`user {{ name }}`), or test that it exists with `.is(..)` / `.is_not(..)`"
)]
pub trait Countable {}
impl Countable for ToMany {}

/// `T` is `Self`: lets generated functions be generic over a model that is always `Self`
/// (`where Session: IsType<C>` infers `C = Session`), so that the compiler checks their
/// bounds where they are called rather than where they are generated.
#[doc(hidden)]
pub trait IsType<T>: Sized {
    /// The relation handle, typed with `T` as its target.
    fn cast_rel<M, C>(rel: Rel<M, Self, C>) -> Rel<M, T, C>;
}

impl<T> IsType<T> for T {
    fn cast_rel<M, C>(rel: Rel<M, T, C>) -> Rel<M, T, C> {
        rel
    }
}
