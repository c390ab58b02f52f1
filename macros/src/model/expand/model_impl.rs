//! `impl Model`: static metadata, row decoding by column position, insert values.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::model::ast::field::Field;
use crate::model::check::Checked;

pub(super) fn expand(checked: &Checked) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let private = quote!(#krate::__private);
    let ident = &model.ident;
    let name = ident.to_string();
    let table = &model.table;
    let primary_key = checked.primary_key;
    let key_ty = &model.fields[primary_key].ty;

    let columns = model.fields.iter().map(|f| column_meta(f, krate));
    let decoders = model.fields.iter().enumerate().map(|(index, f)| {
        let field = &f.ident;
        let column = &f.column;
        let ty = &f.ty;
        let decode = match f.sql_type {
            // The key through `Self::Key`: see `checks::decode_key`.
            None if f.id.is_some() => quote!(#private::decode_key::<Self>(row, #index)),
            None => quote_spanned!(ty.span()=> <#ty as #private::FieldType>::decode(row, #index)),
            Some(_) => quote_spanned! {ty.span()=>
                {
                    #[allow(unused_imports)]
                    use #private::{CustomCodec as _, NoCustomCodec as _};
                    (&#private::Probe::<#ty>::new()).decode(row, #index)
                }
            },
        };
        quote! {
            #field: #decode.map_err(|e| #private::decode_error(#name, #column, e))?,
        }
    });
    let fill_keys = model.fields.iter().filter(|f| f.auto.is_some()).map(|f| {
        let field = &f.ident;
        let ty = &f.ty;
        quote!(<#ty as #private::AutoKey>::fill(&mut self.#field);)
    });
    let value_of = |f: &Field| value_of(f, krate, &quote!(Self), &quote!(self));
    let values = model.fields.iter().map(|f| {
        let ty = &f.ty;
        let value = value_of(f);
        match f.auto {
            Some(_) => quote! {
                if !<#ty as #private::AutoKey>::DATABASE_GENERATED {
                    values.push(#value);
                }
            },
            None => quote!(values.push(#value);),
        }
    });
    let set_key = {
        let key = &model.fields[primary_key];
        let field = &key.ident;
        let column = &key.column;
        match key.auto {
            Some(_) => quote! {
                match <#key_ty as #private::AutoKey>::from_generated(key) {
                    ::core::option::Option::Some(key) => {
                        self.#field = key;
                        ::core::result::Result::Ok(())
                    }
                    ::core::option::Option::None => ::core::result::Result::Err(#private::decode_error(
                        #name,
                        #column,
                        ::std::format!("generated key {key} does not fit the key's type"),
                    )),
                }
            },
            None => quote! {
                let _ = key;
                ::core::result::Result::Ok(())
            },
        }
    };
    let column_count = model.fields.len();
    let column_values = model.fields.iter().map(|f| {
        let name = f.ident.to_string();
        let value = value_of(f);
        quote!(#name => ::core::option::Option::Some(#value),)
    });
    // Relation fields start out not loaded.
    let relation_defaults = model.relations.iter().map(|r| {
        let field = &r.ident;
        quote!(#field: ::core::default::Default::default(),)
    });
    let relation_metas = super::relations::metas(checked);
    let module = &model.module;
    let field_handles = model
        .fields
        .iter()
        .map(|f| &f.ident)
        .chain(model.relations.iter().map(|r| &r.ident))
        .map(|field| quote!(#field: #module::#field,));

    quote! {
        #[automatically_derived]
        impl #krate::Model for #ident {
            const META: &'static #krate::ModelMeta = &#krate::ModelMeta {
                name: #name,
                table: #table,
                columns: &[#(#columns),*],
                primary_key: #primary_key,
                relations: &[#(#relation_metas),*],
            };

            type Key = #key_ty;

            type Fields = #module::Fields;

            const FIELDS: #module::Fields = #module::Fields { #(#field_handles)* };

            type Where = #module::Where;

            fn __decode(row: &#krate::Row) -> #krate::Result<Self> {
                ::core::result::Result::Ok(Self { #(#decoders)* #(#relation_defaults)* })
            }

            fn __insert_values(&mut self) -> ::std::vec::Vec<#krate::Value> {
                #(#fill_keys)*
                let mut values = ::std::vec::Vec::with_capacity(#column_count);
                #(#values)*
                values
            }

            fn __set_generated_key(&mut self, key: i64) -> #krate::Result<()> {
                #set_key
            }

            fn __column(&self, field: &str) -> ::core::option::Option<#krate::Value> {
                match field {
                    #(#column_values)*
                    _ => ::core::option::Option::None,
                }
            }
        }
    }
}

/// The parameter value of field `f` of `receiver`, a value of the model `model` or of its
/// `New` struct.
pub(super) fn value_of(
    f: &Field,
    krate: &syn::Path,
    model: &TokenStream,
    receiver: &TokenStream,
) -> TokenStream {
    let private = quote!(#krate::__private);
    let field = &f.ident;
    let ty = &f.ty;
    match f.sql_type {
        None if f.id.is_some() => quote!(#private::key_value::<#model>(&#receiver.#field)),
        None => {
            quote_spanned!(ty.span()=> <#ty as #private::FieldType>::to_value(&#receiver.#field))
        }
        Some(_) => quote_spanned! {ty.span()=>
            {
                #[allow(unused_imports)]
                use #private::{CustomCodec as _, NoCustomCodec as _};
                (&#private::Probe::<#ty>::new()).to_value(&#receiver.#field)
            }
        },
    }
}

fn column_meta(f: &Field, krate: &syn::Path) -> TokenStream {
    let private = quote!(#krate::__private);
    let ty = &f.ty;
    let field = f.ident.to_string();
    let column = &f.column;
    let (sql_type, nullable) = match &f.sql_type {
        None if f.id.is_some() => (
            quote!(#private::key_sql_type::<Self>()),
            quote!(#private::key_nullable::<Self>()),
        ),
        None => (
            quote!(<#ty as #private::FieldType>::SQL_TYPE),
            quote!(<#ty as #private::FieldType>::NULLABLE),
        ),
        Some(custom) => {
            let nullable = f.is_option();
            (quote!(#krate::SqlType::Custom(#custom)), quote!(#nullable))
        }
    };
    let primary_key = f.id.is_some();
    let generated = match f.auto {
        Some(_) => quote!(<#ty as #private::AutoKey>::DATABASE_GENERATED),
        None => quote!(false),
    };
    let unique = f.unique;
    let index = f.index;
    let default = match &f.default {
        Some(d) => quote!(::core::option::Option::Some(#d)),
        None => quote!(::core::option::Option::None),
    };
    let references = match &f.references {
        Some(target) => {
            let meta = quote_spanned!(target.span()=> <#target as #krate::Model>::meta);
            quote!(::core::option::Option::Some(#meta))
        }
        None => quote!(::core::option::Option::None),
    };
    let action = |a: &Option<syn::Ident>| match a {
        Some(variant) => quote!(::core::option::Option::Some(#krate::ReferentialAction::#variant)),
        None => quote!(::core::option::Option::None),
    };
    let on_delete = action(&f.on_delete);
    let on_update = action(&f.on_update);
    quote! {
        #krate::ColumnMeta {
            field: #field,
            name: #column,
            sql_type: #sql_type,
            nullable: #nullable,
            primary_key: #primary_key,
            generated: #generated,
            unique: #unique,
            index: #index,
            default: #default,
            references: #references,
            on_delete: #on_delete,
            on_update: #on_update,
        }
    }
}
