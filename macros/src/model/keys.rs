//! The keys inside `#[model(...)]` and `#[field(...)]`, checked before darling reads them:
//! unknown keys, values of the wrong form and repeated keys get messages that say which
//! attribute they are in and what to write instead. The same walk records what the fallback
//! needs to stand in for the model when there are errors.

use proc_macro2::Span;
use syn::spanned::Spanned;

/// What a key takes.
#[derive(Clone, Copy, PartialEq)]
enum Form {
    /// Nothing: `#[field(id)]`.
    Flag,
    /// A string literal: `column = "name"`.
    Str(&'static str),
    /// A path, bare or quoted: `references = Team`.
    Path(&'static str),
}

/// The keys of `#[model(...)]` (kept in step with `attr::ModelAttrs`).
const MODEL_KEYS: &[(&str, Form)] = &[
    ("table", Form::Str("table = \"users\"")),
    ("rename_all", Form::Str("rename_all = \"camelCase\"")),
    ("crate", Form::Path("crate = \"::trellis\"")),
];

/// The keys of `#[field(...)]` (kept in step with `attr::FieldAttrs`).
const FIELD_KEYS: &[(&str, Form)] = &[
    ("id", Form::Flag),
    ("auto", Form::Flag),
    ("unique", Form::Flag),
    ("index", Form::Flag),
    ("column", Form::Str("column = \"name\"")),
    ("references", Form::Path("references = Model")),
    ("default", Form::Str("default = \"0\"")),
    ("sql_type", Form::Str("sql_type = \"TEXT\"")),
];

/// Names other libraries use for a key, and the key Trellis has for it.
const ALIASES: &[(&str, &str)] = &[
    ("primary_key", "id"),
    ("primary", "id"),
    ("pk", "id"),
    ("key", "id"),
    ("auto_increment", "auto"),
    ("autoincrement", "auto"),
    ("generated", "auto"),
    ("serial", "auto"),
    ("indexed", "index"),
    ("rename", "column"),
    ("name", "column"),
    ("foreign_key", "references"),
    ("fk", "references"),
    ("belongs_to", "references"),
    ("type", "sql_type"),
    ("column_type", "sql_type"),
    ("table_name", "table"),
];

/// What the walk saw of one field, for the fallback.
pub(crate) struct SeenField {
    pub(crate) ident: syn::Ident,
    pub(crate) ty: syn::Type,
    pub(crate) id: bool,
    pub(crate) unique: bool,
    pub(crate) sql_type: bool,
}

/// What the walk saw of the model, for the fallback.
#[derive(Default)]
pub(crate) struct Seen {
    /// `crate = "..."`, when it parsed.
    pub(crate) krate: Option<syn::Path>,
    /// The named fields (empty for other shapes).
    pub(crate) fields: Vec<SeenField>,
}

/// Walks every `#[model(...)]` and `#[field(...)]`, reporting each mistake in them.
pub(crate) fn check(input: &syn::DeriveInput) -> (Seen, darling::Result<()>) {
    let mut errors = darling::Error::accumulator();
    let mut seen = Seen::default();

    let mut model_keys = Vec::new();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("model")) {
        let values = walk(
            attr,
            "model",
            MODEL_KEYS,
            FIELD_KEYS,
            &mut model_keys,
            &mut errors,
        );
        for (key, value) in values {
            if key == "crate" {
                seen.krate = value.as_ref().and_then(path_value);
            }
        }
    }

    if let syn::Data::Struct(data) = &input.data {
        for field in &data.fields {
            let mut keys = Vec::new();
            for attr in field.attrs.iter().filter(|a| a.path().is_ident("field")) {
                walk(
                    attr,
                    "field",
                    FIELD_KEYS,
                    MODEL_KEYS,
                    &mut keys,
                    &mut errors,
                );
            }
            if let Some(ident) = &field.ident {
                let has = |key: &str| keys.iter().any(|k| k == key);
                seen.fields.push(SeenField {
                    ident: ident.clone(),
                    ty: field.ty.clone(),
                    id: has("id"),
                    unique: has("unique"),
                    sql_type: has("sql_type"),
                });
            }
        }
    }

    (seen, errors.finish())
}

/// Reads one attribute's keys, returning the known ones with their values. `keys` holds the
/// keys already seen on the same item, to report repeats across several attributes.
fn walk(
    attr: &syn::Attribute,
    name: &str,
    known: &[(&'static str, Form)],
    other: &[(&'static str, Form)],
    keys: &mut Vec<String>,
    errors: &mut darling::error::Accumulator,
) -> Vec<(String, Option<syn::Expr>)> {
    let mut values = Vec::new();
    let parsed = attr.parse_nested_meta(|meta| {
        let key = meta
            .path
            .get_ident()
            .map(|i| i.to_string())
            .unwrap_or_else(|| quote::ToTokens::to_token_stream(&meta.path).to_string());
        // `key = value`, `key(...)` or just `key`.
        let (value, has_list) = if meta.input.peek(syn::Token![=]) {
            (Some(meta.value()?.parse::<syn::Expr>()?), false)
        } else if meta.input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in meta.input);
            let _: proc_macro2::TokenStream = content.parse()?;
            (None, true)
        } else {
            (None, false)
        };
        let span = meta.path.span();

        let Some(&(_, form)) = known.iter().find(|(k, _)| *k == key) else {
            errors.push(unknown_key(span, &key, name, known, other));
            return Ok(());
        };
        if keys.contains(&key) {
            errors.push(error_at(
                span,
                format!("`{key}` is given twice in `#[{name}(...)]`; keep one"),
            ));
        }
        keys.push(key.clone());
        if let Some(message) = form_mistake(&key, form, value.as_ref(), has_list) {
            let span = value.as_ref().map_or(span, |v| v.span());
            errors.push(error_at(span, message));
        }
        values.push((key, value));
        Ok(())
    });
    if let Err(e) = parsed {
        errors.push(darling::Error::from(e));
    }
    values
}

/// The message for a key whose value has the wrong form, if it does.
fn form_mistake(
    key: &str,
    form: Form,
    value: Option<&syn::Expr>,
    has_list: bool,
) -> Option<String> {
    match (form, value) {
        (Form::Flag, None) if !has_list => None,
        (Form::Flag, _) => Some(format!("`{key}` takes no value: write just `{key}`")),
        (Form::Str(example), None) => Some(format!("`{key}` needs a value: write `{example}`")),
        (Form::Str(example), Some(value)) => match value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(_),
                ..
            }) => None,
            // A bare word or another literal: the same, quoted.
            syn::Expr::Lit(syn::ExprLit { lit, .. }) => {
                let text = quote::ToTokens::to_token_stream(lit).to_string();
                Some(format!(
                    "`{key}` takes a string: write `{key} = \"{text}\"`"
                ))
            }
            syn::Expr::Path(p) if p.path.get_ident().is_some() => {
                let text = quote::ToTokens::to_token_stream(&p.path).to_string();
                Some(format!(
                    "`{key}` takes a string: write `{key} = \"{text}\"`"
                ))
            }
            _ => Some(format!("`{key}` takes a string: write `{example}`")),
        },
        (Form::Path(example), None) => Some(format!("`{key}` needs a value: write `{example}`")),
        (Form::Path(_), Some(syn::Expr::Path(_)))
        | (
            Form::Path(_),
            Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(_),
                ..
            })),
        ) => None,
        (Form::Path(example), Some(_)) => Some(format!("`{key}` takes a path: write `{example}`")),
    }
}

