//! Errors at a span, shared by every stage of every macro. The bottom layer: it uses nothing
//! of this crate.

use proc_macro2::Span;

/// An error at a bare span (darling wants a token to take the span from).
pub(crate) fn error_at(span: Span, message: impl std::fmt::Display) -> darling::Error {
    darling::Error::custom(message).with_span(&syn::Ident::new("at", span))
}
