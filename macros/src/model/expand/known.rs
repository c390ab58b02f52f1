//! The lookup of names on the model's `Fields` (see `crate::lookup`): a hidden getter per
//! field and relation, `__trellis_known`, and the model's `__TrellisKnown` trait, whose message
//! lists what the model has.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;

use crate::lookup::getter;
use crate::model::check::Checked;

/// The trait, in the handle module.
pub(super) fn known_trait(checked: &Checked) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let ident = &model.ident;
    let list = |names: Vec<String>| {
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    };
    let fields = list(
        model
            .fields
            .iter()
            .map(|f| format!("`{}`", f.ident.unraw()))
            .collect(),
    );
    let relations = list(
        model
            .relations
            .iter()
            .map(|r| format!("`{}`", r.ident.unraw()))
            .collect(),
    );
    let message = format!("`{ident}` has no field or relation of this name");
    let label = format!("not a field or relation of `{ident}`");
    let note = format!("`{ident}`'s fields: {fields}; its relations: {relations}");
    quote! {
        #[doc(hidden)]
        #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
        pub trait __TrellisKnown {
            #[doc(hidden)]
            type Handle;
            #[doc(hidden)]
            fn __trellis_handle(self) -> Self::Handle;
        }
        #[diagnostic::do_not_recommend]
        impl<__M, __T, __K> __TrellisKnown for #krate::Col<__M, __T, __K> {
            type Handle = Self;
            fn __trellis_handle(self) -> Self {
                self
            }
        }
        #[diagnostic::do_not_recommend]
        impl<__M, __T, __C> __TrellisKnown for #krate::Rel<__M, __T, __C> {
            type Handle = Self;
            fn __trellis_handle(self) -> Self {
                self
            }
        }
    }
}

/// The getters and `__trellis_known`, on `Fields` (outside the handle module).
pub(super) fn methods(checked: &Checked) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let ident = &model.ident;
    let module = &model.module;
    let columns = model.fields.iter().map(|f| {
        let field = &f.ident;
        let getter = getter(field);
        let ty = &f.ty;
        let kind = super::handle::kind(f);
        quote! {
            pub const fn #getter(&self) -> #krate::Col<#ident, #ty, #kind> {
                #module::#field
            }
        }
    });
    let relations = model.relations.iter().map(|r| {
        let field = &r.ident;
        let getter = getter(field);
        let target = &r.target;
        let cardinality = super::relations::cardinality(checked, r);
        quote! {
            pub const fn #getter(&self) -> #krate::Rel<#ident, #target, #cardinality> {
                #module::#field
            }
        }
    });
    quote! {
        #[doc(hidden)]
        #[allow(non_snake_case)]
        #[automatically_derived]
        impl #module::Fields {
            #(#columns)*
            #(#relations)*

            pub fn __trellis_known<__V: #module::__TrellisKnown>(
                &self,
                value: __V,
            ) -> <__V as #module::__TrellisKnown>::Handle {
                #module::__TrellisKnown::__trellis_handle(value)
            }
        }
    }
}
