//! Compile-time checks behind `#[derive(Model)]`, shaped so that one mistake gives one error.
//!
//! A type rule is asserted once per field, at the field's type. The generated code that needs
//! the same traits reaches them in a way that does not repeat the error: through `<T as Trait>`
//! paths, which the compiler reports identically and so only once; through a [`Probe`],
//! which falls back to an unreachable stand-in when the type lacks the traits (the assertion
//! has already said why); or, for the primary key, through `M::Key`, whose bound is checked
//! once, by `type Key`.
//!
//! A probe works by method resolution ("autoref specialization"): `(&Probe::<T>::new()).m()`
//! takes the impl on `Probe<T>` when its bounds hold, and otherwise auto-references once more
//! and takes the blanket impl on `&Probe<T>`. That needs the concrete type, which generated
//! code always has.

use std::fmt;
use std::marker::PhantomData;

use sqlx::{Database, Decode, Encode, Type};

use crate::dsl::filter::{Col, Filter};
use crate::dsl::model::Model;
use crate::values::custom::CustomType;
use crate::values::row::Row;
use crate::values::types::{FieldType, PrimaryKey, ReferenceTo};
use crate::values::value::{SqlType, Value};

/// Method-resolution probe for the type `T`; `B` picks a backend for [`Codec`].
pub struct Probe<T, B = ()>(PhantomData<fn() -> (T, B)>);

/// Stands for a backend that is not compiled in: every type passes its [`Codec`] check.
pub struct Off;

/// A [`Codec`] probe for SQLite.
#[cfg(feature = "sqlite")]
pub type SqliteProbe<T> = Probe<T, sqlx::Sqlite>;
/// A [`Codec`] probe for SQLite, which is not compiled in.
#[cfg(not(feature = "sqlite"))]
pub type SqliteProbe<T> = Probe<T, Off>;
/// A [`Codec`] probe for PostgreSQL.
#[cfg(feature = "postgres")]
pub type PostgresProbe<T> = Probe<T, sqlx::Postgres>;
/// A [`Codec`] probe for PostgreSQL, which is not compiled in.
#[cfg(not(feature = "postgres"))]
pub type PostgresProbe<T> = Probe<T, Off>;
/// A [`Codec`] probe for MySQL.
#[cfg(feature = "mysql")]
pub type MySqlProbe<T> = Probe<T, sqlx::MySql>;
/// A [`Codec`] probe for MySQL, which is not compiled in.
#[cfg(not(feature = "mysql"))]
pub type MySqlProbe<T> = Probe<T, Off>;

impl<T, B> Probe<T, B> {
    /// A probe (it holds nothing).
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Probe(PhantomData)
    }
}

/// What a probe found: the type has the traits.
pub struct Supported;
/// What a probe found: the type lacks some of the traits.
pub struct Unsupported;

/// `T` has sqlx's `Type`, `Encode` and `Decode` for the backend `DB`.
pub trait Codec {
    /// Reports [`Supported`].
    fn codec(&self) -> Supported {
        Supported
    }
}
impl<T, DB: Database> Codec for Probe<T, DB> where
    T: Type<DB> + for<'q> Encode<'q, DB> + for<'r> Decode<'r, DB>
{
}
impl<T> Codec for Probe<T, Off> {}

/// The fallback of [`Codec`].
pub trait NoCodec {
    /// Reports [`Unsupported`].
    fn codec(&self) -> Unsupported {
        Unsupported
    }
}
impl<T, B> NoCodec for &Probe<T, B> {}

// One trait per backend (the diagnostic attribute takes literals only), so the error names
// the backend. The check is a `<_ as Trait<T>>` path, which keeps "required by a bound" notes
// out; `Self` is left to inference from the argument so the compiler cannot settle it early
// from the only impl.

