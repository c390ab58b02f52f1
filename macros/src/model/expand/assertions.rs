//! Compile-time assertions for the rules only the compiler can check: each field's type is a
//! column type, `auto` keys can be generated, `references` names a model with a key of the
//! same type, and the keys a relation names on other models are the right ones. Each is
//! spanned at the user's token, so the error points there.
//!
//! One mistake should give one error. The assertions use the same `<T as Trait>` paths as the
//! rest of the generated code, so the compiler reports them identically, and therefore once;
//! the code that reaches sqlx's traits for `sql_type` fields goes through a probe that stays
//! quiet when they are missing (see `checks.rs` in the runtime).
//!
//! The relation key rules are traits declared right here, in the generated check function:
//! their `#[diagnostic::on_unimplemented]` message can then quote the attribute as written
//! (`from = "organization_id"`) and name the models, which a trait of the runtime cannot (its
//! message can only name types).

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use crate::model::ast::relation::{Kind, Relation};
use crate::model::check::Checked;

pub(super) fn expand(checked: &Checked) -> TokenStream {
    let krate = &checked.model.krate;
    let private = super::private();
    let checks = checked.model.fields.iter().map(|field| {
        let ty = &field.ty;
        let type_check = match &field.sql_type {
            // The key's type is asserted by the bound on `type Key`, and only there.
            None if field.sole_key => quote!(),
            None => quote_spanned!(ty.span()=> let _ = <#ty as #private::FieldType>::NULLABLE;),
            // One error per backend that lacks sqlx's traits, then one for the rest.
            Some(_) => quote_spanned! {ty.span()=>
                {
                    #[allow(unused_imports)]
                    use #private::{Codec as _, NoCodec as _};
                    <_ as #private::SqliteColumn<#ty>>::check((&#private::SqliteProbe::<#ty>::new()).codec());
                    <_ as #private::PostgresColumn<#ty>>::check((&#private::PostgresProbe::<#ty>::new()).codec());
                    <_ as #private::MySqlColumn<#ty>>::check((&#private::MySqlProbe::<#ty>::new()).codec());
                    <#ty as #private::CustomBasics>::check();
                }
            },
        };
        let auto_check = field.auto.map(
            |_| quote_spanned!(ty.span()=> let _ = <#ty as #private::AutoKey>::DATABASE_GENERATED;),
        );
        let reference_check = field.references.as_ref().map(|target| {
            let is_model = quote_spanned!(target.span()=> let _ = <#target as #krate::Model>::meta;);
            let key = quote_spanned!(target.span()=> <#target as #krate::Model>::Key);
            quote! {
                #is_model
                #private::assert_reference_type::<#key, #ty>();
            }
        });
        quote! { #type_check #auto_check #reference_check }
    });
    let relation_checks = checked
        .model
        .relations
        .iter()
        .map(|r| relation_check(checked, r));
    let (names, references) = looked_up(checked);
    let fallback = crate::lookup::fallback(&private, &names);
    let reference_methods: Vec<syn::Ident> =
        references.iter().map(super::references::method).collect();
    let no_field = (!reference_methods.is_empty()).then(|| {
        crate::lookup::fallback_trait(
            &format_ident!("__trellis_no_field"),
            &reference_methods,
            &quote!(#private::UnknownField),
        )
    });
    quote! {
        #[allow(dead_code)]
        fn __trellis_checks() {
            #fallback
            #no_field
            #(#checks)*
            #(#relation_checks)*
        }
    }
}

/// The names the relation checks look up on other models (one fallback trait declares them
/// all, see `crate::lookup`), and the join keys whose `__trellis_references_*` they call (one
/// fallback trait for those too, see `join_key_check`). The traits take each name once.
fn looked_up(checked: &Checked) -> (Vec<syn::Ident>, Vec<syn::Ident>) {
    let mut names = Vec::new();
    let mut references = Vec::new();
    for r in &checked.model.relations {
        match (r.kind, &r.foreign_key, &r.through) {
            (Kind::HasOne | Kind::HasMany, Some(fk), _) => names.push(fk.ident.clone()),
            (Kind::ManyToMany, _, Some((_, from, to))) => {
                names.extend([from.ident.clone(), to.ident.clone()]);
                references.extend([from.ident.clone(), to.ident.clone()]);
            }
            _ => {}
        }
    }
    (names, references)
}

/// The target is a model, and every key the relation names exists with the right type. Keys
/// on other models are looked up on their `FIELDS` (see `crate::lookup`), so a wrong name is
/// one error at the user's string that names the model and lists its fields.
fn relation_check(checked: &Checked, r: &Relation) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let private = super::private();
    let ident = &model.ident;
    let target = &r.target;
    let is_model = quote_spanned!(target.span()=> let _ = <#target as #krate::Model>::meta;);
    let target_key = quote_spanned!(target.span()=> <#target as #krate::Model>::Key);
    let own_key = quote!(<#ident as #krate::Model>::Key);
    let keys = match (r.kind, &r.foreign_key, &r.through) {
        (Kind::BelongsTo, Some(_), _) => match r.local_key(&model.fields) {
            Some(field) => {
                let ty = &field.ty;
                quote_spanned!(field.ident.span()=> #private::assert_reference_type::<#target_key, #ty>();)
            }
            None => quote!(),
        },
        (Kind::HasOne, Some(fk), _) => {
            let unique = unique_key_check(checked, r, &fk.ident);
            let fk = &fk.ident;
            let field = lookup(krate, target, fk);
            let key_type = quote_spanned!(fk.span()=> #private::assert_foreign_key::<#own_key, _, _, _>(#field););
            quote!(#key_type #unique)
        }
        (Kind::HasMany, Some(fk), _) => {
            let fk = &fk.ident;
            let field = lookup(krate, target, fk);
            quote_spanned!(fk.span()=> #private::assert_foreign_key::<#own_key, _, _, _>(#field);)
        }
        (Kind::ManyToMany, _, Some((join, from, to))) => {
            let join_is_model =
                quote_spanned!(join.span()=> let _ = <#join as #krate::Model>::meta;);
            let own: syn::Path = syn::parse_quote!(#ident);
            let from = join_key_check(checked, r, join, &from.ident, JoinEnd::From, &own);
            let to = join_key_check(checked, r, join, &to.ident, JoinEnd::To, target);
            quote! {
                #join_is_model
                #from
                #to
            }
        }
        _ => quote!(),
    };
    quote! { #is_model #keys }
}

/// A model or type path as the user wrote it, for messages: `Membership`, `crate::Membership`.
fn path_text(path: &syn::Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    let text = segments.join("::");
    // The text goes into a diagnostic format string, where braces are placeholders.
    let text = text.replace('{', "{{").replace('}', "}}");
    if path.leading_colon.is_some() {
        format!("::{text}")
    } else {
        text
    }
}

/// A has_one finds at most one row per parent, so its key must be unique on the target:
/// over a plain column, one of several matching rows would be picked without a word.
fn unique_key_check(checked: &Checked, r: &Relation, fk: &syn::Ident) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let private = super::private();
    let target = &r.target;
    let target_name = path_text(target);
    let name = fk.unraw();
    let message = format!(
        "`foreign_key = \"{name}\"` of a `has_one` must be unique, but `{target_name}`'s field `{name}` is not"
    );
    let note = format!(
        "add `#[field(unique)]` to `{name}` in `{target_name}`: a `has_one` reads at most one row \
         per `{model}`; if a `{model}` can have several, use `has_many`",
        model = model.ident
    );
    // A name of its own, as for `from`/`to` below.
    let unique_trait = format_ident!("__trellis_{}_unique_key", r.ident.unraw(), span = fk.span());
    let field = lookup(krate, target, fk);
    quote_spanned! {fk.span()=>
        {
            #[diagnostic::on_unimplemented(message = #message, label = "not a unique field", note = #note)]
            #[allow(non_camel_case_types)]
            trait #unique_trait {}
            impl #unique_trait for #private::Unique {}
            fn __trellis_check<M, T, C: #unique_trait>(_: #krate::Col<M, T, C>) {}
            __trellis_check(#field);
        }
    }
}

#[derive(Clone, Copy)]
enum JoinEnd {
    From,
    To,
}

/// `from` must be the join model's foreign key to the declaring model and `to` its foreign key
/// to the target: the other way round, or pointing elsewhere, every parent silently gets no
/// rows. The field is looked up twice: through `FIELDS`, which reports a name that is no field
/// (listing the fields there are), and through its `__trellis_references_*` method, which says
/// what it references and falls back to `UnknownField` for such a name, so that mistake is
/// reported once. Its key type needs no check here: `references` asserts it on the join model.
fn join_key_check(
    checked: &Checked,
    relation: &Relation,
    join: &syn::Path,
    key: &syn::Ident,
    end: JoinEnd,
    expected: &syn::Path,
) -> TokenStream {
    let model = &checked.model;
    let krate = &model.krate;
    let private = super::private();
    let join_name = path_text(join);
    let expected_name = path_text(expected);
    let name = key.unraw();
    let (attr, role, other) = match end {
        JoinEnd::From => ("from", "the model declaring the relation", "to"),
        JoinEnd::To => ("to", "the relation's target", "from"),
    };
    let wants = format!(
        "`{attr} = \"{name}\"` must be `{join_name}`'s foreign key to `{expected_name}` ({role})"
    );
    let wrong_model = format!("{wants}, but it references `{{Self}}`");
    let wrong_label = format!("references `{{Self}}`, not `{expected_name}`");
    let wrong_note = format!(
        "`from` names the join model's field that references the model declaring the relation, \
         `to` the one that references the target; check that `{attr}` and `{other}` are not swapped"
    );
    let undeclared = format!("{wants}, but it references no model");
    let undeclared_note =
        format!("declare it `#[field(references = {expected_name})]` in `{join_name}`");
    // Names of their own, so that the compiler's notes cannot confuse them with another
    // relation's traits.
    let relation = relation.ident.unraw();
    let target_trait = format_ident!("__trellis_{}_{}_target", relation, attr, span = key.span());
    let key_trait = format_ident!("__trellis_{}_{}_key", relation, attr, span = key.span());
    let method = super::references::method(key);
    let lookup_key = lookup(krate, join, key);
    quote_spanned! {key.span()=>
        let _ = #lookup_key;
        {
            #[diagnostic::on_unimplemented(message = #wrong_model, label = #wrong_label, note = #wrong_note)]
            #[allow(non_camel_case_types)]
            trait #target_trait {}
            impl #target_trait for #expected {}

            #[diagnostic::on_unimplemented(message = #undeclared, label = "not a foreign key", note = #undeclared_note)]
            #[allow(non_camel_case_types)]
            trait #key_trait {}
            impl<M> #key_trait for #private::References<M> {}
            impl #key_trait for #private::UnknownField {}

            // Through an alias: in a generic signature, a path that names no type would be
            // reported again, with a suggestion to declare it as a type parameter.
            #[allow(non_camel_case_types)]
            type __trellis_expected = #expected;
            fn __trellis_check<K>(_: K)
            where
                K: #key_trait + #private::JoinKey<__trellis_expected>,
                <K as #private::JoinKey<__trellis_expected>>::Model: #target_trait,
            {
            }
            __trellis_check(<#join as #krate::Model>::FIELDS.#method());
        }
    }
}

/// Field `name` of model `model`, looked up as `crate::lookup` describes (the fallback trait is
/// declared once, at the top of the check function): a name `model` lacks is one error that
/// lists its fields.
fn lookup(krate: &syn::Path, model: &syn::Path, name: &syn::Ident) -> TokenStream {
    let fields = syn::Ident::new("__trellis_fields", name.span());
    let access = crate::lookup::access(&fields, name);
    quote_spanned! {name.span()=>
        {
            let #fields = <#model as #krate::Model>::FIELDS;
            #access
        }
    }
}
