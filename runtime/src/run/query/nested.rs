//! Nested creates: rows written together with related rows (has_one and has_many children,
//! many_to_many connections through the join model), one statement per relation and chunk
//! of rows, all in one transaction.
//!
//! The typed entry points are generated per relation (`user::sessions::create(..)`,
//! `user::organizations::connect(..)`); each returns a [`Nested`], which holds its rows
//! type-erased together with the function that writes a batch of them. The rows of one
//! relation across every parent of a `create_many` are written as one batch.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use super::insert::{write, write_counted, write_keyed};
use crate::driver::executor::{ConnRef, Executor};
use crate::dsl::filter::{Col, Unique};
use crate::dsl::model::{Insertable, Model, WithoutKey, WithoutKeys};
use crate::dsl::relation::{IsType, ManyLoad, Rel, Setter};
use crate::ir::{CmpOp, Expr};
use crate::meta::model::{RelationKind, RelationMeta};
use crate::sql::{render_delete, render_select, render_update, SelectQuery};
use crate::values::error::{Error, Result};
use crate::values::row::Row;
use crate::values::types::{FieldType, PrimaryKey};
use crate::values::value::{KeyRepr, Value};

type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// The operations of one relation, each with the index of the parent row it belongs to.
type Batch = Vec<(usize, Box<dyn Any + Send>)>;

/// Writes a batch of one relation's operations for the stored `parents`.
type Runner<M> = for<'c> fn(ConnRef<'c>, Parents<'c, M>, Batch) -> BoxFuture<'c, Result<()>>;

/// The stored rows a batch of nested writes hangs off.
pub(super) enum Parents<'a, M> {
    /// Whole rows: each relation's rows are set on them as stored, and a `belongs_to` write
    /// reads them again.
    Rows(&'a mut [M]),
    /// Only their primary keys (`exec_without_rows`): the related rows are written and
    /// nothing is read back.
    Keys(&'a [Value]),
}

impl<M: Model> Parents<'_, M> {
    /// The same parents, for one more batch.
    fn reborrow(&mut self) -> Parents<'_, M> {
        match self {
            Parents::Rows(rows) => Parents::Rows(rows),
            Parents::Keys(keys) => Parents::Keys(keys),
        }
    }

    /// The primary key of parent `at`.
    fn key(&self, at: usize) -> Result<Value> {
        match self {
            Parents::Rows(rows) => key_of(rows.get(at).ok_or_else(|| foreign_op(M::META.name))?),
            Parents::Keys(keys) => keys
                .get(at)
                .cloned()
                .ok_or_else(|| foreign_op(M::META.name)),
        }
    }
}

/// Related rows to write with a row of `M`: made by the functions generated in each
/// relation's module (`user::sessions::create(..)`, `user::organizations::connect(..)`) and
/// passed to [`Create::with`].
#[must_use = "nested rows are written only when passed to `.with(..)` of a create"]
pub struct Nested<M> {
    relation: &'static RelationMeta,
    op: Box<dyn Any + Send>,
    run: Runner<M>,
}

impl<M> std::fmt::Debug for Nested<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Nested({})", self.relation.name)
    }
}

/// Creates a row together with related rows (see [`Queries::create`](super::Queries::create)).
#[must_use = "a query does nothing until it is executed"]
pub struct Create<I: Insertable> {
    row: I,
    nested: Vec<Nested<I::Model>>,
}

impl<I: Insertable> Create<I> {
    pub(crate) fn new(row: I) -> Self {
        Self {
            row,
            nested: Vec::new(),
        }
    }

    /// Writes related rows with the row: `user::profile::create(..)`,
    /// `user::sessions::create([..])`, `user::organizations::connect(..)`.
    pub fn with(mut self, nested: Nested<I::Model>) -> Self {
        self.nested.push(nested);
        self
    }