/// `T` can be a `sql_type` column on SQLite: implemented by what the [`Codec`] probe returns
/// when it is. Generated code calls `<_ as SqliteColumn<T>>::check(probe result)`.
#[diagnostic::on_unimplemented(
    message = "`{T}` cannot be a `sql_type` column: it does not implement sqlx's `Type`, `Encode` and `Decode` for SQLite",
    label = "not usable with sqlx on SQLite",
    note = "a `sql_type` column's type must work with sqlx on SQLite, PostgreSQL and MySQL: derive `sqlx::Type` for it, or use a type sqlx supports on all three (`sqlx::types::Json<T>` stores a serde type as JSON)"
)]
pub trait SqliteColumn<T>: Sized {
    /// Takes the probe's result, which the call leaves the compiler to name.
    fn check(self) {}
}
impl<T> SqliteColumn<T> for Supported {}

/// `T` can be a `sql_type` column on PostgreSQL: implemented by what the [`Codec`] probe returns
/// when it is. Generated code calls `<_ as PostgresColumn<T>>::check(probe result)`.
#[diagnostic::on_unimplemented(
    message = "`{T}` cannot be a `sql_type` column: it does not implement sqlx's `Type`, `Encode` and `Decode` for PostgreSQL",
    label = "not usable with sqlx on PostgreSQL",
    note = "a `sql_type` column's type must work with sqlx on SQLite, PostgreSQL and MySQL: derive `sqlx::Type` for it, or use a type sqlx supports on all three (`sqlx::types::Json<T>` stores a serde type as JSON)"
)]
pub trait PostgresColumn<T>: Sized {
    /// Takes the probe's result, which the call leaves the compiler to name.
    fn check(self) {}
}
impl<T> PostgresColumn<T> for Supported {}

/// `T` can be a `sql_type` column on MySQL: implemented by what the [`Codec`] probe returns
/// when it is. Generated code calls `<_ as MySqlColumn<T>>::check(probe result)`.
#[diagnostic::on_unimplemented(
    message = "`{T}` cannot be a `sql_type` column: it does not implement sqlx's `Type`, `Encode` and `Decode` for MySQL",
    label = "not usable with sqlx on MySQL",
    note = "a `sql_type` column's type must work with sqlx on SQLite, PostgreSQL and MySQL: derive `sqlx::Type` for it, or use a type sqlx supports on all three (`sqlx::types::Json<T>` stores a serde type as JSON)"
)]
pub trait MySqlColumn<T>: Sized {
    /// Takes the probe's result, which the call leaves the compiler to name.
    fn check(self) {}
}
impl<T> MySqlColumn<T> for Supported {}

/// What a `sql_type` field's type needs besides sqlx's traits.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a `sql_type` column: it must implement `Clone` and `Debug`",
    label = "this field's type",
    note = "add `#[derive(Clone, Debug)]` to it"
)]
pub trait CustomBasics: Clone + fmt::Debug + Send + Sync + 'static {
    /// Generated code calls `<T as CustomBasics>::check()`.
    fn check() {}
}
impl<T: Clone + fmt::Debug + Send + Sync + 'static> CustomBasics for T {}

/// Reading and writing a `sql_type` field, when its type is a [`CustomType`].
pub trait CustomCodec<T> {
    /// The value bound for the field.
    fn to_value(&self, value: &T) -> Value;
    /// Reads the field from the column at `index`.
    fn decode(
        &self,
        row: &Row,
        index: usize,
    ) -> Result<T, Box<dyn std::error::Error + Send + Sync>>;
}
impl<T: CustomType> CustomCodec<T> for Probe<T> {
    fn to_value(&self, value: &T) -> Value {
        crate::values::custom::to_value(value)
    }
    fn decode(
        &self,
        row: &Row,
        index: usize,
    ) -> Result<T, Box<dyn std::error::Error + Send + Sync>> {
        crate::values::custom::decode(row, index)
    }
}

