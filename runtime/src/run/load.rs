//! Loading relations: one batched query per relation edge, whatever the number of parent rows.
//!
//! Parent keys are collected (each once), the related rows are fetched with the parent key
//! they belong to, nested relations are loaded on all of them at once, and the rows are then
//! handed out to their parents in query order.

use std::collections::HashMap;
use std::marker::PhantomData;

use futures_util::future::BoxFuture;

use crate::driver::executor::ConnRef;
use crate::dsl::filter::{IntoFilter, Order, RelatedFilter};
use crate::dsl::model::Model;
use crate::dsl::paging::RowCount;
use crate::dsl::relation::{Countable, ManyLoad, Paged, Rel, Setter};
use crate::meta::model::ModelMeta;
use crate::meta::model::{RelationKind, RelationMeta};
use crate::sql::{render_related, RelatedQuery};
use crate::values::error::{Error, Result};
use crate::values::row::Row;
use crate::values::types::{FieldType, PrimaryKey};
use crate::values::value::{KeyRepr, Value};

/// A relation of `M` to load with the rows of a query: `.include(user::sessions)`, or
/// `.include(user::sessions.with(|q| q.take(5)))`.
pub struct Include<M> {
    loader: Box<dyn LoadInto<M>>,
}

impl<M> std::fmt::Debug for Include<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Include")
    }
}

trait LoadInto<M>: Send + Sync {
    /// Loads the related rows of `parents`, and returns what sets them on the parents.
    /// `which`: which rows of their table the parents are.
    fn fetch<'a>(
        &'a self,
        conn: ConnRef<'a>,
        parents: &'a [M],
        which: Parents,
    ) -> BoxFuture<'a, Result<Apply<M>>>;
}

/// Sets a loaded relation on the parents it was loaded for.
type Apply<M> = Box<dyn FnOnce(&mut [M]) + Send>;

impl<M: Model> Include<M> {
    /// Loads every include of `parents`: the siblings at the same time, each on a spare
    /// connection where the pool has one idle (see `ConnRef::spares`), else in turn.
    pub(crate) async fn load_all(
        includes: &[Include<M>],
        conn: ConnRef<'_>,
        parents: &mut [M],
        which: Parents,
    ) -> Result<()> {
        if parents.is_empty() {
            return Ok(());
        }
        let applies = match conn.spares(includes.len(), parents.len()) {
            Some(spares) => {
                let shared: &[M] = parents;
                // Every include runs to its end, and the error reported is the first
                // include's in order, as when they load in turn.
                let applies = futures_util::future::join_all(includes.iter().enumerate().map(
                    |(i, include)| spares.run(conn, i, |c| include.loader.fetch(c, shared, which)),
                ))
                .await
                .into_iter()
                .collect::<Result<Vec<_>>>()?;
                spares.finish();
                applies
            }
            None => {
                let mut applies = Vec::with_capacity(includes.len());
                for include in includes {
                    applies.push(include.loader.fetch(conn, parents, which).await?);
                }
                applies
            }
        };
        for apply in applies {
            apply(parents);
        }
        Ok(())
    }
}

/// What `.include(..)` takes: a relation handle (`user::sessions`), or one refined with
/// [`Rel::with`].
pub trait IntoInclude {
    /// The model whose relation it is.
    type Model;
    /// The relation to load.
    fn into_include(self) -> Include<Self::Model>;
}

impl<M> IntoInclude for Include<M> {
    type Model = M;
    fn into_include(self) -> Include<M> {
        self
    }
}

impl<M: Model, T: Model + Clone, C: 'static> IntoInclude for Rel<M, T, C> {
    type Model = M;
    fn into_include(self) -> Include<M> {
        self.with(|q| q)
    }
}

/// A relation of model `Self` can be loaded into rows of `M`: only when `Self` is `M`.
/// `.include(..)` takes any [`IntoInclude`] whose model is `IncludeOn` the query's, so that
/// another model's relation is reported with both models named.
#[diagnostic::on_unimplemented(
    message = "this relation is of `{Self}`, but the query reads `{M}`",
    label = "a relation of `{Self}`",
    note = "include a relation of `{M}`; to load this one too, nest it in the relation of `{M}` that leads to `{Self}`: `.include(rel.with(|q| q.include(..)))`"
)]
pub trait IncludeOn<M> {
    /// The relation, as one of `M`.
    fn cast(include: Include<Self>) -> Include<M>
    where
        Self: Sized;
}

impl<M> IncludeOn<M> for M {
    fn cast(include: Include<M>) -> Include<M> {
        include
    }
}