    /// Runs the create in one transaction and returns the row as stored, with the relations
    /// it was given loaded (as stored too).
    pub async fn exec<'a>(self, ex: impl Executor<'a>) -> Result<I::Model> {
        let mut stored = create(ex.conn(), vec![self]).await?;
        stored.pop().ok_or(Error::NotFound {
            model: I::Model::META.name,
        })
    }

    /// Runs the create as [`Create::exec`] does (the same statements, in one transaction),
    /// but reads nothing back: no `RETURNING` but of a key the database generates, which the
    /// related rows need, no `SELECT` but of the rows to connect. Returns how many rows of the
    /// model it wrote (1; the related rows are not counted).
    pub async fn exec_without_rows<'a>(self, ex: impl Executor<'a>) -> Result<u64> {
        create_without_rows(ex.conn(), vec![self]).await
    }
}

/// Creates many rows, each with its related rows (see
/// [`Queries::create_many`](super::Queries::create_many)).
#[must_use = "a query does nothing until it is executed"]
pub struct CreateMany<I: Insertable> {
    items: Vec<Create<I>>,
}

impl<I: Insertable> CreateMany<I> {
    pub(crate) fn new(items: Vec<Create<I>>) -> Self {
        Self { items }
    }

    /// Runs the create in one transaction: one statement per chunk of the rows, then one per
    /// relation and chunk of its rows across every parent. Returns the rows as stored, in the
    /// order given, with the relations they were given loaded.
    pub async fn exec<'a>(self, ex: impl Executor<'a>) -> Result<Vec<I::Model>> {
        create(ex.conn(), self.items).await
    }

    /// Runs the create as [`CreateMany::exec`] does (the same statements, in one
    /// transaction), but reads nothing back: no `RETURNING` but of the keys the database
    /// generates, which the related rows need, no `SELECT` but of the rows to connect.
    /// Returns how many rows of the model it wrote (the related rows are not counted).
    pub async fn exec_without_rows<'a>(self, ex: impl Executor<'a>) -> Result<u64> {
        create_without_rows(ex.conn(), self.items).await
    }
}

async fn create<I: Insertable>(conn: ConnRef<'_>, items: Vec<Create<I>>) -> Result<Vec<I::Model>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let (rows, nested) = split(items);
    conn.atomically(async |conn| {
        let mut parents = write(conn, rows, None).await?;
        run_nested(conn, Parents::Rows(&mut parents), nested).await?;
        Ok(parents)
    })
    .await
}

/// [`create`] with nothing read back: the rows' keys, then each relation's rows written
/// under them; how many rows of the model were written.
async fn create_without_rows<I: Insertable>(
    conn: ConnRef<'_>,
    items: Vec<Create<I>>,
) -> Result<u64> {
    let (rows, nested) = split(items);
    if nested.iter().all(Vec::is_empty) {
        return write_counted(conn, rows).await;
    }
    conn.atomically(async |conn| {
        let keys = write_keyed(conn, rows).await?;
        run_nested(conn, Parents::Keys(&keys), nested).await?;
        Ok(keys.len() as u64)
    })
    .await
}

/// The nested writes of each row of a `create_many`.
type NestedOf<M> = Vec<Vec<Nested<M>>>;

/// The rows of `items`, and the nested writes of each.
fn split<I: Insertable>(items: Vec<Create<I>>) -> (Vec<I>, NestedOf<I::Model>) {
    let mut rows = Vec::with_capacity(items.len());
    let mut nested = Vec::with_capacity(items.len());
    for item in items {
        rows.push(item.row);
        nested.push(item.nested);
    }
    (rows, nested)
}

/// Writes the nested rows of stored `parents` (`nested[i]` for parent `i`), one batch per
/// relation.
pub(super) async fn run_nested<M: Model>(
    conn: ConnRef<'_>,
    mut parents: Parents<'_, M>,
    nested: NestedOf<M>,
) -> Result<()> {
    for (run, batch) in batches(nested) {
        run(conn, parents.reborrow(), batch).await?;
    }
    Ok(())
}

