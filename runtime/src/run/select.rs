//! Typed selections: what `select!` expands to. A selection names the columns to read at each
//! level and the relations to follow; its result is a struct the macro declares, whose field
//! types the compiler infers from the column handles. Each level is one query for all its
//! parent rows, reading only the selected columns and the keys that stitch levels together.

use std::marker::PhantomData;

use futures_util::future::BoxFuture;

use crate::driver::executor::{ConnRef, Executor};
use crate::dsl::aggregate::{ColumnOf, Numeric, Ordered};
use crate::dsl::filter::{filter_on, FilterOn, IntoFilter};
use crate::dsl::filter::{Col, Order};
use crate::dsl::model::Model;
use crate::dsl::paging::RowCount;
use crate::dsl::relation::{Countable, Rel, Required, ToMany, ToOne};
use crate::ir::Aggregate;
use crate::meta::model::ModelMeta;
use crate::meta::model::RelationKind;
pub use crate::run::load::Parents;
use crate::run::load::RelQuery;
use crate::run::load::{
    aggregate_rows, aggregate_values, group, AggregatesOf, ParentKeys, Plan, Refine, RelatedRows,
};
use crate::run::shared::{AggregateAsk, Share, Shared};
use crate::sql::{render_select, SelectQuery};
use crate::values::error::{Error, Result};
use crate::values::row::Row;
use crate::values::types::{FieldType, PrimaryKey};
use crate::values::value::Value;

/// A named selection of a model: implement it with `#[derive(Selection)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a selection",
    label = "a relation field's rows must be a selection",
    note = "add `#[derive(Selection)]` with `#[selection(model = ..)]` to `{Self}`"
)]
pub trait Selection: Sized + Send + 'static {
    /// The model it selects from.
    type Model: Model;
    /// The selection's level: what `.select(..)` takes.
    fn level() -> impl Level<Model = Self::Model, Output = Self>;
}

/// A selection of model `Self` can read the rows of a query of `Q`: only when `Self` is `Q`.
/// Without this check a selection of another model reads the query's rows as its own.
#[diagnostic::on_unimplemented(
    message = "this selection is of `{Self}`, but the query reads `{Q}`",
    label = "a selection of `{Self}`",
    note = "select from the query's model: `select!({Q} {{ .. }})`, or a `Selection` with `#[selection(model = {Q})]`"
)]
pub trait SelectionFor<Q> {}
impl<M> SelectionFor<M> for M {}

/// A selection of model `Self` can read the rows a relation leads to, of model `T`: only when
/// `Self` is `T`.
#[diagnostic::on_unimplemented(
    message = "this selection is of `{Self}`, but the relation leads to `{T}`",
    label = "a selection of `{Self}`",
    note = "a relation field's rows are a `Selection` of the related model: `#[selection(model = {T})]`"
)]
pub trait RelatedSelection<T> {}
impl<M> RelatedSelection<M> for M {}

/// Names the model of a level being built, so that `level` need not infer it.
pub struct ModelTag<M>(PhantomData<fn() -> M>);

/// The tag of model `M` (the code `select!` expands to starts with it).
pub fn tag<M: Model>() -> ModelTag<M> {
    ModelTag(PhantomData)
}

/// Reads the selected columns of one row.
pub struct Reader<'a> {
    row: &'a mut Row,
    names: &'a [&'static str],
    model: &'static ModelMeta,
    /// Where the next column is expected: a selection reads its columns in the order it
    /// lists them, which is the order they were selected in.
    next: usize,
    /// Whether each read is the column's last ([`FieldType::decode_owned`]).
    owned: bool,
    /// The columns read so far, noted on a level's first row.
    reads: Option<Vec<usize>>,
}

/// Whether no column was read twice.
fn each_once(mut reads: Vec<usize>) -> bool {
    let len = reads.len();
    reads.sort_unstable();
    reads.dedup();
    reads.len() == len
}

/// A column that a selection can read: a column handle.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column: a relation needs a nested selection, like `name {{ field }}`",
    label = "not a column"
)]
pub trait ColumnRef: Copy {
    /// The column's Rust type.
    type Value: FieldType;
    /// The column's name.
    fn column_name(self) -> &'static str;
}

impl<M, T: FieldType, K> ColumnRef for Col<M, T, K> {
    type Value = T;
    fn column_name(self) -> &'static str {
        self.name()
    }
}

/// A column's Rust type that a `Selection` field may be declared with: the same type.
#[diagnostic::on_unimplemented(
    message = "this `Selection` field is declared `{D}`, but the model's column is `{Self}`",
    label = "declare the field as the column's type"
)]
pub trait DeclaredAs<D> {
    /// The value, as the declared type.
    fn declared(self) -> D;
}

impl<T> DeclaredAs<T> for T {
    fn declared(self) -> T {
        self
    }
}

/// An aggregate's type that a `Selection` field may be declared with: the same type.
#[diagnostic::on_unimplemented(
    message = "this `Selection` field is declared `{D}`, but the aggregate gives `{Self}`",
    label = "declare the field as the aggregate's type",
    note = "a count and a sum of integers are `i64`, a sum of floating-point numbers `f64`, an average `Option<f64>`, a sum of decimals `Decimal` and their average `Option<Decimal>`, a least or greatest value an `Option` of the column's type"
)]
pub trait AggregateAs<D> {
    /// The value, as the declared type.
    fn declared(self) -> D;
}

