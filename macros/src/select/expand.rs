//! The expansion: a block that declares one generic output struct per level and builds the
//! selection from the models' column and relation handles, so type inference gives every
//! output field its column's type and every misspelt name is the compiler's error.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::visit_mut::VisitMut;

use super::parse::{Item, Opt, OptKind, Selection};

struct Ctx {
    /// Where the `trellis` crate is.
    krate: syn::Path,
    structs: Vec<TokenStream>,
    names: Vec<String>,
    depth: usize,
}

pub(crate) fn expand(selection: &Selection) -> TokenStream {
    let model = &selection.model;
    let mut ctx = Ctx {
        krate: selection.krate.clone(),
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
    let krate = &ctx.krate;
    let mut names = Vec::new();
    item_names(&selection.items, &mut names);
    let fallback = crate::lookup::fallback(&quote!(__trellis), &names);
    quote! {
        {
            use #krate::__private as __trellis;
            #fallback
            #(#structs)*
            let #tag = #krate::select::tag::<#model>();
            let #fields = #krate::select::fields::<#model>();
            #level
        }
    }
}

/// The struct name for a level, as `Debug` shows it (`UserSelection`, `SessionsSelection`,
/// numbered when taken), and as it is declared: prefixed, so that it cannot shadow a type of
/// the user's named in a `where` or `order_by` expression.
fn struct_name(ctx: &mut Ctx, base: &str) -> (String, syn::Ident) {
    let wanted = format!("{}Selection", base.to_upper_camel_case());
    let mut name = wanted.clone();
    let mut n = 2;
    while ctx.names.contains(&name) {
        name = format!("{wanted}{n}");
        n += 1;
    }
    ctx.names.push(name.clone());
    let ident = format_ident!("__Trellis{}", name);
    (name, ident)
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
    let krate = ctx.krate.clone();
    let (shown, name) = struct_name(ctx, base);
    let generics: Vec<syn::Ident> = (0..items.len())
        .map(|i| format_ident!("__T{}", i))
        .collect();
    let members = items.iter().zip(&generics).map(|(item, ty)| {
        let field = &item.name;
        quote!(pub #field: #ty,)
    });
    let debug_fields = items.iter().map(|item| {
        let field = &item.name;
        let text = field.unraw().to_string();
        quote!(.field(#text, &self.#field))
    });
    let serialize_fields = items.iter().map(|item| {
        let field = &item.name;
        let text = field.unraw().to_string();
        quote!(__trellis_s.serialize_field(#text, &self.#field)?;)
    });
    let clones = items.iter().map(|item| {
        let field = &item.name;
        quote!(#field: ::core::clone::Clone::clone(&self.#field),)
    });
    let equal = items.iter().map(|item| {
        let field = &item.name;
        quote!(self.#field == __trellis_other.#field)
    });
    let len = items.len();
    let serde = quote!(__trellis::serde);
    // By hand rather than derived: they read like the derives' but are a third of their size,
    // and `Debug` and serde show the name without its prefix.
    ctx.structs.push(quote! {
        #[allow(non_camel_case_types)]
        pub struct #name<#(#generics),*> {
            #(#members)*
        }

        #[automatically_derived]
        impl<#(#generics: ::core::fmt::Debug),*> ::core::fmt::Debug for #name<#(#generics),*> {
            fn fmt(&self, __trellis_f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                __trellis_f.debug_struct(#shown) #(#debug_fields)* .finish()
            }
        }

        #[automatically_derived]
        impl<#(#generics: ::core::clone::Clone),*> ::core::clone::Clone for #name<#(#generics),*> {
            fn clone(&self) -> Self {
                #name { #(#clones)* }
            }
        }

        #[automatically_derived]
        impl<#(#generics: ::core::cmp::PartialEq),*> ::core::cmp::PartialEq for #name<#(#generics),*> {
            fn eq(&self, __trellis_other: &Self) -> bool {
                true #(&& #equal)*
            }
        }

        #[automatically_derived]
        impl<#(#generics: #serde::Serialize),*> #serde::Serialize for #name<#(#generics),*> {
            fn serialize<__S: #serde::Serializer>(&self, __trellis_serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                use #serde::ser::SerializeStruct as _;
                let mut __trellis_s = __trellis_serializer.serialize_struct(#shown, #len)?;
                #(#serialize_fields)*
                __trellis_s.end()
            }
        }
    });

    let reader = format_ident!("__trellis_reader");
    let mut columns = Vec::new();
    let mut relations = Vec::new();
    let mut bindings = Vec::new();
    let mut values = Vec::new();
    for item in items {
        // The output field, and the model's field or relation it reads.
        let out = &item.name;
        let field = &item.field;
        // The crate's path at the user's name too: the call it starts is the error's span.
        let krate = &respan(&krate, field.span());
        // Every token of the access at the user's name, so that errors point there.
        let fields = &syn::Ident::new(&fields.to_string(), field.span());
        let reader = &syn::Ident::new(&reader.to_string(), field.span());
        if let Some(aggregate) = &item.aggregate {
            let inner = format_ident!("__trellis_count_fields");
            let inner_here = syn::Ident::new(&inner.to_string(), field.span());
            let refine = refine(&item.options, &inner_here);
            let binding = format_ident!("__trellis_count_{}", out);
            let access = crate::lookup::access(fields, field);
            let function = &aggregate.function;
            let function = quote_spanned!(function.span()=> #krate::select::#function);
            let column = aggregate.column.as_ref().map(|column| {
                let inner_column = syn::Ident::new(&inner.to_string(), column.span());
                let access = crate::lookup::access(&inner_column, column);
                quote_spanned!(column.span()=> , |#inner_column| #access)
            });
            relations.push(quote_spanned! {field.span()=>
                #function(#access, |__trellis_query, #inner_here| __trellis_query #refine #column)
            });
            values.push(quote!(#out: #binding,));
            bindings.push(binding);
            continue;
        }
        match &item.nested {
            None => {
                let access = crate::lookup::access(fields, field);
                columns.push(quote_spanned!(field.span()=> #krate::select::column_name(&#access)));
                values.push(quote_spanned!(field.span()=> #out: #reader.get(#access)?,));
            }
            Some(nested) => {
                ctx.depth += 1;
                let inner = format_ident!("__trellis_fields_{}", ctx.depth);
                let inner_tag = format_ident!("__trellis_tag_{}", ctx.depth);
                let refine = refine(&item.options, &inner);
                let nested_level = level(ctx, &inner_tag, &inner, &out.unraw().to_string(), nested);
                let binding = format_ident!("__trellis_rel_{}", out);
                let inner_here = syn::Ident::new(&inner.to_string(), field.span());
                let access = crate::lookup::access(fields, field);
                relations.push(quote_spanned! {field.span()=>
                    #krate::select::relation(
                        #access,
                        |__trellis_query, #inner_here| __trellis_query #refine,
                        |#inner_tag, #inner_here| #nested_level,
                    )
                });
                values.push(quote!(#out: #binding,));
                bindings.push(binding);
            }
        }
    }
    quote! {
        #krate::select::level(
            #tag,
            &[#(#columns),*],
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
                let access = crate::lookup::access(fields, field);
                quote_spanned!(span=> .cursor(#access, #value))
            }
        }
    });
    quote!(#(#calls)*)
}

/// The name a method call's receiver is, when it is a bare name: a field of the model.
fn receiver_name(call: &syn::ExprMethodCall) -> Option<&syn::Ident> {
    match &*call.receiver {
        syn::Expr::Path(path) if path.qself.is_none() => path.path.get_ident(),
        _ => None,
    }
}

fn with_fields(expr: &syn::Expr, fields: &syn::Ident) -> syn::Expr {
    struct Rewrite<'a>(&'a syn::Ident);
    impl VisitMut for Rewrite<'_> {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            syn::visit_mut::visit_expr_method_call_mut(self, call);
            if let Some(ident) = receiver_name(call) {
                let access = crate::lookup::access(self.0, ident);
                *call.receiver = syn::parse_quote!(#access);
            }
        }
    }
    let mut expr = expr.clone();
    Rewrite(fields).visit_expr_mut(&mut expr);
    expr
}

/// Every name the options look up on the related model's fields.
pub(crate) fn option_names(options: &[Opt], out: &mut Vec<syn::Ident>) {
    struct Collect<'a>(&'a mut Vec<syn::Ident>);
    impl<'ast> syn::visit::Visit<'ast> for Collect<'_> {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            syn::visit::visit_expr_method_call(self, call);
            if let Some(ident) = receiver_name(call) {
                self.0.push(ident.clone());
            }
        }
    }
    for option in options {
        match &option.kind {
            OptKind::OrderBy(expr) | OptKind::Where(expr) => {
                syn::visit::Visit::visit_expr(&mut Collect(out), expr);
            }
            OptKind::Cursor(field, _) => out.push(field.clone()),
            OptKind::Take(_) | OptKind::Skip(_) => {}
        }
    }
}

/// Every name the selection looks up, at every level.
fn item_names(items: &[Item], out: &mut Vec<syn::Ident>) {
    for item in items {
        out.push(item.field.clone());
        option_names(&item.options, out);
        if let Some(column) = item.aggregate.as_ref().and_then(|a| a.column.as_ref()) {
            out.push(column.clone());
        }
        if let Some(nested) = &item.nested {
            item_names(nested, out);
        }
    }
}

/// `tokens` with every span set to `span`.
pub(crate) fn respan(path: &syn::Path, span: proc_macro2::Span) -> TokenStream {
    quote!(#path)
        .into_iter()
        .map(|mut token| {
            token.set_span(span);
            token
        })
        .collect()
}
