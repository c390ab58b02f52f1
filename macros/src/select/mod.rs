//! `select!(User { id, profile { bio }, sessions(take = 5, order_by = token.asc()) { token } })`:
//! parse the nested selection, then expand it into code the compiler checks against the
//! models (every name becomes a field access on the model's `Fields`, at the user's token).
//!
//! Two stages: `parse` uses nothing else of this crate, `expand` uses `parse`. The relation
//! options (`Opt`) and their expansion (`refine_with`) are re-exported for
//! `#[derive(Selection)]`; nothing here uses that derive.

mod expand;
mod parse;

pub(crate) use expand::{option_names, refine as refine_with, respan};
pub(crate) use parse::{Opt, OptKind};

use proc_macro2::TokenStream;

pub(crate) fn select(input: TokenStream) -> TokenStream {
    match syn::parse2::<parse::Selection>(input) {
        Ok(selection) => expand::expand(&selection),
        Err(error) => error.to_compile_error(),
    }
}