impl<T> AggregateAs<T> for T {
    fn declared(self) -> T {
        self
    }
}

impl Reader<'_> {
    /// The value of a selected column, as a `Selection` field declared `D`.
    pub fn get_as<D, C>(&mut self, column: C) -> Result<D>
    where
        C: ColumnRef,
        C::Value: DeclaredAs<D>,
    {
        self.get(column).map(DeclaredAs::declared)
    }

    /// The value of a selected column.
    pub fn get<C: ColumnRef>(&mut self, column: C) -> Result<C::Value> {
        let name = column.column_name();
        let index = match self.names.get(self.next) {
            Some(n) if *n == name => self.next,
            _ => position(self.names, name, self.model)?,
        };
        self.next = index + 1;
        if let Some(reads) = &mut self.reads {
            reads.push(index);
        }
        if self.owned {
            C::Value::decode_owned(self.row, index)
        } else {
            C::Value::decode(self.row, index)
        }
        .map_err(|e| Error::decode(self.model.name, name, e))
    }
}

fn position(names: &[&'static str], name: &'static str, model: &ModelMeta) -> Result<usize> {
    names.iter().position(|n| *n == name).ok_or_else(|| {
        Error::InvalidQuery(format!(
            "column `{name}` of `{}` was not selected",
            model.name
        ))
    })
}

/// One level of a selection: the columns of its model to read, and what a row becomes.
pub trait Level: Send + Sync {
    /// The model whose rows it reads.
    type Model: Model;
    /// What a row becomes.
    type Output: Send;
    /// The columns read: the selected ones, then the keys the relations need, each once.
    fn columns(&self) -> Vec<&'static str>;
    /// Turns fetched rows (with the columns of [`Level::columns`], named by `names`) into
    /// outputs, loading the relations for all of them at once.
    /// The rows are consumed: each is dropped once its output is made, and its text moves
    /// into the output rather than being copied (see [`Reader`]).
    /// `which`: which rows of their table the rows are.
    fn build<'a>(
        &'a self,
        conn: ConnRef<'a>,
        rows: Vec<Row>,
        names: &'a [&'static str],
        which: Parents,
    ) -> BoxFuture<'a, Result<Vec<Self::Output>>>;
    /// For a level without relations, what makes one row's output (rows named by `names`), so
    /// that its rows become outputs as they arrive and are never all held at once. `None` for
    /// a level whose relations need all its rows first.
    fn row_builder<'a>(
        &'a self,
        names: &'a [&'static str],
    ) -> Option<RowBuilder<'a, Self::Output>> {
        let _ = names;
        None
    }
}

/// What makes a row's output, one row after another ([`Level::row_builder`]).
#[doc(hidden)]
pub type RowBuilder<'a, O> = Box<dyn FnMut(Row) -> Result<O> + Send + 'a>;

/// A level: columns, relations, and the function that makes an output of a row.
pub struct Select<M, R, B> {
    columns: Vec<&'static str>,
    relations: R,
    build: B,
    _model: PhantomData<fn() -> M>,
}

/// Builds a level of model `M` (the code `select!` expands to calls this).
pub fn level<M, R, B, O>(
    _model: ModelTag<M>,
    columns: impl Into<Vec<&'static str>>,
    relations: R,
    build: B,
) -> Select<M, R, B>
where
    M: Model,
    R: Relations<M>,
    B: Fn(&mut Reader<'_>, R::Shaped) -> Result<O> + Send + Sync,
    O: Send,
{
    Select {
        columns: columns.into(),
        relations,
        build,
        _model: PhantomData,
    }
}

impl<M, R, B, O> Select<M, R, B>
where
    M: Model,
    R: Relations<M>,
    B: Fn(&mut Reader<'_>, R::Shaped) -> Result<O> + Send + Sync,
{
    /// One row's output. The `first` row is read by reference, noting the columns read, and
    /// sets `owned` when none was read twice: the rows after it then move their values out.
    fn output(
        &self,
        row: &mut Row,
        names: &[&'static str],
        shaped: R::Shaped,
        owned: &mut bool,
        first: bool,
    ) -> Result<O> {
        let mut reader = Reader {
            row,
            names,
            model: M::META,
            next: 0,
            owned: *owned,
            reads: first.then(Vec::new),
        };
        let out = (self.build)(&mut reader, shaped)?;
        if let Some(reads) = reader.reads {
            *owned = each_once(reads);
        }
        Ok(out)
    }
}

impl<M, R, B, O> Level for Select<M, R, B>
where
    M: Model,
    R: Relations<M>,
    B: Fn(&mut Reader<'_>, R::Shaped) -> Result<O> + Send + Sync,
    O: Send,
{
    type Model = M;
    type Output = O;

    fn columns(&self) -> Vec<&'static str> {
        let mut columns = self.columns.clone();
        self.relations.key_columns(&mut columns);
        let mut seen = std::collections::HashSet::new();
        columns.retain(|c| seen.insert(*c));
        columns
    }

    fn row_builder<'a>(&'a self, names: &'a [&'static str]) -> Option<RowBuilder<'a, O>> {
        R::without_relations()?;
        // As in `build`: the first row is read by reference, noting the columns read; when
        // none was read twice, the other rows move their values out.
        let (mut first, mut owned) = (true, false);
        Some(Box::new(move |mut row: Row| {
            let shaped = R::without_relations().ok_or_else(|| {
                Error::InvalidQuery("internal: a level with relations built row by row".to_owned())
            })?;
            let out = self.output(&mut row, names, shaped, &mut owned, first)?;
            first = false;
            Ok(out)
        }))
    }

    fn build<'a>(
        &'a self,
        conn: ConnRef<'a>,
        rows: Vec<Row>,
        names: &'a [&'static str],
        which: Parents,
    ) -> BoxFuture<'a, Result<Vec<O>>> {
        Box::pin(async move {
            let mut loaded = self.relations.load(conn, &rows, names, which).await?;
            let mut out = Vec::with_capacity(rows.len());
            // The relations have read their keys; what is left is one read of each column the
            // output names. The first row is read by reference, noting the columns read; when
            // none was read twice, the other rows move their values out.
            let mut owned = false;
            for (index, mut row) in rows.into_iter().enumerate() {
                let shaped = R::shape(&mut loaded, index)?;
                out.push(self.output(&mut row, names, shaped, &mut owned, index == 0)?);
            }
            Ok(out)
        })
    }
}

