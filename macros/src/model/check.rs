//! Stage 3 of `#[derive(Model)]`: rules that span several fields, over the model `ast` built.
//! All of them run, so every mistake is reported at once. Type rules (supported column types,
//! foreign key types) are left to the compiler: the generated code asserts them at the
//! offending token.

use std::collections::HashMap;

use crate::error::error_at;
use crate::model::ast::Model;

/// A model that passed every check: a primary key, distinct columns.
pub(crate) struct Checked {
    pub(crate) model: Model,
    /// Indexes of the primary key's fields, in key order: one, or several for a composite key.
    pub(crate) primary_key: Vec<usize>,
}

/// Runs every rule, pushing each mistake to `errors`; `None` when there is no primary key.
pub(crate) fn check(mut model: Model, errors: &mut darling::error::Accumulator) -> Option<Checked> {
    let primary_key = check_primary_key(&model, errors);
    check_auto(&model, errors);
    check_unique_columns(&model, errors);
    let primary_key = primary_key?;
    if let [sole] = primary_key.as_slice() {
        if let Some(field) = model.fields.get_mut(*sole) {
            field.sole_key = true;
        }
    }
    Some(Checked { primary_key, model })
}

/// The most columns a composite key may have (`Model::Key` is a tuple of their types).
const MAX_KEY_COLUMNS: usize = 4;

/// Every row needs a key that identifies it: one `#[field(id)]` column, or several for a
/// composite key (in field order), none of them generated.
fn check_primary_key(
    model: &Model,
    errors: &mut darling::error::Accumulator,
) -> Option<Vec<usize>> {
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
            return None;
        }
        [_] => {}
        [_, rest @ ..] => {
            for &at in &keys {
                let field = &model.fields[at];
                if let Some(auto) = field.auto {
                    errors.push(error_at(
                        auto,
                        format!(
                            "`{}` has a composite key, which the database cannot generate: remove \
                             `auto` from `{}` and give the key's values yourself",
                            model.ident, field.ident
                        ),
                    ));
                }
            }
            if let Some(&fifth) = rest.get(MAX_KEY_COLUMNS - 1) {
                let field = &model.fields[fifth];
                errors.push(error_at(
                    field.id.unwrap_or_else(|| field.ident.span()),
                    format!(
                        "a composite key has at most {MAX_KEY_COLUMNS} columns: remove `id` from \
                         `{}`, or give `{}` a key of its own",
                        field.ident, model.ident
                    ),
                ));
                return None;
            }
        }
    }
    Some(keys)
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
