//! `user::Where`: the plain-data form of a filter on the model, which serde can read from
//! JSON (unknown keys are rejected): per column a `WhereFilter` (a `TextFilter` for text, a
//! `FieldFilter` for other types), per relation a `ManyFilter` or `OneFilter` over the related
//! model's `Where`, and `AND`, `OR`, `NOT`. Serde reads it through the runtime's one reader
//! (`input::read_where`), from the table of member keys and the array of members generated
//! here, each an `input::Member` the runtime sets from its JSON: no serde derive per model,
//! whose reader was the largest part of a model's expansion.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use crate::model::ast::field::Field;
use crate::model::check::Checked;

/// Whether the type, as written, cannot be text: a primitive (`i64`, `u64`, ..) or a generic
/// type other than `Option` (`Vec<u8>`, `HashMap<..>`). Every other column takes the filter
/// its type's `FieldType::Kind` picks (`WhereFilter`), so that an alias of `String` is text
/// too; these are spared the question because a type the assertions reject would be reported
/// again, several times, through the where struct.
fn surely_not_text(ty: &syn::Type) -> bool {
    const PRIMITIVES: &[&str] = &[
        "bool", "char", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64",
        "u128", "usize", "f32", "f64",
    ];
    let syn::Type::Path(path) = ty else {
        // References, tuples, arrays, ..: not a column type at all.
        return true;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    match &last.arguments {
        syn::PathArguments::None => {
            path.qself.is_none()
                && path.path.segments.len() == 1
                && PRIMITIVES.iter().any(|p| last.ident == p)
        }
        syn::PathArguments::AngleBracketed(args) if last.ident == "Option" => {
            matches!(args.args.first(), Some(syn::GenericArgument::Type(inner)) if surely_not_text(inner))
        }
        _ => true,
    }
}

pub(super) fn expand(checked: &Checked) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let ident = &model.ident;
    // `sql_type` columns have no comparison operators, so they take no part.
    let columns: Vec<&Field> = model
        .fields
        .iter()
        .filter(|f| f.sql_type.is_none())
        .collect();
    let column_members = columns.iter().map(|f| {
        let field = &f.ident;
        let ty = &super::paths::ty(&f.ty);
        let filter = if surely_not_text(&f.ty) {
            quote!(#krate::input::FieldFilter<#ty>)
        } else {
            quote_spanned!(ty.span()=> #krate::input::WhereFilter<#ty>)
        };
        let doc = format!("Conditions on the `{}` column.", f.column);
        quote! {
            #[doc = #doc]
            pub #field: ::core::option::Option<#filter>,
        }
    });
    let relation_members = model.relations.iter().map(|r| {
        let field = &r.ident;
        let target = &super::paths::path(&r.target);
        let filter = if r.kind.to_many() {
            quote!(#krate::input::ManyFilter<<#target as #krate::Model>::Where>)
        } else {
            quote!(#krate::input::OneFilter<<#target as #krate::Model>::Where>)
        };
        let doc = format!("Conditions on the `{field}` relation.");
        quote! {
            #[doc = #doc]
            pub #field: ::core::option::Option<#filter>,
        }
    });
    // The members as data: their JSON keys, and the members in the same order.
    let member_idents: Vec<&syn::Ident> = columns
        .iter()
        .map(|f| &f.ident)
        .chain(model.relations.iter().map(|r| &r.ident))
        .collect();
    let member_keys = member_idents
        .iter()
        .map(|i| i.unraw().to_string())
        .chain(["AND", "OR", "NOT"].map(String::from));
    let count = member_idents.len() + 3;
    let members = member_idents.iter().map(|i| quote!(&mut self.#i)).chain([
        quote!(&mut self.and),
        quote!(&mut self.or),
        quote!(&mut self.not),
    ]);
    // Through a probe that stays quiet for a type the assertions already rejected.
    let column_conditions = columns.iter().map(|f| {
        let field = &f.ident;
        let ty = &super::paths::ty(&f.ty);
        quote! {
            __trellis_where.#field.map(|__trellis_f| (&__trellis::Probe::<#ty>::new()).where_on(__trellis_f, #field))
        }
    });
    let relation_conditions = model.relations.iter().map(|r| {
        let field = &r.ident;
        quote!(__trellis_where.#field.map(|__trellis_f| __trellis_f.on(#field)))
    });
    let doc = format!("A filter on [`{ident}`] as plain data: every condition given must hold.");
    let expecting = format!("a filter on `{ident}` (a JSON object)");
    quote! {
        #[doc = #doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::default::Default)]
        pub struct Where {
            #(#column_members)*
            #(#relation_members)*
            /// All of these hold.
            pub and: ::core::option::Option<::std::vec::Vec<Where>>,
            /// At least one of these holds (none: an empty list).
            pub or: ::core::option::Option<::std::vec::Vec<Where>>,
            /// This does not hold.
            pub not: ::core::option::Option<::std::boxed::Box<Where>>,
        }

        // Read from a JSON object whose keys are the members' names (`AND`, `OR`, `NOT` in
        // capitals), by the runtime's one reader.
        #[automatically_derived]
        impl #krate::input::WhereMembers for Where {
            const MEMBERS: &'static [&'static str] = &[#(#member_keys),*];
            const EXPECTING: &'static str = #expecting;
            // Column handles share the names of the fields: the bindings' must not be one.
            fn member(
                &mut self,
                __trellis_index: usize,
            ) -> ::core::option::Option<&mut dyn #krate::input::Member> {
                let __trellis_members: [&mut dyn #krate::input::Member; #count] = [#(#members),*];
                __trellis_members.into_iter().nth(__trellis_index)
            }
        }

        #[automatically_derived]
        impl<'de> __trellis::serde::Deserialize<'de> for Where {
            fn deserialize<D: __trellis::serde::Deserializer<'de>>(
                __trellis_d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                #krate::input::read_where(__trellis_d)
            }
        }

        // What `.filter(..)` takes.
        #[automatically_derived]
        impl #krate::filter::IntoFilter for Where {
            type Model = #ident;
            fn into_filter(self) -> #krate::Filter<#ident> {
                ::core::convert::Into::into(self)
            }
        }

        #[automatically_derived]
        impl ::core::convert::From<Where> for #krate::Filter<#ident> {
            // Column handles share the names of the fields: the parameter's must not be one.
            fn from(__trellis_where: Where) -> Self {
                #[allow(unused_imports)]
                use __trellis::{NoWhereOn as _, WhereOn as _};
                #krate::input::where_filter(
                    [#(#column_conditions,)* #(#relation_conditions,)*],
                    __trellis_where.and,
                    __trellis_where.or,
                    __trellis_where.not,
                )
            }
        }
    }
}
