//! Rules that span several fields. All of them run, so every mistake is reported at once.
//! Type rules (supported column types, foreign key types) are left to the compiler: the
//! generated code asserts them at the offending token.

use std::collections::HashMap;

use super::ast::{error_at, Model};

/// A model that passed every check: exactly one primary key, distinct columns.
pub(crate) struct Checked {
    pub(crate) model: Model,
    /// Index of the primary key field.
    pub(crate) primary_key: usize,
}

pub(crate) fn check(model: Model) -> darling::Result<Checked> {
    let mut errors = darling::Error::accumulator();
    let primary_key = check_primary_key(&model, &mut errors);
    check_auto(&model, &mut errors);
    check_unique_columns(&model, &mut errors);
    errors.finish()?;
    // `check_primary_key` reported an error whenever it found no key.
    let primary_key = primary_key.ok_or_else(|| darling::Error::custom("no primary key"))?;
    Ok(Checked { model, primary_key })
}

/// Every row needs one key that identifies it; composite keys are not supported.
fn check_primary_key(model: &Model, errors: &mut darling::error::Accumulator) -> Option<usize> {
    let keys: Vec<usize> = (0..model.fields.len())
        .filter(|&i| model.fields[i].id.is_some())
        .collect();
    match keys.as_slice() {
        [] => {
            errors.push(
                darling::Error::custom(format!(
                    "`{}` has no primary key: mark one field `#[field(id)]`",
                    model.ident
                ))
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
                        "`{}` already has a primary key, `{first_name}`; a model has exactly one `#[field(id)]`",
                        model.ident
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
            errors.push(error_at(
                field.column_span,
                format!(
                    "column `{}` is already used by field `{first}`; give `{}` another `column = \"...\"`",
                    field.column, field.ident
                ),
            ));
            seen.insert(field.column.as_str(), first);
        }
    }
}
