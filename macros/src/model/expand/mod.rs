//! Code generation, one file per generated item. Nothing here can fail: every mistake the
//! user can make was reported by the earlier stages, or is left to a compiler assertion.

mod assertions;
mod columns;
mod model_impl;
mod where_struct;

use proc_macro2::TokenStream;
use quote::quote;

use super::check::Checked;

pub(crate) fn expand(checked: &Checked) -> TokenStream {
    let assertions = assertions::expand(checked);
    let model_impl = model_impl::expand(checked);
    let where_struct = where_struct::expand(checked);
    let columns = columns::expand(checked, &where_struct);
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, clippy::all)]
        const _: () = {
            #assertions
            #model_impl
        };
        #columns
    }
}

/// After an error, a stand-in `impl Model` keeps the user's other uses of the type from
/// adding errors of their own: they see the real mistake only.
pub(crate) fn fallback(input: &syn::DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        const _: () = {
            impl #impl_generics ::trellis::Model for #ident #ty_generics #where_clause {
                const META: &'static ::trellis::ModelMeta = ::core::unreachable!();
                type Key = i64;
                fn __decode(_: &::trellis::Row) -> ::trellis::Result<Self> {
                    ::core::unreachable!()
                }
                fn __insert_values(&mut self) -> ::std::vec::Vec<::trellis::Value> {
                    ::core::unreachable!()
                }
                fn __set_generated_key(&mut self, _: i64) -> ::trellis::Result<()> {
                    ::core::unreachable!()
                }
            }
        };
    }
}
