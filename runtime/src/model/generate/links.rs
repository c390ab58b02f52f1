//! The foreign keys of a schema seen as two-sided links, with the names both generators give
//! the relation fields: the declared `belongs_to`/`has_one`/`has_many` field where there is
//! one, a name derived from the key or the model otherwise (Prisma and Drizzle want both
//! sides of every link).

use std::collections::BTreeSet;

use crate::meta::model::RelationKind;
use crate::meta::model::{ColumnMeta, ModelMeta};
use crate::model::schema::Schema;

/// One foreign key, from `child.column` to `parent`'s primary key.
pub(super) struct Link {
    pub(super) child: &'static ModelMeta,
    pub(super) column: &'static ColumnMeta,
    pub(super) parent: &'static ModelMeta,
    /// The relation field on the child (the belongs_to side).
    pub(super) child_field: String,
    /// The relation field on the parent (the has_one/has_many side).
    pub(super) parent_field: String,
    /// Whether the parent has at most one child (the key is unique).
    pub(super) one: bool,
    /// A name for the pair, unique in the schema.
    pub(super) name: String,
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `user_id` -> `user`, `ownerId` -> `owner`; `None` when nothing is left.
fn strip_id(field: &str) -> Option<&str> {
    ["_id", "Id", "_ID"]
        .iter()
        .find_map(|suffix| field.strip_suffix(suffix))
        .filter(|rest| !rest.is_empty())
}

/// A name not yet taken on the model, trying `wanted`, then numbered variants.
fn free_name(taken: &mut BTreeSet<String>, wanted: String) -> String {
    let mut name = wanted.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{wanted}{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// The links among the schema's models, in a stable order (models as added, columns in
/// field order). Keys pointing outside the schema are left out.
pub(super) fn links(schema: &Schema) -> Vec<Link> {
    let models: Vec<&'static ModelMeta> = schema.models().collect();
    let in_schema = |m: &ModelMeta| models.iter().any(|x| x.table == m.table);
    // Field names each model already uses: columns, then the relation fields handed out.
    let mut taken: Vec<BTreeSet<String>> = models
        .iter()
        .map(|m| {
            let columns = m.columns.iter().map(|c| c.field.to_owned());
            let relations = m.relations.iter().map(|r| r.name.to_owned());
            columns.chain(relations).collect()
        })
        .collect();
    let index = |m: &ModelMeta| models.iter().position(|x| x.table == m.table).unwrap_or(0);

    let mut out = Vec::new();
    for child in &models {
        for column in child.columns {
            let Some(parent) = column.references.map(|f| f()) else {
                continue;
            };
            if !in_schema(parent) {
                continue;
            }
            let declared_child = child
                .relations
                .iter()
                .find(|r| r.kind == RelationKind::BelongsTo && r.foreign_key == column.field);
            let declared_parent = parent.relations.iter().find(|r| {
                matches!(r.kind, RelationKind::HasOne | RelationKind::HasMany)
                    && r.foreign_key == column.field
                    && (r.target)().table == child.table
            });
            let one = column.unique || (column.primary_key && !child.has_composite_key());
            let child_field = match declared_child {
                Some(r) => r.name.to_owned(),
                None => {
                    let wanted = strip_id(column.field)
                        .map_or_else(|| format!("{}Ref", column.field), str::to_owned);
                    match taken.get_mut(index(child)) {
                        Some(taken) => free_name(taken, wanted),
                        None => wanted,
                    }
                }
            };
            let parent_field = match declared_parent {
                Some(r) => r.name.to_owned(),
                None => {
                    let base = lower_first(child.name);
                    let wanted = if one { base } else { format!("{base}s") };
                    match taken.get_mut(index(parent)) {
                        Some(taken) => free_name(taken, wanted),
                        None => wanted,
                    }
                }
            };
            let name = format!("{}_{}", child.name, column.field);
            out.push(Link {
                child,
                column,
                parent,
                child_field,
                parent_field,
                one,
                name,
            });
        }
    }
    out
}