impl<M, T, C> From<Rel<M, T, C>> for Include<M>
where
    M: Model,
    T: Model + Clone,
    C: 'static,
{
    fn from(rel: Rel<M, T, C>) -> Self {
        rel.with(|q| q)
    }
}

impl<M: Model, T: Model + Clone, C: 'static> Rel<M, T, C> {
    /// Loads this relation with the related rows narrowed, ordered and paged per parent.
    pub fn with(self, refine: impl FnOnce(RelQuery<T, C>) -> RelQuery<T, C>) -> Include<M> {
        Include {
            loader: Box::new(Loader {
                rel: self,
                query: refine(RelQuery::default()),
            }),
        }
    }
}

impl<M: Model, T: Model, C: Countable + 'static> Rel<M, T, C> {
    /// Counts the related rows of each row the query returns, in one grouped statement, for
    /// `.include(..)`: read it with the relation field's `count()`. Beside
    /// `.include(rel)` (or `rel.with(..)`), which loads the rows, it counts them all.
    pub fn counted(self) -> Include<M> {
        self.counted_with(|q| q)
    }

    /// [`Rel::counted`], counting only the related rows `refine`'s `filter` keeps.
    pub fn counted_with(self, refine: impl FnOnce(RelQuery<T, C>) -> RelQuery<T, C>) -> Include<M> {
        Include {
            loader: Box::new(CountLoader {
                rel: self,
                query: refine(RelQuery::default()),
            }),
        }
    }
}

struct Loader<M, T, C> {
    rel: Rel<M, T, C>,
    query: RelQuery<T, C>,
}

/// Counts a relation's rows per parent ([`Rel::counted`]).
struct CountLoader<M, T, C> {
    rel: Rel<M, T, C>,
    query: RelQuery<T, C>,
}

impl<M: Model, T: Model, C: 'static> LoadInto<M> for CountLoader<M, T, C> {
    fn fetch<'a>(
        &'a self,
        conn: ConnRef<'a>,
        parents: &'a [M],
        which: Parents,
    ) -> BoxFuture<'a, Result<Apply<M>>> {
        Box::pin(async move {
            let plan = Plan::new(M::META, self.rel.meta)?;
            let parent_keys = ParentKeys::of(parents.iter().map(|p| p.__column(plan.parent_field)));
            let refine = Refine::of(conn, &self.query).await?;
            let counts = aggregate_related::<i64>(
                conn,
                T::META,
                &plan,
                &parent_keys,
                parent_key::<M, T>(self.rel.meta.kind),
                &refine,
                self.rel.meta.kind,
                which,
                crate::ir::Aggregate::Count,
            )
            .await?;
            // A parent without related rows has none to count.
            let per_parent: Vec<i64> = counts.into_iter().map(|n| n.unwrap_or(0)).collect();
            let set = self.rel.set;
            let apply: Apply<M> = Box::new(move |parents: &mut [M]| {
                if let Setter::Many(set) = set {
                    for (parent, n) in parents.iter_mut().zip(per_parent) {
                        set(parent, ManyLoad::Count(n));
                    }
                }
            });
            Ok(apply)
        })
    }
}

impl<M: Model, T: Model + Clone, C: 'static> LoadInto<M> for Loader<M, T, C> {
    fn fetch<'a>(
        &'a self,
        conn: ConnRef<'a>,
        parents: &'a [M],
        which: Parents,
    ) -> BoxFuture<'a, Result<Apply<M>>> {
        Box::pin(self.run(conn, parents, which))
    }
}

/// Where the keys are on each side of one relation.
pub(crate) struct Plan {
    /// The parent's field holding the key the related rows point at.
    pub(crate) parent_field: &'static str,
    /// That field's column.
    pub(crate) parent_column: &'static str,
    /// The column matched against those keys (on the target, or on the join table).
    pub(crate) key_column: &'static str,
    pub(crate) join: Option<(&'static ModelMeta, &'static str)>,
}

fn column_of(model: &ModelMeta, field: &str) -> Result<&'static str> {
    model
        .columns
        .iter()
        .find(|c| c.field == field)
        .map(|c| c.name)
        .ok_or_else(|| Error::InvalidQuery(format!("`{}` has no field `{field}`", model.name)))
}

impl Plan {
    /// The keys of relation `meta` of model `parent`.
    pub(crate) fn new(parent: &'static ModelMeta, meta: &RelationMeta) -> Result<Plan> {
        let target = (meta.target)();
        let (parent_field, key_column, join) = match meta.kind {
            RelationKind::BelongsTo => (meta.foreign_key, target.primary_key().name, None),
            RelationKind::HasOne | RelationKind::HasMany => (
                parent.primary_key().field,
                column_of(target, meta.foreign_key)?,
                None,
            ),
            RelationKind::ManyToMany => {
                let through = meta.through.as_ref().ok_or_else(|| {
                    Error::InvalidQuery(format!("relation `{}` has no join model", meta.name))
                })?;
                let join = (through.model)();
                (
                    parent.primary_key().field,
                    column_of(join, through.from)?,
                    Some((join, column_of(join, through.to)?)),
                )
            }
        };
        Ok(Plan {
            parent_field,
            parent_column: column_of(parent, parent_field)?,
            key_column,
            join,
        })
    }
}

