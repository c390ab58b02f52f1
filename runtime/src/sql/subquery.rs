//! Correlated subqueries over a relation (`EXISTS` filters, relation counts) and `ORDER BY`
//! terms, shared by every statement that filters or orders.

use super::expr::render;
use super::{Dialect, Writer};
use crate::filter::{Expr, Nulls, OrderKey, OrderTerm, RelationLink, RelationTest};
use crate::relation::RelationKind;
use crate::schema::ModelMeta;

/// A field's column, or the field's name when the model has no such field (the derive's
/// checks make that impossible for generated metadata).
fn column(model: &ModelMeta, field: &'static str) -> &'static str {
    model.column(field).map_or(field, |c| c.name)
}

/// `FROM target AS alias [JOIN ..] WHERE <the row is related to the outer row>`, the outer
/// row being what the writer's columns referred to before the call.
fn related_rows(w: &mut Writer, link: RelationLink, alias: &str) {
    let outer = w.outer();
    let meta = link.relation;
    let target = (meta.target)();
    let outer_column = |w: &mut Writer, name: &str| {
        if let Some(outer) = &outer {
            w.ident(outer).push(".");
        }
        w.ident(name);
    };
    w.push(" FROM ")
        .ident(target.table)
        .push(" AS ")
        .ident(alias);
    match meta.kind {
        RelationKind::BelongsTo => {
            w.push(" WHERE ")
                .ident(alias)
                .push(".")
                .ident(target.primary_key().name);
            w.push(" = ");
            outer_column(w, column(link.parent, meta.foreign_key));
        }
        RelationKind::HasOne | RelationKind::HasMany => {
            w.push(" WHERE ")
                .ident(alias)
                .push(".")
                .ident(column(target, meta.foreign_key));
            w.push(" = ");
            outer_column(w, link.parent.primary_key().name);
        }
        RelationKind::ManyToMany => {
            let Some(through) = &meta.through else {
                w.push(" WHERE 1=0");
                return;
            };
            let join = (through.model)();
            let join_alias = format!("{alias}_j");
            w.push(" JOIN ")
                .ident(join.table)
                .push(" AS ")
                .ident(&join_alias);
            w.push(" ON ")
                .ident(&join_alias)
                .push(".")
                .ident(column(join, through.to));
            w.push(" = ")
                .ident(alias)
                .push(".")
                .ident(target.primary_key().name);
            w.push(" WHERE ")
                .ident(&join_alias)
                .push(".")
                .ident(column(join, through.from));
            w.push(" = ");
            outer_column(w, link.parent.primary_key().name);
        }
    }
}

/// `[NOT] EXISTS (SELECT 1 FROM related rows WHERE .. AND [NOT] (filter))`.
pub(crate) fn render_related(
    w: &mut Writer,
    link: RelationLink,
    test: RelationTest,
    filter: &Expr,
) {
    let alias = w.fresh_alias();
    let outer = w.qualifier();
    w.push(match test {
        RelationTest::Some => "EXISTS (SELECT 1",
        RelationTest::Every | RelationTest::None => "NOT EXISTS (SELECT 1",
    });
    related_rows(w, link, &alias);
    w.push(match test {
        // Every related row matches: none fails to.
        RelationTest::Every => " AND NOT (",
        RelationTest::Some | RelationTest::None => " AND (",
    });
    w.qualify(Some(&alias));
    render(w, filter);
    w.qualify(outer.as_deref());
    w.push("))");
}

/// `(SELECT COUNT(*) FROM related rows)`.
fn render_count(w: &mut Writer, link: RelationLink) {
    let alias = w.fresh_alias();
    w.push("(SELECT COUNT(*)");
    related_rows(w, link, &alias);
    w.push(")");
}

fn render_key(w: &mut Writer, key: &OrderKey) {
    match key {
        OrderKey::Column(name) => {
            w.column(name);
        }
        OrderKey::Count(link) => render_count(w, *link),
    }
}

/// The terms of an `ORDER BY`, comma-separated, then `tiebreak` (a column, ascending) if any.
/// MySQL has no `NULLS FIRST`/`NULLS LAST`: there an `IS NULL` term goes first.
pub(crate) fn render_order(w: &mut Writer, terms: &[OrderTerm], tiebreak: Option<&str>) {
    let mut first = true;
    let mut sep = |w: &mut Writer| {
        if !first {
            w.push(", ");
        }
        first = false;
    };
    for term in terms {
        if let (Dialect::MySql, Some(nulls)) = (w.dialect(), term.nulls) {
            sep(w);
            render_key(w, &term.key);
            w.push(if nulls == Nulls::First {
                " IS NULL DESC"
            } else {
                " IS NULL ASC"
            });
        }
        sep(w);
        render_key(w, &term.key);
        w.push(if term.descending { " DESC" } else { " ASC" });
        match (w.dialect(), term.nulls) {
            (Dialect::MySql, _) | (_, None) => {}
            (_, Some(Nulls::First)) => {
                w.push(" NULLS FIRST");
            }
            (_, Some(Nulls::Last)) => {
                w.push(" NULLS LAST");
            }
        }
    }
    if let Some(column) = tiebreak {
        sep(w);
        w.column(column).push(" ASC");
    }
}
