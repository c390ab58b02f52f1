//! Static schema metadata that `#[derive(Model)]` generates, and the registry of models.

use crate::values::value::SqlType;

/// What the derive knows about a model's table.
#[derive(Debug)]
pub struct ModelMeta {
    /// The Rust struct's name, used in error messages.
    pub name: &'static str,
    /// The table name.
    pub table: &'static str,
    /// Every column, in field order; rows are decoded by this order.
    pub columns: &'static [ColumnMeta],
    /// Indexes into `columns` of the primary key, in key order: one column, or several for a
    /// composite key (`#[field(id)]` on several fields).
    pub primary_key: &'static [usize],
    /// The relation fields, in field order.
    pub relations: &'static [RelationMeta],
    /// The indexes of several columns (`#[model(unique(a, b))]`, `#[model(index(a, b))]`);
    /// one column's index is its column's `unique` or `index`.
    pub indexes: &'static [IndexMeta],
}

/// An index of several columns of a model's table.
#[derive(Debug)]
pub struct IndexMeta {
    /// Its columns' names, in index order.
    pub columns: &'static [&'static str],
    /// Whether it is a `UNIQUE` index.
    pub unique: bool,
}

/// What the derive knows about one column.
#[derive(Debug)]
pub struct ColumnMeta {
    /// The Rust field's name.
    pub field: &'static str,
    /// The column name.
    pub name: &'static str,
    /// The column's type.
    pub sql_type: SqlType,
    /// Whether it accepts `NULL`.
    pub nullable: bool,
    /// Whether it is the primary key, or one of the columns of a composite key.
    pub primary_key: bool,
    /// Whether the database generates it on insert.
    pub generated: bool,
    /// Whether it carries a `UNIQUE` constraint.
    pub unique: bool,
    /// Whether it gets an index of its own.
    pub index: bool,
    /// Whether it is a column of an index of several columns (`ModelMeta::indexes`), and
    /// whether of a unique one: MySQL then stores text in a bounded type, which it can index,
    /// compared byte for byte where unique.
    pub in_index: Option<bool>,
    /// A database default, as an SQL expression.
    pub default: Option<&'static str>,
    /// The model whose primary key it references.
    pub references: Option<fn() -> &'static ModelMeta>,
    /// What deleting the referenced row does (`None`: the database's default, refusing).
    pub on_delete: Option<ReferentialAction>,
    /// What changing the referenced key does (`None`: the database's default).
    pub on_update: Option<ReferentialAction>,
}

/// What a foreign key does when the row it references is deleted or its key changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferentialAction {
    /// Delete (or update) the referencing rows too.
    Cascade,
    /// Refuse, checked at once.
    Restrict,
    /// Refuse, checked at the end of the statement.
    NoAction,
    /// Set the foreign key to `NULL`.
    SetNull,
    /// Set the foreign key to its default.
    SetDefault,
}

impl ReferentialAction {
    /// The SQL spelling.
    pub fn sql(self) -> &'static str {
        match self {
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }
}

impl ModelMeta {
    /// Whether every one of `columns` (every column when empty) is of a plain type, which a
    /// read can decode straight from SQLite's storage classes (see [`SqlType::is_plain`]).
    pub fn plain_columns(&self, columns: &[&str]) -> bool {
        self.columns
            .iter()
            .filter(|c| columns.is_empty() || columns.contains(&c.name))
            .all(|c| c.sql_type.is_plain())
    }

    /// The primary key column: the first of a composite key. Relations need no more: a
    /// foreign key references a model whose key is one column, and a composite key is
    /// never a relation's parent side.
    #[allow(clippy::indexing_slicing)]
    pub fn primary_key(&self) -> &ColumnMeta {
        // In bounds: the derive writes every `ModelMeta`, with `primary_key` the positions of
        // the `#[field(id)]` columns it found (a model without one does not compile).
        &self.columns[self.primary_key[0]]
    }

    /// The primary key's columns, in key order.
    pub fn key_columns(&self) -> impl Iterator<Item = &ColumnMeta> + '_ {
        self.primary_key
            .iter()
            .filter_map(|&at| self.columns.get(at))
    }

    /// Whether the primary key spans several columns.
    pub fn has_composite_key(&self) -> bool {
        self.primary_key.len() > 1
    }

    /// Whether the primary key's index serves lookups by `column` alone: it is the key, or
    /// the first column of a composite key. Such a column needs no index of its own.
    pub fn key_leads_with(&self, column: &ColumnMeta) -> bool {
        self.primary_key().name == column.name
    }

    /// The column of the given Rust field.
    pub fn column(&self, field: &str) -> Option<&ColumnMeta> {
        self.columns.iter().find(|c| c.field == field)
    }

    /// The columns an insert writes, in field order: all but database-generated ones for a
    /// whole row (`whole`), and without the non-key columns that have a database default for
    /// a `New` value, which leaves those to the database.
    pub fn insert_columns(&self, whole: bool) -> Vec<&'static str> {
        self.columns
            .iter()
            .filter(|c| !c.generated && (whole || c.primary_key || c.default.is_none()))
            .map(|c| c.name)
            .collect()
    }

    /// Whether any column is generated by the database.
    pub fn has_generated_column(&self) -> bool {
        self.columns.iter().any(|c| c.generated)
    }
}

/// The four kinds of relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    /// This model's foreign key points at the target.
    BelongsTo,
    /// The target's unique foreign key points at this model.
    HasOne,
    /// The target's foreign key points at this model, from many rows.
    HasMany,
    /// A join model points at both.
    ManyToMany,
}

impl RelationKind {
    /// At most one related row per parent.
    pub fn is_to_one(self) -> bool {
        matches!(self, RelationKind::BelongsTo | RelationKind::HasOne)
    }
}

/// What the derive knows about one relation. Keys are named by Rust field, as written in the
/// attribute; their columns are looked up in the models' metadata.
#[derive(Debug)]
pub struct RelationMeta {
    /// The relation field's name.
    pub name: &'static str,
    /// Its kind.
    pub kind: RelationKind,
    /// The model it leads to.
    pub target: fn() -> &'static ModelMeta,
    /// belongs_to: this model's foreign key field; has_one/has_many: the target's.
    pub foreign_key: &'static str,
    /// many_to_many: the join model and its keys.
    pub through: Option<Through>,
}

/// The join model of a many_to_many relation, read from the declaring model's side.
#[derive(Debug)]
pub struct Through {
    /// The join model.
    pub model: fn() -> &'static ModelMeta,
    /// Its field pointing back at the declaring model.
    pub from: &'static str,
    /// Its field pointing at the target.
    pub to: &'static str,
}
