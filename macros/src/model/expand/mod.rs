//! Stage 4 of `#[derive(Model)]`: code generation, one file per generated item. Nothing here
//! can fail: every mistake the user can make was reported by the earlier stages, or is left to
//! a compiler assertion. It reads the checked model (`check::Checked` and the `ast` types in
//! it); only `fallback`, which runs when there is none, reads `attr`. Within the stage,
//! `relations`, `references` and `paths` are helpers the other files use, never the other way
//! round.

mod assertions;
mod columns;
mod fallback;
mod handle;
mod insertable;
mod known;
mod model_impl;
mod nested;
mod paths;
mod references;
mod relations;
mod where_struct;

pub(crate) use fallback::fallback;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::check::Checked;

/// The runtime's hidden module as the generated items name it: `__trellis`, which the const
/// block of the impls and the handle module import (`use ::trellis::__private as __trellis`).
fn private() -> TokenStream {
    quote!(__trellis)
}

pub(crate) fn expand(checked: &Checked) -> TokenStream {
    let assertions = assertions::expand(checked);
    let model_impl = model_impl::expand(checked);
    let insertable = insertable::expand(checked);
    let nested = nested::impls(checked);
    let references = references::expand(checked);
    let known = known::methods(checked);
    let where_struct = where_struct::expand(checked);
    let columns = columns::expand(checked, &where_struct);
    let krate = &checked.model.krate;
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, clippy::all)]
        const _: () = {
            use #krate::__private as __trellis;
            #assertions
            #model_impl
            #insertable
            #nested
            #references
            #known
        };
        #columns
    }
}
