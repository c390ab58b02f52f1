//! `#[derive(Model)]` in four stages, each a module that uses only the stages before it (and
//! `crate::error`): `attr` reads the attributes (darling receivers) -> `ast` builds the model
//! from them, each value validated on its own -> `check` applies the rules that span fields ->
//! `expand` generates code, which cannot fail. `derive` here runs them in order; it is the only
//! place that sees them all.

mod ast;
mod attr;
mod check;
mod expand;

use proc_macro2::TokenStream;

pub(crate) fn derive(input: &syn::DeriveInput) -> TokenStream {
    let mut errors = darling::Error::accumulator();
    let parsed = errors
        .handle(attr::check_shape(input))
        .map(|()| attr::parse(input, &mut errors));
    // Attribute mistakes stop here: the later stages would only misread what was rejected.
    let checked = parsed
        .as_ref()
        .filter(|parsed| parsed.complete())
        .and_then(|parsed| model(input, parsed, &mut errors));
    match (errors.finish(), checked) {
        (Ok(()), Some(checked)) => expand::expand(&checked),
        (result, _) => {
            // `model` reports an error whenever it returns no model; the default is a guard.
            let errors = result
                .err()
                .unwrap_or_else(|| {
                    darling::Error::custom("`#[derive(Model)]` could not read this struct")
                })
                .write_errors();
            let fallback = expand::fallback(input, parsed.as_ref());
            quote::quote! { #errors #fallback }
        }
    }
}

/// The validated and checked model. Within these stages every mistake is collected, so the
/// user sees them all at once.
fn model(
    input: &syn::DeriveInput,
    parsed: &attr::Parsed<'_>,
    errors: &mut darling::error::Accumulator,
) -> Option<check::Checked> {
    let attrs = parsed.model.clone()?;
    let fields = parsed
        .fields
        .iter()
        .map(|(_, attrs)| attrs.clone())
        .collect::<Option<Vec<_>>>()?;
    let relations = parsed
        .relations
        .iter()
        .cloned()
        .collect::<Option<Vec<_>>>()?;
    let model = ast::Model::from_attrs(input, attrs, fields, relations, errors);
    check::check(model, errors)
}