/// The fallback of [`CustomCodec`], for a type the assertions already rejected.
pub trait NoCustomCodec<T> {
    /// Never called: the program does not compile.
    #[allow(clippy::unreachable)]
    fn to_value(&self, _: &T) -> Value {
        unreachable!("a rejected `sql_type` field")
    }
    /// Never called: the program does not compile.
    #[allow(clippy::unreachable)]
    fn decode(&self, _: &Row, _: usize) -> Result<T, Box<dyn std::error::Error + Send + Sync>> {
        unreachable!("a rejected `sql_type` field")
    }
}
impl<T> NoCustomCodec<T> for &Probe<T> {}

/// `filter.on(column)` for a `Where` member, when the column's type is supported.
pub trait WhereOn<T> {
    /// The member's conditions as a filter.
    fn where_on<M, K, F: crate::model::input::ColumnFilter<T>>(
        &self,
        filter: F,
        column: Col<M, T, K>,
    ) -> Filter<M>;
}
impl<T: FieldType> WhereOn<T> for Probe<T> {
    fn where_on<M, K, F: crate::model::input::ColumnFilter<T>>(
        &self,
        filter: F,
        column: Col<M, T, K>,
    ) -> Filter<M> {
        filter.on_column(column)
    }
}

/// The fallback of [`WhereOn`], for a type the assertions already rejected (one error, not two).
pub trait NoWhereOn<T> {
    /// Never called: the program does not compile.
    #[allow(clippy::unreachable)]
    fn where_on<M, K, F>(&self, _: F, _: Col<M, T, K>) -> Filter<M> {
        unreachable!("a rejected column type")
    }
}
impl<T> NoWhereOn<T> for &Probe<T> {}

/// Asserts that a `references = M` field of type `T` can hold `M`'s key `K` (the caller
/// names `K` as `<M as Model>::Key`, which reports a non-model `M` once, like every other use).
pub fn assert_reference_type<K, T: ReferenceTo<K>>() {}

/// A relation key named on another model (`foreign_key` of has_one/has_many) holds the key it
/// must point at: its handle's type is `K` or `Option<K>`.
pub fn assert_foreign_key<K, M, T: ReferenceTo<K>, C>(_column: crate::dsl::filter::Col<M, T, C>) {}

// What a field references, for the `from`/`to` checks of a many_to_many. Each model's `Fields`
// has a hidden method per field, `__trellis_references_<field>()`, returning one of the
// markers below. The check calls it by name on the join model's `FIELDS`, with a fallback
// trait in scope that gives [`UnknownField`] for a name that is no field: that mistake is
// reported once, by the access to the field itself, and not again here.

/// The field is declared `#[field(references = M)]`.
pub struct References<M>(PhantomData<fn() -> M>);

impl<M> References<M> {
    /// The marker (it holds nothing).
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        References(PhantomData)
    }
}

/// The field references no model.
pub struct NoReference;

/// No field has the name asked for (or its model's derive failed): someone else says why.
pub struct UnknownField;

/// The model a join model's field references, for a `from`/`to` key that must reference `E`.
/// A field that references none, or no field at all, gives `E` itself: those mistakes are
/// reported by checks of their own, so this one stays quiet.
pub trait JoinKey<E> {
    /// The referenced model.
    type Model;
}
impl<M, E> JoinKey<E> for References<M> {
    type Model = M;
}
impl<E> JoinKey<E> for NoReference {
    type Model = E;
}
impl<E> JoinKey<E> for UnknownField {
    type Model = E;
}

// The primary key's uses go through `M::Key`, whose `FieldType` bound the trait declares: an
// unsupported key type is then reported once, by the bound on `type Key`, and not again at
// each use (the compiler words the two differently, so it would not merge them).

/// A column's decoded value, or the error naming the model and column.
pub fn decoded<T, E: Into<Box<dyn std::error::Error + Send + Sync>>>(
    value: Result<T, E>,
    model: &'static str,
    column: &'static str,
) -> crate::values::error::Result<T> {
    value.map_err(|e| crate::values::error::Error::decode(model, column, e))
}

