//! Relation handles (`user::sessions`: a typed `Rel` pointing at the relation's entry in
//! `ModelMeta::relations`, with the function that stores loaded rows into the field), and
//! those entries.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::ast::relation::{Kind, Relation};
use crate::model::check::Checked;

pub(super) fn expand(checked: &Checked) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let private = super::private();
    let ident = &model.ident;
    let handles = model.relations.iter().enumerate().map(|(index, r)| {
        let field = &r.ident;
        let name = field.to_string();
        // Both are written inside the handle module.
        let ty = &super::paths::ty(&r.ty);
        let target = &super::paths::path(&r.target);
        let cardinality = cardinality(checked, r);
        let variant = if r.kind.to_many() {
            quote!(Many)
        } else {
            quote!(One)
        };
        // Column handles share the names of the fields: the parameters' must not be one.
        let store = if r.kind.to_many() {
            quote!(<#ty>::__load(&mut __trellis_model.#field, __trellis_rows))
        } else {
            quote!(__trellis_model.#field = <#ty>::loaded(__trellis_rows))
        };
        let set = quote! {
            #private::Setter::#variant(|__trellis_model: &mut #ident, __trellis_rows| { #store })
        };
        let doc = format!("The `{name}` relation of `{ident}`, for `.include(..)`.");
        quote! {
            #[doc = #doc]
            pub const #field: #krate::Rel<#ident, #target, #cardinality> = #krate::Rel::at(#index, #set);
        }
    });
    quote!(#(#handles)*)
}

/// The relations' entries of `ModelMeta::relations`, in field order.
pub(super) fn metas(checked: &Checked) -> Vec<TokenStream> {
    let model = &checked.model;
    let krate = &model.krate;
    let private = super::private();
    model
        .relations
        .iter()
        .map(|r| {
            let name = r.ident.to_string();
            let target = &r.target;
            let kind = match r.kind {
                Kind::BelongsTo => quote!(BelongsTo),
                Kind::HasOne => quote!(HasOne),
                Kind::HasMany => quote!(HasMany),
                Kind::ManyToMany => quote!(ManyToMany),
            };
            let foreign_key = r
                .foreign_key
                .as_ref()
                .map_or_else(String::new, |k| k.ident.to_string());
            let target = quote!(<#target as #krate::Model>::meta);
            match &r.through {
                Some((join, from, to)) => {
                    let from = from.ident.to_string();
                    let to = to.ident.to_string();
                    let join = quote!(<#join as #krate::Model>::meta);
                    quote!(#private::through(#name, #target, #join, #from, #to))
                }
                None => quote!(#private::relation(#name, #private::RelationKind::#kind, #target, #foreign_key)),
            }
        })
        .collect()
}

/// `ToMany`, `ToOne`, or `Required` for a belongs_to through a non-null key (it always finds
/// its row).
pub(super) fn cardinality(checked: &Checked, r: &Relation) -> TokenStream {
    let model = &checked.model;
    if r.kind.to_many() {
        quote!(__trellis::ToMany)
    } else if r.kind == Kind::BelongsTo
        && r.local_key(&model.fields).is_some_and(|f| !f.is_option())
    {
        quote!(__trellis::Required)
    } else {
        quote!(__trellis::ToOne)
    }
}
