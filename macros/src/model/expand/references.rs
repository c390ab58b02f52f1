//! What each field references, as hidden methods of the model's `Fields`
//! (`__trellis_references_user_id()`), for the `from`/`to` checks of the many_to_many
//! relations that use this model as their join model (see `assertions.rs`, and `checks.rs` in
//! the runtime). Methods rather than fields: a name is looked up on another model's `Fields`,
//! and a method can fall back quietly when there is no such field.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ext::IdentExt;

use crate::model::check::Checked;

/// The method that tells what `field` references.
pub(super) fn method(field: &syn::Ident) -> syn::Ident {
    format_ident!(
        "__trellis_references_{}",
        field.unraw(),
        span = field.span()
    )
}

pub(super) fn expand(checked: &Checked) -> TokenStream {
    let model = &checked.model;
    let private = super::private();
    let module = &model.module;
    let methods = model.fields.iter().map(|f| {
        let method = method(&f.ident);
        match &f.references {
            Some(target) => quote! {
                pub const fn #method(&self) -> #private::References<#target> {
                    #private::References::new()
                }
            },
            None => quote! {
                pub const fn #method(&self) -> #private::NoReference {
                    #private::NoReference
                }
            },
        }
    });
    quote! {
        #[doc(hidden)]
        #[allow(non_snake_case)]
        #[automatically_derived]
        impl #module::Fields {
            #(#methods)*
        }
    }
}
