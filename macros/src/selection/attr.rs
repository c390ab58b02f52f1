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
    /// Where the `trellis` crate is: `crate = ".."`, by default `::trellis`.
    pub(super) krate: syn::Path,
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
    #[darling(default, rename = "crate")]
    krate: Option<syn::Path>,
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
    /// An expression (`order_by = token.asc()`), or the same in a string (the older form).
    #[darling(default)]
    order_by: Option<syn::Expr>,
    #[darling(default, rename = "where")]
    filter: Option<syn::Expr>,
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
        // A string holds the expression (the older form); anything else is the expression.
        let mut expr = |value: &syn::Expr| match value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(lit),
                ..
            }) => match lit.parse::<syn::Expr>() {
                Ok(expr) => Some(expr),
                Err(e) => {
                    errors.push(
                        darling::Error::custom(format!("not an expression: {e}")).with_span(lit),
                    );
                    None
                }
            },
            other => Some(other.clone()),
        };
        if let Some(value) = &self.filter {
            if let Some(e) = expr(value) {
                options.push(Opt {
                    kind: OptKind::Where(e),
                    span: value.span(),
                });
            }
        }
        if let Some(value) = &self.order_by {
            if let Some(e) = expr(value) {
                options.push(Opt {
                    kind: OptKind::OrderBy(e),
                    span: value.span(),
                });
            }
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
        krate: attrs.krate.unwrap_or_else(|| syn::parse_quote!(::trellis)),
        model: attrs.model,
        fields,
    })
}