/// How the related rows are narrowed, ordered and paged.
pub(crate) struct Refine {
    pub(crate) filter: Option<crate::dsl::filter::Expr>,
    pub(crate) order_by: Vec<crate::dsl::filter::OrderTerm>,
    pub(crate) take: Option<u64>,
    pub(crate) skip: Option<u64>,
}

impl Refine {
    /// The query's refinements; a cursor becomes a condition (reading the cursor row once).
    pub(crate) fn of<'a, T: Model, C>(
        conn: ConnRef<'a>,
        q: &'a RelQuery<T, C>,
    ) -> impl std::future::Future<Output = Result<Refine>> + Send + 'a {
        Refine::read(
            conn,
            crate::run::query::cursor::CursorModel::of::<T>(),
            Refine {
                filter: q.filter.clone(),
                order_by: q.order_by.clone(),
                take: q.take,
                skip: q.skip,
            },
            q.cursor.as_ref(),
        )
    }

    /// [`Refine::of`] without types.
    pub(crate) async fn read(
        conn: ConnRef<'_>,
        model: crate::run::query::cursor::CursorModel,
        mut refine: Refine,
        cursor: Option<&crate::run::query::cursor::Cursor>,
    ) -> Result<Refine> {
        if let Some(cursor) = cursor {
            let after =
                crate::run::query::cursor::after(conn, model, &mut refine.order_by, cursor).await?;
            refine.filter = Some(match refine.filter.take() {
                Some(existing) => crate::dsl::filter::Expr::And(vec![existing, after]),
                None => after,
            });
        }
        Ok(refine)
    }
}

/// Where each parent key is in the list of keys: looked up once per related row, so hashed with
/// foldhash (seeded per map) rather than SipHash.
type KeyIndex = HashMap<KeyRepr, usize, foldhash::fast::RandomState>;

/// The parent keys of one relation, each once, and which of them each parent row holds.
pub(crate) struct ParentKeys {
    /// The distinct non-null keys, in first-seen order.
    pub(crate) keys: Vec<Value>,
    /// Each parent's key, as an index into `keys` (`None`: a NULL key).
    pub(crate) slots: Vec<Option<usize>>,
}

impl ParentKeys {
    /// Collects the keys of the parents, in order.
    pub(crate) fn of(values: impl IntoIterator<Item = Option<Value>>) -> ParentKeys {
        let mut index = KeyIndex::default();
        let mut keys = Vec::new();
        let slots = values
            .into_iter()
            .map(|value| {
                let value = value?;
                let repr = value.key()?;
                Some(*index.entry(repr).or_insert_with(|| {
                    keys.push(value);
                    keys.len() - 1
                }))
            })
            .collect();
        ParentKeys { keys, slots }
    }
}

/// Which rows of their table a batch of parent rows is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parents {
    /// Every row: the rows of a query without a filter or paging, or every related row of
    /// such a batch through a relation that neither narrows nor pages them (a has_one or
    /// has_many whose key cannot be `NULL`). Their relations may read the whole related
    /// table rather than look their keys up (see [`crate::sql::reads_whole_table`]).
    All,
    /// Every row of their table whose integer key is in `low..=high`: a chunk of a stream
    /// of a query without a filter, in key order. Their relations may read the related
    /// rows whose key column is in that range rather than look their keys up.
    Range(i64, i64),
    /// Some rows, or rows not known to be all.
    Some,
}

impl Parents {
    /// The rows of a query's root statement: all of them when it has no filter and no paging.
    pub(crate) fn of_root(query: &crate::sql::SelectQuery) -> Parents {
        if query.filter.is_none() && query.limit.is_none() && query.offset.is_none() {
            Parents::All
        } else {
            Parents::Some
        }
    }

    /// Whether a relation of kind `kind`, loaded for these parents on `conn`, is loaded for
    /// every row of their table with its key column on the related side, so that it may read
    /// the related table whole ([`RelatedQuery::every_parent`]).
    pub(crate) fn every_parent(self, kind: RelationKind, conn: ConnRef<'_>) -> bool {
        matches!(self, Parents::All | Parents::Range(..))
            && kind != RelationKind::BelongsTo
            && conn.whole_table_reads()
    }