/// A parsed `crate = ...` value.
fn path_value(value: &syn::Expr) -> Option<syn::Path> {
    match value {
        syn::Expr::Path(p) => Some(p.path.clone()),
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => s.parse().ok(),
        _ => None,
    }
}

fn unknown_key(
    span: Span,
    key: &str,
    name: &str,
    known: &[(&'static str, Form)],
    other: &[(&'static str, Form)],
) -> darling::Error {
    let other_name = if name == "model" { "field" } else { "model" };
    let lower = key.to_lowercase();
    let message = if other.iter().any(|(k, _)| *k == key) {
        format!("`{key}` belongs in `#[{other_name}(...)]`, not `#[{name}(...)]`")
    } else if name == "field" && ["nullable", "null", "optional"].contains(&lower.as_str()) {
        format!("unknown key `{key}` in `#[field(...)]`: a column is nullable when the field's type is `Option<T>`")
    } else if name == "field" && ["skip", "ignore", "transient"].contains(&lower.as_str()) {
        format!("unknown key `{key}` in `#[field(...)]`: every field of a model is a column; move this one out of the struct")
    } else if let Some(guess) = suggest(key, known) {
        format!("unknown key `{key}` in `#[{name}(...)]`; did you mean `{guess}`?")
    } else {
        let list: Vec<String> = known.iter().map(|(k, _)| format!("`{k}`")).collect();
        format!(
            "unknown key `{key}` in `#[{name}(...)]`; expected one of {}",
            list.join(", ")
        )
    };
    error_at(span, message)
}

/// The known key the user most likely meant: a close spelling, or the key for a name other
/// libraries use.
fn suggest(key: &str, known: &[(&'static str, Form)]) -> Option<&'static str> {
    let lower = key.to_lowercase();
    let close = known
        .iter()
        .map(|(k, _)| (*k, distance(&lower, k)))
        .filter(|(k, d)| *d <= 2 && *d < k.len().min(lower.len()))
        .min_by_key(|(_, d)| *d)
        .map(|(k, _)| k);
    close.or_else(|| {
        ALIASES
            .iter()
            .find(|(alias, _)| *alias == lower)
            .map(|(_, k)| *k)
            .filter(|k| known.iter().any(|(known, _)| known == k))
    })
}

/// Edit distance (insertions, deletions, substitutions and swaps of neighbours).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// An error at a bare span.
fn error_at(span: Span, message: impl std::fmt::Display) -> darling::Error {
    super::ast::error_at(span, message)
}

#[cfg(test)]
mod tests {
    use super::{distance, suggest, FIELD_KEYS, MODEL_KEYS};

    #[test]
    fn distance_counts_edits_and_swaps() {
        assert_eq!(distance("unique", "unique"), 0);
        assert_eq!(distance("uniqe", "unique"), 1);
        assert_eq!(distance("uinque", "unique"), 1);
        assert_eq!(distance("", "id"), 2);
    }

    #[test]
    fn suggests_close_spellings_then_other_libraries_names() {
        assert_eq!(suggest("uniqe", FIELD_KEYS), Some("unique"));
        assert_eq!(suggest("Column", FIELD_KEYS), Some("column"));
        assert_eq!(suggest("sqltype", FIELD_KEYS), Some("sql_type"));
        assert_eq!(suggest("primary_key", FIELD_KEYS), Some("id"));
        assert_eq!(suggest("foreign_key", FIELD_KEYS), Some("references"));
        assert_eq!(suggest("tabel", MODEL_KEYS), Some("table"));
        assert_eq!(suggest("table_name", MODEL_KEYS), Some("table"));
        // An alias for a key of the other attribute is not offered here.
        assert_eq!(suggest("primary_key", MODEL_KEYS), None);
        assert_eq!(suggest("nonsense", FIELD_KEYS), None);
    }
}
