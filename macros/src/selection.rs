//! `#[derive(Selection)]`: a named selection of a model, for function signatures and serde.
//! Each field is a column of the model with the same name (and must have its type), or, marked
//! `#[selection(relation)]` or given relation options, a relation whose rows are selections too.

use darling::util::Flag;
use darling::{FromDeriveInput, FromField};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::select::{refine_with, Opt, OptKind};

#[derive(FromDeriveInput)]
#[darling(attributes(selection), supports(struct_named))]
struct SelectionAttrs {
    ident: syn::Ident,
    generics: syn::Generics,
    data: darling::ast::Data<darling::util::Ignored, FieldAttrs>,
    model: syn::Path,
}

#[derive(FromField)]
#[darling(attributes(selection))]
struct FieldAttrs {
    ident: Option<syn::Ident>,
    ty: syn::Type,
    #[darling(default)]
    relation: Flag,
    #[darling(default)]
    take: Option<syn::Expr>,
    #[darling(default)]
    skip: Option<syn::Expr>,
    #[darling(default)]
    order_by: Option<syn::LitStr>,
    #[darling(default, rename = "where")]
    filter: Option<syn::LitStr>,
}

impl FieldAttrs {
    fn is_relation(&self) -> bool {
        self.relation.is_present()
            || self.take.is_some()
            || self.skip.is_some()
            || self.order_by.is_some()
            || self.filter.is_some()
    }

    fn options(&self, errors: &mut darling::error::Accumulator) -> Vec<Opt> {
        let mut options = Vec::new();
        let mut expr = |lit: &syn::LitStr| match lit.parse::<syn::Expr>() {
            Ok(expr) => Some(expr),
            Err(e) => {
                errors
                    .push(darling::Error::custom(format!("not an expression: {e}")).with_span(lit));
                None
            }
        };
        if let Some(e) = self.filter.as_ref().and_then(&mut expr) {
            options.push(Opt {
                kind: OptKind::Where(e),
                span: self
                    .filter
                    .as_ref()
                    .map_or_else(proc_macro2::Span::call_site, |l| l.span()),
            });
        }
        if let Some(e) = self.order_by.as_ref().and_then(&mut expr) {
            options.push(Opt {
                kind: OptKind::OrderBy(e),
                span: self
                    .order_by
                    .as_ref()
                    .map_or_else(proc_macro2::Span::call_site, |l| l.span()),
            });
        }
        if let Some(n) = &self.skip {
            options.push(Opt {
                kind: OptKind::Skip(n.clone()),
                span: n.span(),
            });
        }
        if let Some(n) = &self.take {
            options.push(Opt {
                kind: OptKind::Take(n.clone()),
                span: n.span(),
            });
        }
        options
    }
}

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

pub(crate) fn derive(input: &syn::DeriveInput) -> TokenStream {
    let attrs = match SelectionAttrs::from_derive_input(input) {
        Ok(attrs) => attrs,
        Err(e) => return e.write_errors(),
    };
    let mut errors = darling::Error::accumulator();
    if let Some(param) = attrs.generics.params.first() {
        errors.push(
            darling::Error::custom("a selection cannot have generic parameters").with_span(param),
        );
    }
    let ident = &attrs.ident;
    let model = &attrs.model;
    let fields_var = format_ident!("__trellis_fields");
    let reader = format_ident!("__trellis_reader");
    let fields = attrs
        .data
        .take_struct()
        .map(|f| f.fields)
        .unwrap_or_default();

    let mut columns = Vec::new();
    let mut relations = Vec::new();
    let mut bindings = Vec::new();
    let mut values = Vec::new();
    for field in &fields {
        let Some(name) = &field.ident else { continue };
        let ty = &field.ty;
        let here = syn::Ident::new(&fields_var.to_string(), name.span());
        if field.is_relation() {
            let inner_fields = format_ident!("__trellis_inner");
            let refine = refine_with(&field.options(&mut errors), &inner_fields);
            let inner = inner_type(ty);
            let binding = format_ident!("__trellis_rel_{}", name);
            relations.push(quote_spanned! {name.span()=>
                ::trellis::select::relation(
                    #here.#name,
                    |__trellis_query, #inner_fields| __trellis_query #refine,
                    |_, _| <#inner as ::trellis::select::Selection>::level(),
                )
            });
            // The declared type must be the relation's shape (`Vec`, `Option` or the row).
            values.push(quote_spanned!(ty.span()=> #name: { let value: #ty = #binding; value },));
            bindings.push(binding);
        } else {
            columns
                .push(quote_spanned!(name.span()=> ::trellis::select::column_name(&#here.#name)));
            let reader = syn::Ident::new(&reader.to_string(), name.span());
            // Declared at the field's type: a type other than the column's fails here.
            values.push(quote_spanned!(ty.span()=> #name: #reader.get_as::<#ty, _>(#here.#name)?,));
        }
    }
    if let Err(e) = errors.finish() {
        return e.write_errors();
    }
    quote! {
        const _: () = {
            impl ::trellis::select::Selection for #ident {
                type Model = #model;

                fn level() -> impl ::trellis::select::Level<Model = #model, Output = Self> {
                    let #fields_var = ::trellis::select::fields::<#model>();
                    ::trellis::select::level(
                        ::trellis::select::tag::<#model>(),
                        ::std::vec![#(#columns),*],
                        (#(#relations,)*),
                        move |#reader, (#(#bindings,)*)| ::core::result::Result::Ok(#ident { #(#values)* }),
                    )
                }
            }
        };
    }
}
