//! `trellis pull`: the models of a live database, as one Rust file. A pure function of the
//! database's catalog ([`trellis::migrate::Catalog`]), so every rule is tested on catalogs
//! written by hand, and the same catalog always gives the same file.
//!
//! - A table becomes a model named after its singular (`blog_posts` -> `BlogPost`), a column a
//!   field of the Rust type its database type maps to ([`types`]), nullable as `Option`.
//! - A foreign key gives `belongs_to` on its table, named after the column without its `_id`,
//!   and `has_many` on the referenced table (`has_one` when the key is unique), named after
//!   the referencing table; two keys to the same table, and a key to its own table, name the
//!   referenced side after the key too (`posts_as_author`, `posts_as_editor`).
//! - A table with exactly two foreign keys whose pair is unique is a join model: both
//!   referenced models get a `many_to_many` through it (a key to its own table names both
//!   sides after the keys: `followers`, `followees`).
//! - A primary key of several columns is a composite key (`#[field(id)]` on each, in key
//!   order); a table keyed by its two foreign keys is a join model as above.
//! - An index of several columns is `unique(a, b)` or `index(a, b)` on the model.
//! - What a model cannot say is reported and left out, never guessed: a table without a
//!   primary key or with one of more than four columns, a column of a type Trellis cannot
//!   hold (and an index that has it), a foreign key of several columns.

mod names;
mod render;
mod types;

use std::fmt;

use trellis::migrate::{Catalog, Table};
use trellis::Dialect;

use names::Taken;

/// What a pull wrote, and what it left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled {
    /// The Rust file.
    pub source: String,
    /// The models in it.
    pub models: usize,
    /// What the database has that the models do not say, each with what was done about it.
    pub reports: Vec<Report>,
}

/// Something of the database the models leave out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// A table without a primary key: no model.
    NoPrimaryKey {
        /// The table.
        table: String,
    },
    /// A primary key of more than four columns, which a model cannot declare: no model.
    CompositeKey {
        /// The table.
        table: String,
        /// The key's columns.
        columns: Vec<String>,
    },
    /// A column of a type Trellis cannot hold: left out of its model (its table's model has
    /// none when it is the primary key).
    UnsupportedType {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Its type, as the database reports it.
        data_type: String,
        /// Whether an insert through the model fails without it (`NOT NULL`, no default).
        required: bool,
    },
    /// A foreign key of several columns: its columns stay plain fields, with no relation.
    CompositeForeignKey {
        /// The table.
        table: String,
        /// The key's columns.
        columns: Vec<String>,
    },
    /// A foreign key to a table without a model: its column stays a plain field.
    TargetLeftOut {
        /// The table.
        table: String,
        /// The key's column.
        column: String,
        /// The referenced table.
        referenced: String,
    },
    /// An index of several columns one of which the model leaves out (a type Trellis cannot
    /// hold): left out too (a migration written from the models would drop it; keep it in a
    /// migration of your own).
    CompositeIndex {
        /// The table.
        table: String,
        /// The index.
        index: String,
        /// Its columns.
        columns: Vec<String>,
    },
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Report::NoPrimaryKey { table } => {
                write!(f, "table `{table}` has no primary key: left out (a model needs one)")
            }
            Report::CompositeKey { table, columns } => write!(
                f,
                "table `{table}` has a primary key of more than four columns ({}): left out (a model's key has at most four)",
                columns.join(", ")
            ),
            Report::UnsupportedType {
                table,
                column,
                data_type,
                required,
            } => {
                write!(
                    f,
                    "column `{table}.{column}` is of type `{data_type}`, which Trellis cannot hold: left out"
                )?;
                if *required {
                    write!(f, " (it is NOT NULL without a default: inserts through the model will fail)")?;
                }
                Ok(())
            }
            Report::CompositeForeignKey { table, columns } => write!(
                f,
                "table `{table}` has a foreign key of several columns ({}): no relation",
                columns.join(", ")
            ),
            Report::TargetLeftOut {
                table,
                column,
                referenced,
            } => write!(
                f,
                "column `{table}.{column}` references `{referenced}`, which has no model: no relation"
            ),
            Report::CompositeIndex {
                table,
                index,
                columns,
            } => write!(
                f,
                "index `{index}` of `{table}` has a column the model leaves out ({}): left out",
                columns.join(", ")
            ),
        }
    }
}

/// One model to write.
struct Model<'c> {
    table: &'c Table,
    ident: String,
    fields: Vec<Field>,
    /// The indexes of several columns, as the model attribute writes them (`unique(a, b)`).
    indexes: Vec<String>,
    relations: Vec<Relation>,
    taken: Taken,
}

