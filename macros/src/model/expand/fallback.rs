//! Stand-ins for `impl Model` and the column module, emitted with the errors when there is no
//! checked model. The one part of this stage that reads `attr` (what darling could read)
//! instead of the checked model.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::ext::IdentExt;

use crate::model::attr::{FieldAttrs, Parsed};

/// After an error, stand-ins for the generated items keep the user's other uses of the model
/// from adding errors of their own: they see the real mistake only. They are built from what
/// the attributes darling could read, so they have the real key type and column handles where
/// it could tell; a field whose attribute had a mistake gets a handle that allows every use.
pub(crate) fn fallback(input: &syn::DeriveInput, parsed: Option<&Parsed<'_>>) -> TokenStream {
    let ident = &input.ident;
    let krate = parsed
        .and_then(|p| p.model.as_ref())
        .and_then(|m| m.krate.clone())
        .unwrap_or_else(|| syn::parse_quote!(::trellis));
    let fields: Vec<SeenField> = parsed
        .map(|p| p.fields.iter().filter_map(SeenField::new).collect())
        .unwrap_or_default();
    let generic = !input.generics.params.is_empty();

    // The trait's supertraits as bounds, so a generic struct gets no errors about them.
    let mut generics = input.generics.clone();
    generics
        .make_where_clause()
        .predicates
        .push(syn::parse_quote! {
            Self: ::core::marker::Send + ::core::marker::Sync + ::core::marker::Unpin + 'static
        });
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    // The key's type as the derive would write it: one column's, or a tuple of several.
    let key_types: Vec<&syn::Type> = fields.iter().filter(|f| f.id).map(|f| &f.ty).collect();
    let key = match key_types.as_slice() {
        _ if generic => quote!(i64),
        [] => quote!(i64),
        [sole] => sole.to_token_stream(),
        // At most four columns (more is an error the check stage reported).
        several if several.len() <= 4 => quote!((#(#several,)*)),
        _ => quote!(i64),
    };
    let sole_key = key_types.len() == 1;
    let with_module = !generic && !fields.is_empty();
    // `module = ".."` when it was readable (a bad name was reported; the default stands in).
    let module = parsed
        .and_then(|p| p.model.as_ref())
        .and_then(|m| m.module.as_ref())
        .and_then(|m| syn::parse_str::<syn::Ident>(m.as_str()).ok())
        .unwrap_or_else(|| syn::Ident::new(&ident.to_string().to_snake_case(), ident.span()));
    let (fields_ty, fields_value) = if with_module {
        let handles = fields.iter().map(|f| {
            let field = &f.ident;
            quote!(#field: #module::#field,)
        });
        (
            quote!(#module::Fields),
            quote!(#module::Fields { #(#handles)* }),
        )
    } else {
        (quote!(()), quote!(()))
    };
    let model_impl = quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #krate::Model for #ident #ty_generics #where_clause {
                const META: &'static #krate::ModelMeta = ::core::unreachable!();
                type Key = #key;
                type Fields = #fields_ty;
                type Where = #krate::input::NoWhere<Self>;
                const FIELDS: Self::Fields = #fields_value;
                fn __decode(_: &#krate::Row) -> #krate::Result<Self> {
                    ::core::unreachable!()
                }
                fn __insert_values(&mut self) -> ::std::vec::Vec<#krate::Value> {
                    ::core::unreachable!()
                }
                fn __set_generated_key(&mut self, _: i64) -> #krate::Result<()> {
                    ::core::unreachable!()
                }
                fn __column(&self, _: &str) -> ::core::option::Option<#krate::Value> {
                    ::core::unreachable!()
                }
            }
            #[automatically_derived]
            impl #impl_generics #krate::Insertable for #ident #ty_generics #where_clause {
                type Model = Self;
                const __WHOLE: bool = true;
                fn __insert_values(&mut self) -> ::std::vec::Vec<#krate::Value> {
                    ::core::unreachable!()
                }
                fn __stored(
                    self,
                    _: ::core::option::Option<i64>,
                ) -> #krate::Result<::core::option::Option<Self>> {
                    ::core::unreachable!()
                }
            }
        };
    };
    if !with_module {
        return model_impl;
    }

    let vis = &input.vis;
    let kind = |f: &SeenField| {
        if (f.id && sole_key) || f.unique {
            quote!(#krate::__private::Unique)
        } else {
            quote!(#krate::__private::Plain)
        }
    };
    let handles = fields.iter().map(|f| {
        let field = &f.ident;
        let ty = &f.ty;
        let kind = kind(f);
        let name = field.unraw().to_string();
        quote!(pub const #field: #krate::Col<#ident, #ty, #kind> = #krate::Col::new(#name);)
    });
    let field_members = fields.iter().map(|f| {
        let field = &f.ident;
        let ty = &f.ty;
        let kind = kind(f);
        quote!(pub #field: #krate::Col<#ident, #ty, #kind>,)
    });
    let getters = fields.iter().map(|f| {
        let field = &f.ident;
        let getter = crate::lookup::getter(field);
        let ty = &f.ty;
        let kind = kind(f);
        quote!(pub const fn #getter(&self) -> #krate::Col<#ident, #ty, #kind> { self.#field })
    });
    let new_members = fields.iter().filter(|f| f.in_new).map(|f| {
        let field = &f.ident;
        let ty = &f.ty;
        quote!(pub #field: #ty,)
    });
    let members = fields.iter().filter(|f| !f.sql_type).map(|f| {
        let field = &f.ident;
        let ty = &f.ty;
        quote!(pub #field: ::core::option::Option<#ty>,)
    });
    quote! {
        #model_impl
        #[allow(non_upper_case_globals, dead_code, unused_imports)]
        #vis mod #module {
            use super::*;
            #(#handles)*
            #[derive(::core::clone::Clone, ::core::marker::Copy)]
            pub struct Fields {
                #(#field_members)*
            }
            #[allow(non_snake_case)]
            impl Fields {
                #(#getters)*
                // Any name: the real mistake was reported.
                pub fn __trellis_known<__V>(&self, value: __V) -> __V {
                    value
                }
            }
            pub struct New {
                #(#new_members)*
            }
            #[automatically_derived]
            impl #krate::Insertable for New {
                type Model = #ident;
                const __WHOLE: bool = false;
                fn __insert_values(&mut self) -> ::std::vec::Vec<#krate::Value> {
                    ::core::unreachable!()
                }
                fn __stored(
                    self,
                    _: ::core::option::Option<i64>,
                ) -> #krate::Result<::core::option::Option<#ident>> {
                    ::core::unreachable!()
                }
            }
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::default::Default)]
            pub struct Where {
                #(#members)*
            }
            #[automatically_derived]
            impl #krate::filter::IntoFilter for Where {
                type Model = #ident;
                fn into_filter(self) -> #krate::Filter<#ident> {
                    ::core::unreachable!()
                }
            }
            #[automatically_derived]
            impl ::core::convert::From<Where> for #krate::Filter<#ident> {
                fn from(_: Where) -> Self {
                    ::core::unreachable!()
                }
            }
        }
    }
}

/// What the fallback knows of one field.
struct SeenField {
    ident: syn::Ident,
    ty: syn::Type,
    id: bool,
    unique: bool,
    sql_type: bool,
    /// Whether `New` has the field (see `Field::in_new`).
    in_new: bool,
}

impl SeenField {
    fn new((field, attrs): &(&syn::Field, Option<FieldAttrs>)) -> Option<Self> {
        let ident = field.ident.clone()?;
        Some(match attrs {
            Some(a) => SeenField {
                ident,
                ty: field.ty.clone(),
                id: a.id.is_present(),
                unique: a.unique.is_present(),
                sql_type: a.sql_type.is_some(),
                in_new: !a.auto.is_present() && (a.id.is_present() || a.default.is_none()),
            },
            // Unreadable attributes: `Unique` handles allow every use a plain one does, and a
            // `Where` member of an unknown type could add errors of its own.
            None => SeenField {
                ident,
                ty: field.ty.clone(),
                id: false,
                unique: true,
                sql_type: true,
                in_new: true,
            },
        })
    }
}