/// The operations grouped by relation, in the order of the model's relation fields.
fn batches<M: Model>(nested: Vec<Vec<Nested<M>>>) -> Vec<(Runner<M>, Batch)> {
    // By relation and kind of write (a relation's connects and disconnects run apart, in
    // the order they first appear).
    let mut groups: Vec<(usize, std::any::TypeId, Runner<M>, Batch)> = Vec::new();
    for (parent, list) in nested.into_iter().enumerate() {
        for n in list {
            let order = M::META
                .relations
                .iter()
                .position(|r| r.name == n.relation.name)
                .unwrap_or(usize::MAX);
            let kind = (*n.op).type_id();
            match groups
                .iter_mut()
                .find(|(o, k, ..)| *o == order && *k == kind)
            {
                Some((.., batch)) => batch.push((parent, n.op)),
                None => groups.push((order, kind, n.run, vec![(parent, n.op)])),
            }
        }
    }
    // A belongs_to write changes the row itself and reads it again: before the relations
    // that load rows into it.
    groups.sort_by_key(|(order, ..)| {
        let to_many = M::META
            .relations
            .get(*order)
            .is_none_or(|r| r.kind != RelationKind::BelongsTo);
        (to_many, *order)
    });
    groups
        .into_iter()
        .map(|(_, _, run, batch)| (run, batch))
        .collect()
}

/// The primary key of a stored row.
fn key_of<M: Model>(row: &M) -> Result<Value> {
    row.__column(M::META.primary_key().field)
        .ok_or_else(|| Error::InvalidQuery(format!("`{}` has no key value", M::META.name)))
}

/// A batch held an operation of another relation's types: cannot happen, since the
/// operations of one relation field are made by one generated function.
/// The batch's operations as the type its runner wrote them as.
fn downcast<Op: 'static>(batch: Batch, model: &str) -> Result<Vec<(usize, Box<Op>)>> {
    batch
        .into_iter()
        .map(|(parent, op)| Ok((parent, op.downcast::<Op>().map_err(|_| foreign_op(model))?)))
        .collect()
}

fn foreign_op(model: &str) -> Error {
    Error::InvalidQuery(format!(
        "nested rows of `{model}` do not match their relation's types"
    ))
}

/// Values prepared for an insert of `M`'s `New` columns.
struct Filled<M> {
    values: Vec<Value>,
    _model: PhantomData<fn() -> M>,
}

impl<M> Filled<M> {
    fn new(values: Vec<Value>) -> Self {
        Self {
            values,
            _model: PhantomData,
        }
    }
}

impl<M: Model> Insertable for Filled<M> {
    type Model = M;
    const __WHOLE: bool = false;
    fn __insert_values(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.values)
    }
    fn __stored(self, _: Option<i64>) -> Result<Option<M>> {
        Ok(None)
    }
}

/// has_one and has_many children of one parent row.
struct Children<M, C: WithoutKey<FK>, const FK: u64> {
    set: Setter<M, C>,
    rows: Vec<C::New>,
}

/// Children created with their parent row: the relation's foreign key is filled in from the
/// parent's stored key (a relation module's `create` calls this, with the relation as
/// declared; `C`, the child model, is its target through [`IsType`]).
#[doc(hidden)]
pub fn create_children<C, const FK: u64, M, U, K>(
    rel: Rel<M, U, K>,
    rows: impl IntoIterator<Item = C::New>,
) -> Nested<M>
where
    M: Model,
    U: IsType<C>,
    C: WithoutKey<FK>,
{
    let rel = U::cast_rel(rel);
    let rows = rows.into_iter().collect();
    Nested {
        relation: rel.meta,
        op: Box::new(Children::<M, C, FK> { set: rel.set, rows }),
        run: |conn, parents, batch| Box::pin(write_children::<M, C, FK>(conn, parents, batch)),
    }
}

