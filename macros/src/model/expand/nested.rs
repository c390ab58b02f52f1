//! Nested creates. On the child's side, for each foreign key (a `references` column), the
//! columns of `New` without it (`session::NewWithoutUserId`, `impl WithoutKey`), and for each
//! two foreign keys, the columns without both (a join model's own columns, `impl
//! WithoutKeys`). On the parent's side, a module per relation (`user::sessions`) with `New`,
//! the child struct the relation's foreign key picks, and the functions that make the nested
//! writes (`create`, `connect`, `connect_by`).
//!
//! A derive sees only its own struct, so the parent names the child's struct through the
//! child's trait impl, keyed by a hash of the foreign key's field name that both derives
//! compute.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::ast::field::Field;
use crate::model::ast::relation::Kind;
use crate::model::check::Checked;

/// FNV-1a of a field's name: the const parameter of `WithoutKey` and `WithoutKeys`.
fn key_hash(field: &syn::Ident) -> u64 {
    let name = field.to_string();
    let name = name.strip_prefix("r#").unwrap_or(&name);
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The foreign keys a nested create can fill in: `references` columns that `New` holds.
fn foreign_keys(checked: &Checked) -> Vec<&Field> {
    checked
        .model
        .fields
        .iter()
        .filter(|f| f.references.is_some() && f.in_new())
        .collect()
}

/// Every two foreign keys, each pair once.
fn pairs<'a>(keys: &[&'a Field]) -> Vec<(&'a Field, &'a Field)> {
    let mut out = Vec::new();
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            out.push((*a, *b));
        }
    }
    out
}

fn struct_name(without: &[&Field]) -> syn::Ident {
    let names: String = without
        .iter()
        .map(|f| {
            let name = f.ident.to_string();
            name.strip_prefix("r#")
                .unwrap_or(&name)
                .to_upper_camel_case()
        })
        .collect();
    format_ident!("NewWithout{}", names)
}

/// The child structs, in the column module.
pub(super) fn structs(checked: &Checked) -> TokenStream {
    let keys = foreign_keys(checked);
    let singles = keys.iter().map(|k| child_struct(checked, &[k]));
    let pairs = pairs(&keys);
    let pairs = pairs.iter().map(|(a, b)| child_struct(checked, &[a, b]));
    quote!(#(#singles)* #(#pairs)*)
}

fn child_struct(checked: &Checked, without: &[&Field]) -> TokenStream {
    let model = &checked.model;
    let ident = &model.ident;
    let name = struct_name(without);
    let members = model
        .fields
        .iter()
        .filter(|f| f.in_new() && !without.iter().any(|w| w.ident == f.ident))
        .map(|f| {
            let field = &f.ident;
            let ty = &super::paths::ty(&f.ty);
            let doc = format!("The value of the `{}` column.", f.column);
            quote! {
                #[doc = #doc]
                pub #field: #ty,
            }
        });
    let keys: Vec<String> = without.iter().map(|f| format!("`{}`", f.ident)).collect();
    let doc = format!(
        "The columns of a new [`{ident}`] but {}, which a nested create fills in from the related row.",
        keys.join(" and ")
    );
    quote! {
        #[doc = #doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone)]
        pub struct #name {
            #(#members)*
        }
    }
}

