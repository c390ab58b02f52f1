//! Compile-time assertions for the rules only the compiler can check: each field's type is a
//! column type, `auto` keys can be generated, and `references` names a model with a key of the
//! same type. Each is spanned at the user's token, so the error points there.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::model::check::Checked;

pub(super) fn expand(checked: &Checked) -> TokenStream {
    let krate = &checked.model.krate;
    let private = quote!(#krate::__private);
    let checks = checked.model.fields.iter().map(|field| {
        let ty = &field.ty;
        let type_check = match &field.sql_type {
            None => quote_spanned!(ty.span()=> #private::assert_field_type::<#ty>();),
            Some(_) => quote_spanned!(ty.span()=> #private::assert_custom_type::<#ty>();),
        };
        let auto_check = field
            .auto
            .map(|_| quote_spanned!(ty.span()=> #private::assert_auto_key::<#ty>();));
        let reference_check = field.references.as_ref().map(
            |target| quote_spanned!(target.span()=> #private::assert_references::<#target, #ty>();),
        );
        quote! { #type_check #auto_check #reference_check }
    });
    quote! {
        const _: () = { #(#checks)* };
    }
}