    /// The range of keys these parents are every row of ([`Parents::Range`]), which a
    /// statement that reads the related table whole narrows its rows to
    /// ([`RelatedQuery::key_range`]).
    pub(crate) fn key_range(self) -> Option<(i64, i64)> {
        match self {
            Parents::Range(low, high) => Some((low, high)),
            Parents::All | Parents::Some => None,
        }
    }

    /// The related rows of relation `meta`, loaded for these parents and narrowed and paged
    /// by `refine`.
    pub(crate) fn related(self, meta: &RelationMeta, refine: &Refine) -> Parents {
        let plain = refine.filter.is_none() && refine.take.is_none() && refine.skip.is_none();
        let to_target = matches!(meta.kind, RelationKind::HasOne | RelationKind::HasMany);
        let not_null = (meta.target)()
            .column(meta.foreign_key)
            .is_some_and(|c| !c.nullable);
        if self == Parents::All && plain && to_target && not_null {
            Parents::All
        } else {
            Parents::Some
        }
    }
}

/// PostgreSQL: from this many parent keys on, a relation's statement is planned for its keys.
const PLAN_PER_RUN_KEYS: usize = 256;

/// One relation's rows to read for a batch of parents.
pub(crate) struct RelatedRows<'q> {
    /// The relation's kind: which side's key the parent keys are, and whether a parent has
    /// at most one row.
    pub(crate) kind: RelationKind,
    pub(crate) plan: &'q Plan,
    /// The parent keys.
    pub(crate) keys: &'q [Value],
    /// The target's columns read (all when empty).
    pub(crate) columns: &'q [&'static str],
    pub(crate) refine: &'q Refine,
    /// Which rows of their table the parents are ([`Parents::All`], [`Parents::Range`]).
    pub(crate) parents: Parents,
}

/// The related rows of relation `q` from `M` to `T`, each turned into an `O` by `each` as it
/// arrives (so rows are never all held when `each` makes the outputs), with the index of the
/// key in `q.keys` each belongs to, in query order: one statement per chunk of keys.
///
/// Only the outputs are typed here: the statements and the rows go through
/// [`fetch_related_rows`], one copy for every model and relation.
pub(crate) async fn fetch_related<M: Model, T: Model, O: Send>(
    conn: ConnRef<'_>,
    q: &RelatedRows<'_>,
    each: &mut (dyn FnMut(Row) -> Result<O> + Send),
) -> Result<(Vec<O>, Vec<usize>)> {
    let mut out = Vec::new();
    let fetched = fetch_related_rows(conn, T::META, q, parent_key::<M, T>(q.kind), &mut |row| {
        out.push(each(row)?);
        Ok(())
    })
    .await?;
    Ok((fetched.reorder(out), fetched.slots))
}

/// Reads a parent-key column as a key ([`decode_key`] of one key type).
pub(crate) type KeyDecoder = fn(&Row, usize, &ModelMeta) -> Result<KeyRepr>;

/// How to read the parent keys of relation kind `kind` from `M` to `T`: a belongs_to's are the
/// target's key; the other kinds', the parent's.
pub(crate) fn parent_key<M: Model, T: Model>(kind: RelationKind) -> KeyDecoder {
    match kind {
        RelationKind::BelongsTo => decode_key::<T::Key>,
        _ => decode_key::<M::Key>,
    }
}

/// What [`fetch_related_rows`] found besides the rows: the index of each row's key, and the
/// order the rows go in when it is not the order they came in.
pub(crate) struct Fetched {
    /// The index in `keys` of each row's key, in the final order.
    pub(crate) slots: Vec<usize>,
    /// The rows in the final order, as positions in the order they came in (`None`: as they
    /// came).
    order: Option<Vec<usize>>,
}

impl Fetched {
    /// The outputs made of the rows (in the order the rows came) in the final order.
    pub(crate) fn reorder<O>(&self, out: Vec<O>) -> Vec<O> {
        let Some(order) = &self.order else {
            return out;
        };
        let mut out: Vec<Option<O>> = out.into_iter().map(Some).collect();
        order
            .iter()
            .filter_map(|&at| out.get_mut(at).and_then(Option::take))
            .collect()
    }
}