/// One column field.
struct Field {
    ident: String,
    column: String,
    /// Its Rust type, without the `Option` of a nullable column.
    base: &'static str,
    /// Whether the column takes `NULL` (the key never does, whatever the catalog says).
    nullable: bool,
    /// Whether it is the model's key.
    key: bool,
    /// The feature of `trellis` its type needs.
    feature: Option<&'static str>,
    attrs: Vec<String>,
}

impl Field {
    /// Its Rust type: `Option<..>` where the column is nullable.
    fn ty(&self) -> String {
        if self.nullable {
            format!("Option<{}>", self.base)
        } else {
            self.base.to_owned()
        }
    }
}

/// One relation field.
struct Relation {
    ident: String,
    ty: String,
    attr: String,
}

/// The Rust type a column of `data_type` (as the catalog of `dialect` reports it) is pulled
/// as; `key`: the column is its table's whole primary key. `None`: a type Trellis cannot hold.
pub fn rust_type_of(dialect: Dialect, data_type: &str, key: bool) -> Option<&'static str> {
    types::rust_type(dialect, data_type, key).map(|t| t.name)
}

/// The most columns a model's composite key may have.
const MAX_KEY_COLUMNS: usize = 4;

/// The Rust file of `catalog`'s models, read from a database of `dialect`.
pub fn pull(dialect: Dialect, catalog: &Catalog) -> Pulled {
    let mut reports = Vec::new();
    let mut models: Vec<Model<'_>> = Vec::new();
    let mut taken_idents: Vec<String> = Vec::new();
    for table in &catalog.tables {
        match table.primary_key.as_slice() {
            [] => reports.push(Report::NoPrimaryKey {
                table: table.name.clone(),
            }),
            columns if columns.len() > MAX_KEY_COLUMNS => reports.push(Report::CompositeKey {
                table: table.name.clone(),
                columns: columns.to_vec(),
            }),
            _ => {
                if let Some(model) = model(dialect, table, &mut taken_idents, &mut reports) {
                    models.push(model);
                }
            }
        }
    }
    references(dialect, &mut models, &mut reports);
    relations(&mut models);
    let features = features(&models);
    Pulled {
        source: render::file(dialect, &models, &features),
        models: models.len(),
        reports,
    }
}

/// The model of `table`, its columns as fields; `None` (reported) when its key's type is one
/// Trellis cannot hold.
fn model<'c>(
    dialect: Dialect,
    table: &'c Table,
    taken_idents: &mut Vec<String>,
    reports: &mut Vec<Report>,
) -> Option<Model<'c>> {
    let mut ident = names::model(&table.name);
    if names::RESERVED.contains(&ident.as_str()) {
        ident.push_str("Row");
    }
    let wanted = ident.clone();
    let mut n = 2;
    while taken_idents.contains(&ident) {
        ident = format!("{wanted}{n}");
        n += 1;
    }
    let mut taken = Taken::default();
    let mut fields = Vec::new();
    let sole_key = table.primary_key.len() == 1;
    for (index, column) in key_order(table).into_iter().enumerate() {
        let key = table.primary_key.contains(&column.name);
        let Some(ty) = types::rust_type(dialect, &column.data_type, key) else {
            reports.push(Report::UnsupportedType {
                table: table.name.clone(),
                column: column.name.clone(),
                data_type: column.data_type.clone(),
                required: !column.nullable && column.default.is_none() && !column.auto_increment,
            });
            if key {
                return None;
            }
            continue;
        };
        let wanted = names::field(&column.name).unwrap_or_else(|| format!("column_{index}"));
        let field_ident = taken.take(&wanted);
        let mut attrs = Vec::new();
        if key {
            attrs.push("id".to_owned());
            if column.auto_increment && sole_key {
                attrs.push("auto".to_owned());
            }
        }
        if names::unraw(&field_ident) != column.name {
            attrs.push(format!("column = {:?}", column.name));
        }
        let single = |unique: bool| {
            table.indexes.iter().any(|i| {
                i.unique == unique && i.columns.len() == 1 && i.columns[..] == [column.name.clone()]
            })
        };
        // The key's index serves its first column; another column of a composite key may
        // have an index of its own.
        let leads_key = table.primary_key.first() == Some(&column.name);
        if !leads_key && single(true) {
            attrs.push("unique".to_owned());
        } else if !leads_key && single(false) {
            attrs.push("index".to_owned());
        }
        if let (Some(default), false) = (&column.default, column.auto_increment) {
            attrs.push(format!("default = {default:?}"));
        }
        fields.push(Field {
            ident: field_ident,
            column: column.name.clone(),
            base: ty.name,
            nullable: column.nullable && !key,
            key,
            feature: ty.feature,
            attrs,
        });
    }
    let mut indexes = Vec::new();
    for index in table.indexes.iter().filter(|i| i.columns.len() > 1) {
        let idents: Option<Vec<&str>> = index
            .columns
            .iter()
            .map(|c| {
                fields
                    .iter()
                    .find(|f| &f.column == c)
                    .map(|f| f.ident.as_str())
            })
            .collect();
        match idents {
            Some(idents) => indexes.push(format!(
                "{}({})",
                if index.unique { "unique" } else { "index" },
                idents.join(", ")
            )),
            None => reports.push(Report::CompositeIndex {
                table: table.name.clone(),
                index: index.name.clone(),
                columns: index.columns.clone(),
            }),
        }
    }
    taken_idents.push(ident.clone());
    Some(Model {
        table,
        ident,
        fields,
        indexes,
        relations: Vec::new(),
        taken,
    })
}