/// `impl WithoutKey` and `impl WithoutKeys` for the child structs, in the `const _` block.
pub(super) fn impls(checked: &Checked) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let private = super::private();
    let ident = &model.ident;
    let module = &model.module;
    let keys = foreign_keys(checked);
    let singles = keys.iter().map(|k| {
        let name = struct_name(&[k]);
        let hash = key_hash(&k.ident);
        let values = fill_values(checked, &[(k, quote!(__trellis_key))]);
        quote! {
            #[automatically_derived]
            impl #private::WithoutKey<#hash> for #ident {
                type New = #module::#name;
                fn __fill_values(
                    new: &mut #module::#name,
                    __trellis_key: #krate::Value,
                ) -> ::std::vec::Vec<#krate::Value> {
                    #values
                }
            }
        }
    });
    let pairs = pairs(&keys);
    let pairs = pairs.iter().map(|(a, b)| {
        let name = struct_name(&[a, b]);
        let values = fill_values(
            checked,
            &[(a, quote!(__trellis_from)), (b, quote!(__trellis_to))],
        );
        let swapped = fill_values(
            checked,
            &[(b, quote!(__trellis_from)), (a, quote!(__trellis_to))],
        );
        let impl_for = |from: &Field, to: &Field, values: TokenStream| {
            let (from, to) = (key_hash(&from.ident), key_hash(&to.ident));
            quote! {
                #[automatically_derived]
                impl #private::WithoutKeys<#from, #to> for #ident {
                    type New = #module::#name;
                    fn __fill_values(
                        new: &mut #module::#name,
                        __trellis_from: #krate::Value,
                        __trellis_to: #krate::Value,
                    ) -> ::std::vec::Vec<#krate::Value> {
                        #values
                    }
                }
            }
        };
        let forward = impl_for(a, b, values);
        let backward = impl_for(b, a, swapped);
        quote!(#forward #backward)
    });
    quote!(#(#singles)* #(#pairs)*)
}

/// The values of `ModelMeta::insert_columns(false)` from a child struct `new`, with the given
/// foreign keys' values in their places.
fn fill_values(checked: &Checked, given: &[(&Field, TokenStream)]) -> TokenStream {
    super::insertable::new_values(checked, &quote!(new), given)
}

