//! Compile-time assertions for the rules only the compiler can check: each field's type is a
//! column type, `auto` keys can be generated, and `references` names a model with a key of the
//! same type. Each is spanned at the user's token, so the error points there.
//!
//! One mistake should give one error. The assertions use the same `<T as Trait>` paths as the
//! rest of the generated code, so the compiler reports them identically, and therefore once;
//! the code that reaches sqlx's traits for `sql_type` fields goes through a probe that stays
//! quiet when they are missing (see `checks.rs` in the runtime).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::model::check::Checked;
use crate::model::relation::{Kind, Relation};

pub(super) fn expand(checked: &Checked) -> TokenStream {
    let krate = &checked.model.krate;
    let private = quote!(#krate::__private);
    let checks = checked.model.fields.iter().map(|field| {
        let ty = &field.ty;
        let type_check = match &field.sql_type {
            // The key's type is asserted by the bound on `type Key`, and only there.
            None if field.id.is_some() => quote!(),
            None => quote_spanned!(ty.span()=> let _ = <#ty as #private::FieldType>::NULLABLE;),
            // One error per backend that lacks sqlx's traits, then one for the rest.
            Some(_) => quote_spanned! {ty.span()=>
                {
                    #[allow(unused_imports)]
                    use #private::{Codec as _, NoCodec as _};
                    <_ as #private::SqliteColumn<#ty>>::check((&#private::SqliteProbe::<#ty>::new()).codec());
                    <_ as #private::PostgresColumn<#ty>>::check((&#private::PostgresProbe::<#ty>::new()).codec());
                    <_ as #private::MySqlColumn<#ty>>::check((&#private::MySqlProbe::<#ty>::new()).codec());
                    <#ty as #private::CustomBasics>::check();
                }
            },
        };
        let auto_check = field.auto.map(
            |_| quote_spanned!(ty.span()=> let _ = <#ty as #private::AutoKey>::DATABASE_GENERATED;),
        );
        let reference_check = field.references.as_ref().map(|target| {
            let is_model = quote_spanned!(target.span()=> let _ = <#target as #krate::Model>::meta;);
            let key = quote_spanned!(target.span()=> <#target as #krate::Model>::Key);
            quote! {
                #is_model
                #private::assert_reference_type::<#key, #ty>();
            }
        });
        quote! { #type_check #auto_check #reference_check }
    });
    let relation_checks = checked
        .model
        .relations
        .iter()
        .map(|r| relation_check(checked, r));
    quote! {
        #[allow(dead_code)]
        fn __trellis_checks() {
            #(#checks)*
            #(#relation_checks)*
        }
    }
}

/// The target is a model, and every key the relation names exists with the right type. Keys
/// on other models are reached through their `FIELDS`, so a wrong name is the compiler's
/// "no field `x` on type `Fields`" at the user's string, listing the fields there are.
fn relation_check(checked: &Checked, r: &Relation) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let private = quote!(#krate::__private);
    let ident = &model.ident;
    let target = &r.target;
    let is_model = quote_spanned!(target.span()=> let _ = <#target as #krate::Model>::meta;);
    let target_key = quote_spanned!(target.span()=> <#target as #krate::Model>::Key);
    let own_key = quote!(<#ident as #krate::Model>::Key);
    let keys = match (r.kind, &r.foreign_key, &r.through) {
        (Kind::BelongsTo, Some(_), _) => match r.local_key(&model.fields) {
            Some(field) => {
                let ty = &field.ty;
                quote_spanned!(field.ident.span()=> #private::assert_reference_type::<#target_key, #ty>();)
            }
            None => quote!(),
        },
        (Kind::HasOne | Kind::HasMany, Some(fk), _) => {
            let fk = &fk.ident;
            quote_spanned!(fk.span()=> #private::assert_foreign_key::<#own_key, _, _, _>(<#target as #krate::Model>::FIELDS.#fk);)
        }
        (Kind::ManyToMany, _, Some((join, from, to))) => {
            let from = &from.ident;
            let to = &to.ident;
            let join_is_model =
                quote_spanned!(join.span()=> let _ = <#join as #krate::Model>::meta;);
            quote! {
                #join_is_model
                #private::assert_foreign_key::<#own_key, _, _, _>(<#join as #krate::Model>::FIELDS.#from);
                #private::assert_foreign_key::<#target_key, _, _, _>(<#join as #krate::Model>::FIELDS.#to);
            }
        }
        _ => quote!(),
    };
    quote! { #is_model #keys }
}
