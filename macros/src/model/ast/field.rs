//! Column fields: the column's name (from `column`, `rename_all` or the field's name) and
//! each `#[field(...)]` value validated on its own.

use proc_macro2::Span;
use syn::ext::IdentExt;

use super::value::{non_empty, rename};
use crate::error::error_at;
use crate::model::attr::{FieldAttrs, Text};

pub(crate) struct Field {
    pub(crate) ident: syn::Ident,
    pub(crate) ty: syn::Type,
    pub(crate) column: String,
    /// Where the column name came from: the `column = ".."` value or the field's name.
    pub(crate) column_span: Span,
    /// The `rename_all` rule, when it made the column name (and changed it).
    pub(crate) renamed_by: Option<String>,
    pub(crate) id: Option<Span>,
    /// Whether it is the model's whole primary key (set by the check stage: `false` for the
    /// columns of a composite key, whose types are their own rather than `Self::Key`).
    pub(crate) sole_key: bool,
    pub(crate) auto: Option<Span>,
    pub(crate) unique: bool,
    pub(crate) index: bool,
    pub(crate) references: Option<syn::Path>,
    /// `on_delete` / `on_update`: the `ReferentialAction` variant names.
    pub(crate) on_delete: Option<syn::Ident>,
    pub(crate) on_update: Option<syn::Ident>,
    pub(crate) default: Option<String>,
    pub(crate) sql_type: Option<String>,
}

impl Field {
    /// Whether the field's type is written `Option<..>`, for `sql_type` columns whose
    /// nullability cannot be read from a trait.
    pub(crate) fn is_option(&self) -> bool {
        match &self.ty {
            syn::Type::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == "Option"),
            _ => false,
        }
    }

    /// Whether `user::New` has the field: it leaves out `auto` keys and the non-key columns
    /// with a database `default`, which the database (or Trellis) fills in.
    pub(crate) fn in_new(&self) -> bool {
        self.auto.is_none() && (self.id.is_some() || self.default.is_none())
    }

    /// The field as far as its attribute allows; every mistake found goes to `errors`.
    /// `rule` is the model's `rename_all` rule.
    pub(super) fn from_attrs(
        errors: &mut darling::error::Accumulator,
        attrs: FieldAttrs,
        rule: Option<&str>,
    ) -> Option<Field> {
        let ident = attrs.ident?;
        let name = ident.unraw().to_string();
        let default_column = rule.map_or_else(|| name.clone(), |r| rename(r, &name));
        let column_attr = non_empty(
            errors,
            attrs.column,
            "column",
            &format!("name the column, or remove `column` to use `{default_column}`"),
        );
        let sql_type = non_empty(
            errors,
            attrs.sql_type,
            "sql_type",
            "give the column's SQL type, like `sql_type = \"TEXT\"`",
        )
        .map(|t| t.as_str().to_owned());
        let default = non_empty(
            errors,
            attrs.default,
            "default",
            "give an SQL expression, like `default = \"0\"`, or remove `default`",
        )
        .map(|d| d.as_str().to_owned());
        let (column, column_span, renamed_by) = match column_attr {
            Some(column) => (column.as_str().to_owned(), column.span(), None),
            None => {
                let renamed_by = rule.filter(|_| default_column != name).map(str::to_owned);
                (default_column, ident.span(), renamed_by)
            }
        };
        Some(Field {
            column,
            column_span,
            renamed_by,
            id: attrs.id.is_present().then(|| attrs.id.span()),
            sole_key: false,
            auto: attrs.auto.is_present().then(|| attrs.auto.span()),
            unique: attrs.unique.is_present(),
            index: attrs.index.is_present(),
            on_delete: referential_action(
                errors,
                attrs.on_delete.as_ref(),
                "on_delete",
                attrs.references.is_some(),
            ),
            on_update: referential_action(
                errors,
                attrs.on_update.as_ref(),
                "on_update",
                attrs.references.is_some(),
            ),
            references: attrs.references,
            default,
            sql_type,
            ty: attrs.ty,
            ident,
        })
    }
}

const ACTIONS: &[(&str, &str)] = &[
    ("cascade", "Cascade"),
    ("restrict", "Restrict"),
    ("no action", "NoAction"),
    ("set null", "SetNull"),
    ("set default", "SetDefault"),
];

/// `on_delete = "cascade"` and the like: one of the SQL referential actions, on a foreign key.
fn referential_action(
    errors: &mut darling::error::Accumulator,
    value: Option<&Text>,
    what: &str,
    is_foreign_key: bool,
) -> Option<syn::Ident> {
    let value = value?;
    if !is_foreign_key {
        errors.push(error_at(
            value.span(),
            format!(
                "`{what}` applies to foreign keys: add `references = Model` or remove `{what}`"
            ),
        ));
        return None;
    }
    let wanted = value.as_str().trim().to_lowercase().replace('_', " ");
    match ACTIONS.iter().find(|(sql, _)| *sql == wanted) {
        Some((_, variant)) => Some(syn::Ident::new(variant, value.span())),
        None => {
            let names: Vec<String> = ACTIONS.iter().map(|(sql, _)| format!("`{sql}`")).collect();
            errors.push(error_at(
                value.span(),
                format!(
                    "unknown `{what}` action `{}`; use one of: {}",
                    value.as_str(),
                    names.join(", ")
                ),
            ));
            None
        }
    }
}
