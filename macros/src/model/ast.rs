//! The model as the later stages see it: names resolved (table, columns), each attribute
//! value validated on its own. Cross-field rules live in `check`.

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::Span;
use syn::ext::IdentExt;

use super::attr::{FieldAttrs, ModelAttrs, RelationAttrs, Text};
use super::relation::{self, Relation};

pub(crate) struct Model {
    pub(crate) ident: syn::Ident,
    pub(crate) vis: syn::Visibility,
    pub(crate) krate: syn::Path,
    pub(crate) table: String,
    /// The module that holds the column handles: the struct's name in snake case.
    pub(crate) module: syn::Ident,
    /// Column fields, in declaration order.
    pub(crate) fields: Vec<Field>,
    /// Relation fields.
    pub(crate) relations: Vec<Relation>,
}

pub(crate) struct Field {
    pub(crate) ident: syn::Ident,
    pub(crate) ty: syn::Type,
    pub(crate) column: String,
    /// Where the column name came from: the `column = ".."` value or the field's name.
    pub(crate) column_span: Span,
    /// The `rename_all` rule, when it made the column name (and changed it).
    pub(crate) renamed_by: Option<String>,
    pub(crate) id: Option<Span>,
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
}

const RENAME_RULES: &[&str] = &[
    "snake_case",
    "camelCase",
    "PascalCase",
    "SCREAMING_SNAKE_CASE",
    "kebab-case",
    "lowercase",
    "UPPERCASE",
];

fn rename(rule: &str, name: &str) -> String {
    match rule {
        "snake_case" => name.to_snake_case(),
        "camelCase" => name.to_lower_camel_case(),
        "PascalCase" => name.to_upper_camel_case(),
        "SCREAMING_SNAKE_CASE" => name.to_shouty_snake_case(),
        "kebab-case" => name.to_kebab_case(),
        "lowercase" => name.to_lowercase(),
        "UPPERCASE" => name.to_uppercase(),
        _ => name.to_owned(),
    }
}

/// An error at a bare span (darling wants a token to take the span from).
pub(crate) fn error_at(span: Span, message: impl std::fmt::Display) -> darling::Error {
    darling::Error::custom(message).with_span(&syn::Ident::new("at", span))
}

/// A value given in an attribute must not be empty; `fix` says what to write instead.
fn non_empty(
    errors: &mut darling::error::Accumulator,
    value: Option<Text>,
    what: &str,
    fix: &str,
) -> Option<Text> {
    let value = value?;
    if value.as_str().trim().is_empty() {
        errors.push(error_at(
            value.span(),
            format!("`{what}` cannot be empty: {fix}"),
        ));
        return None;
    }
    Some(value)
}

/// The rule the user probably meant: the same letters with other case or separators.
fn similar_rule(rule: &str) -> Option<&'static str> {
    let squash = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let wanted = squash(rule);
    RENAME_RULES.iter().copied().find(|r| squash(r) == wanted)
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

        let rule = attrs.rename_all.and_then(|rule| {
            if RENAME_RULES.contains(&rule.as_str()) {
                Some(rule.as_str().to_owned())
            } else {
                let message = match similar_rule(rule.as_str()) {
                    Some(meant) => format!(
                        "unknown `rename_all` rule `{}`; did you mean `{meant}`?",
                        rule.as_str()
                    ),
                    None => format!(
                        "unknown `rename_all` rule `{}`; use one of: {}",
                        rule.as_str(),
                        RENAME_RULES.join(", ")
                    ),
                };
                errors.push(error_at(rule.span(), message));
                None
            }
        });

        let default_table = input.ident.to_string().to_snake_case();
        let table = non_empty(
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

        let module = syn::Ident::new(&input.ident.to_string().to_snake_case(), input.ident.span());
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
        }
    }
}

impl Field {
    fn from_attrs(
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