/// [`fetch_related`] without types: `each` takes every related row kept, in the order they
/// arrive, and `key` reads the parent keys.
pub(crate) async fn fetch_related_rows(
    conn: ConnRef<'_>,
    target: &'static ModelMeta,
    q: &RelatedRows<'_>,
    key: KeyDecoder,
    each: &mut (dyn FnMut(Row) -> Result<()> + Send),
) -> Result<Fetched> {
    let (columns, refine) = (q.columns, q.refine);
    let dialect = conn.dialect();
    let key_index = if columns.is_empty() {
        target.columns.len()
    } else {
        columns.len()
    };
    let plain = target.plain_columns(columns);
    // Rows passed to `each` so far, and where each one goes when the loader sorts.
    let mut arrived = 0usize;
    let mut order: Option<Vec<usize>> = None;
    let mut row_slots = Vec::new();
    let mut order_keys: Vec<(i64, usize, usize)> = Vec::new();
    let related_to = |keys| RelatedQuery {
        target,
        columns,
        key_column: q.plan.key_column,
        join: q.plan.join,
        keys,
        filter: refine.filter.as_ref(),
        order_by: &refine.order_by,
        take: refine.take,
        skip: refine.skip,
        single: q.kind.is_to_one(),
        every_parent: q.parents.every_parent(q.kind, conn),
        key_range: q.parents.key_range(),
    };
    // A statement that reads the whole table takes every key at once.
    let whole = crate::sql::reads_whole_table(dialect, &related_to(q.keys));
    if whole {
        conn.count_whole_table_read();
    }
    for (offset, keys) in key_chunks(dialect, q.keys, whole) {
        let related = related_to(keys);
        let stmt = render_related(dialect, &related);
        let mut page = Page::cut_here(dialect, &related);
        let sorted_here = crate::sql::orders_in_loader(dialect, &related);
        // Where the loader reads each row's key to sort by (`selected_order_key`).
        let (order_at, order_name) = match crate::sql::selected_order_key(&related) {
            Some(at) => (at, target.primary_key().name),
            None => (key_index + 1, crate::sql::ORDER_KEY),
        };
        let start = row_slots.len();
        // A batch of many keys is planned for them (see `Statement::planned_per_run`); a few
        // keys, as in a lookup of one parent, keep the prepared statement's plan.
        let stmt = if dialect == crate::sql::Dialect::Postgres
            && keys.len() >= PLAN_PER_RUN_KEYS
            && !whole
        {
            stmt.planned_per_run()
        } else {
            stmt
        };
        let mut slot = Slots::new(dialect, keys, offset, target, whole, key)?;
        conn.fetch_read_each(&stmt, plain, &mut |row| {
            let Some(at) = slot.of(&row, key_index)? else {
                return Ok(());
            };
            if page.keeps(at - offset) {
                if sorted_here {
                    let sort = <i64 as FieldType>::decode(&row, order_at)
                        .map_err(|e| Error::decode(target.name, order_name, e))?;
                    order_keys.push((sort, at, arrived));
                }
                row_slots.push(at);
                each(row)?;
                arrived += 1;
            }
            Ok(())
        })
        .await?;
        if sorted_here {
            // The statement left the order to the loader (`orders_in_loader`): the chunk's rows
            // by the target's key (each parent's rows all come from its key's chunk).
            let order = order.get_or_insert_with(|| (0..start).collect());
            order_keys.sort_unstable_by_key(|(sort, _, _)| *sort);
            row_slots.truncate(start);
            for (_, at, position) in order_keys.drain(..) {
                row_slots.push(at);
                order.push(position);
            }
        } else if let Some(order) = &mut order {
            order.extend(order.len()..arrived);
        }
    }
    Ok(Fetched {
        slots: row_slots,
        order,
    })
}

/// Each parent's page, cut as its rows arrive, when the statement does not cut it (see
/// [`crate::sql::pages_in_loader`]).
struct Page {
    skip: u64,
    take: u64,
    /// Rows seen so far per key of the chunk; empty when the statement cuts the pages.
    seen: Vec<u64>,
}

impl Page {
    fn cut_here(dialect: crate::sql::Dialect, q: &RelatedQuery<'_>) -> Page {
        let cut = crate::sql::pages_in_loader(dialect, q);
        Page {
            skip: q.skip.unwrap_or(0),
            take: q.take.unwrap_or(u64::MAX),
            seen: if cut {
                vec![0; q.keys.len()]
            } else {
                Vec::new()
            },
        }
    }

    /// Whether the next row of the chunk's key `key` is within its page.
    fn keeps(&mut self, key: usize) -> bool {
        let Some(seen) = self.seen.get_mut(key) else {
            return true;
        };
        *seen += 1;
        *seen > self.skip && *seen - self.skip <= self.take
    }
}

/// The keys in chunks that fit one statement, each with the index of its first key: all at
/// once when they go as one parameter or not at all (`unbound`: the statement reads the whole
/// table), else lists that leave room for the filter's and the paging's parameters.
fn key_chunks(
    dialect: crate::sql::Dialect,
    keys: &[Value],
    unbound: bool,
) -> impl Iterator<Item = (usize, &[Value])> {
    let chunk = if unbound || crate::sql::keys_fit_one_parameter(dialect, keys) {
        keys.len().max(1)
    } else {
        dialect.max_params().saturating_sub(1_000).max(1)
    };
    keys.chunks(chunk)
        .enumerate()
        .map(move |(i, keys)| (i * chunk, keys))
}