/// Stores a key the database generated (`key`, converted to the field's type by
/// `AutoKey::from_generated`: `converted`) in the model's `auto` key field: an error when it
/// does not fit the field's type.
pub fn set_generated_key<T>(
    field: &mut T,
    converted: Option<T>,
    key: i64,
    model: &'static str,
    column: &'static str,
) -> crate::values::error::Result<()> {
    match converted {
        Some(value) => {
            *field = value;
            Ok(())
        }
        None => Err(crate::values::error::Error::decode(
            model,
            column,
            format!("generated key {key} does not fit the key's type"),
        )),
    }
}

/// A whole model row as stored: with the key the database generated, when it did.
pub fn stored<M: Model>(
    mut row: M,
    generated_key: Option<i64>,
) -> crate::values::error::Result<Option<M>> {
    if let Some(key) = generated_key {
        row.__set_generated_key(key)?;
    }
    Ok(Some(row))
}

/// A belongs_to, has_one or has_many relation's entry in `ModelMeta::relations`.
pub const fn relation(
    name: &'static str,
    kind: crate::meta::model::RelationKind,
    target: fn() -> &'static crate::meta::model::ModelMeta,
    foreign_key: &'static str,
) -> crate::meta::model::RelationMeta {
    crate::meta::model::RelationMeta {
        name,
        kind,
        target,
        foreign_key,
        through: None,
    }
}

/// A many_to_many relation's entry in `ModelMeta::relations`: through `join`, whose `from`
/// references the declaring model and `to` the target.
pub const fn through(
    name: &'static str,
    target: fn() -> &'static crate::meta::model::ModelMeta,
    join: fn() -> &'static crate::meta::model::ModelMeta,
    from: &'static str,
    to: &'static str,
) -> crate::meta::model::RelationMeta {
    crate::meta::model::RelationMeta {
        name,
        kind: crate::meta::model::RelationKind::ManyToMany,
        target,
        foreign_key: "",
        through: Some(crate::meta::model::Through {
            model: join,
            from,
            to,
        }),
    }
}

/// A column's metadata with no constraint, key or default: what the derive starts each
/// column from, naming only what differs (`ColumnMeta { unique: true, ..column(..) }`).
pub const fn column(
    field: &'static str,
    name: &'static str,
    sql_type: SqlType,
    nullable: bool,
) -> crate::meta::model::ColumnMeta {
    crate::meta::model::ColumnMeta {
        field,
        name,
        sql_type,
        nullable,
        primary_key: false,
        generated: false,
        unique: false,
        index: false,
        in_index: None,
        default: None,
        references: None,
        on_delete: None,
        on_update: None,
    }
}

/// The key's column type (of a key of one column: the derive gives each column of a
/// composite key its own field's type).
pub const fn key_sql_type<M: Model>() -> SqlType {
    <M::Key as PrimaryKey>::__SQL_TYPE
}

/// Whether the key's column accepts `NULL`.
pub const fn key_nullable<M: Model>() -> bool {
    <M::Key as PrimaryKey>::__NULLABLE
}

/// The value bound for the key.
pub fn key_value<M: Model>(key: &M::Key) -> Value {
    key.__sole_value()
}

/// Reads the key from the column at `index`.
pub fn decode_key<M: Model>(
    row: &Row,
    index: usize,
) -> Result<M::Key, Box<dyn std::error::Error + Send + Sync>> {
    <M::Key as PrimaryKey>::__decode_sole(row, index)
}

/// What a name that is no field or relation of a model resolves to where generated code looks
/// it up (`select!`, `#[derive(Selection)]`, relation keys): each model's `Fields` has a hidden
/// getter per field and relation, the lookup falls back to one returning this marker, and the
/// model's own `__TrellisKnown` trait, which the marker lacks, says what the model has.
#[derive(Debug, Clone, Copy)]
pub struct UnknownName;
