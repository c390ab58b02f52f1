//! The column module: `user::email` and friends, typed handles for queries, plus the where
//! struct. A module keeps these names out of the user's namespace.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::check::Checked;

pub(super) fn expand(checked: &Checked, where_struct: &TokenStream) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let ident = &model.ident;
    let vis = &model.vis;
    let module = &model.module;
    let handles = model.fields.iter().map(|f| {
        let field = &f.ident;
        let ty = &f.ty;
        let column = &f.column;
        let kind = if f.id.is_some() || f.unique {
            quote!(#krate::__private::Unique)
        } else {
            quote!(#krate::__private::Plain)
        };
        let doc = format!("The `{column}` column of `{ident}`.");
        quote! {
            #[doc = #doc]
            pub const #field: #krate::Col<#ident, #ty, #kind> = #krate::Col::new(#column);
        }
    });
    let doc = format!("Typed column handles of [`{ident}`], for filters, ordering and updates.");
    quote! {
        #[doc = #doc]
        #[allow(non_upper_case_globals, dead_code, unused_imports)]
        #vis mod #module {
            use super::*;
            #(#handles)*
            #where_struct
        }
    }
}
