//! `impl Insertable` for the model (every column) and for `user::New` (the columns it gives).

use proc_macro2::TokenStream;
use quote::quote;

use super::model_impl::value_of;
use crate::model::ast::field::Field;
use crate::model::check::Checked;

pub(super) fn expand(checked: &Checked) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let ident = &model.ident;
    let module = &model.module;
    let new_values = new_values(checked, &quote!(self), &[]);
    quote! {
        #[automatically_derived]
        impl #krate::Insertable for #ident {
            type Model = #ident;
            const __WHOLE: bool = true;
            fn __insert_values(&mut self) -> ::std::vec::Vec<#krate::Value> {
                <Self as #krate::Model>::__insert_values(self)
            }
            fn __stored(self, key: ::core::option::Option<i64>) -> #krate::Result<::core::option::Option<Self>> {
                __trellis::stored(self, key)
            }
        }

        #[automatically_derived]
        impl #krate::Insertable for #module::New {
            type Model = #ident;
            const __WHOLE: bool = false;
            fn __insert_values(&mut self) -> ::std::vec::Vec<#krate::Value> {
                #new_values
            }
            fn __stored(
                self,
                _: ::core::option::Option<i64>,
            ) -> #krate::Result<::core::option::Option<#ident>> {
                ::core::result::Result::Ok(::core::option::Option::None)
            }
        }
    }
}

/// The values of `ModelMeta::insert_columns(false)`, in field order, from a `New` struct
/// (`receiver`): each column `New` gives, each key Trellis generates (not the database), and
/// the `given` fields' values in their places (a nested child's foreign key, filled in from
/// its parent).
pub(super) fn new_values(
    checked: &Checked,
    receiver: &TokenStream,
    given: &[(&Field, TokenStream)],
) -> TokenStream {
    let model = &checked.model;
    let private = super::private();
    let ident = &model.ident;
    let model_ty = quote!(#ident);
    let pushes = model.fields.iter().filter_map(|f| {
        if let Some((_, value)) = given.iter().find(|(k, _)| k.ident == f.ident) {
            return Some(quote!(values.push(#value);));
        }
        let ty = &f.ty;
        if f.auto.is_some() {
            // Written even though `New` has no field for them.
            return Some(quote! {
                if !<#ty as #private::AutoKey>::DATABASE_GENERATED {
                    if let ::core::option::Option::Some(key) = <#ty as #private::AutoKey>::generate() {
                        values.push(#private::key_value::<#ident>(&key));
                    }
                }
            });
        }
        f.in_new().then(|| {
            let value = value_of(f, &model_ty, receiver);
            quote!(values.push(#value);)
        })
    });
    let count = model.fields.len();
    quote! {
        let mut values = ::std::vec::Vec::with_capacity(#count);
        #(#pushes)*
        values
    }
}