/// The table's columns in the order its fields are written: as the table has them, but for a
/// composite key whose columns it holds in another order than the key's (a model's key is
/// its `#[field(id)]` fields in field order), which then come first, in key order.
fn key_order(table: &Table) -> Vec<&trellis::migrate::Column> {
    let columns: Vec<&trellis::migrate::Column> = table.columns.iter().collect();
    let in_table: Vec<&String> = columns
        .iter()
        .map(|c| &c.name)
        .filter(|name| table.primary_key.contains(name))
        .collect();
    if in_table.iter().copied().eq(table.primary_key.iter()) {
        return columns;
    }
    let key = table
        .primary_key
        .iter()
        .filter_map(|name| columns.iter().copied().find(|c| &c.name == name));
    let rest = columns
        .iter()
        .copied()
        .filter(|c| !table.primary_key.contains(&c.name));
    key.chain(rest).collect()
}

/// `references = Target` on each single-column foreign key to a table with a model. On SQLite,
/// whose integers are all 64-bit, an integer key takes the referenced key's Rust type (an
/// `INTEGER` column referencing an `INTEGER PRIMARY KEY` is an `i64`, as the key is).
fn references(dialect: Dialect, models: &mut [Model<'_>], reports: &mut Vec<Report>) {
    let targets: Vec<(String, String, Option<&'static str>)> = models
        .iter()
        .map(|m| {
            // Only a key of one column can be referenced.
            let key = match m.table.primary_key.len() {
                1 => m.fields.iter().find(|f| f.key).map(|k| k.base),
                _ => None,
            };
            (m.table.name.clone(), m.ident.clone(), key)
        })
        .collect();
    const INTEGERS: [&str; 3] = ["i16", "i32", "i64"];
    for model in models.iter_mut() {
        for fk in &model.table.foreign_keys {
            let [column] = fk.columns.as_slice() else {
                reports.push(Report::CompositeForeignKey {
                    table: model.table.name.clone(),
                    columns: fk.columns.clone(),
                });
                continue;
            };
            let Some(field) = model.fields.iter_mut().find(|f| &f.column == column) else {
                continue;
            };
            match targets
                .iter()
                .find(|(table, _, _)| *table == fk.referenced_table)
            {
                Some((_, target, key_ty)) => {
                    field.attrs.push(format!("references = {target}"));
                    for (attr, action) in
                        [("on_delete", &fk.on_delete), ("on_update", &fk.on_update)]
                    {
                        if let Some(action) = action {
                            field.attrs.push(format!("{attr} = {action:?}"));
                        }
                    }
                    if let (Dialect::Sqlite, Some(key_ty)) = (dialect, *key_ty) {
                        if INTEGERS.contains(&field.base) && INTEGERS.contains(&key_ty) {
                            field.base = key_ty;
                        }
                    }
                }
                None => reports.push(Report::TargetLeftOut {
                    table: model.table.name.clone(),
                    column: column.clone(),
                    referenced: fk.referenced_table.clone(),
                }),
            }
        }
    }
}

/// A single-column foreign key between two models: the referencing model and field, and the
/// referenced model.
struct Link {
    child: usize,
    field: String,
    parent: usize,
    unique: bool,
}

fn links(models: &[Model<'_>]) -> Vec<Link> {
    let mut links = Vec::new();
    for (child, model) in models.iter().enumerate() {
        // In the order of their columns, as a person reads the table.
        let position = |fk: &&trellis::migrate::ForeignKey| {
            let first = fk.columns.first();
            model
                .table
                .columns
                .iter()
                .position(|c| Some(&c.name) == first)
        };
        let mut keys: Vec<&trellis::migrate::ForeignKey> =
            model.table.foreign_keys.iter().collect();
        keys.sort_by_key(position);
        for fk in keys {
            let [column] = fk.columns.as_slice() else {
                continue;
            };
            let Some(parent) = models
                .iter()
                .position(|m| m.table.name == fk.referenced_table)
            else {
                continue;
            };
            let Some(field) = model.fields.iter().find(|f| &f.column == column) else {
                continue;
            };
            let unique = model.table.primary_key[..] == [column.clone()]
                || model
                    .table
                    .indexes
                    .iter()
                    .any(|i| i.unique && i.columns[..] == [column.clone()]);
            links.push(Link {
                child,
                field: field.ident.clone(),
                parent,
                unique,
            });
        }
    }
    links
}

fn relations(models: &mut [Model<'_>]) {
    let links = links(models);
    // belongs_to, on each referencing model, in key order.
    for link in &links {
        let base = names::key_base(names::unraw(&link.field));
        let model = &mut models[link.child];
        let wanted = if model.taken.has(&base) {
            format!("{base}_rel")
        } else {
            base
        };
        let ident = model.taken.take(&wanted);
        let target = models[link.parent].ident.clone();
        let field = names::unraw(&link.field).to_owned();
        models[link.child].relations.push(Relation {
            ident,
            ty: format!("BelongsTo<{target}>"),
            attr: format!("belongs_to = {target}, foreign_key = {field:?}"),
        });
    }
    // has_one/has_many, on each referenced model.
    for link in &links {
        let child_snake = heck::ToSnakeCase::to_snake_case(models[link.child].ident.as_str());
        let siblings = links
            .iter()
            .filter(|l| l.child == link.child && l.parent == link.parent)
            .count();
        let base = names::key_base(names::unraw(&link.field));
        let named = if link.unique {
            child_snake.clone()
        } else {
            names::plural(&child_snake)
        };
        let wanted = if siblings > 1 || link.child == link.parent {
            format!("{named}_as_{base}")
        } else {
            named
        };
        let child = models[link.child].ident.clone();
        let field = names::unraw(&link.field).to_owned();
        let (kind, wrapper) = if link.unique {
            ("has_one", "HasOne")
        } else {
            ("has_many", "HasMany")
        };
        let parent = &mut models[link.parent];
        let ident = parent.taken.take(&wanted);
        parent.relations.push(Relation {
            ident,
            ty: format!("{wrapper}<{child}>"),
            attr: format!("{kind} = {child}, foreign_key = {field:?}"),
        });
    }
    // many_to_many through each join model: two foreign keys whose pair is unique.
    for join in 0..models.len() {
        let keys: Vec<&Link> = links.iter().filter(|l| l.child == join).collect();
        let [a, b] = keys.as_slice() else {
            continue;
        };
        let table = models[join].table;
        let columns = |link: &Link| {
            models[join]
                .fields
                .iter()
                .find(|f| f.ident == link.field)
                .map(|f| f.column.clone())
        };
        let (Some(column_a), Some(column_b)) = (columns(a), columns(b)) else {
            continue;
        };
        let is_pair = |columns: &[String]| {
            columns.len() == 2 && columns.contains(&column_a) && columns.contains(&column_b)
        };
        let pair_unique = is_pair(&table.primary_key)
            || table
                .indexes
                .iter()
                .any(|i| i.unique && is_pair(&i.columns));
        if !pair_unique {
            continue;
        }
        let join_ident = models[join].ident.clone();
        for (from, to) in [(a, b), (b, a)] {
            let target = models[to.parent].ident.clone();
            let target_snake = heck::ToSnakeCase::to_snake_case(target.as_str());
            let wanted = if a.parent == b.parent {
                names::plural(&names::key_base(names::unraw(&to.field)))
            } else {
                names::plural(&target_snake)
            };
            let owner = &mut models[from.parent];
            let wanted = if owner.taken.has(&wanted) {
                format!(
                    "{wanted}_via_{}",
                    heck::ToSnakeCase::to_snake_case(join_ident.as_str())
                )
            } else {
                wanted
            };
            let ident = owner.taken.take(&wanted);
            owner.relations.push(Relation {
                ident,
                ty: format!("ManyToMany<{target}>"),
                attr: format!(
                    "many_to_many = {target}, through = {join_ident}, from = {:?}, to = {:?}",
                    names::unraw(&from.field),
                    names::unraw(&to.field)
                ),
            });
        }
    }
}

/// The features of `trellis` the models' column types need, in name order.
fn features(models: &[Model<'_>]) -> Vec<&'static str> {
    let mut features: Vec<&'static str> = models
        .iter()
        .flat_map(|m| m.fields.iter().filter_map(|f| f.feature))
        .collect();
    features.sort_unstable();
    features.dedup();
    features
}

#[cfg(test)]
mod tests;
