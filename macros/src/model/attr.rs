//! The attributes as written: darling receivers. `keys` has checked the keys and the form of
//! their values already, so darling reports only what that walk does not know about.

use darling::util::{Flag, SpannedValue};
use darling::{FromDeriveInput, FromField};

/// `#[model(...)]` on the struct, with its fields.
#[derive(FromDeriveInput)]
#[darling(attributes(model))]
pub(crate) struct ModelAttrs {
    pub(crate) ident: syn::Ident,
    pub(crate) vis: syn::Visibility,
    pub(crate) generics: syn::Generics,
    pub(crate) data: darling::ast::Data<darling::util::Ignored, FieldAttrs>,
    #[darling(default)]
    pub(crate) table: Option<SpannedValue<String>>,
    #[darling(default)]
    pub(crate) rename_all: Option<SpannedValue<String>>,
    #[darling(default, rename = "crate")]
    pub(crate) krate: Option<syn::Path>,
}

/// `#[field(...)]` on one field.
#[derive(FromField)]
#[darling(attributes(field))]
pub(crate) struct FieldAttrs {
    pub(crate) ident: Option<syn::Ident>,
    pub(crate) ty: syn::Type,
    #[darling(default)]
    pub(crate) id: Flag,
    #[darling(default)]
    pub(crate) auto: Flag,
    #[darling(default)]
    pub(crate) unique: Flag,
    #[darling(default)]
    pub(crate) index: Flag,
    #[darling(default)]
    pub(crate) column: Option<SpannedValue<String>>,
    #[darling(default)]
    pub(crate) references: Option<syn::Path>,
    #[darling(default)]
    pub(crate) default: Option<SpannedValue<String>>,
    #[darling(default)]
    pub(crate) sql_type: Option<SpannedValue<String>>,
}

/// Only a struct with named fields can be a model. darling reports other shapes only as
/// "unsupported shape"; this says what to do instead.
pub(crate) fn check_shape(input: &syn::DeriveInput) -> darling::Result<()> {
    let shape = match &input.data {
        syn::Data::Enum(_) => Some("an enum"),
        syn::Data::Union(_) => Some("a union"),
        syn::Data::Struct(s) => match s.fields {
            syn::Fields::Named(_) => None,
            syn::Fields::Unnamed(_) => Some("a tuple struct"),
            syn::Fields::Unit => Some("a unit struct"),
        },
    };
    match shape {
        None => Ok(()),
        Some(shape) => Err(darling::Error::custom(format!(
            "`#[derive(Model)]` needs a struct with named fields, one per column; `{}` is {shape}",
            input.ident
        ))
        .with_span(&input.ident)),
    }
}