async fn write_children<M, C, const FK: u64>(
    conn: ConnRef<'_>,
    parents: Parents<'_, M>,
    batch: Batch,
) -> Result<()>
where
    M: Model,
    C: WithoutKey<FK>,
{
    let mut owners = Vec::new();
    let mut rows = Vec::new();
    let mut set = None;
    let mut given = Vec::with_capacity(batch.len());
    for (parent, op) in batch {
        let op = op
            .downcast::<Children<M, C, FK>>()
            .map_err(|_| foreign_op(M::META.name))?;
        let key = parents.key(parent)?;
        set = Some(op.set);
        given.push(parent);
        for mut row in op.rows {
            rows.push(Filled::<C>::new(C::__fill_values(&mut row, key.clone())));
            owners.push(parent);
        }
    }
    let parents = match parents {
        Parents::Rows(parents) => parents,
        Parents::Keys(_) => {
            write_counted(conn, rows).await?;
            return Ok(());
        }
    };
    let stored = write(conn, rows, None).await?;
    let mut by_parent: HashMap<usize, Vec<C>> =
        given.into_iter().map(|p| (p, Vec::new())).collect();
    for (owner, row) in owners.into_iter().zip(stored) {
        by_parent.entry(owner).or_default().push(row);
    }
    for (parent, rows) in by_parent {
        if let Some(parent) = parents.get_mut(parent) {
            match set {
                Some(Setter::Many(set)) => set(parent, ManyLoad::Rows(rows)),
                Some(Setter::One(set)) => set(parent, rows.into_iter().next()),
                None => {}
            }
        }
    }
    Ok(())
}

/// A stored row to connect, by its primary key or a unique column.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Lookup {
    column: &'static str,
    value: Value,
}

impl Lookup {
    /// The stored row of `T` with this primary key (generated code calls this).
    pub fn key<T: Model>(key: T::Key) -> Lookup {
        Lookup {
            column: T::META.primary_key().name,
            // A composite key's first column: `find_targets` refuses such a model.
            value: key.__sole_value(),
        }
    }

    /// The stored row of `T` whose unique `column` holds `value` (generated code calls this).
    pub fn unique<T, V: FieldType>(column: Col<T, V, Unique>, value: V) -> Lookup {
        Lookup {
            column: column.name(),
            value: value.to_value(),
        }
    }
}

/// many_to_many rows of one parent to connect, each with the join row's own columns.
struct Connect<M, T, J: WithoutKeys<FROM, TO>, const FROM: u64, const TO: u64> {
    relation: &'static RelationMeta,
    set: Setter<M, T>,
    links: Vec<(Lookup, J::New)>,
    /// `set`: the parent's join rows are deleted first.
    replace: bool,
}

/// Connects stored rows of `T` to the parent through the join model `J`: a join row each,
/// holding the parent's key, the connected row's key and `join`'s columns; with `replace`,
/// the parent's other join rows are deleted (generated code calls this).
#[doc(hidden)]
pub fn connect<T, J, const FROM: u64, const TO: u64, M, U, K>(
    rel: Rel<M, U, K>,
    links: impl IntoIterator<Item = (Lookup, J::New)>,
    replace: bool,
) -> Nested<M>
where
    M: Model,
    U: IsType<T>,
    T: Model,
    J: WithoutKeys<FROM, TO>,
{
    let rel = U::cast_rel(rel);
    let links = links.into_iter().collect();
    Nested {
        relation: rel.meta,
        op: Box::new(Connect::<M, T, J, FROM, TO> {
            relation: rel.meta,
            set: rel.set,
            links,
            replace,
        }),
        run: |conn, parents, batch| {
            Box::pin(write_connections::<M, T, J, FROM, TO>(conn, parents, batch))
        },
    }
}

