//! Query builders: each collects what to do, renders one statement (or a few), and runs it
//! on an [`Executor`](crate::driver::executor::Executor).

mod count;
pub(crate) mod cursor;
mod delete;
mod find;
mod group;
mod insert;
mod nested;
mod returning;
mod update;
mod upsert;

pub use count::Count;
pub use delete::{Delete, DeleteOne};
pub use find::Find;
pub use group::{AggregateQuery, Aggregates, GroupBy, GroupKeys};
pub use insert::{Insert, InsertOne};
#[doc(hidden)]
pub use nested::{connect, create_children, disconnect, relink, Lookup};
pub use nested::{Create, CreateMany, Nested};
pub use returning::{Returning, ReturningOne, WriteRows};
pub use update::{Update, UpdateOne};
pub use upsert::{Upsert, UpsertOne};

use crate::dsl::filter::{CmpOp, Col, Expr, Filter, Unique};
use crate::dsl::model::{Insertable, Model};
use crate::values::types::{FieldType, PrimaryKey};
use crate::values::value::Value;

/// `primary key = key`, column by column for a composite key.
fn key_filter<M: Model>(key: &M::Key) -> Expr {
    if M::Key::COLUMNS == 1 {
        return Expr::Compare {
            column: M::META.primary_key().name,
            op: CmpOp::Eq,
            value: key.__sole_value(),
        };
    }
    Expr::And(
        M::META
            .key_columns()
            .zip(key.key_values())
            .map(|(column, value)| Expr::Compare {
                column: column.name,
                op: CmpOp::Eq,
                value,
            })
            .collect(),
    )
}

/// The rows whose `columns` hold one of `keys` (each a value per column): `IN` for one
/// column, `(a = ? AND b = ?) OR ..` for several.
pub(crate) fn keys_filter(columns: &[&'static str], keys: Vec<Vec<Value>>) -> Expr {
    if let [column] = columns {
        return Expr::InList {
            column,
            values: keys.into_iter().flatten().collect(),
            negated: false,
        };
    }
    Expr::Or(
        keys.into_iter()
            .map(|key| {
                Expr::And(
                    columns
                        .iter()
                        .zip(key)
                        .map(|(column, value)| Expr::Compare {
                            column,
                            op: CmpOp::Eq,
                            value,
                        })
                        .collect(),
                )
            })
            .collect(),
    )
}

/// Adds `filter` to `current` with `AND`.
pub(crate) fn and_filter<M>(current: Option<Expr>, filter: Filter<M>) -> Option<Expr> {
    Some(match current {
        None => filter.into_expr(),
        Some(Expr::And(mut items)) => {
            items.push(filter.into_expr());
            Expr::And(items)
        }
        Some(existing) => Expr::And(vec![existing, filter.into_expr()]),
    })
}

/// The queries every model gets: `User::find_many()`, `User::insert(..)`, ... Implemented for
/// every [`Model`]; in the prelude.
pub trait Queries: Model {
    /// All rows, narrowed with `.filter(..)`, `.order_by(..)`, `.take(..)`, `.skip(..)`.
    fn find_many() -> Find<Self> {
        Find::new()
    }

    /// The first row in the requested order, if any (`.fetch_optional` / `.fetch_one`).
    fn find_first() -> Find<Self> {
        Find::new()
    }

    /// The row with this primary key.
    fn find_by_id(key: impl Into<Self::Key>) -> Find<Self> {
        Find::by_key(key.into())
    }

    /// The row whose unique column holds `value`.
    fn find_unique<T: FieldType>(column: Col<Self, T, Unique>, value: impl Into<T>) -> Find<Self> {
        Find::new().filter(column.eq(value))
    }

    /// Inserts one row; `.exec` returns it as stored, with generated keys and database
    /// defaults filled in (`.exec_without_rows` reads nothing back).
    ///
    /// Takes the model's `New` struct (`user::New`), which leaves out `#[field(id, auto)]` keys
    /// and columns with a `default`, or the model itself, which writes every column.
    fn insert<I: Insertable<Model = Self>>(row: I) -> InsertOne<I> {
        InsertOne::new(row)
    }

    /// Inserts many rows in as few statements as the backend's parameter limit allows,
    /// all or none; `.exec` returns them as stored, `.exec_without_rows` how many it wrote.
    fn insert_many<I: Insertable<Model = Self>>(rows: impl IntoIterator<Item = I>) -> Insert<I> {
        Insert::new(rows.into_iter().collect())
    }

    /// Creates one row together with related rows, in one transaction: add them with
    /// `.with(..)` (`user::profile::create(..)`, `user::sessions::create([..])`,
    /// `user::organizations::connect(..)`); their foreign keys are filled in from the row's
    /// stored key. `.exec` returns the row as stored, with those relations loaded.
    fn create<I: Insertable<Model = Self>>(row: I) -> Create<I> {
        Create::new(row)
    }

    /// Creates many rows, each with its related rows: one statement per chunk of rows of
    /// each level (the rows, then each relation's), all in one transaction; `.exec` returns
    /// them as stored, `.exec_without_rows` how many it wrote.
    fn create_many<I: Insertable<Model = Self>>(
        items: impl IntoIterator<Item = Create<I>>,
    ) -> CreateMany<I> {
        CreateMany::new(items.into_iter().collect())
    }

    /// Inserts one row, or updates the stored row it conflicts with on the primary key (or
    /// on the unique column named with `.on(..)`); `.exec` returns the row as stored.
    fn upsert<I: Insertable<Model = Self>>(row: I) -> UpsertOne<I> {
        UpsertOne::new(row)
    }

    /// Upserts many rows in as few statements as the backend's parameter limit allows, all
    /// or none.
    fn upsert_many<I: Insertable<Model = Self>>(rows: impl IntoIterator<Item = I>) -> Upsert<I> {
        Upsert::new(rows.into_iter().collect())
    }

    /// Updates the rows a filter matches; `.exec` returns how many matched.
    fn update_many() -> Update<Self> {
        Update::new()
    }

    /// Updates the row with this primary key; `.exec` returns it as stored.
    fn update_by_id(key: impl Into<Self::Key>) -> UpdateOne<Self> {
        UpdateOne::new(key.into())
    }

    /// Deletes the rows a filter matches; `.exec` returns how many it deleted.
    fn delete_many() -> Delete<Self> {
        Delete::new()
    }

    /// Deletes the row with this primary key; `.exec` fails with `NotFound` when there is none.
    fn delete_by_id(key: impl Into<Self::Key>) -> DeleteOne<Self> {
        DeleteOne::new(key.into())
    }

    /// Counts the rows a filter matches.
    fn count() -> Count<Self> {
        Count::new()
    }

    /// Aggregates over the rows a filter matches: `count()`, a column's `sum()`, `avg()`,
    /// `min()` or `max()`, or a tuple of them, each typed by its column.
    fn aggregate<A: Aggregates<Self>>(aggregates: A) -> AggregateQuery<Self, A> {
        AggregateQuery::new(aggregates)
    }

    /// The groups of rows sharing the values of `keys` (a column, or a tuple of columns),
    /// with `.aggregate(..)` of each, `.having(..)`, `.order_by(..)`, `.take(..)`, `.skip(..)`.
    fn group_by<G: GroupKeys<Self>>(keys: G) -> GroupBy<Self, G, ()> {
        GroupBy::new(keys)
    }
}

impl<M: Model> Queries for M {}
