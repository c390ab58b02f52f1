//! `impl Model`: static metadata, row decoding by column position, insert values.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::model::ast::field::Field;
use crate::model::check::Checked;

pub(super) fn expand(checked: &Checked) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let private = super::private();
    let ident = &model.ident;
    let name = ident.to_string();
    let table = &model.table;
    let primary_key = &checked.primary_key;
    let key_types = primary_key.iter().map(|&at| &model.fields[at].ty);
    // One column's type, or a tuple of a composite key's.
    let key_ty = match primary_key.as_slice() {
        [sole] => {
            let ty = &model.fields[*sole].ty;
            quote!(#ty)
        }
        _ => quote!((#(#key_types,)*)),
    };

    let columns = model.fields.iter().enumerate().map(|(at, f)| {
        // In an index of several columns, and whether in a unique one.
        let in_index = model
            .indexes
            .iter()
            .filter(|i| i.fields.contains(&at))
            .map(|i| i.unique)
            .max();
        column_meta(f, in_index, krate)
    });
    let decoders = model.fields.iter().enumerate().map(|(index, f)| {
        let field = &f.ident;
        let column = &f.column;
        let ty = &f.ty;
        let decode = match f.sql_type {
            // The key through `Self::Key`: see `checks::decode_key`.
            None if f.sole_key => quote!(#private::decode_key::<Self>(row, #index)),
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
            #field: #private::decoded(#decode, #name, #column)?,
        }
    });
    let fill_keys = model.fields.iter().filter(|f| f.auto.is_some()).map(|f| {
        let field = &f.ident;
        let ty = &f.ty;
        quote!(<#ty as #private::AutoKey>::fill(&mut self.#field);)
    });
    let value_of = |f: &Field| value_of(f, &quote!(Self), &quote!(self));
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
        let key = &model.fields[primary_key[0]];
        let field = &key.ident;
        let column = &key.column;
        match key.auto {
            // A composite key has no `auto` (the check stage refuses it).
            Some(_) => quote! {
                // The conversion through the same path as the assertion, so that a type that
                // cannot be generated is reported once.
                let converted = <#key_ty as #private::AutoKey>::from_generated(key);
                #private::set_generated_key(&mut self.#field, converted, key, #name, #column)
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
    let indexes = model.indexes.iter().map(|index| {
        let columns = index.fields.iter().map(|&at| &model.fields[at].column);
        let unique = index.unique;
        quote!(#krate::IndexMeta { columns: &[#(#columns),*], unique: #unique })
    });
    let module = &model.module;

    quote! {
        #[automatically_derived]
        impl #krate::Model for #ident {
            const META: &'static #krate::ModelMeta = &#krate::ModelMeta {
                name: #name,
                table: #table,
                columns: &[#(#columns),*],
                primary_key: &[#(#primary_key),*],
                relations: &[#(#relation_metas),*],
                indexes: &[#(#indexes),*],
            };

            type Key = #key_ty;

            type Fields = #module::Fields;

            // Braces, though a unit struct: a clash with the handle module is then reported as
            // "cannot find struct", like the other names it lacks.
            const FIELDS: #module::Fields = #module::Fields {};

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
pub(super) fn value_of(f: &Field, model: &TokenStream, receiver: &TokenStream) -> TokenStream {
    let private = super::private();
    let field = &f.ident;
    let ty = &f.ty;
    match f.sql_type {
        None if f.sole_key => quote!(#private::key_value::<#model>(&#receiver.#field)),
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

/// A column's metadata: its name and type, and only the constraints it has, over the
/// runtime's plain column (`ColumnMeta { unique: true, ..column("email", "email", ..) }`).
fn column_meta(f: &Field, in_index: Option<bool>, krate: &syn::Path) -> TokenStream {
    let private = super::private();
    let ty = &f.ty;
    let field = f.ident.to_string();
    let column = &f.column;
    let base = match &f.sql_type {
        None if f.sole_key => quote! {
            #private::column(#field, #column, #private::key_sql_type::<Self>(), #private::key_nullable::<Self>())
        },
        // The same paths as the assertions, so that an unsupported type is reported once.
        None => quote_spanned! {ty.span()=>
            #private::column(
                #field,
                #column,
                <#ty as #private::FieldType>::SQL_TYPE,
                <#ty as #private::FieldType>::NULLABLE,
            )
        },
        Some(custom) => {
            let nullable = f.is_option();
            quote!(#private::column(#field, #column, #krate::SqlType::Custom(#custom), #nullable))
        }
    };
    let mut set = Vec::new();
    if f.id.is_some() {
        set.push(quote!(primary_key: true,));
    }
    if f.auto.is_some() {
        set.push(quote!(generated: <#ty as #private::AutoKey>::DATABASE_GENERATED,));
    }
    if f.unique {
        set.push(quote!(unique: true,));
    }
    if f.index {
        set.push(quote!(index: true,));
    }
    if let Some(unique) = in_index {
        set.push(quote!(in_index: ::core::option::Option::Some(#unique),));
    }
    if let Some(d) = &f.default {
        set.push(quote!(default: ::core::option::Option::Some(#d),));
    }
    if let Some(target) = &f.references {
        let meta = quote_spanned!(target.span()=> <#target as #krate::Model>::meta);
        set.push(quote!(references: ::core::option::Option::Some(#meta),));
    }
    let action = |a: &Option<syn::Ident>| {
        a.as_ref().map(
            |variant| quote!(::core::option::Option::Some(#krate::ReferentialAction::#variant)),
        )
    };
    if let Some(on_delete) = action(&f.on_delete) {
        set.push(quote!(on_delete: #on_delete,));
    }
    if let Some(on_update) = action(&f.on_update) {
        set.push(quote!(on_update: #on_update,));
    }
    if set.is_empty() {
        base
    } else {
        quote!(#krate::ColumnMeta { #(#set)* ..#base })
    }
}