/// Turns the parent-key column of a related row into the index of its key.
enum Slots {
    /// The column holds the key's position in the chunk, numbered from `first`.
    Position {
        first: i64,
        offset: usize,
        len: usize,
        model: &'static ModelMeta,
    },
    /// The column holds the key itself.
    Value {
        index: KeyIndex,
        /// Rows of other keys are expected, and passed over: the statement read the whole
        /// table ([`crate::sql::reads_whole_table`]).
        others: bool,
        /// The last row's key and its index: rows come by key where the statement orders
        /// them so (SQLite's by key, and every parent's page), and a key equal to the last one
        /// needs no lookup; a whole-table read mixes parents, and looks most rows up.
        last: Option<(KeyRepr, usize)>,
        model: &'static ModelMeta,
        /// Reads the key column.
        key: KeyDecoder,
    },
}

impl Slots {
    fn new(
        dialect: crate::sql::Dialect,
        keys: &[Value],
        offset: usize,
        model: &'static ModelMeta,
        others: bool,
        key: KeyDecoder,
    ) -> Result<Slots> {
        Ok(match crate::sql::parent_key_positions(dialect, keys) {
            Some(first) => Slots::Position {
                first,
                offset,
                len: keys.len(),
                model,
            },
            None => Slots::Value {
                index: keys
                    .iter()
                    .enumerate()
                    .filter_map(|(i, k)| Some((k.key()?, offset + i)))
                    .collect(),
                others,
                last: None,
                model,
                key,
            },
        })
    }

    /// The index of the key of `row`'s parent-key column (`column`); `None` for a row of no
    /// key asked for, when such rows are expected.
    fn of(&mut self, row: &Row, column: usize) -> Result<Option<usize>> {
        match *self {
            Slots::Position {
                first,
                offset,
                len,
                model,
            } => {
                let position = <i64 as FieldType>::decode(row, column)
                    .map_err(|e| Error::decode(model.name, crate::sql::PARENT_KEY, e))?;
                position
                    .checked_sub(first)
                    .and_then(|p| usize::try_from(p).ok())
                    .filter(|p| *p < len)
                    .map(|p| Some(offset + p))
                    .ok_or_else(|| {
                        Error::decode(
                            model.name,
                            crate::sql::PARENT_KEY,
                            "a key position outside the list of keys",
                        )
                    })
            }
            Slots::Value {
                ref index,
                others,
                ref mut last,
                model,
                key: decode,
            } => {
                let key = match decode(row, column, model) {
                    Ok(key) => key,
                    // A `NULL` or a value of another type is no key that was asked for.
                    Err(_) if others => return Ok(None),
                    Err(e) => return Err(e),
                };
                if let Some((last_key, at)) = last {
                    if *last_key == key {
                        return Ok(Some(*at));
                    }
                }
                let Some(at) = index.get(&key).copied() else {
                    return if others {
                        Ok(None)
                    } else {
                        Err(Error::decode(
                            model.name,
                            crate::sql::PARENT_KEY,
                            "a row for a key that was not asked for",
                        ))
                    };
                };
                *last = Some((key, at));
                Ok(Some(at))
            }
        }
    }
}

/// An aggregate of each parent's related rows (how many there are, a sum, ..), in the order
/// of `parents`, `None` for a parent without related rows: one statement per chunk of keys,
/// or one for the whole table (`every_parent`: see [`fetch_related`]).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn aggregate_related<O: FieldType + Clone>(
    conn: ConnRef<'_>,
    target: &'static ModelMeta,
    plan: &Plan,
    parents: &ParentKeys,
    key: KeyDecoder,
    refine: &Refine,
    kind: RelationKind,
    which: Parents,
    aggregate: crate::ir::Aggregate,
) -> Result<Vec<Option<O>>> {
    let asked = AggregatesOf {
        target,
        plan,
        key,
        refine,
        kind,
        which,
    };
    let rows = aggregate_rows(
        conn,
        &asked,
        &parents.keys,
        &[aggregate],
        O::SQL_TYPE.is_plain(),
    )
    .await?;
    aggregate_values(&rows, 0, parents, target, aggregate)
}

