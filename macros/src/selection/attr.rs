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
    /// For an aggregate of a relation's rows, what it computes.
    pub(super) aggregate: Option<FieldAggregate>,
}

/// `#[selection(count)]`, `#[selection(sum = column)]`, .. on a field: an aggregate of the
/// rows of the relation the field is named after, or of the one `of = ..` names.
pub(super) struct FieldAggregate {
    /// The relation.
    pub(super) relation: syn::Ident,
    /// `count`, `sum`, `avg`, `min` or `max`: the runtime's function, at the attribute's span.
    pub(super) function: syn::Ident,
    /// The column, for all but `count`.
    pub(super) column: Option<syn::Ident>,
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
    /// The number of the relation's rows.
    #[darling(default)]
    count: Flag,
    #[darling(default)]
    sum: Option<syn::Ident>,
    #[darling(default)]
    avg: Option<syn::Ident>,
    #[darling(default)]
    min: Option<syn::Ident>,
    #[darling(default)]
    max: Option<syn::Ident>,
    /// The relation an aggregate reads, when the field is named otherwise.
    #[darling(default)]
    of: Option<syn::Ident>,
}

impl FieldAttrs {
    /// The field's aggregate, if it has one; mistakes go to `errors`.
    fn aggregate(
        &self,
        ident: &syn::Ident,
        errors: &mut darling::error::Accumulator,
    ) -> Option<FieldAggregate> {
        let mut found: Vec<(syn::Ident, Option<syn::Ident>)> = Vec::new();
        if let Some(span) = self.count.is_present().then(|| self.count.span()) {
            found.push((syn::Ident::new("count", span), None));
        }
        for (name, column) in [
            ("sum", &self.sum),
            ("avg", &self.avg),
            ("min", &self.min),
            ("max", &self.max),
        ] {
            if let Some(column) = column {
                found.push((syn::Ident::new(name, column.span()), Some(column.clone())));
            }
        }
        let mut found = found.into_iter();
        let Some((function, column)) = found.next() else {
            if let Some(of) = &self.of {
                errors.push(
                    darling::Error::custom(
                        "`of` names the relation an aggregate reads: add `count`, `sum = column`, `avg = column`, `min = column` or `max = column`",
                    )
                    .with_span(of),
                );
            }
            return None;
        };
        for (extra, _) in found {
            errors.push(
                darling::Error::custom("a field holds one aggregate: declare a field for each")
                    .with_span(&extra),
            );
        }
        if self.relation.is_present()
            || self.take.is_some()
            || self.skip.is_some()
            || self.order_by.is_some()
        {
            errors.push(
                darling::Error::custom(
                    "an aggregate counts or adds up every related row its `where` keeps: `relation`, `take`, `skip` and `order_by` do not apply",
                )
                .with_span(&function),
            );
        }
        Some(FieldAggregate {
            relation: self.of.clone().unwrap_or_else(|| ident.clone()),
            function,
            column,
        })
    }

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
        let aggregate = field.aggregate(&ident, &mut errors);
        let relation =
            (aggregate.is_some() || field.is_relation()).then(|| field.options(&mut errors));
        fields.push(Field {
            ident,
            ty: field.ty,
            relation,
            aggregate,
        });
    }
    errors.finish_with(Selection {
        ident: attrs.ident,
        krate: attrs.krate.unwrap_or_else(|| syn::parse_quote!(::trellis)),
        model: attrs.model,
        fields,
    })
}
