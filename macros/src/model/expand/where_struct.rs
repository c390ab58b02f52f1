//! `user::Where`: the plain-data form of an equality filter, one optional value per column.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::check::Checked;

pub(super) fn expand(checked: &Checked) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let ident = &model.ident;
    // `sql_type` columns have no comparison operators, so they take no part.
    let fields: Vec<_> = model
        .fields
        .iter()
        .filter(|f| f.sql_type.is_none())
        .collect();
    let members = fields.iter().map(|f| {
        let field = &f.ident;
        let ty = &f.ty;
        let doc = format!(
            "Rows whose `{}` equals this value (`None` for any).",
            f.column
        );
        quote! {
            #[doc = #doc]
            pub #field: ::core::option::Option<#ty>,
        }
    });
    // `Col::eq` through a probe: a field type that is not a column type was reported by the
    // assertions already, and this stays quiet about it.
    let filters = fields.iter().map(|f| {
        let field = &f.ident;
        let ty = &f.ty;
        quote! {
            value.#field.map(|v| {
                #[allow(unused_imports)]
                use #krate::__private::{NoWhereEq as _, WhereEq as _};
                (&#krate::__private::Probe::<#ty>::new()).where_eq(#field, v)
            })
        }
    });
    let count = fields.len();
    let doc = format!("Equality filter on [`{ident}`]: every field that is `Some` must match.");
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default)]
        pub struct Where {
            #(#members)*
        }

        impl ::core::convert::From<Where> for #krate::Filter<#ident> {
            fn from(value: Where) -> Self {
                let filters: [::core::option::Option<#krate::Filter<#ident>>; #count] = [#(#filters),*];
                #krate::Filter::all(filters.into_iter().flatten())
            }
        }
    }
}
