//! The column module: `user::email` and friends, typed handles for queries, plus the where
//! struct. A module keeps these names out of the user's namespace.

use proc_macro2::TokenStream;
use quote::quote;

use super::handle::kind;
use crate::model::check::Checked;

pub(super) fn expand(checked: &Checked, where_struct: &TokenStream) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let ident = &model.ident;
    let vis = &model.vis;
    let module = &model.module;
    let handles = model.fields.iter().map(|f| {
        let field = &f.ident;
        let ty = &super::paths::ty(&f.ty);
        let column = &f.column;
        let kind = kind(f);
        let doc = format!("The `{column}` column of `{ident}`.");
        quote! {
            #[doc = #doc]
            pub const #field: #krate::Col<#ident, #ty, #kind> = #krate::Col::new(#column);
        }
    });
    let fields_struct = fields_struct(checked);
    let new_struct = new_struct(checked);
    let relations = super::relations::expand(checked);
    let child_structs = super::nested::structs(checked);
    let relation_modules = super::nested::relation_modules(checked);
    let known = super::known::known_trait(checked);
    let doc = format!(
        "Typed column and relation handles of [`{ident}`], for filters, ordering, updates and `include`."
    );
    quote! {
        #[doc = #doc]
        #[allow(non_upper_case_globals, dead_code, unused_imports)]
        #vis mod #module {
            use super::*;
            use #krate::__private as __trellis;
            #(#handles)*
            #relations
            #known
            #fields_struct
            #new_struct
            #child_structs
            #relation_modules
            #where_struct
        }
    }
}

/// `user::Fields`: the value the generated code looks names up on (`crate::lookup`): a hidden
/// getter per field and relation returns its handle (see `known.rs`).
fn fields_struct(checked: &Checked) -> TokenStream {
    let ident = &checked.model.ident;
    let doc = format!(
        "The column and relation handles of [`{ident}`] as one value (`<{ident} as Model>::FIELDS`), for the generated code's lookups."
    );
    quote! {
        #[doc = #doc]
        pub struct Fields;

        impl ::core::marker::Copy for Fields {}

        impl ::core::clone::Clone for Fields {
            fn clone(&self) -> Self {
                *self
            }
        }
    }
}

/// `user::New`: the columns an insert must be given. Relation fields, `auto` keys and columns
/// with a database `default` are left out; the insert returns them as stored.
fn new_struct(checked: &Checked) -> TokenStream {
    let model = &checked.model;
    let ident = &model.ident;
    let members = model.fields.iter().filter(|f| f.in_new()).map(|f| {
        let field = &f.ident;
        let ty = &super::paths::ty(&f.ty);
        let doc = format!("The value of the `{}` column.", f.column);
        quote! {
            #[doc = #doc]
            pub #field: #ty,
        }
    });
    let left_out: Vec<String> = model
        .fields
        .iter()
        .filter(|f| !f.in_new())
        .map(|f| format!("`{}`", f.ident))
        .collect();
    let mut doc = format!(
        "The columns of a new [`{ident}`], for `insert` and `upsert`: its relation fields start out not loaded."
    );
    if !left_out.is_empty() {
        doc.push_str(&format!(
            " The database fills in {} (an `auto` key or a `default`); the insert returns them.",
            left_out.join(", ")
        ));
    }
    quote! {
        #[doc = #doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone)]
        pub struct New {
            #(#members)*
        }
    }
}
