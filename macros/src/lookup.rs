//! How generated code looks up a name the user wrote among a model's fields and relations,
//! so that a name the model lacks is one error that names the model and lists what it has,
//! at the user's token, rather than rustc's "no field `x` on type `Fields`".
//!
//! Each model's `Fields` has a hidden getter per field and relation (`__trellis_get_email`) and
//! a method `__trellis_known(v)`, bounded by the model's own `__TrellisKnown` trait, whose
//! `#[diagnostic::on_unimplemented]` lists the model's fields and relations. A lookup calls the
//! getter through `__trellis_known`; next to it, a fallback trait implemented for every type
//! declares the same getters returning `__private::UnknownName`. An inherent method wins over
//! a trait's, so a known name finds its handle, and an unknown one the marker, which
//! `__TrellisKnown` rejects; its result is then an error type, so the name's other uses add no
//! errors. Uses nothing else of this crate, like `error`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;

/// The hidden getter of field or relation `name` on a model's `Fields`.
pub(crate) fn getter(name: &syn::Ident) -> syn::Ident {
    format_ident!("__trellis_get_{}", name.unraw(), span = name.span())
}

/// `fields.name`, looked up as described above; every token at the user's name.
pub(crate) fn access(fields: &syn::Ident, name: &syn::Ident) -> TokenStream {
    let span = name.span();
    let fields = syn::Ident::new(&fields.to_string(), span);
    let getter = getter(name);
    quote_spanned!(span=> #fields.__trellis_known(#fields.#getter()))
}

/// The fallback trait for `names`, to declare in the block of the lookups (once per block).
pub(crate) fn fallback(krate: &TokenStream, names: &[syn::Ident]) -> TokenStream {
    let mut seen = Vec::new();
    let methods = names.iter().filter_map(|name| {
        let getter = getter(name);
        let getter = syn::Ident::new(&getter.to_string(), Span::call_site());
        if seen.contains(&getter) {
            return None;
        }
        seen.push(getter.clone());
        Some(quote! {
            fn #getter(&self) -> #krate::__private::UnknownName {
                #krate::__private::UnknownName
            }
        })
    });
    quote! {
        #[allow(non_camel_case_types, non_snake_case, dead_code)]
        trait __TrellisNames {
            #(#methods)*
        }
        impl<__T: ?::core::marker::Sized> __TrellisNames for __T {}
    }
}
