//! `#[derive(Model)]`: check the keys, parse the attributes, build the validated model, check
//! it, generate code.

mod ast;
mod attr;
mod check;
mod expand;
mod keys;

use darling::FromDeriveInput;
use proc_macro2::TokenStream;

pub(crate) fn derive(input: &syn::DeriveInput) -> TokenStream {
    let (seen, keys) = keys::check(input);
    match model(input, keys) {
        Ok(checked) => expand::expand(&checked),
        Err(errors) => {
            let fallback = expand::fallback(input, &seen);
            let errors = errors.write_errors();
            quote::quote! { #errors #fallback }
        }
    }
}

/// Every stage up to code generation. Within the model and check stages every mistake is
/// collected, so the user sees them all at once; an earlier stage's errors stop the later ones,
/// which would only misread what the earlier stage rejected.
fn model(input: &syn::DeriveInput, keys: darling::Result<()>) -> darling::Result<check::Checked> {
    attr::check_shape(input)?;
    keys?;
    let attrs = attr::ModelAttrs::from_derive_input(input)?;
    let mut errors = darling::Error::accumulator();
    let model = ast::Model::from_attrs(attrs, &mut errors);
    let checked = check::check(model, &mut errors);
    // `check` reported an error whenever it returned no model.
    errors
        .finish_with(checked)?
        .ok_or_else(|| darling::Error::custom("no primary key"))
}
