//! Stage 3 of `#[derive(Model)]`: rules that span several fields, over the model `ast` built.
//! All of them run, so every mistake is reported at once. Type rules (supported column types,
//! foreign key types) are left to the compiler: the generated code asserts them at the
//! offending token.

use std::collections::HashMap;

use crate::error::error_at;
use crate::model::ast::Model;

/// A model that passed every check: exactly one primary key, distinct columns.
pub(crate) struct Checked {
    pub(crate) model: Model,
    /// Index of the primary key field.
    pub(crate) primary_key: usize,
}

/// Runs every rule, pushing each mistake to `errors`; `None` when there is no primary key.
pub(crate) fn check(model: Model, errors: &mut darling::error::Accumulator) -> Option<Checked> {
    let primary_key = check_primary_key(&model, errors);
    check_auto(&model, errors);
    check_unique_columns(&model, errors);
    Some(Checked {
        primary_key: primary_key?,
        model,
    })
}

/// Every row needs one key that identifies it; composite keys are not supported.
fn check_primary_key(model: &Model, errors: &mut darling::error::Accumulator) -> Option<usize> {
    let keys: Vec<usize> = (0..model.fields.len())
        .filter(|&i| model.fields[i].id.is_some())
        .collect();
    match keys.as_slice() {
        [] => {
            // Name the field that most likely is the key.
            let fix = match model.fields.iter().find(|f| f.ident == "id") {
                Some(_) => "add `#[field(id)]` to its `id` field".to_owned(),
                None => "mark one field `#[field(id)]`".to_owned(),
            };
            errors.push(
                darling::Error::custom(format!("`{}` has no primary key: {fix}", model.ident))
                    .with_span(&model.ident),
            );
            None
        }
        [one] => Some(*one),
        [first, rest @ ..] => {
            let first_name = &model.fields[*first].ident;
            for &other in rest {
                let field = &model.fields[other];
                errors.push(error_at(
                    field.id.unwrap_or_else(|| field.ident.span()),
                    format!(
                        "`{}` already has a primary key, `{first_name}`, and composite keys are not \
                         supported: remove `id` from `{}`",
                        model.ident, field.ident
                    ),
                ));
            }
            Some(*first)
        }
    }
}

/// Only a primary key can be generated on insert.
fn check_auto(model: &Model, errors: &mut darling::error::Accumulator) {
    for field in &model.fields {
        if let (Some(span), None) = (field.auto, field.id) {
            errors.push(error_at(
                span,
                format!(
                    "`auto` generates primary keys only; write `#[field(id, auto)]` or remove `auto` from `{}`",
                    field.ident
                ),
            ));
        }
    }
}

/// Two fields in one column would overwrite each other.
fn check_unique_columns(model: &Model, errors: &mut darling::error::Accumulator) {
    let mut seen: HashMap<&str, &syn::Ident> = HashMap::new();
    for field in &model.fields {
        if let Some(first) = seen.insert(field.column.as_str(), &field.ident) {
            let message = match &field.renamed_by {
                Some(rule) => format!(
                    "`rename_all = \"{rule}\"` makes `{field}` the column `{column}`, which field \
                     `{first}` already uses; give `{field}` its own `column = \"...\"`",
                    field = field.ident,
                    column = field.column,
                ),
                None => format!(
                    "column `{column}` is already used by field `{first}`; give `{field}` another \
                     `column = \"...\"`",
                    field = field.ident,
                    column = field.column,
                ),
            };
            errors.push(error_at(field.column_span, message));
            seen.insert(field.column.as_str(), first);
        }
    }
}
