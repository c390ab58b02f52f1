//! Relation fields as the later stages see them: one kind each, its keys read and checked as
//! far as this struct alone allows. Keys on other models are checked by the compiler through
//! the assertions the expansion emits.

use syn::spanned::Spanned;

use super::field::Field;
use crate::error::error_at;
use crate::model::attr::{RelationAttrs, Text};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    BelongsTo,
    HasOne,
    HasMany,
    ManyToMany,
}

impl Kind {
    pub(crate) fn key(self) -> &'static str {
        match self {
            Kind::BelongsTo => "belongs_to",
            Kind::HasOne => "has_one",
            Kind::HasMany => "has_many",
            Kind::ManyToMany => "many_to_many",
        }
    }

    /// The wrapper type a field of this kind has.
    pub(crate) fn wrapper(self) -> &'static str {
        match self {
            Kind::BelongsTo => "BelongsTo",
            Kind::HasOne => "HasOne",
            Kind::HasMany => "HasMany",
            Kind::ManyToMany => "ManyToMany",
        }
    }

    pub(crate) fn to_many(self) -> bool {
        matches!(self, Kind::HasMany | Kind::ManyToMany)
    }
}

/// A key named in the attribute: the field's identifier, spanned at the string the user wrote.
pub(crate) struct KeyName {
    pub(crate) ident: syn::Ident,
}

pub(crate) struct Relation {
    pub(crate) ident: syn::Ident,
    pub(crate) ty: syn::Type,
    pub(crate) kind: Kind,
    pub(crate) target: syn::Path,
    /// belongs_to: a field of this model; has_one/has_many: a field of the target.
    pub(crate) foreign_key: Option<KeyName>,
    /// many_to_many: the join model, its field pointing here and its field pointing at the target.
    pub(crate) through: Option<(syn::Path, KeyName, KeyName)>,
}

impl Relation {
    /// For belongs_to: this model's foreign key field.
    pub(crate) fn local_key<'a>(&self, fields: &'a [Field]) -> Option<&'a Field> {
        let key = self.foreign_key.as_ref()?;
        fields.iter().find(|f| f.ident == key.ident)
    }
}

/// A key must name a field: a Rust identifier.
fn key_name(errors: &mut darling::error::Accumulator, text: &Text, what: &str) -> Option<KeyName> {
    match syn::parse_str::<syn::Ident>(text.as_str()) {
        // Re-spanned rather than rebuilt from its text, which panics for a raw `r#name`.
        Ok(mut ident) => {
            ident.set_span(text.span());
            Some(KeyName { ident })
        }
        Err(_) => {
            errors.push(error_at(
                text.span(),
                format!("`{what}` names a field: write its Rust name, like `{what} = \"user_id\"`"),
            ));
            None
        }
    }
}

