//! Types and paths written for the struct's module, as they read from inside the handle
//! module, one level deeper: `super::x` becomes `super::super::x` and `self::x` becomes
//! `super::x`. Other paths are unchanged: absolute ones (`crate::`, `::`) name the same item
//! anywhere, and a bare name reaches the struct's module through the handle module's
//! `use super::*`.

use syn::visit_mut::VisitMut;

/// `ty` as written inside the handle module.
pub(super) fn ty(ty: &syn::Type) -> syn::Type {
    let mut ty = ty.clone();
    Deeper.visit_type_mut(&mut ty);
    ty
}

/// `path` as written inside the handle module.
pub(super) fn path(path: &syn::Path) -> syn::Path {
    let mut path = path.clone();
    Deeper.visit_path_mut(&mut path);
    path
}

struct Deeper;

impl VisitMut for Deeper {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        // Paths inside generic arguments first (`Option<super::Name>`).
        syn::visit_mut::visit_path_mut(self, path);
        if path.leading_colon.is_some() {
            return;
        }
        let Some(first) = path.segments.first_mut() else {
            return;
        };
        if first.ident == "self" {
            first.ident = syn::Ident::new("super", first.ident.span());
        } else if first.ident == "super" {
            let span = first.ident.span();
            path.segments
                .insert(0, syn::PathSegment::from(syn::Ident::new("super", span)));
        }
    }
}
