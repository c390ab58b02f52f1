//! What kind of handle a column gets: `Unique` (a one-column primary key and unique columns, which
//! `find_unique`, cursors and upsert targets take) or `Plain`. Used by the column module and
//! by the lookup of names.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::ast::field::Field;

/// The handle kind of column `f`, as a type of the runtime's private API.
pub(super) fn kind(f: &Field) -> TokenStream {
    if f.sole_key || f.unique {
        quote!(__trellis::Unique)
    } else {
        quote!(__trellis::Plain)
    }
}
