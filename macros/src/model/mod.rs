//! `#[derive(Model)]`: parse the attributes, build the validated model, check it, generate code.

mod ast;
mod attr;
mod check;
mod expand;

use proc_macro2::TokenStream;

pub(crate) fn derive(input: &syn::DeriveInput) -> TokenStream {
    let parsed = attr::ModelAttrs::parse(input);
    let model = parsed.and_then(ast::Model::from_attrs);
    let checked = model.and_then(check::check);
    match checked {
        Ok(checked) => expand::expand(&checked),
        Err(errors) => {
            let fallback = expand::fallback(input);
            let errors = errors.write_errors();
            quote::quote! { #errors #fallback }
        }
    }
}