/// The related rows one statement of aggregates reads ([`aggregate_rows`]).
pub(crate) struct AggregatesOf<'q> {
    pub(crate) target: &'static ModelMeta,
    pub(crate) plan: &'q Plan,
    /// How the parent keys are read.
    pub(crate) key: KeyDecoder,
    /// The related rows' `where`.
    pub(crate) refine: &'q Refine,
    pub(crate) kind: RelationKind,
    pub(crate) which: Parents,
}

/// The rows of aggregates of each parent's related rows, `aggregates` one column each after
/// the parent key: one statement per chunk of `keys`, or one for the whole table, each row
/// with the index in `keys` of its parent key. `plain`: every aggregate is of a type SQLite's
/// rows can be read as directly.
pub(crate) async fn aggregate_rows(
    conn: ConnRef<'_>,
    q: &AggregatesOf<'_>,
    keys: &[Value],
    aggregates: &[crate::ir::Aggregate],
    plain: bool,
) -> Result<Vec<(usize, Row)>> {
    let dialect = conn.dialect();
    let aggregated = |keys| RelatedQuery {
        target: q.target,
        columns: &[],
        key_column: q.plan.key_column,
        join: q.plan.join,
        keys,
        filter: q.refine.filter.as_ref(),
        order_by: &[],
        take: None,
        skip: None,
        single: true,
        every_parent: q.which.every_parent(q.kind, conn),
        key_range: q.which.key_range(),
    };
    // An aggregate of the whole table takes every key at once.
    let whole = crate::sql::reads_whole_table(dialect, &aggregated(keys));
    if whole {
        conn.count_whole_table_read();
    }
    let mut out = Vec::new();
    for (offset, keys) in key_chunks(dialect, keys, whole) {
        let stmt = crate::sql::render_related_aggregates(dialect, &aggregated(keys), aggregates);
        let mut slot = Slots::new(dialect, keys, offset, q.target, whole, q.key)?;
        // Key positions are integers, which SQLite's rows can be read as directly; so are the
        // aggregates of plain types.
        let plain = matches!(slot, Slots::Position { .. }) && plain;
        for row in conn.fetch_read(&stmt, plain).await? {
            if let Some(index) = slot.of(&row, 0)? {
                out.push((index, row));
            }
        }
    }
    Ok(out)
}

/// Each parent's value of the `at`-th aggregate of [`aggregate_rows`]'s `rows` (`aggregate`,
/// named in a decoding error), in the order of `parents`; `None` for a parent without a row.
pub(crate) fn aggregate_values<O: FieldType + Clone>(
    rows: &[(usize, Row)],
    at: usize,
    parents: &ParentKeys,
    target: &'static ModelMeta,
    aggregate: crate::ir::Aggregate,
) -> Result<Vec<Option<O>>> {
    let what = aggregate.column().unwrap_or("COUNT(*)");
    let mut values: Vec<Option<O>> = std::iter::repeat_with(|| None)
        .take(parents.keys.len())
        .collect();
    for (index, row) in rows {
        let value = O::decode(row, 1 + at).map_err(|e| Error::decode(target.name, what, e))?;
        if let Some(v) = values.get_mut(*index) {
            *v = Some(value);
        }
    }
    Ok(parents
        .slots
        .iter()
        .map(|slot| slot.and_then(|s| values.get(s).cloned().flatten()))
        .collect())
}

impl<M: Model, T: Model + Clone, C> Loader<M, T, C> {
    async fn run(&self, conn: ConnRef<'_>, parents: &[M], which: Parents) -> Result<Apply<M>> {
        let plan = Plan::new(M::META, self.rel.meta)?;
        let parent_keys = ParentKeys::of(parents.iter().map(|p| p.__column(plan.parent_field)));
        let refine = Refine::of(conn, &self.query).await?;
        let related = RelatedRows {
            kind: self.rel.meta.kind,
            plan: &plan,
            keys: &parent_keys.keys,
            columns: &[],
            refine: &refine,
            parents: which,
        };
        // Each row is decoded as it arrives; the nested includes read the models, not rows.
        let (mut related, row_slots) =
            fetch_related::<M, T, T>(conn, &related, &mut |row| T::__decode(&row)).await?;
        let which = which.related(self.rel.meta, &refine);
        Include::load_all(&self.query.includes, conn, &mut related, which).await?;
        let grouped = group(&parent_keys, related, row_slots);
        let set = self.rel.set;
        Ok(Box::new(move |parents: &mut [M]| {
            for (parent, rows) in parents.iter_mut().zip(grouped) {
                match set {
                    Setter::Many(set) => set(parent, ManyLoad::Rows(rows)),
                    Setter::One(set) => set(parent, rows.into_iter().next()),
                }
            }
        }))
    }
}

