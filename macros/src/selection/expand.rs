//! `impl Selection`: a level built from the model's column and relation handles, so that a
//! wrong name or type is the compiler's error at the user's token.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::attr::Selection;
use crate::select::{option_names, refine_with, respan};

/// The selection type inside a relation field's type: `X` of `Vec<X>`, `Option<X>` or `X`.
fn inner_type(ty: &syn::Type) -> &syn::Type {
    if let syn::Type::Path(p) = ty {
        if let Some(last) = p.path.segments.last() {
            if last.ident == "Vec" || last.ident == "Option" {
                if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                    if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                        return inner;
                    }
                }
            }
        }
    }
    ty
}

pub(super) fn expand(selection: &Selection) -> TokenStream {
    let ident = &selection.ident;
    let model = &selection.model;
    let krate = &selection.krate;
    let fields_var = format_ident!("__trellis_fields");
    let reader = format_ident!("__trellis_reader");

    let mut columns = Vec::new();
    let mut relations = Vec::new();
    let mut bindings = Vec::new();
    let mut values = Vec::new();
    for field in &selection.fields {
        let name = &field.ident;
        let ty = &field.ty;
        let here = syn::Ident::new(&fields_var.to_string(), name.span());
        // The crate's path at the user's name too: the call it starts is the error's span.
        let krate = &respan(krate, name.span());
        if let (Some(aggregate), Some(options)) = (&field.aggregate, &field.relation) {
            let inner_fields = format_ident!("__trellis_inner");
            let refine = refine_with(options, &inner_fields);
            let binding = format_ident!("__trellis_rel_{}", name);
            let relation = &aggregate.relation;
            let here = syn::Ident::new(&fields_var.to_string(), relation.span());
            let access = crate::lookup::access(&here, relation);
            let function = &aggregate.function;
            let function = quote_spanned!(function.span()=> #krate::select::#function);
            let column = aggregate.column.as_ref().map(|column| {
                let inner_column = syn::Ident::new(&inner_fields.to_string(), column.span());
                let access = crate::lookup::access(&inner_column, column);
                quote_spanned!(column.span()=> , |#inner_column| #access)
            });
            relations.push(quote_spanned! {relation.span()=>
                #function(#access, |__trellis_query, #inner_fields| __trellis_query #refine #column)
            });
            // Declared at the field's type: a type other than the aggregate's fails here.
            values.push(quote_spanned!(ty.span()=> #name: #krate::select::AggregateAs::<#ty>::declared(#binding),));
            bindings.push(binding);
        } else if let Some(options) = &field.relation {
            let inner_fields = format_ident!("__trellis_inner");
            let refine = refine_with(options, &inner_fields);
            let inner = inner_type(ty);
            let binding = format_ident!("__trellis_rel_{}", name);
            let access = crate::lookup::access(&here, name);
            relations.push(quote_spanned! {name.span()=>
                #krate::select::relation(
                    #access,
                    |__trellis_query, #inner_fields| __trellis_query #refine,
                    |_, _| <#inner as #krate::select::Selection>::level(),
                )
            });
            // The declared type must be the relation's shape (`Vec`, `Option` or the row).
            values.push(quote_spanned!(ty.span()=> #name: { let value: #ty = #binding; value },));
            bindings.push(binding);
        } else {
            let access = crate::lookup::access(&here, name);
            columns.push(quote_spanned!(name.span()=> #krate::select::column_name(&#access)));
            let reader = syn::Ident::new(&reader.to_string(), name.span());
            // Declared at the field's type: a type other than the column's fails here.
            values.push(quote_spanned!(ty.span()=> #name: #reader.get_as::<#ty, _>(#access)?,));
        }
    }
    let mut names = Vec::new();
    for field in &selection.fields {
        names.push(field.ident.clone());
        if let Some(options) = &field.relation {
            option_names(options, &mut names);
        }
        if let Some(aggregate) = &field.aggregate {
            names.push(aggregate.relation.clone());
            names.extend(aggregate.column.clone());
        }
    }
    let fallback = crate::lookup::fallback(&quote!(#krate::__private), &names);
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #krate::select::Selection for #ident {
                type Model = #model;

                fn level() -> impl #krate::select::Level<Model = #model, Output = Self> {
                    #fallback
                    let #fields_var = #krate::select::fields::<#model>();
                    #krate::select::level(
                        #krate::select::tag::<#model>(),
                        &[#(#columns),*],
                        (#(#relations,)*),
                        move |#reader, (#(#bindings,)*)| ::core::result::Result::Ok(#ident { #(#values)* }),
                    )
                }
            }
        };
    }
}