async fn write_connections<M, T, J, const FROM: u64, const TO: u64>(
    conn: ConnRef<'_>,
    parents: Parents<'_, M>,
    batch: Batch,
) -> Result<()>
where
    M: Model,
    T: Model,
    J: WithoutKeys<FROM, TO>,
{
    let ops = downcast::<Connect<M, T, J, FROM, TO>>(batch, M::META.name)?;
    let Some((_, first)) = ops.first() else {
        return Ok(());
    };
    let (relation, set, replace) = (first.relation, first.set, first.replace);
    let lookups: Vec<&Lookup> = ops
        .iter()
        .flat_map(|(_, op)| op.links.iter().map(|(l, _)| l))
        .collect();
    let found = find_targets::<T>(conn, &lookups).await?;
    let mut joins = Vec::new();
    let mut connected: Vec<(usize, Vec<usize>)> = Vec::with_capacity(ops.len());
    // Where each parent's targets are in `connected`: a search of `connected` per parent
    // made the join rows of 1,000 parents quadratic.
    let mut position: foldhash::HashMap<usize, usize> = foldhash::HashMap::default();
    for (parent, op) in ops {
        let key = parents.key(parent)?;
        let mut targets = Vec::with_capacity(op.links.len());
        for (lookup, mut join) in op.links {
            let Some(&(at, ref target_key)) = found.get(&(lookup.column, lookup.value.key()))
            else {
                return Err(not_found::<M, T>(relation, &lookup));
            };
            joins.push(Filled::<J>::new(J::__fill_values(
                &mut join,
                key.clone(),
                target_key.clone(),
            )));
            targets.push(at);
        }
        // Several `connect`s of one parent load together.
        match position.get(&parent).and_then(|&at| connected.get_mut(at)) {
            Some((_, all)) => all.extend(targets),
            None => {
                position.insert(parent, connected.len());
                connected.push((parent, targets));
            }
        }
    }
    if replace {
        let keys = connected
            .iter()
            .map(|(parent, _)| parents.key(*parent))
            .collect::<Result<Vec<_>>>()?;
        let from = join_column::<J>(relation, |t| t.from)?;
        let stmt = render_delete(conn.dialect(), J::META, Some(&in_list(from, keys)));
        conn.execute(&stmt).await?;
    }
    let parents = match parents {
        Parents::Rows(parents) => parents,
        Parents::Keys(_) => {
            write_counted(conn, joins).await?;
            return Ok(());
        }
    };
    write(conn, joins, None).await?;
    let rows = found.rows;
    for (parent, targets) in connected {
        let loaded = targets
            .into_iter()
            .filter_map(|at| rows.get(at))
            .map(|row| T::__decode(row))
            .collect::<Result<Vec<T>>>()?;
        if let (Some(parent), Setter::Many(set)) = (parents.get_mut(parent), set) {
            set(parent, ManyLoad::Rows(loaded));
        }
    }
    Ok(())
}

