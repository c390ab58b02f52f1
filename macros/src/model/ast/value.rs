//! Attribute values checked on their own, before any field or relation is built from them: a
//! value that must not be empty, a `rename_all` rule.

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::error::error_at;
use crate::model::attr::Text;

const RENAME_RULES: &[&str] = &[
    "snake_case",
    "camelCase",
    "PascalCase",
    "SCREAMING_SNAKE_CASE",
    "kebab-case",
    "lowercase",
    "UPPERCASE",
];

/// The column name `rule` makes of a field's name; `rule` is one of `RENAME_RULES`.
pub(super) fn rename(rule: &str, name: &str) -> String {
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

/// `rename_all = ".."`: the rule, when it is one Trellis knows.
pub(super) fn rename_rule(
    errors: &mut darling::error::Accumulator,
    rule: Option<Text>,
) -> Option<String> {
    rule.and_then(|rule| {
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
    })
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

/// A value given in an attribute must not be empty; `fix` says what to write instead.
pub(super) fn non_empty(
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

/// `module = ".."`: the handle module's name, a Rust identifier; by default the struct's name
/// in snake case, spanned at the struct's name so that a clash with another item of that
/// name points there.
pub(super) fn module_name(
    errors: &mut darling::error::Accumulator,
    module: Option<Text>,
    model: &syn::Ident,
) -> syn::Ident {
    let default = || syn::Ident::new(&model.to_string().to_snake_case(), model.span());
    let Some(module) = module else {
        return default();
    };
    match syn::parse_str::<syn::Ident>(module.as_str()) {
        Ok(mut ident) => {
            ident.set_span(module.span());
            ident
        }
        Err(_) => {
            errors.push(error_at(
                module.span(),
                format!(
                    "`module` names the module of `{model}`'s handles: write a Rust name, like `module = \"{}_handles\"`",
                    model.to_string().to_snake_case()
                ),
            ));
            default()
        }
    }
}