/// The relation modules (`user::sessions`, ...), in the column module. Their functions are
/// generic over the target (and join) model, inferred through `IsType`: the compiler checks
/// the traits they need only where one is called, so a relation that cannot take nested
/// writes (a foreign key not marked `references`) still compiles until one is asked for, and
/// a mistake in the relation reports no second error here. Each is one call of the runtime's
/// entry point, which takes the relation handle as declared. Parameters start with
/// `__trellis_`: the module sees the column handles, which are named like fields.
pub(super) fn relation_modules(checked: &Checked) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let parent = &model.ident;
    let nested = quote!(#krate::query::Nested<#parent>);
    let into = quote!(::core::convert::Into);
    let iter = quote!(::core::iter::IntoIterator);
    let modules = model.relations.iter().filter_map(|r| {
        let field = &r.ident;
        // Written two modules below the struct's.
        let target = super::paths::path(&super::paths::path(&r.target));
        let shown = quote!(#target).to_string().replace(' ', "");
        let rel = quote!(super::#field);
        // The target's key, and a unique column of it with its value.
        let key = quote!(__trellis_key: impl #into<T::Key>);
        let by = quote!(__trellis_column: #krate::Col<T, V, __trellis::Unique>, __trellis_value: impl #into<V>);
        let by_key = quote!(__trellis::Lookup::key::<T>(__trellis_key.into()));
        let by_unique = quote!(__trellis::Lookup::unique(__trellis_column, __trellis_value.into()));
        let body = match (r.kind, &r.foreign_key, &r.through) {
            (Kind::HasOne | Kind::HasMany, Some(key), _) => {
                let hash = key_hash(&key.ident);
                let doc = format!(
                    "The columns of a [`{shown}`] created with its `{parent}`: all of its `New` but `{}`, which is the `{parent}`'s key.",
                    key.ident
                );
                let create = quote!(__trellis::create_children::<C, #hash, _, _, _>);
                let create = if r.kind == Kind::HasOne {
                    quote! {
                        /// Creates the related row with the row being created.
                        pub fn create<C: __trellis::WithoutKey<#hash>>(__trellis_row: C::New) -> #nested
                        where #target: __trellis::IsType<C> {
                            #create(#rel, ::core::iter::once(__trellis_row))
                        }
                    }
                } else {
                    quote! {
                        /// Creates the related rows with the row being created.
                        pub fn create<C: __trellis::WithoutKey<#hash>>(__trellis_rows: impl #iter<Item = C::New>) -> #nested
                        where #target: __trellis::IsType<C> {
                            #create(#rel, __trellis_rows)
                        }
                    }
                };
                quote! {
                    #[doc = #doc]
                    pub type New = <#target as __trellis::WithoutKey<#hash>>::New;
                    #create
                }
            }
            (Kind::ManyToMany, _, Some((join, from, to))) => {
                let join = super::paths::path(&super::paths::path(join));
                let (from, to) = (key_hash(&from.ident), key_hash(&to.ident));
                let doc = format!(
                    "The join row's own columns, written when a `{parent}` is connected to a [`{shown}`]."
                );
                let generics = quote!(T: #krate::Model, J: __trellis::WithoutKeys<#from, #to>);
                let is = quote!(where #target: __trellis::IsType<T>, #join: __trellis::IsType<J>);
                let connect = quote!(__trellis::connect::<T, J, #from, #to, _, _, _>);
                let disconnect = quote!(__trellis::disconnect::<T, J, _, _, _>);
                quote! {
                    #[doc = #doc]
                    pub type New = <#join as __trellis::WithoutKeys<#from, #to>>::New;

                    /// Connects the stored row with this primary key, with the join row's columns.
                    pub fn connect<#generics>(#key, __trellis_join: J::New) -> #nested #is {
                        #connect(#rel, [(#by_key, __trellis_join)], false)
                    }

                    /// Connects the stored row whose unique `column` holds `value`, with the
                    /// join row's columns.
                    pub fn connect_by<V: __trellis::FieldType, #generics>(#by, __trellis_join: J::New) -> #nested #is {
                        #connect(#rel, [(#by_unique, __trellis_join)], false)
                    }

                    /// Replaces the connected rows with the stored rows with these primary
                    /// keys, each with its join row's columns.
                    pub fn set<K: #into<T::Key>, #generics>(__trellis_links: impl #iter<Item = (K, J::New)>) -> #nested #is {
                        let __trellis_links = ::core::iter::IntoIterator::into_iter(__trellis_links);
                        #connect(#rel, __trellis_links.map(|(__trellis_key, __trellis_join)| (#by_key, __trellis_join)), true)
                    }

                    /// Disconnects the stored row with this primary key: deletes the join row.
                    pub fn disconnect<#generics>(#key) -> #nested #is {
                        #disconnect(#rel, [#by_key])
                    }

                    /// Disconnects the stored row whose unique `column` holds `value`.
                    pub fn disconnect_by<V: __trellis::FieldType, #generics>(#by) -> #nested #is {
                        #disconnect(#rel, [#by_unique])
                    }
                }
            }
            (Kind::BelongsTo, _, _) => {
                let relink = quote!(__trellis::relink::<T, _, _, _>);
                let is = quote!(where #target: __trellis::IsType<T>);
                let disconnect = r
                    .local_key(&model.fields)
                    .is_some_and(|f| f.is_option())
                    .then(|| {
                        quote! {
                            /// Sets the foreign key to `NULL`.
                            pub fn disconnect<T: #krate::Model>() -> #nested #is {
                                #relink(#rel, ::core::option::Option::None)
                            }
                        }
                    });
                quote! {
                    /// Points the foreign key at the stored row with this primary key.
                    pub fn connect<T: #krate::Model>(#key) -> #nested #is {
                        #relink(#rel, ::core::option::Option::Some(#by_key))
                    }

                    /// Points the foreign key at the stored row whose unique `column` holds
                    /// `value`.
                    pub fn connect_by<V: __trellis::FieldType, T: #krate::Model>(#by) -> #nested #is {
                        #relink(#rel, ::core::option::Option::Some(#by_unique))
                    }

                    #disconnect
                }
            }
            _ => return None,
        };
        let doc = format!("Nested writes of the `{field}` relation of [`{parent}`].");
        Some(quote! {
            #[doc = #doc]
            pub mod #field {
                use super::*;
                use #krate::__private as __trellis;
                #body
            }
        })
    });
    quote!(#(#modules)*)
}
