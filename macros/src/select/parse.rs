//! The selection syntax: `Model { item, item(options) { items }, .. }`.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{braced, parenthesized, Token};

/// `Model { items }`
pub(crate) struct Selection {
    pub(crate) model: syn::Path,
    pub(crate) items: Vec<Item>,
}

/// A column (`id`), a relation with a nested selection (`sessions(take = 5) { token }`), or
/// a relation's row count (`sessions: count`).
pub(crate) struct Item {
    pub(crate) name: syn::Ident,
    pub(crate) options: Vec<Opt>,
    pub(crate) nested: Option<Vec<Item>>,
    pub(crate) count: bool,
}

/// One relation option, with the span of its key.
pub(crate) struct Opt {
    pub(crate) kind: OptKind,
    pub(crate) span: proc_macro2::Span,
}

pub(crate) enum OptKind {
    Take(syn::Expr),
    Skip(syn::Expr),
    OrderBy(syn::Expr),
    Where(syn::Expr),
    /// `cursor = (field, value)`
    Cursor(syn::Ident, syn::Expr),
}

impl Parse for Selection {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let model: syn::Path = input.parse()?;
        let items = parse_items(input)?;
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the selection's closing `}`"));
        }
        Ok(Selection { model, items })
    }
}

fn parse_items(input: ParseStream<'_>) -> syn::Result<Vec<Item>> {
    let content;
    braced!(content in input);
    let items = Punctuated::<Item, Token![,]>::parse_terminated(&content)?;
    if items.is_empty() {
        return Err(content.error("select at least one field"));
    }
    Ok(items.into_iter().collect())
}

impl Parse for Item {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name: syn::Ident = input.parse()?;
        let mut options = Vec::new();
        if input.peek(syn::token::Paren) {
            let content;
            parenthesized!(content in input);
            let parsed = Punctuated::<Opt, Token![,]>::parse_terminated(&content)?;
            options.extend(parsed);
        }
        let mut count = false;
        if input.peek(Token![:]) {
            input.parse::<Token![:]>()?;
            let word: syn::Ident = input.parse()?;
            if word != "count" {
                return Err(syn::Error::new(
                    word.span(),
                    format!(
                        "expected `count` after `{name}:`; select fields with `{name} {{ field }}`"
                    ),
                ));
            }
            count = true;
        }
        let nested = if !count && input.peek(syn::token::Brace) {
            Some(parse_items(input)?)
        } else {
            None
        };
        if nested.is_none() && !count && !options.is_empty() {
            return Err(syn::Error::new(
                name.span(),
                format!("options apply to relations: select fields of `{name}` with `{name}(..) {{ field }}`"),
            ));
        }
        Ok(Item {
            name,
            options,
            nested,
            count,
        })
    }
}

impl Parse for Opt {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(Token![where]) {
            let key = input.parse::<Token![where]>()?;
            input.parse::<Token![=]>()?;
            return Ok(Opt {
                kind: OptKind::Where(input.parse()?),
                span: key.span,
            });
        }
        let key: syn::Ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let value: syn::Expr = input.parse()?;
        let span = key.span();
        let kind = match key.to_string().as_str() {
            "take" => OptKind::Take(value),
            "skip" => OptKind::Skip(value),
            "order_by" => OptKind::OrderBy(value),
            "filter" => OptKind::Where(value),
            "cursor" => match value {
                syn::Expr::Tuple(tuple) if tuple.elems.len() == 2 => {
                    let mut elems = tuple.elems.into_iter();
                    match (elems.next(), elems.next()) {
                        (Some(syn::Expr::Path(field)), Some(value)) if field.path.get_ident().is_some() => {
                            let field = field.path.get_ident().cloned().ok_or_else(|| {
                                syn::Error::new(span, "write `cursor = (field, value)`")
                            })?;
                            OptKind::Cursor(field, value)
                        }
                        _ => return Err(syn::Error::new(span, "write `cursor = (field, value)`, naming a unique field")),
                    }
                }
                _ => return Err(syn::Error::new(span, "write `cursor = (field, value)`, naming a unique field")),
            },
            other => {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                    "unknown relation option `{other}`; use `where`, `order_by`, `take`, `skip` or `cursor`"
                ),
                ))
            }
        };
        Ok(Opt { kind, span })
    }
}