/// How a relation's rows appear in the output: `Vec` (to-many), `Option` (to-one), or the row
/// itself (a belongs_to through a non-null key).
pub trait Shape: 'static {
    /// The output for related outputs `O`.
    type Of<O>;
    /// Shapes one parent's related outputs.
    fn shape<O>(rows: Vec<O>, relation: &'static str) -> Result<Self::Of<O>>;
}

impl Shape for ToMany {
    type Of<O> = Vec<O>;
    fn shape<O>(rows: Vec<O>, _: &'static str) -> Result<Vec<O>> {
        Ok(rows)
    }
}

impl Shape for ToOne {
    type Of<O> = Option<O>;
    fn shape<O>(rows: Vec<O>, _: &'static str) -> Result<Option<O>> {
        Ok(rows.into_iter().next())
    }
}

impl Shape for Required {
    type Of<O> = O;
    fn shape<O>(rows: Vec<O>, relation: &'static str) -> Result<O> {
        // Only a `where` on the relation can hide the row its non-null key points at.
        rows.into_iter().next().ok_or_else(|| {
            Error::InvalidQuery(format!(
                "a `belongs_to` relation {relation} found no row for a non-null key; filter the parents instead"
            ))
        })
    }
}

/// The relations of a level: a tuple of [`RelSelect`]s.
pub trait Relations<M>: Send + Sync {
    /// Each relation's outputs, per parent row.
    type Loaded: Send;
    /// One parent's relation outputs, shaped: the tuple the build function receives.
    type Shaped;
    /// Adds the parent columns holding the keys the relations follow.
    fn key_columns(&self, out: &mut Vec<&'static str>);
    /// Loads every relation for all parent rows (`which` rows of their table).
    fn load<'a>(
        &'a self,
        conn: ConnRef<'a>,
        rows: &'a [Row],
        names: &'a [&'static str],
        which: Parents,
    ) -> BoxFuture<'a, Result<Self::Loaded>>;
    /// Takes parent `index`'s outputs.
    fn shape(loaded: &mut Self::Loaded, index: usize) -> Result<Self::Shaped>;
    /// What a row's build function receives when there are no relations (`Some` only for
    /// `()`), so that rows can be built one by one ([`Level::row_builder`]).
    fn without_relations() -> Option<Self::Shaped> {
        None
    }
}

/// A relation to follow, refined, with the selection of its rows.
pub struct RelSelect<M, T, C, L> {
    rel: Rel<M, T, C>,
    query: RelQuery<T, C>,
    level: L,
}

/// A relation handle a nested selection can follow.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a relation, so it cannot have a nested selection `{{ .. }}`",
    label = "a column: select it without braces"
)]
pub trait RelationRef {
    /// The model it starts from.
    type Model: Model;
    /// The model it leads to.
    type Target: Model;
    /// [`ToMany`], [`ToOne`] or [`Required`].
    type Cardinality: Shape;
    /// The handle.
    fn rel(self) -> Rel<Self::Model, Self::Target, Self::Cardinality>;
}

impl<M: Model, T: Model, C: Shape> RelationRef for Rel<M, T, C> {
    type Model = M;
    type Target = T;
    type Cardinality = C;
    fn rel(self) -> Rel<M, T, C> {
        self
    }
}

/// The column handles of a model.
pub fn fields<M: Model>() -> M::Fields {
    M::FIELDS
}

/// A column's name, for the selected column list.
pub fn column_name<C: ColumnRef>(column: &C) -> &'static str {
    column.column_name()
}

type Query<R> = RelQuery<<R as RelationRef>::Target, <R as RelationRef>::Cardinality>;

/// The target's handles, as `refine` and `level` receive them.
type TargetFields<R> = <<R as RelationRef>::Target as Model>::Fields;

/// Follows `relation`, refined by `refine`, selecting `level` of its rows; both closures
/// receive the target's column and relation handles, `level` also the target's tag.
#[allow(clippy::type_complexity)]
pub fn relation<R, L>(
    relation: R,
    refine: impl FnOnce(Query<R>, TargetFields<R>) -> Query<R>,
    level: impl FnOnce(ModelTag<R::Target>, TargetFields<R>) -> L,
) -> RelSelect<R::Model, R::Target, R::Cardinality, L>
where
    R: RelationRef,
    L: Level,
    L::Model: RelatedSelection<R::Target>,
{
    let fields = R::Target::FIELDS;
    RelSelect {
        rel: relation.rel(),
        query: refine(RelQuery::default(), fields),
        level: level(ModelTag(PhantomData), fields),
    }
}