/// Stored rows found by their lookups: for each (column, value), the row's index in `rows`
/// and its primary key.
struct Found {
    rows: Vec<Row>,
    /// Looked up once per row connected (thousands in a `create_many`): hashed with
    /// foldhash rather than SipHash.
    by_lookup: foldhash::HashMap<(&'static str, Option<KeyRepr>), (usize, Value)>,
}

impl Found {
    fn get(&self, lookup: &(&'static str, Option<KeyRepr>)) -> Option<&(usize, Value)> {
        self.by_lookup.get(lookup)
    }
}

/// Reads the rows of `T` the lookups name: one `SELECT .. WHERE column IN (..)` per column
/// looked up by and chunk of values.
async fn find_targets<T: Model>(conn: ConnRef<'_>, lookups: &[&Lookup]) -> Result<Found> {
    composite_refused::<T>("connected")?;
    let mut by_column: Vec<(&'static str, Vec<Value>)> = Vec::new();
    let mut seen = foldhash::HashSet::default();
    for lookup in lookups {
        if !seen.insert((lookup.column, lookup.value.key())) {
            continue;
        }
        match by_column.iter_mut().find(|(c, _)| *c == lookup.column) {
            Some((_, values)) => values.push(lookup.value.clone()),
            None => by_column.push((lookup.column, vec![lookup.value.clone()])),
        }
    }
    let key_field = T::META.primary_key().field;
    let mut found = Found {
        rows: Vec::new(),
        by_lookup: foldhash::HashMap::default(),
    };
    for (column, values) in by_column {
        let field = T::META
            .columns
            .iter()
            .find(|c| c.name == column)
            .map_or(key_field, |c| c.field);
        let chunk = conn.dialect().max_params().max(1);
        for values in values.chunks(chunk) {
            let mut query = SelectQuery::new(T::META);
            query.filter = Some(Expr::InList {
                column,
                values: values.to_vec(),
                negated: false,
            });
            for row in conn.fetch(&render_select(conn.dialect(), &query)).await? {
                let model = T::__decode(&row)?;
                let (Some(value), Some(key)) = (model.__column(field), model.__column(key_field))
                else {
                    continue;
                };
                found
                    .by_lookup
                    .insert((column, value.key()), (found.rows.len(), key));
                found.rows.push(row);
            }
        }
    }
    Ok(found)
}

/// A row of a model with a composite key cannot be named by one key value, which the nested
/// writes that find or update stored rows by key use.
fn composite_refused<T: Model>(what: &str) -> Result<()> {
    if T::META.has_composite_key() {
        return Err(Error::InvalidQuery(format!(
            "rows of `{}`, whose primary key is composite, cannot be {what} in a nested write; \
             create, update or delete them by their key instead",
            T::META.name
        )));
    }
    Ok(())
}

/// `column IN (values)`
fn in_list(column: &'static str, values: Vec<Value>) -> Expr {
    Expr::InList {
        column,
        values,
        negated: false,
    }
}

/// The column of the join model's `from` or `to` key.
fn join_column<J: Model>(
    relation: &RelationMeta,
    key: impl Fn(&crate::meta::model::Through) -> &'static str,
) -> Result<&'static str> {
    relation
        .through
        .as_ref()
        .and_then(|t| J::META.column(key(t)))
        .map(|c| c.name)
        .ok_or_else(|| foreign_op(relation.name))
}

/// many_to_many rows of one parent to disconnect.
struct Disconnect<M, T, J> {
    relation: &'static RelationMeta,
    lookups: Vec<Lookup>,
    _models: Models<(M, T, J)>,
}

/// Disconnects stored rows of `T` from the parent: deletes the join rows between them
/// (generated code calls this).
#[doc(hidden)]
pub fn disconnect<T, J, M, U, K>(
    rel: Rel<M, U, K>,
    lookups: impl IntoIterator<Item = Lookup>,
) -> Nested<M>
where
    M: Model,
    U: IsType<T>,
    T: Model,
    J: Model,
{
    let rel = U::cast_rel(rel);
    Nested {
        relation: rel.meta,
        op: Box::new(Disconnect::<M, T, J> {
            relation: rel.meta,
            lookups: lookups.into_iter().collect(),
            _models: PhantomData,
        }),
        run: |conn, parents, batch| Box::pin(delete_connections::<M, T, J>(conn, parents, batch)),
    }
}

/// One `DELETE` for the batch: `(from = parent AND to IN (..)) OR ..`.
async fn delete_connections<M: Model, T: Model, J: Model>(
    conn: ConnRef<'_>,
    parents: Parents<'_, M>,
    batch: Batch,
) -> Result<()> {
    let ops = downcast::<Disconnect<M, T, J>>(batch, M::META.name)?;
    let Some(relation) = ops.first().map(|(_, op)| op.relation) else {
        return Ok(());
    };
    let lookups: Vec<&Lookup> = ops.iter().flat_map(|(_, op)| op.lookups.iter()).collect();
    let found = find_targets::<T>(conn, &lookups).await?;
    let from = join_column::<J>(relation, |t| t.from)?;
    let to = join_column::<J>(relation, |t| t.to)?;
    let mut any = Vec::with_capacity(ops.len());
    for (parent, op) in &ops {
        let key = parents.key(*parent)?;
        let mut targets = Vec::with_capacity(op.lookups.len());
        for lookup in &op.lookups {
            let (_, target) = found
                .get(&(lookup.column, lookup.value.key()))
                .ok_or_else(|| not_found::<M, T>(relation, lookup))?;
            targets.push(target.clone());
        }
        any.push(Expr::And(vec![
            Expr::Compare {
                column: from,
                op: CmpOp::Eq,
                value: key,
            },
            in_list(to, targets),
        ]));
    }
    let stmt = render_delete(conn.dialect(), J::META, Some(&Expr::Or(any)));
    conn.execute(&stmt).await?;
    Ok(())
}

fn not_found<M: Model, T: Model>(relation: &RelationMeta, lookup: &Lookup) -> Error {
    Error::RelatedNotFound {
        model: M::META.name,
        relation: relation.name,
        target: T::META.name,
        column: lookup.column,
        value: format!("{:?}", lookup.value),
    }
}

/// The models an operation's types name, for its type alone.
type Models<T> = PhantomData<fn() -> T>;

/// A belongs_to relation of one row pointed at another stored row, or at none.
struct Relink<M, T> {
    relation: &'static RelationMeta,
    lookup: Option<Lookup>,
    _models: Models<(M, T)>,
}

/// Points the row's belongs_to foreign key at the stored row of `T` the lookup finds, or sets
/// it to `NULL` without one (generated code calls this).
#[doc(hidden)]
pub fn relink<T, M, U, K>(rel: Rel<M, U, K>, lookup: Option<Lookup>) -> Nested<M>
where
    M: Model,
    U: IsType<T>,
    T: Model,
{
    let rel = U::cast_rel(rel);
    Nested {
        relation: rel.meta,
        op: Box::new(Relink::<M, T> {
            relation: rel.meta,
            lookup,
            _models: PhantomData,
        }),
        run: |conn, parents, batch| Box::pin(write_relinks::<M, T>(conn, parents, batch)),
    }
}

/// One `UPDATE` per row pointed at (all parents pointed at it at once), then the parents
/// read again, so that they hold their new foreign keys (whole parents only).
async fn write_relinks<M: Model, T: Model>(
    conn: ConnRef<'_>,
    parents: Parents<'_, M>,
    batch: Batch,
) -> Result<()> {
    composite_refused::<M>("pointed at another row through a relation")?;
    let ops = downcast::<Relink<M, T>>(batch, M::META.name)?;
    let Some(relation) = ops.first().map(|(_, op)| op.relation) else {
        return Ok(());
    };
    let lookups: Vec<&Lookup> = ops
        .iter()
        .filter_map(|(_, op)| op.lookup.as_ref())
        .collect();
    let found = find_targets::<T>(conn, &lookups).await?;
    let column = M::META
        .column(relation.foreign_key)
        .ok_or_else(|| foreign_op(relation.name))?;
    // The last write of a parent wins, as if run in order.
    let mut targets: Vec<(Value, Vec<Value>)> = Vec::new();
    let mut keys = Vec::with_capacity(ops.len());
    for (parent, op) in &ops {
        let key = parents.key(*parent)?;
        let target = match &op.lookup {
            Some(lookup) => found
                .get(&(lookup.column, lookup.value.key()))
                .map(|(_, target)| target.clone())
                .ok_or_else(|| not_found::<M, T>(relation, lookup))?,
            None => Value::Null(column.sql_type),
        };
        for (_, parents) in &mut targets {
            parents.retain(|p| p.key() != key.key());
        }
        match targets.iter_mut().find(|(t, _)| t.key() == target.key()) {
            Some((_, parents)) => parents.push(key.clone()),
            None => targets.push((target, vec![key.clone()])),
        }
        keys.push(key);
    }
    let pk = M::META.primary_key().name;
    for (target, parents) in targets {
        if parents.is_empty() {
            continue;
        }
        let stmt = render_update(
            conn.dialect(),
            M::META,
            vec![(column.name, target)],
            Some(&in_list(pk, parents)),
        );
        conn.execute(&stmt).await?;
    }
    let Parents::Rows(parents) = parents else {
        return Ok(());
    };
    let mut query = SelectQuery::new(M::META);
    query.filter = Some(in_list(pk, keys));
    let mut fresh = HashMap::new();
    for row in conn.fetch(&render_select(conn.dialect(), &query)).await? {
        let row = M::__decode(&row)?;
        fresh.insert(key_of(&row)?.key(), row);
    }
    for (parent, _) in &ops {
        if let Some(parent) = parents.get_mut(*parent) {
            if let Some(row) = fresh.remove(&key_of(parent)?.key()) {
                *parent = row;
            }
        }
    }
    Ok(())
}
