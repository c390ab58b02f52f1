//! The expansion: a block that declares one generic output struct per level and builds the
//! selection from the models' column and relation handles, so type inference gives every
//! output field its column's type and every misspelt name is the compiler's error.

use heck::ToUpperCamelCase;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::visit_mut::VisitMut;

use super::parse::{Item, Opt, OptKind, Selection};

struct Ctx {
    structs: Vec<TokenStream>,
    names: Vec<String>,
    depth: usize,
}

pub(crate) fn expand(selection: &Selection) -> TokenStream {
    let model = &selection.model;
    let mut ctx = Ctx {
        structs: Vec::new(),
        names: Vec::new(),
        depth: 0,
    };
    let base = model
        .segments
        .last()
        .map_or_else(|| "Selected".to_owned(), |s| s.ident.to_string());
    let fields = format_ident!("__trellis_fields_0");
    let tag = format_ident!("__trellis_tag_0");
    let level = level(&mut ctx, &tag, &fields, &base, &selection.items);
    let structs = &ctx.structs;
    quote! {
        {
            #(#structs)*
            let #tag = ::trellis::select::tag::<#model>();
            let #fields = ::trellis::select::fields::<#model>();
            #level
        }
    }
}

/// The struct name for a level: `UserSelection`, `SessionsSelection`, numbered when taken.
fn struct_name(ctx: &mut Ctx, base: &str) -> syn::Ident {
    let wanted = format!("{}Selection", base.to_upper_camel_case());
    let mut name = wanted.clone();
    let mut n = 2;
    while ctx.names.contains(&name) {
        name = format!("{wanted}{n}");
        n += 1;
    }
    ctx.names.push(name.clone());
    syn::Ident::new(&name, Span::call_site())
}

/// One level: `level(tag, columns, (relations,), |reader, (bindings,)| Ok(Struct {..}))`, where
/// `tag` names the level's model (the root's as written, a relation's target as the relation
/// hands it over), so a selection always knows which model it reads.
fn level(
    ctx: &mut Ctx,
    tag: &syn::Ident,
    fields: &syn::Ident,
    base: &str,
    items: &[Item],
) -> TokenStream {
    let name = struct_name(ctx, base);
    let generics: Vec<syn::Ident> = (0..items.len()).map(|i| format_ident!("T{}", i)).collect();
    let members = items.iter().zip(&generics).map(|(item, ty)| {
        let field = &item.name;
        quote!(pub #field: #ty,)
    });
    ctx.structs.push(quote! {
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::trellis::__private::serde::Serialize)]
        #[serde(crate = "::trellis::__private::serde")]
        #[allow(non_camel_case_types)]
        pub struct #name<#(#generics),*> {
            #(#members)*
        }
    });

    let reader = format_ident!("__trellis_reader");
    let mut columns = Vec::new();
    let mut relations = Vec::new();
    let mut bindings = Vec::new();
    let mut values = Vec::new();
    for item in items {
        let field = &item.name;
        // Every token of the access at the user's name, so that errors point there.
        let fields = &syn::Ident::new(&fields.to_string(), field.span());
        let reader = &syn::Ident::new(&reader.to_string(), field.span());
        if item.count {
            let inner = format_ident!("__trellis_count_fields");
            let inner_here = syn::Ident::new(&inner.to_string(), field.span());
            let refine = refine(&item.options, &inner_here);
            let binding = format_ident!("__trellis_count_{}", field);
            relations.push(quote_spanned! {field.span()=>
                ::trellis::select::count(#fields.#field, |__trellis_query, #inner_here| __trellis_query #refine)
            });
            values.push(quote!(#field: #binding,));
            bindings.push(binding);
            continue;
        }
        match &item.nested {
            None => {
                columns.push(
                    quote_spanned!(field.span()=> ::trellis::select::column_name(&#fields.#field)),
                );
                values.push(quote_spanned!(field.span()=> #field: #reader.get(#fields.#field)?,));
            }
            Some(nested) => {
                ctx.depth += 1;
                let inner = format_ident!("__trellis_fields_{}", ctx.depth);
                let inner_tag = format_ident!("__trellis_tag_{}", ctx.depth);
                let refine = refine(&item.options, &inner);
                let nested_level = level(ctx, &inner_tag, &inner, &field.to_string(), nested);
                let binding = format_ident!("__trellis_rel_{}", field);
                let inner_here = syn::Ident::new(&inner.to_string(), field.span());
                relations.push(quote_spanned! {field.span()=>
                    ::trellis::select::relation(
                        #fields.#field,
                        |__trellis_query, #inner_here| __trellis_query #refine,
                        |#inner_tag, #inner_here| #nested_level,
                    )
                });
                values.push(quote!(#field: #binding,));
                bindings.push(binding);
            }
        }
    }
    quote! {
        ::trellis::select::level(
            #tag,
            ::std::vec![#(#columns),*],
            (#(#relations,)*),
            move |#reader, (#(#bindings,)*)| ::core::result::Result::Ok(#name { #(#values)* }),
        )
    }
}

/// The relation options as method calls on the relation's query. In `where` and `order_by`,
/// a name followed by a method call names a field of the related model.
pub(crate) fn refine(options: &[Opt], fields: &syn::Ident) -> TokenStream {
    let calls = options.iter().map(|option| {
        let span = option.span;
        match &option.kind {
            OptKind::Take(n) => quote_spanned!(span=> .take(#n)),
            OptKind::Skip(n) => quote_spanned!(span=> .skip(#n)),
            OptKind::OrderBy(expr) => {
                let expr = with_fields(expr, fields);
                quote_spanned!(span=> .order_by(#expr))
            }
            OptKind::Where(expr) => {
                let expr = with_fields(expr, fields);
                quote_spanned!(span=> .filter(#expr))
            }
            OptKind::Cursor(field, value) => {
                let fields = syn::Ident::new(&fields.to_string(), field.span());
                quote_spanned!(span=> .cursor(#fields.#field, #value))
            }
        }
    });
    quote!(#(#calls)*)
}

fn with_fields(expr: &syn::Expr, fields: &syn::Ident) -> syn::Expr {
    struct Rewrite<'a>(&'a syn::Ident);
    impl VisitMut for Rewrite<'_> {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            syn::visit_mut::visit_expr_method_call_mut(self, call);
            if let syn::Expr::Path(path) = &*call.receiver {
                if path.qself.is_none()
                    && path.path.segments.len() == 1
                    && path.path.leading_colon.is_none()
                {
                    if let Some(ident) = path.path.get_ident() {
                        let fields = self.0;
                        let span = ident.span();
                        let access: syn::Expr = syn::parse_quote_spanned!(span=> #fields.#ident);
                        *call.receiver = access;
                    }
                }
            }
        }
    }
    let mut expr = expr.clone();
    Rewrite(fields).visit_expr_mut(&mut expr);
    expr
}
