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

/// The fallback trait for `names`, to declare in the block of the lookups (once per block);
/// `private` is the path of the runtime's hidden module there.
pub(crate) fn fallback(private: &TokenStream, names: &[syn::Ident]) -> TokenStream {
    let getters: Vec<syn::Ident> = names.iter().map(getter).collect();
    fallback_trait(
        &format_ident!("__TrellisNames"),
        &getters,
        &quote!(#private::UnknownName),
    )
}

/// A trait named `name`, implemented for every type, whose `methods` (each once, whatever
/// their spans) return the unit marker `marker`: an inherent method of the same name wins
/// over it, so a call finds the real one where there is one and the marker elsewhere.
pub(crate) fn fallback_trait(
    name: &syn::Ident,
    methods: &[syn::Ident],
    marker: &TokenStream,
) -> TokenStream {
    let mut seen: Vec<syn::Ident> = Vec::new();
    let methods = methods.iter().filter_map(|method| {
        let method = syn::Ident::new(&method.to_string(), Span::call_site());
        if seen.contains(&method) {
            return None;
        }
        seen.push(method.clone());
        Some(quote! {
            fn #method(&self) -> #marker {
                #marker
            }
        })
    });
    quote! {
        #[allow(non_camel_case_types, non_snake_case, dead_code)]
        trait #name {
            #(#methods)*
        }
        impl<__T: ?::core::marker::Sized> #name for __T {}
    }
}
