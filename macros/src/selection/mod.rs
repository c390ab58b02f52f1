//! `#[derive(Selection)]`: a named selection of a model, for function signatures and serde.
//! Each field is a column of the model with the same name (and must have its type), or, marked
//! `#[selection(relation)]` or given relation options, a relation whose rows are selections too.
//!
//! Two stages: `attr` reads the attributes (darling receivers) into a checked `Selection`,
//! collecting every mistake; `expand` generates code from it and cannot fail. Relation options
//! are those of `select!`: both stages use `crate::select`'s `Opt` and its expansion, and
//! nothing in `crate::select` uses this derive.

mod attr;
mod expand;

use proc_macro2::TokenStream;

pub(crate) fn derive(input: &syn::DeriveInput) -> TokenStream {
    match attr::parse(input) {
        Ok(selection) => expand::expand(&selection),
        Err(errors) => errors.write_errors(),
    }
}