// `relation` is the only way to build a `RelSelect`, and it checks that the level reads `T`;
// the impls below leave that bound out so a wrong selection is reported once, there.
impl<M, T, C, L> RelSelect<M, T, C, L>
where
    M: Model,
    T: Model,
    C: Shape,
    L: Level,
    L::Output: Clone,
{
    fn key_column(&self) -> Result<&'static str> {
        Ok(Plan::new(M::META, self.rel.meta)?.parent_column)
    }

    async fn load(
        &self,
        conn: ConnRef<'_>,
        rows: &[Row],
        names: &[&'static str],
        which: Parents,
    ) -> Result<Vec<Vec<L::Output>>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let columns = self.level.columns();
        let of = BatchOf {
            parent: M::META,
            rel: self.rel.meta,
            // The parent side of the key: this model's key, or its foreign key (maybe NULL).
            parent_value: match self.rel.meta.kind {
                RelationKind::BelongsTo => nullable_key::<T::Key>,
                _ => key::<M::Key>,
            },
            key: crate::run::load::parent_key::<M, T>(self.rel.meta.kind),
            target: crate::run::query::cursor::CursorModel::of::<T>(),
            refine: Refine {
                filter: self.query.filter.clone(),
                order_by: self.query.order_by.clone(),
                take: self.query.take,
                skip: self.query.skip,
            },
            cursor: self.query.cursor.as_ref(),
            columns: &columns,
        };
        // A level without relations makes each row's output as the row arrives; one with
        // relations needs all its rows (their keys) first.
        let (outputs, batch) = match self.level.row_builder(&columns) {
            Some(mut each) => {
                let mut outputs = Vec::new();
                let batch = related_batch(conn, of, rows, names, which, &mut |row| {
                    outputs.push(each(row)?);
                    Ok(())
                })
                .await?;
                (batch.fetched.reorder(outputs), batch)
            }
            None => {
                let mut related = Vec::new();
                let batch = related_batch(conn, of, rows, names, which, &mut |row| {
                    related.push(row);
                    Ok(())
                })
                .await?;
                let related = batch.fetched.reorder(related);
                let outputs = self
                    .level
                    .build(conn, related, &columns, batch.which)
                    .await?;
                (outputs, batch)
            }
        };
        Ok(group(&batch.parent_keys, outputs, batch.fetched.slots))
    }
}

/// What [`related_batch`] reads a relation's rows with: the relation, and what it needs of
/// the types of its models.
struct BatchOf<'q> {
    parent: &'static ModelMeta,
    rel: &'static crate::meta::model::RelationMeta,
    /// Reads the parent side of the key from a parent row.
    parent_value: ParentValue,
    /// Reads the parent key of a related row.
    key: crate::run::load::KeyDecoder,
    target: crate::run::query::cursor::CursorModel,
    refine: Refine,
    cursor: Option<&'q crate::run::query::cursor::Cursor>,
    /// The target's columns read.
    columns: &'q [&'static str],
}

/// Reads the parent side of a relation's key from the column at `index` of a parent row.
type ParentValue =
    fn(&Row, usize) -> std::result::Result<Option<Value>, Box<dyn std::error::Error + Send + Sync>>;

/// [`ParentValue`] of a column holding a key of type `K`.
fn key<K: PrimaryKey>(
    row: &Row,
    index: usize,
) -> std::result::Result<Option<Value>, Box<dyn std::error::Error + Send + Sync>> {
    K::__decode_one(row, index).map(Some)
}

/// [`ParentValue`] of a column holding a key of type `K` or `NULL`.
fn nullable_key<K: PrimaryKey>(
    row: &Row,
    index: usize,
) -> std::result::Result<Option<Value>, Box<dyn std::error::Error + Send + Sync>> {
    K::__decode_nullable(row, index)
}

/// A relation's rows for a batch of parent rows, as [`related_batch`] leaves them.
struct Batch {
    parent_keys: ParentKeys,
    fetched: crate::run::load::Fetched,
    /// Which rows of their table the related rows are.
    which: Parents,
}

/// The related rows of a batch of parent `rows` (with the columns `names`; `which` rows of
/// their table), each passed to `each` as it arrives: the part of loading a relation that
/// does not depend on the models' types, one copy for every relation.
async fn related_batch(
    conn: ConnRef<'_>,
    of: BatchOf<'_>,
    rows: &[Row],
    names: &[&'static str],
    which: Parents,
    each: &mut (dyn FnMut(Row) -> Result<()> + Send),
) -> Result<Batch> {
    let plan = Plan::new(of.parent, of.rel)?;
    let index = position(names, plan.parent_column, of.parent)?;
    let values = rows
        .iter()
        .map(|row| (of.parent_value)(row, index))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::decode(of.parent.name, plan.parent_column, e))?;
    let parent_keys = ParentKeys::of(values);
    let refine = Refine::read(conn, of.target, of.refine, of.cursor).await?;
    let related = RelatedRows {
        kind: of.rel.kind,
        plan: &plan,
        keys: &parent_keys.keys,
        columns: of.columns,
        refine: &refine,
        parents: which,
    };
    let fetched =
        crate::run::load::fetch_related_rows(conn, of.target.meta(), &related, of.key, each)
            .await?;
    Ok(Batch {
        parent_keys,
        fetched,
        which: which.related(of.rel, &refine),
    })
}