/// The last segment's name of a type written as a path (`HasMany` in `trellis::HasMany<T>`).
fn wrapper_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The relation as far as its attribute allows; every mistake found goes to `errors`. `model`
/// is the declaring struct, `columns` its column fields.
pub(super) fn from_attrs(
    attrs: RelationAttrs,
    model: &syn::Ident,
    columns: &[Field],
    errors: &mut darling::error::Accumulator,
) -> Option<Relation> {
    let ident = attrs.ident?;
    let kinds: Vec<(Kind, syn::Path)> = [
        (Kind::BelongsTo, attrs.belongs_to),
        (Kind::HasOne, attrs.has_one),
        (Kind::HasMany, attrs.has_many),
        (Kind::ManyToMany, attrs.many_to_many),
    ]
    .into_iter()
    .filter_map(|(kind, target)| target.map(|t| (kind, t)))
    .collect();

    // One field holds one relation: its wrapper type has one shape.
    let (kind, target) = match kinds.as_slice() {
        [] => {
            errors.push(
                darling::Error::custom(
                    "`#[relation(...)]` needs a kind: `belongs_to`, `has_one`, `has_many` or `many_to_many`, \
                     naming the related model",
                )
                .with_span(&ident),
            );
            return None;
        }
        [(kind, target)] => (*kind, target.clone()),
        [(first, _), rest @ ..] => {
            for (other, target) in rest {
                errors.push(
                    darling::Error::custom(format!(
                        "a field holds one relation: remove `{}` or `{}`",
                        first.key(),
                        other.key()
                    ))
                    .with_span(target),
                );
            }
            return None;
        }
    };

    // The wrapper decides what the loaded rows look like, so it must agree with the kind.
    let wrapper = wrapper_name(&attrs.ty);
    if wrapper.as_deref() != Some(kind.wrapper()) {
        let target_name = target
            .segments
            .last()
            .map_or_else(String::new, |s| s.ident.to_string());
        errors.push(
            darling::Error::custom(format!(
                "`{}` needs a field of type `{}<{target_name}>`{}",
                kind.key(),
                kind.wrapper(),
                wrapper.map_or_else(String::new, |w| format!(", not `{w}<..>`")),
            ))
            .with_span(&attrs.ty),
        );
    }

    let mut foreign_key = None;
    let mut through = None;
    if kind == Kind::ManyToMany {
        if let Some(fk) = &attrs.foreign_key {
            errors.push(error_at(
                fk.span(),
                "`many_to_many` reads its keys from `through`, `from` and `to`: remove `foreign_key`",
            ));
        }
        let missing = |what: &str| {
            error_at(
                target.span(),
                format!(
                    "`many_to_many` needs `through = JoinModel, from = \"..\", to = \"..\"`: `{what}` is missing"
                ),
            )
        };
        match (&attrs.through, &attrs.from, &attrs.to) {
            (Some(join), Some(from), Some(to)) => {
                let from = key_name(errors, from, "from");
                let to = key_name(errors, to, "to");
                if let (Some(from), Some(to)) = (from, to) {
                    through = Some((join.clone(), from, to));
                }
            }
            (join, from, to) => {
                for (what, absent) in [
                    ("through", join.is_none()),
                    ("from", from.is_none()),
                    ("to", to.is_none()),
                ] {
                    if absent {
                        errors.push(missing(what));
                    }
                }
            }
        }
    } else {
        for (what, given) in [
            ("through", attrs.through.as_ref().map(Spanned::span)),
            ("from", attrs.from.as_ref().map(Text::span)),
            ("to", attrs.to.as_ref().map(Text::span)),
        ] {
            if let Some(span) = given {
                errors.push(error_at(
                    span,
                    format!("`{what}` belongs to `many_to_many` relations only: remove it"),
                ));
            }
        }
        match &attrs.foreign_key {
            Some(fk) => foreign_key = key_name(errors, fk, "foreign_key"),
            None => errors.push(error_at(
                target.span(),
                format!(
                    "`{}` needs `foreign_key = \"..\"`: {}",
                    kind.key(),
                    if kind == Kind::BelongsTo {
                        format!("the field of `{model}` that holds the key")
                    } else {
                        format!("the field of the related model that points at `{model}`")
                    }
                ),
            )),
        }
    }

    // A belongs_to key is a column of this very model, so it can be checked here.
    if let (Kind::BelongsTo, Some(fk)) = (kind, &foreign_key) {
        if !columns.iter().any(|c| c.ident == fk.ident) {
            let names: Vec<String> = columns.iter().map(|c| format!("`{}`", c.ident)).collect();
            errors.push(error_at(
                fk.ident.span(),
                format!(
                    "`foreign_key = \"{}\"` names no field of `{model}`; fields are: {}",
                    fk.ident,
                    names.join(", ")
                ),
            ));
            foreign_key = None;
        }
    }
    if kind != Kind::ManyToMany && foreign_key.is_none()
        || kind == Kind::ManyToMany && through.is_none()
    {
        return None;
    }
    Some(Relation {
        ident,
        ty: attrs.ty,
        kind,
        target,
        foreign_key,
        through,
    })
}
