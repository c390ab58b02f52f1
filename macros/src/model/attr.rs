//! Stage 1 of `#[derive(Model)]`: the attributes as written. darling receivers, which reject
//! unknown keys (with a suggestion) and values of the wrong form. The struct's attribute and
//! each field's are read on their own, so a mistake in one does not hide mistakes in the
//! others. It uses nothing else of this crate.

use darling::ast::MetaNameValueInvalidExpr;
use darling::{FromAttributes, FromField, FromMeta};
use proc_macro2::Span;
use syn::spanned::Spanned;

/// `#[model(...)]` on the struct.
#[derive(FromAttributes, Default, Clone)]
#[darling(attributes(model))]
pub(crate) struct ModelAttrs {
    #[darling(default)]
    pub(crate) table: Option<Text>,
    #[darling(default)]
    pub(crate) rename_all: Option<Text>,
    #[darling(default, rename = "crate")]
    pub(crate) krate: Option<syn::Path>,
    #[darling(default)]
    pub(crate) module: Option<Text>,
    /// `unique(a, b)`: a unique index of several columns; repeatable.
    #[darling(multiple)]
    pub(crate) unique: Vec<darling::util::PathList>,
    /// `index(a, b)`: an index of several columns; repeatable.
    #[darling(multiple)]
    pub(crate) index: Vec<darling::util::PathList>,
}

/// `#[field(...)]` on one field.
#[derive(FromField, Clone)]
#[darling(attributes(field))]
pub(crate) struct FieldAttrs {
    pub(crate) ident: Option<syn::Ident>,
    pub(crate) ty: syn::Type,
    #[darling(default)]
    pub(crate) id: Switch,
    #[darling(default)]
    pub(crate) auto: Switch,
    #[darling(default)]
    pub(crate) unique: Switch,
    #[darling(default)]
    pub(crate) index: Switch,
    #[darling(default)]
    pub(crate) column: Option<Text>,
    #[darling(default)]
    pub(crate) references: Option<syn::Path>,
    #[darling(default)]
    pub(crate) on_delete: Option<Text>,
    #[darling(default)]
    pub(crate) on_update: Option<Text>,
    #[darling(default)]
    pub(crate) default: Option<Text>,
    #[darling(default)]
    pub(crate) sql_type: Option<Text>,
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

/// `#[relation(...)]` on a field that holds related rows instead of a column.
#[derive(FromField, Clone)]
#[darling(attributes(relation))]
pub(crate) struct RelationAttrs {
    pub(crate) ident: Option<syn::Ident>,
    pub(crate) ty: syn::Type,
    #[darling(default)]
    pub(crate) belongs_to: Option<syn::Path>,
    #[darling(default)]
    pub(crate) has_one: Option<syn::Path>,
    #[darling(default)]
    pub(crate) has_many: Option<syn::Path>,
    #[darling(default)]
    pub(crate) many_to_many: Option<syn::Path>,
    #[darling(default)]
    pub(crate) foreign_key: Option<Text>,
    #[darling(default)]
    pub(crate) through: Option<syn::Path>,
    #[darling(default)]
    pub(crate) from: Option<Text>,
    #[darling(default)]
    pub(crate) to: Option<Text>,
}

/// What darling could read of the struct: `None` where an attribute had mistakes (reported
/// to the accumulator).
pub(crate) struct Parsed<'a> {
    pub(crate) model: Option<ModelAttrs>,
    /// Column fields.
    pub(crate) fields: Vec<(&'a syn::Field, Option<FieldAttrs>)>,
    /// Relation fields (`#[relation(...)]`).
    pub(crate) relations: Vec<Option<RelationAttrs>>,
}

impl Parsed<'_> {
    /// Whether every attribute was read without a mistake.
    pub(crate) fn complete(&self) -> bool {
        self.model.is_some()
            && self.fields.iter().all(|(_, attrs)| attrs.is_some())
            && self.relations.iter().all(Option::is_some)
    }
}

/// Reads `#[model(...)]` and every `#[field(...)]`, reporting each one's mistakes.
pub(crate) fn parse<'a>(
    input: &'a syn::DeriveInput,
    errors: &mut darling::error::Accumulator,
) -> Parsed<'a> {
    let model = errors.handle(ModelAttrs::from_attributes(&input.attrs));
    let mut fields = Vec::new();
    let mut relations = Vec::new();
    if let syn::Data::Struct(data) = &input.data {
        for field in &data.fields {
            let is_relation = field.attrs.iter().any(|a| a.path().is_ident("relation"));
            if !is_relation {
                fields.push((field, errors.handle(FieldAttrs::from_field(field))));
                continue;
            }
            // A relation holds rows of another table; column attributes cannot apply to it.
            if let Some(attr) = field.attrs.iter().find(|a| a.path().is_ident("field")) {
                errors.push(
                    darling::Error::custom(
                        "a relation field is not a column: remove `#[field(...)]` from it",
                    )
                    .with_span(&attr.meta),
                );
            }
            relations.push(errors.handle(RelationAttrs::from_field(field)));
        }
    }
    Parsed {
        model,
        fields,
        relations,
    }
}

/// The key of an attribute item, for messages.
fn key(path: &syn::Path) -> String {
    path.get_ident()
        .map_or_else(|| quote::quote!(#path).to_string(), ToString::to_string)
}

/// A key written alone, like `unique` in `#[field(unique)]`. darling's `Flag` reports a value
/// given to it only as "unexpected type"; this says what to write.
#[derive(Clone, Default)]
pub(crate) struct Switch(Option<Span>);

impl Switch {
    pub(crate) fn is_present(&self) -> bool {
        self.0.is_some()
    }

    pub(crate) fn span(&self) -> Span {
        self.0.unwrap_or_else(Span::call_site)
    }

    fn given_value(path: &syn::Path) -> darling::Error {
        let key = key(path);
        darling::Error::custom(format!("`{key}` takes no value: write just `{key}`"))
    }
}

impl FromMeta for Switch {
    fn from_meta(item: &syn::Meta) -> darling::Result<Self> {
        match item {
            syn::Meta::Path(path) => Ok(Switch(Some(path.span()))),
            _ => Err(Switch::given_value(item.path()).with_span(item)),
        }
    }

    /// `unique = pub(crate)`: darling hands over a value that is no Rust expression here; it
    /// is still a value, and the switch takes none.
    fn from_invalid_expr(item: &MetaNameValueInvalidExpr) -> darling::Result<Self> {
        Err(Switch::given_value(&item.path).with_span(item))
    }
}

/// A string value, like `column = "name"`, with the span of the literal.
#[derive(Clone)]
pub(crate) struct Text {
    value: String,
    span: Span,
}

impl Text {
    pub(crate) fn as_str(&self) -> &str {
        &self.value
    }

    pub(crate) fn span(&self) -> Span {
        self.span
    }
}

impl FromMeta for Text {
    fn from_meta(item: &syn::Meta) -> darling::Result<Self> {
        if let syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }),
            ..
        }) = item
        {
            return Ok(Text {
                value: text.value(),
                span: text.span(),
            });
        }
        let error = darling::Error::custom(format!(
            "`{0}` takes a string: write `{0} = \"...\"`",
            key(item.path())
        ));
        // Point at the value that is not a string, when there is one.
        Err(match item {
            syn::Meta::NameValue(nv) => error.with_span(&nv.value),
            _ => error.with_span(item),
        })
    }
}