/// An aggregate of a relation's rows in a selection, typed `O`: `sessions: count` (`i64`),
/// `posts: sum(score)`, `posts: avg(score)`, `posts: max(published_at)`.
pub struct RelAggregate<M, T, C, O> {
    rel: Rel<M, T, C>,
    query: RelQuery<T, C>,
    aggregate: Aggregate,
    _output: PhantomData<fn() -> O>,
}

fn aggregated<R: RelationRef, O>(
    relation: R,
    refine: impl FnOnce(Query<R>, TargetFields<R>) -> Query<R>,
    aggregate: Aggregate,
) -> RelAggregate<R::Model, R::Target, R::Cardinality, O> {
    RelAggregate {
        rel: relation.rel(),
        query: refine(RelQuery::default(), R::Target::FIELDS),
        aggregate,
        _output: PhantomData,
    }
}

/// Counts the rows `relation` leads to (narrowed by `refine`'s `where`), per parent.
pub fn count<R>(
    relation: R,
    refine: impl FnOnce(Query<R>, TargetFields<R>) -> Query<R>,
) -> RelAggregate<R::Model, R::Target, R::Cardinality, i64>
where
    R: RelationRef,
    R::Cardinality: Countable,
{
    aggregated(relation, refine, Aggregate::Count)
}

/// The sum of the column `column` picks of the rows `relation` leads to (narrowed by
/// `refine`'s `where`), per parent: an `i64` for integers, an `f64` for floating-point
/// numbers, a `Decimal` for decimals, 0 when there are none.
pub fn sum<R, K>(
    relation: R,
    refine: impl FnOnce(Query<R>, TargetFields<R>) -> Query<R>,
    column: impl FnOnce(TargetFields<R>) -> K,
) -> RelAggregate<R::Model, R::Target, R::Cardinality, <K::Value as Numeric>::Sum>
where
    R: RelationRef,
    R::Cardinality: Countable,
    K: ColumnOf<R::Target>,
    K::Value: Numeric,
{
    let column = column(R::Target::FIELDS).column_name();
    aggregated(
        relation,
        refine,
        Aggregate::Sum(column, <K::Value as Numeric>::OPERAND),
    )
}

/// The average of a numeric column of the rows `relation` leads to, per parent (an `f64`, or
/// a `Decimal` for decimals); `None` when there are none.
#[allow(clippy::type_complexity)]
pub fn avg<R, K>(
    relation: R,
    refine: impl FnOnce(Query<R>, TargetFields<R>) -> Query<R>,
    column: impl FnOnce(TargetFields<R>) -> K,
) -> RelAggregate<R::Model, R::Target, R::Cardinality, Option<<K::Value as Numeric>::Avg>>
where
    R: RelationRef,
    R::Cardinality: Countable,
    K: ColumnOf<R::Target>,
    K::Value: Numeric,
{
    let column = column(R::Target::FIELDS).column_name();
    let avg = Aggregate::Avg(column, <K::Value as Numeric>::OPERAND);
    aggregated(relation, refine, avg)
}

/// The least value of a column of the rows `relation` leads to, per parent; `None` when
/// there are none.
#[allow(clippy::type_complexity)]
pub fn min<R, K>(
    relation: R,
    refine: impl FnOnce(Query<R>, TargetFields<R>) -> Query<R>,
    column: impl FnOnce(TargetFields<R>) -> K,
) -> RelAggregate<R::Model, R::Target, R::Cardinality, Option<<K::Value as Ordered>::Value>>
where
    R: RelationRef,
    R::Cardinality: Countable,
    K: ColumnOf<R::Target>,
    K::Value: Ordered,
{
    let column = column(R::Target::FIELDS).column_name();
    let min = Aggregate::Min(column, <K::Value as Ordered>::OPERAND);
    aggregated(relation, refine, min)
}

/// The greatest value of a column of the rows `relation` leads to, per parent; `None` when
/// there are none.
#[allow(clippy::type_complexity)]
pub fn max<R, K>(
    relation: R,
    refine: impl FnOnce(Query<R>, TargetFields<R>) -> Query<R>,
    column: impl FnOnce(TargetFields<R>) -> K,
) -> RelAggregate<R::Model, R::Target, R::Cardinality, Option<<K::Value as Ordered>::Value>>
where
    R: RelationRef,
    R::Cardinality: Countable,
    K: ColumnOf<R::Target>,
    K::Value: Ordered,
{
    let column = column(R::Target::FIELDS).column_name();
    let max = Aggregate::Max(column, <K::Value as Ordered>::OPERAND);
    aggregated(relation, refine, max)
}

