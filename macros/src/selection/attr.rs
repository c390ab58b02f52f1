//! Stage 1 of `#[derive(Selection)]`: the attributes as written (darling receivers), read into
//! a checked `Selection`: relation options parsed, every mistake collected. It uses `select`'s
//! relation options and nothing else of this crate.

use darling::util::Flag;
use darling::{FromDeriveInput, FromField};
use syn::spanned::Spanned;

use crate::select::{Opt, OptKind};

/// A selection with every attribute read: what `expand` generates code from.
pub(super) struct Selection {
    pub(super) ident: syn::Ident,
    pub(super) model: syn::Path,
    pub(super) fields: Vec<Field>,
}

pub(super) struct Field {
    pub(super) ident: syn::Ident,
    pub(super) ty: syn::Type,
    /// For a relation, its options (none given: an empty list); `None` for a column.
    pub(super) relation: Option<Vec<Opt>>,
}

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

/// Reads the struct's and every field's attributes; all their mistakes, or the selection.
pub(super) fn parse(input: &syn::DeriveInput) -> darling::Result<Selection> {
    let attrs = SelectionAttrs::from_derive_input(input)?;
    let mut errors = darling::Error::accumulator();
    if let Some(param) = attrs.generics.params.first() {
        errors.push(
            darling::Error::custom("a selection cannot have generic parameters").with_span(param),
        );
    }
    let mut fields = Vec::new();
    for field in attrs
        .data
        .take_struct()
        .map(|f| f.fields)
        .unwrap_or_default()
    {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let relation = field.is_relation().then(|| field.options(&mut errors));
        fields.push(Field {
            ident,
            ty: field.ty,
            relation,
        });
    }
    errors.finish_with(Selection {
        ident: attrs.ident,
        model: attrs.model,
        fields,
    })
}