fn decode_key<K: PrimaryKey>(
    row: &crate::values::row::Row,
    index: usize,
    model: &ModelMeta,
) -> Result<KeyRepr> {
    K::__decode_one(row, index)
        .map_err(|e| Error::decode(model.name, crate::sql::PARENT_KEY, e))?
        .into_key()
        .ok_or_else(|| Error::decode(model.name, crate::sql::PARENT_KEY, "NULL parent key"))
}

/// Each parent's rows, in query order; `row_slots` holds the index of each row's key. A key
/// shared by several parents (a belongs_to target, or parents that are themselves duplicated
/// rows of a many_to_many) gets clones; the last parent holding it takes the rows themselves.
pub(crate) fn group<T: Clone>(
    parents: &ParentKeys,
    rows: Vec<T>,
    row_slots: Vec<usize>,
) -> Vec<Vec<T>> {
    let mut buckets: Vec<Vec<T>> = Vec::new();
    buckets.resize_with(parents.keys.len(), Vec::new);
    for (row, slot) in rows.into_iter().zip(row_slots) {
        if let Some(bucket) = buckets.get_mut(slot) {
            bucket.push(row);
        }
    }
    let mut last_use = vec![usize::MAX; parents.keys.len()];
    for (i, slot) in parents.slots.iter().enumerate() {
        if let Some(last) = slot.and_then(|s| last_use.get_mut(s)) {
            *last = i;
        }
    }
    parents
        .slots
        .iter()
        .enumerate()
        .map(|(i, slot)| match *slot {
            Some(s) if last_use.get(s) == Some(&i) => {
                buckets.get_mut(s).map(std::mem::take).unwrap_or_default()
            }
            Some(s) => buckets.get(s).cloned().unwrap_or_default(),
            None => Vec::new(),
        })
        .collect()
}

/// How the related rows of one relation are narrowed, ordered and paged, per parent row.
pub struct RelQuery<T, C> {
    pub(crate) filter: Option<crate::dsl::filter::Expr>,
    pub(crate) order_by: Vec<crate::dsl::filter::OrderTerm>,
    pub(crate) take: Option<u64>,
    pub(crate) skip: Option<u64>,
    pub(crate) includes: Vec<Include<T>>,
    pub(crate) cursor: Option<crate::run::query::cursor::Cursor>,
    _cardinality: PhantomData<fn() -> C>,
}

impl<T, C> Default for RelQuery<T, C> {
    fn default() -> Self {
        Self {
            filter: None,
            order_by: Vec::new(),
            take: None,
            skip: None,
            includes: Vec::new(),
            cursor: None,
            _cardinality: PhantomData,
        }
    }
}

impl<T: crate::dsl::model::Model, C> RelQuery<T, C> {
    /// Keeps the related rows the filter matches.
    pub fn filter<F>(mut self, filter: F) -> Self
    where
        F: IntoFilter,
        F::Model: RelatedFilter<T>,
    {
        let filter = <F::Model as RelatedFilter<T>>::cast(filter.into_filter());
        self.filter = crate::run::query::and_filter(self.filter.take(), filter);
        self
    }

    /// Loads a relation of the related rows too (one more query, whatever the row count).
    pub fn include<I>(mut self, include: I) -> Self
    where
        I: IntoInclude,
        I::Model: IncludeOn<T>,
    {
        self.includes
            .push(<I::Model as IncludeOn<T>>::cast(include.into_include()));
        self
    }
}

// The bound sits on each method, so that calling one on a to-one relation reports `Paged`'s
// message rather than "method not found".
impl<T: crate::dsl::model::Model, C> RelQuery<T, C> {
    /// Orders each parent's related rows; later calls break ties of earlier ones.
    pub fn order_by(mut self, order: Order<T>) -> Self
    where
        C: Paged,
    {
        self.order_by.push(order.term);
        self
    }

    /// Keeps at most `n` related rows per parent.
    pub fn take(mut self, n: impl RowCount) -> Self
    where
        C: Paged,
    {
        self.take = Some(n.row_count());
        self
    }

    /// Starts each parent's related rows after the row whose unique `column` holds `value`,
    /// in this relation's order (keyset pagination; see `Find::cursor`).
    pub fn cursor<V: crate::values::types::FieldType>(
        mut self,
        column: crate::dsl::filter::Col<T, V, crate::dsl::filter::Unique>,
        value: impl Into<V>,
    ) -> Self
    where
        C: Paged,
    {
        self.cursor = Some(crate::run::query::cursor::Cursor {
            column: column.name(),
            value: value.into().to_value(),
        });
        self
    }

    /// Skips each parent's first `n` related rows.
    pub fn skip(mut self, n: impl RowCount) -> Self
    where
        C: Paged,
    {
        self.skip = Some(n.row_count());
        self
    }
}
