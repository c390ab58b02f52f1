//! Indexes of several columns: `#[model(unique(a, b))]` and `#[model(index(a, b))]`, each
//! field named resolved to its column.

use syn::spanned::Spanned;

use super::field::Field;
use crate::error::error_at;

/// An index over several of the model's columns.
pub(crate) struct Index {
    /// The positions of its fields in the model's fields, in index order.
    pub(crate) fields: Vec<usize>,
    pub(crate) unique: bool,
}

/// The index `kind(paths)` (`kind` is `unique` or `index`) over `fields`; `None` (each mistake
/// pushed to `errors`) when a name is no column field, is named twice, or there are fewer
/// than two.
pub(super) fn from_paths(
    paths: &darling::util::PathList,
    unique: bool,
    model: &syn::Ident,
    fields: &[Field],
    errors: &mut darling::error::Accumulator,
) -> Option<Index> {
    let kind = if unique { "unique" } else { "index" };
    let mut positions = Vec::new();
    let mut ok = true;
    for path in paths.iter() {
        let found = path
            .get_ident()
            .and_then(|name| fields.iter().position(|f| f.ident == *name));
        match found {
            Some(at) if positions.contains(&at) => {
                errors.push(error_at(
                    path.span(),
                    format!(
                        "`{kind}(..)` names `{}` twice: name each field once",
                        fields[at].ident
                    ),
                ));
                ok = false;
            }
            Some(at) => positions.push(at),
            None => {
                let names: Vec<String> = fields.iter().map(|f| format!("`{}`", f.ident)).collect();
                errors.push(error_at(
                    path.span(),
                    format!(
                        "`{model}` has no column field `{}` for `{kind}(..)`; its column fields are {}",
                        quote::ToTokens::to_token_stream(path).to_string().replace(' ', ""),
                        names.join(", ")
                    ),
                ));
                ok = false;
            }
        }
    }
    if ok && positions.len() < 2 {
        let fix = match positions.first() {
            Some(&at) => format!(
                "for one column, write `#[field({kind})]` on `{}`",
                fields[at].ident
            ),
            None => "name its fields, like `unique(user_id, team_id)`".to_owned(),
        };
        errors.push(error_at(
            paths
                .first()
                .map_or_else(proc_macro2::Span::call_site, |p| p.span()),
            format!("`{kind}(..)` is an index of two or more columns: {fix}"),
        ));
        ok = false;
    }
    ok.then_some(Index {
        fields: positions,
        unique,
    })
}