impl<M, T, C, O> RelAggregate<M, T, C, O>
where
    M: Model,
    T: Model,
    C: Shape,
    O: FieldType + Clone,
{
    async fn load(
        &self,
        conn: ConnRef<'_>,
        rows: &[Row],
        names: &[&'static str],
        which: Parents,
        share: Option<Share<'_>>,
    ) -> Result<Vec<Option<O>>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let plan = Plan::new(M::META, self.rel.meta)?;
        let index = position(names, plan.parent_column, M::META)?;
        let values = rows
            .iter()
            .map(|row| M::Key::__decode_one(row, index).map(Some))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::decode(M::META.name, plan.parent_column, e))?;
        let parent_keys = ParentKeys::of(values);
        let refine = Refine::of(conn, &self.query).await?;
        let asked = AggregatesOf {
            target: T::META,
            plan: &plan,
            key: crate::run::load::parent_key::<M, T>(self.rel.meta.kind),
            refine: &refine,
            kind: self.rel.meta.kind,
            which,
        };
        let alone;
        let (rows, at) = match share {
            // The first of the group to get here reads every member's aggregate; the others
            // (the same relation, `where` and parents) take their column of its rows.
            Some(Share { group, at }) => {
                let rows = group
                    .rows
                    .get_or_try_init(|| {
                        aggregate_rows(
                            conn,
                            &asked,
                            &parent_keys.keys,
                            &group.aggregates,
                            group.plain,
                        )
                    })
                    .await?;
                (rows, at)
            }
            // In no group: a statement of its own.
            None => {
                let aggregates = [self.aggregate];
                let plain = O::SQL_TYPE.is_plain();
                alone = aggregate_rows(conn, &asked, &parent_keys.keys, &aggregates, plain).await?;
                (&alone, 0)
            }
        };
        aggregate_values(rows, at, &parent_keys, T::META, self.aggregate)
    }
}

impl<M, T, C, O> Related<M> for RelAggregate<M, T, C, O>
where
    M: Model,
    T: Model,
    C: Shape,
    O: FieldType + Default + Clone,
{
    type Output = O;
    type Shaped = O;

    fn key_column(&self, out: &mut Vec<&'static str>) {
        if let Ok(plan) = Plan::new(M::META, self.rel.meta) {
            out.push(plan.parent_column);
        }
    }

    fn aggregate_ask(&self) -> Option<AggregateAsk> {
        Some(AggregateAsk {
            relation: self.rel.meta.name,
            filter: self.query.filter.as_ref().map(|f| format!("{f:?}")),
            aggregate: self.aggregate,
            plain: O::SQL_TYPE.is_plain(),
        })
    }

    fn load_all<'a>(
        &'a self,
        conn: ConnRef<'a>,
        rows: &'a [Row],
        names: &'a [&'static str],
        which: Parents,
        share: Option<Share<'a>>,
    ) -> BoxFuture<'a, Result<Vec<Vec<O>>>> {
        Box::pin(async move {
            let values = self.load(conn, rows, names, which, share).await?;
            Ok(values
                .into_iter()
                .map(|v| v.into_iter().collect())
                .collect())
        })
    }

    /// A parent without related rows (or whose aggregate is `NULL`) gets the aggregate of no
    /// rows: a count or sum of 0, an average, minimum or maximum of `None`.
    fn take(loaded: &mut [Vec<O>], index: usize) -> Result<O> {
        Ok(loaded.get_mut(index).and_then(Vec::pop).unwrap_or_default())
    }
}

macro_rules! tuple_relations {
    ($(($name:ident, $index:tt)),*) => {
        impl<M: Model, $($name),*> Relations<M> for ($($name,)*)
        where
            $($name: Related<M>,)*
        {
            type Loaded = ($(Vec<Vec<$name::Output>>,)*);
            type Shaped = ($($name::Shaped,)*);

            #[allow(unused_variables)]
            fn key_columns(&self, out: &mut Vec<&'static str>) {
                $(self.$index.key_column(out);)*
            }

            #[allow(unused_variables)]
            fn load<'a>(
                &'a self,
                conn: ConnRef<'a>,
                rows: &'a [Row],
                names: &'a [&'static str],
                which: Parents,
            ) -> BoxFuture<'a, Result<Self::Loaded>> {
                Box::pin(async move {
                    // Siblings at the same time, each on its own connection, where the pool
                    // has one idle (see `ConnRef::spares`); otherwise in turn. Each leaves its
                    // outputs in its slot; `load_siblings`, one copy for every level, runs them.
                    let spares = conn.spares([$($index),*].len(), rows.len());
                    // Aggregates of one relation under one `where` share a statement.
                    let shared = Shared::of([$(self.$index.aggregate_ask()),*]);
                    let shared = &shared;
                    let slots = ($(Slot::<$name::Output>::default(),)*);
                    let slots = &slots;
                    let loads: &[&SiblingLoad<'_>] = &[$(
                        &move |c| Box::pin(async move {
                            slots.$index.put(
                                self.$index.load_all(c, rows, names, which, shared.place($index)).await?,
                            );
                            Ok(())
                        }),
                    )*];
                    load_siblings(conn, spares.as_ref(), loads).await?;
                    if let Some(spares) = spares {
                        spares.finish();
                    }
                    Ok(($(slots.$index.take()?,)*))
                })
            }

            #[allow(unused_variables, clippy::unused_unit)]
            fn shape(loaded: &mut Self::Loaded, index: usize) -> Result<Self::Shaped> {
                Ok(($($name::take(&mut loaded.$index, index)?,)*))
            }
        }
    };
}

/// Where a sibling relation's load leaves its outputs (see [`load_siblings`]).
struct Slot<O>(std::sync::Mutex<Option<Vec<Vec<O>>>>);

impl<O> Default for Slot<O> {
    fn default() -> Self {
        Slot(std::sync::Mutex::new(None))
    }
}

