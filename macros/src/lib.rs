//! Derive macros of Trellis. Only the entry points live here; each macro is cut into stages
//! (attributes -> validated model -> checks -> code generation) in its own module, and every
//! import points down: `error` and `lookup` are the bottom, `select` stands below `selection`
//! (which reuses its relation options), and no module imports one that imports it.

mod error;
mod lookup;
mod model;
mod select;
mod selection;

use proc_macro::TokenStream;

/// Derives `trellis::Model` for a struct with named fields: table metadata, row decoding,
/// typed column handles (in a module named after the struct, in snake case) and a where struct.
///
/// # Struct attributes: `#[model(...)]`
/// - `table = "name"`: the table (default: the struct's name in snake case).
/// - `rename_all = "camelCase"`: how field names become column names (`snake_case`,
///   `camelCase`, `PascalCase`, `SCREAMING_SNAKE_CASE`, `kebab-case`, `lowercase`, `UPPERCASE`);
///   default: the field name as written.
/// - `crate = "path"`: where the `trellis` crate is, when it is not `::trellis`.
/// - `module = "name"`: the name of the handle module (default: the struct's name in snake
///   case), when that name is taken by another item, such as a module of your own.
///
/// # Field attributes: `#[field(...)]`
/// - `id`: the primary key (exactly one field).
/// - `auto`: with `id`, the key is generated: by the database for integers, by Trellis
///   (random v4) for a nil `uuid::Uuid`.
/// - `unique`: a `UNIQUE` column; its handle can be used with `find_unique`.
/// - `index`: an index on the column.
/// - `column = "name"`: the column's name.
/// - `references = Model`: a foreign key to that model's primary key (same type, or `Option`
///   of it).
/// - `on_delete = "cascade"`, `on_update = ".."`: with `references`, the referential action
///   (`cascade`, `restrict`, `no action`, `set null`, `set default`).
/// - `default = "SQL"`: a database default, written into the DDL as given.
/// - `sql_type = "TYPE"`: the column type, for field types Trellis does not know (they must
///   implement sqlx's traits on every backend).
///
/// # Relation fields: `#[relation(...)]`
/// A relation field holds rows of another model, loaded on request with `.include(..)`; it is
/// not a column. Exactly one kind per field, with its wrapper type:
/// - `belongs_to = Model, foreign_key = "field"` on a `BelongsTo<Model>`: `field` is a
///   column of this model referencing `Model`'s key.
/// - `has_one = Model, foreign_key = "field"` on a `HasOne<Model>` and
///   `has_many = Model, foreign_key = "field"` on a `HasMany<Model>`: `field` is a column of
///   `Model` referencing this model's key; for `has_one`, a unique one (`#[field(unique)]` or
///   the primary key).
/// - `many_to_many = Model, through = Join, from = "a", to = "b"` on a `ManyToMany<Model>`:
///   `Join.a` references this model, `Join.b` references `Model`, both declared with
///   `#[field(references = ..)]` on `Join`.
#[proc_macro_derive(Model, attributes(model, field, relation))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    model::derive(&input).into()
}

/// Selects fields and related rows of a model, checked by the compiler, as a typed result:
///
/// `select!(User { id, profile { bio }, sessions(take = 5, order_by = token.asc()) { token } })`
///
/// gives, per row, a value with exactly the fields named: columns keep their types,
/// `has_many`/`many_to_many` relations give a `Vec`, `has_one` (and a `belongs_to` through a
/// nullable key) an `Option`, a `belongs_to` through a non-null key the value itself. Relation
/// options: `where = <filter>`, `order_by = <order>` (repeatable), `take = n`, `skip = n`,
/// `cursor = (unique_field, value)`; `relation: count` gives its row count as an `i64`;
/// `name: field ..` puts a column, relation or count in the output under another name (so
/// one relation can be selected twice: `open: sessions(where = ..) { token }`);
/// inside `where` and `order_by`, a name followed by a method call is a field of the related
/// model. Pass it to `.select(..)` of a query of the same model.
///
/// `select!(crate = "path", User { .. })` names where the `trellis` crate is, when it is not
/// `::trellis` (as `#[model(crate = "path")]` does for models).
#[proc_macro]
pub fn select(input: TokenStream) -> TokenStream {
    select::select(input.into()).into()
}

/// Derives `trellis::select::Selection` for a struct that names the fields of a model to
/// read: a named, reusable `select!` for function signatures and serde.
///
/// `#[selection(model = User)]` on the struct (with `crate = "path"` when the `trellis`
/// crate is not `::trellis`). Each field is the model's column of the same
/// name, with the same type; or, marked `#[selection(relation)]` or given relation options
/// (`take = 5`, `skip = 1`, `order_by = token.asc()`, `where = token.ne("x")`, written as in
/// `select!`; the older form with the expression in a string is deprecated), the
/// relation of that name, typed `Vec<S>`, `Option<S>` or `S` by its kind, where `S` is another
/// `Selection` of the related model (which must be `Clone`). Use it with
/// `.select(UserCard::level())` on a query of the same model.
#[proc_macro_derive(Selection, attributes(selection))]
pub fn derive_selection(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    selection::derive(&input).into()
}
