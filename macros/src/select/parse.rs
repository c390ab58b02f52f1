//! The selection syntax: `Model { item, item(options) { items }, .. }`.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{braced, parenthesized, Token};

/// `Model { items }`, or `crate = "path", Model { items }`.
pub(crate) struct Selection {
    /// Where the `trellis` crate is: `crate = ".."`, by default `::trellis`.
    pub(crate) krate: syn::Path,
    pub(crate) model: syn::Path,
    pub(crate) items: Vec<Item>,
}

/// A column (`id`), a relation with a nested selection (`sessions(take = 5) { token }`), or
/// an aggregate of a relation's rows (`sessions: count`, `posts: max(score)`); any of them
/// under another name in the output (`open: sessions(where = ..) { token }`,
/// `open_count: sessions(where = ..): count`, `best: posts: max(score)`).
pub(crate) struct Item {
    /// The output field.
    pub(crate) name: syn::Ident,
    /// The model's field or relation it reads: `name` unless renamed.
    pub(crate) field: syn::Ident,
    pub(crate) options: Vec<Opt>,
    pub(crate) nested: Option<Vec<Item>>,
    pub(crate) aggregate: Option<AggregateItem>,
}

/// `count`, or `sum`, `avg`, `min` or `max` of a column of the related model.
pub(crate) struct AggregateItem {
    /// `count`, `sum`, ..: the name of the runtime's function.
    pub(crate) function: syn::Ident,
    /// The column, for all but `count`.
    pub(crate) column: Option<syn::Ident>,
}

/// How many relations and aggregates one level reads (the runtime's `Relations` tuples).
const MAX_RELATIONS: usize = 16;

/// The aggregates that take a column.
const OF_COLUMN: [&str; 4] = ["sum", "avg", "min", "max"];

/// Whether `input` starts with an aggregate (`count`, `max(score)`, ..) that ends the item:
/// `name: count` counts the relation `name`, where `name: other` selects `other` as `name`.
fn aggregate_ahead(input: ParseStream<'_>) -> bool {
    aggregate_shape(&input.fork()).unwrap_or(false)
}

fn aggregate_shape(ahead: ParseStream<'_>) -> syn::Result<bool> {
    let word: syn::Ident = ahead.parse()?;
    if word != "count" {
        if !OF_COLUMN.iter().any(|f| word == f) || !ahead.peek(syn::token::Paren) {
            return Ok(false);
        }
        let content;
        parenthesized!(content in ahead);
        content.parse::<syn::Ident>()?;
        if !content.is_empty() {
            return Ok(false);
        }
    }
    Ok(ahead.is_empty() || ahead.peek(Token![,]))
}

/// `count`, or `sum(column)`, `avg(column)`, `min(column)`, `max(column)`.
fn parse_aggregate(input: ParseStream<'_>, field: &syn::Ident) -> syn::Result<AggregateItem> {
    let function: syn::Ident = input.parse()?;
    if function == "count" {
        return Ok(AggregateItem {
            function,
            column: None,
        });
    }
    if !OF_COLUMN.iter().any(|f| function == f) {
        return Err(syn::Error::new(
            function.span(),
            format!(
                "expected `count`, `sum(..)`, `avg(..)`, `min(..)` or `max(..)` after `{field}:`; select fields with `{field} {{ field }}`"
            ),
        ));
    }
    let content;
    parenthesized!(content in input);
    let column: syn::Ident = content.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("write the column of `{field}`'s model to aggregate: `{function}(column)`"),
        )
    })?;
    if !content.is_empty() {
        return Err(content.error(format!(
            "`{function}` takes one column: `{function}(column)`"
        )));
    }
    Ok(AggregateItem {
        function,
        column: Some(column),
    })
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
        let krate = parse_crate(input)?;
        let model: syn::Path = input.parse()?;
        let items = parse_items(input)?;
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the selection's closing `}`"));
        }
        Ok(Selection {
            krate,
            model,
            items,
        })
    }
}

/// `crate = "path",` before the model, as `#[model(crate = "path")]` on the models: where the
/// `trellis` crate is when it is not `::trellis`.
fn parse_crate(input: ParseStream<'_>) -> syn::Result<syn::Path> {
    if !(input.peek(Token![crate]) && input.peek2(Token![=])) {
        return Ok(syn::parse_quote!(::trellis));
    }
    input.parse::<Token![crate]>()?;
    input.parse::<Token![=]>()?;
    let path: syn::LitStr = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "`crate` takes a string: write `crate = \"path::to::trellis\",` before the model",
        )
    })?;
    let krate = path.parse::<syn::Path>().map_err(|_| {
        syn::Error::new(
            path.span(),
            "`crate = \"..\"` names the path of the `trellis` crate, like `crate = \"::my_trellis\"`",
        )
    })?;
    input.parse::<Token![,]>().map_err(|e| {
        syn::Error::new(
            e.span(),
            "write a `,` between `crate = \"..\"` and the model",
        )
    })?;
    Ok(krate)
}

fn parse_items(input: ParseStream<'_>) -> syn::Result<Vec<Item>> {
    let content;
    braced!(content in input);
    let items = Punctuated::<Item, Token![,]>::parse_terminated(&content)?;
    if items.is_empty() {
        return Err(content.error("select at least one field"));
    }
    let items: Vec<Item> = items.into_iter().collect();
    if let Some(item) = items
        .iter()
        .filter(|i| i.nested.is_some() || i.aggregate.is_some())
        .nth(MAX_RELATIONS)
    {
        return Err(syn::Error::new(
            item.name.span(),
            format!("a level reads at most {MAX_RELATIONS} relations and aggregates; read this one in a nested selection or a query of its own"),
        ));
    }
    Ok(items)
}

impl Parse for Item {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name: syn::Ident = input.parse()?;
        // `name: field ..` renames; `name: count` or `name: max(column)` alone aggregates
        // the relation `name`.
        let renamed = input.peek(Token![:]) && input.peek2(syn::Ident) && {
            let ahead = input.fork();
            ahead.parse::<Token![:]>()?;
            !aggregate_ahead(&ahead)
        };
        let field = if renamed {
            input.parse::<Token![:]>()?;
            input.parse::<syn::Ident>()?
        } else {
            name.clone()
        };
        let mut options = Vec::new();
        if input.peek(syn::token::Paren) {
            let content;
            parenthesized!(content in input);
            let parsed = Punctuated::<Opt, Token![,]>::parse_terminated(&content)?;
            options.extend(parsed);
        }
        let mut aggregate = None;
        if input.peek(Token![:]) {
            input.parse::<Token![:]>()?;
            aggregate = Some(parse_aggregate(input, &field)?);
        }
        let nested = if aggregate.is_none() && input.peek(syn::token::Brace) {
            Some(parse_items(input)?)
        } else {
            None
        };
        if nested.is_none() && aggregate.is_none() && !options.is_empty() {
            return Err(syn::Error::new(
                name.span(),
                format!("options apply to relations: select fields of `{field}` with `{field}(..) {{ field }}`"),
            ));
        }
        Ok(Item {
            name,
            field,
            options,
            nested,
            aggregate,
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