impl<O> Slot<O> {
    fn put(&self, loaded: Vec<Vec<O>>) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(loaded);
    }

    fn take(&self) -> Result<Vec<Vec<O>>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
            .ok_or_else(|| Error::InvalidQuery("internal: a relation was not loaded".to_owned()))
    }
}

/// The load of one sibling relation, on the connection it is given.
type SiblingLoad<'b> = dyn Fn(ConnRef<'b>) -> BoxFuture<'b, Result<()>> + Sync + 'b;

/// Runs the loads of a level's sibling relations: at the same time, one on `conn` and the
/// others on the `spares`, when there are spares; otherwise in turn. Every sibling runs to its
/// end, and the error reported is the first sibling's in order, as when they load in turn.
async fn load_siblings<'b>(
    conn: ConnRef<'b>,
    spares: Option<&'b crate::driver::executor::Spares>,
    loads: &[&SiblingLoad<'b>],
) -> Result<()> {
    match spares {
        Some(spares) => futures_util::future::join_all(
            loads
                .iter()
                .enumerate()
                .map(|(index, load)| spares.run(conn, index, load)),
        )
        .await
        .into_iter()
        .collect(),
        None => {
            for load in loads {
                load(conn).await?;
            }
            Ok(())
        }
    }
}

/// One relation of a level, seen without its type parameters.
pub trait Related<M>: Send + Sync {
    /// One related output.
    type Output: Send;
    /// One parent's outputs, shaped.
    type Shaped;
    /// Adds the parent column holding the key.
    fn key_column(&self, out: &mut Vec<&'static str>);
    /// What it asks for when it is an aggregate of a relation: siblings asking for aggregates
    /// of the same relation under the same `where` share one statement (the runtime's
    /// `run::shared`).
    fn aggregate_ask(&self) -> Option<AggregateAsk> {
        None
    }
    /// Loads the relation for all parent rows (`which` rows of their table); `share`: its
    /// place among the level's shared aggregates.
    fn load_all<'a>(
        &'a self,
        conn: ConnRef<'a>,
        rows: &'a [Row],
        names: &'a [&'static str],
        which: Parents,
        share: Option<Share<'a>>,
    ) -> BoxFuture<'a, Result<Vec<Vec<Self::Output>>>>;
    /// Takes and shapes parent `index`'s outputs.
    fn take(loaded: &mut [Vec<Self::Output>], index: usize) -> Result<Self::Shaped>;
}

impl<M, T, C, L> Related<M> for RelSelect<M, T, C, L>
where
    M: Model,
    T: Model,
    C: Shape,
    L: Level,
    L::Output: Clone,
{
    type Output = L::Output;
    type Shaped = C::Of<L::Output>;

    fn key_column(&self, out: &mut Vec<&'static str>) {
        // A relation whose keys do not resolve fails when loaded, with the reason.
        if let Ok(column) = RelSelect::key_column(self) {
            out.push(column);
        }
    }

    fn load_all<'a>(
        &'a self,
        conn: ConnRef<'a>,
        rows: &'a [Row],
        names: &'a [&'static str],
        which: Parents,
        _: Option<Share<'a>>,
    ) -> BoxFuture<'a, Result<Vec<Vec<L::Output>>>> {
        Box::pin(self.load(conn, rows, names, which))
    }

    fn take(loaded: &mut [Vec<L::Output>], index: usize) -> Result<Self::Shaped> {
        let rows = loaded
            .get_mut(index)
            .map(std::mem::take)
            .unwrap_or_default();
        C::shape(rows, "(its `where` excluded the row)")
    }
}

impl<M: Model> Relations<M> for () {
    type Loaded = ();
    type Shaped = ();

    fn key_columns(&self, _: &mut Vec<&'static str>) {}

    fn load<'a>(
        &'a self,
        _: ConnRef<'a>,
        _: &'a [Row],
        _: &'a [&'static str],
        _: Parents,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async { Ok(()) })
    }

    fn shape(_: &mut (), _: usize) -> Result<()> {
        Ok(())
    }

    fn without_relations() -> Option<()> {
        Some(())
    }
}

