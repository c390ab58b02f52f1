//! Stage 2 of `#[derive(Model)]`: the model as the later stages see it, built from what darling
//! read (`attr`): names resolved (table, columns), each attribute value validated on its own,
//! every mistake pushed to the accumulator. It may use `attr` and `crate::error`, nothing
//! later: cross-field rules are `check`'s, code generation is `expand`'s. Inside, `value` is
//! the bottom, `field` uses it, `relation` uses `field`, and `Model` here holds them all.

pub(super) mod field;
pub(super) mod index;
pub(super) mod relation;
mod value;

use heck::ToSnakeCase;
use proc_macro2::Span;

use self::field::Field;
use self::index::Index;
use self::relation::Relation;
use crate::model::attr::{FieldAttrs, ModelAttrs, RelationAttrs};

pub(crate) struct Model {
    pub(crate) ident: syn::Ident,
    pub(crate) vis: syn::Visibility,
    pub(crate) krate: syn::Path,
    pub(crate) table: String,
    /// The module that holds the column handles: `module = ".."`, or the struct's name in
    /// snake case.
    pub(crate) module: syn::Ident,
    /// Column fields, in declaration order.
    pub(crate) fields: Vec<Field>,
    /// Relation fields.
    pub(crate) relations: Vec<Relation>,
    /// Indexes of several columns (`unique(..)`, `index(..)`).
    pub(crate) indexes: Vec<Index>,
}

impl Model {
    /// The model as far as its attributes allow; every mistake found goes to `errors`.
    pub(crate) fn from_attrs(
        input: &syn::DeriveInput,
        attrs: ModelAttrs,
        fields: Vec<FieldAttrs>,
        relations: Vec<RelationAttrs>,
        errors: &mut darling::error::Accumulator,
    ) -> Model {
        // Generated code names the struct without parameters; a table has one row type.
        if let Some(param) = input.generics.params.first() {
            errors.push(
                darling::Error::custom(
                    "a model cannot have generic parameters: a table has one row type; \
                     remove them and give each field a concrete type",
                )
                .with_span(param),
            );
        }

        let rule = value::rename_rule(errors, attrs.rename_all);

        let default_table = input.ident.to_string().to_snake_case();
        let table = value::non_empty(
            errors,
            attrs.table,
            "table",
            &format!("name the table, or remove `table` to use `{default_table}`"),
        )
        .map(|t| t.as_str().to_owned())
        .unwrap_or(default_table);

        let fields: Vec<Field> = fields
            .into_iter()
            .filter_map(|f| Field::from_attrs(errors, f, rule.as_deref()))
            .collect();
        let relations = relations
            .into_iter()
            .filter_map(|r| relation::from_attrs(r, &input.ident, &fields, errors))
            .collect();

        let indexes = (attrs.unique.iter().map(|paths| (paths, true)))
            .chain(attrs.index.iter().map(|paths| (paths, false)))
            .filter_map(|(paths, unique)| {
                index::from_paths(paths, unique, &input.ident, &fields, errors)
            })
            .collect();

        let module = value::module_name(errors, attrs.module, &input.ident);
        let krate = attrs
            .krate
            .unwrap_or_else(|| syn::parse_quote_spanned!(Span::call_site()=> ::trellis));
        Model {
            ident: input.ident.clone(),
            vis: input.vis.clone(),
            krate,
            table,
            module,
            fields,
            relations,
            indexes,
        }
    }
}