tuple_relations!((A, 0));
tuple_relations!((A, 0), (B, 1));
tuple_relations!((A, 0), (B, 1), (C, 2));
tuple_relations!((A, 0), (B, 1), (C, 2), (D, 3));
tuple_relations!((A, 0), (B, 1), (C, 2), (D, 3), (E, 4));
tuple_relations!((A, 0), (B, 1), (C, 2), (D, 3), (E, 4), (F, 5));
tuple_relations!((A, 0), (B, 1), (C, 2), (D, 3), (E, 4), (F, 5), (G, 6));
tuple_relations!(
    (A, 0),
    (B, 1),
    (C, 2),
    (D, 3),
    (E, 4),
    (F, 5),
    (G, 6),
    (H, 7)
);
tuple_relations!(
    (A, 0),
    (B, 1),
    (C, 2),
    (D, 3),
    (E, 4),
    (F, 5),
    (G, 6),
    (H, 7),
    (I, 8)
);
tuple_relations!(
    (A, 0),
    (B, 1),
    (C, 2),
    (D, 3),
    (E, 4),
    (F, 5),
    (G, 6),
    (H, 7),
    (I, 8),
    (J, 9)
);
tuple_relations!(
    (A, 0),
    (B, 1),
    (C, 2),
    (D, 3),
    (E, 4),
    (F, 5),
    (G, 6),
    (H, 7),
    (I, 8),
    (J, 9),
    (K, 10)
);
tuple_relations!(
    (A, 0),
    (B, 1),
    (C, 2),
    (D, 3),
    (E, 4),
    (F, 5),
    (G, 6),
    (H, 7),
    (I, 8),
    (J, 9),
    (K, 10),
    (L, 11)
);
tuple_relations!(
    (A, 0),
    (B, 1),
    (C, 2),
    (D, 3),
    (E, 4),
    (F, 5),
    (G, 6),
    (H, 7),
    (I, 8),
    (J, 9),
    (K, 10),
    (L, 11),
    (N, 12)
);
tuple_relations!(
    (A, 0),
    (B, 1),
    (C, 2),
    (D, 3),
    (E, 4),
    (F, 5),
    (G, 6),
    (H, 7),
    (I, 8),
    (J, 9),
    (K, 10),
    (L, 11),
    (N, 12),
    (P, 13)
);
tuple_relations!(
    (A, 0),
    (B, 1),
    (C, 2),
    (D, 3),
    (E, 4),
    (F, 5),
    (G, 6),
    (H, 7),
    (I, 8),
    (J, 9),
    (K, 10),
    (L, 11),
    (N, 12),
    (P, 13),
    (Q, 14)
);
tuple_relations!(
    (A, 0),
    (B, 1),
    (C, 2),
    (D, 3),
    (E, 4),
    (F, 5),
    (G, 6),
    (H, 7),
    (I, 8),
    (J, 9),
    (K, 10),
    (L, 11),
    (N, 12),
    (P, 13),
    (Q, 14),
    (R, 15)
);

/// A query whose rows come back as a selection's outputs.
#[must_use = "a query does nothing until it is fetched"]
pub struct Selected<M, L> {
    pub(super) query: SelectQuery,
    pub(super) level: L,
    pub(super) cursor: Option<crate::run::query::cursor::Cursor>,
    /// How many roots [`Selected::stream`] reads at a time.
    pub(super) chunk: u64,
    /// How many chunks [`Selected::stream`] reads ahead on a pool.
    pub(super) ahead: usize,
    pub(super) _model: PhantomData<fn() -> M>,
}

// `Find::select` checks that the level reads `M`; see `RelSelect` on leaving it out here.
impl<M: Model, L: Level> Selected<M, L> {
    pub(crate) fn new(
        mut query: SelectQuery,
        level: L,
        cursor: Option<crate::run::query::cursor::Cursor>,
        (chunk, ahead): (u64, usize),
    ) -> Self {
        query.columns = level.columns();
        Self {
            query,
            level,
            cursor,
            chunk,
            ahead,
            _model: PhantomData,
        }
    }

    /// Keeps the rows the filter matches.
    pub fn filter<F>(mut self, filter: F) -> Self
    where
        F: IntoFilter,
        F::Model: FilterOn<M>,
    {
        self.query.filter =
            crate::run::query::and_filter(self.query.filter.take(), filter_on(filter));
        self
    }

    /// Orders by a column; later calls break ties of earlier ones.
    pub fn order_by(mut self, order: Order<M>) -> Self {
        self.query.order_by.push(order.term);
        self
    }

    /// Returns at most `n` rows.
    pub fn take(mut self, n: impl RowCount) -> Self {
        self.query.limit = Some(n.row_count());
        self
    }

    /// Skips the first `n` rows.
    pub fn skip(mut self, n: impl RowCount) -> Self {
        self.query.offset = Some(n.row_count());
        self
    }

    /// The root statement as it is sent: only the selected columns and the keys relations need.
    pub fn to_statement(&self, dialect: crate::sql::Dialect) -> crate::sql::Statement {
        render_select(dialect, &self.query)
    }

    /// Every matching row, as the selection's output.
    pub async fn fetch_all<'a>(self, ex: impl Executor<'a>) -> Result<Vec<L::Output>> {
        let mut read = ex.conn().reading().await?;
        loop {
            match self.fetch_rows(read.conn()).await {
                Err(e) if read.again(&e).await? => {}
                done => return read.end(done).await,
            }
        }
    }

    /// The statements of [`Selected::fetch_all`], on one connection (run again from the start
    /// when it breaks: see `ConnRef::reading`).
    async fn fetch_rows(&self, conn: ConnRef<'_>) -> Result<Vec<L::Output>> {
        let query = crate::run::query::cursor::applied(
            conn,
            crate::run::query::cursor::CursorModel::of::<M>(),
            &self.query,
            self.cursor.as_ref(),
        )
        .await?;
        let query = &*query;
        let plain = M::META.plain_columns(&query.columns);
        let rows = conn
            .fetch_read(&render_select(conn.dialect(), query), plain)
            .await?;
        let which = Parents::of_root(query);
        self.level.build(conn, rows, &query.columns, which).await
    }

    /// The first matching row, if any.
    pub async fn fetch_optional<'a>(self, ex: impl Executor<'a>) -> Result<Option<L::Output>> {
        Ok(self.take(1).fetch_all(ex).await?.into_iter().next())
    }

    /// The first matching row; [`Error::NotFound`] when there is none.
    pub async fn fetch_one<'a>(self, ex: impl Executor<'a>) -> Result<L::Output> {
        self.fetch_optional(ex).await?.ok_or(Error::NotFound {
            model: M::META.name,
        })
    }
}
