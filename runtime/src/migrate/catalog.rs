//! What a live database holds, as read from its catalog: tables, their columns with the types
//! the database reports, primary keys, indexes (unique constraints among them) and foreign
//! keys. Plain data, so that a diff against the models is a pure function of it.

/// The tables of one database (one PostgreSQL schema, one MySQL database), in name order.
///
/// Read with [`read_catalog`](super::read_catalog); sqlx's `_sqlx_migrations` table and
/// SQLite's own tables are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// The tables.
    pub tables: Vec<Table>,
}

impl Catalog {
    /// The table of the given name.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// One table of a [`Catalog`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// The table's name.
    pub name: String,
    /// Its columns, in the table's order.
    pub columns: Vec<Column>,
    /// The columns of its primary key, in key order (empty: none).
    pub primary_key: Vec<String>,
    /// Its indexes other than the primary key's: those of `UNIQUE` constraints too, since every
    /// backend enforces a unique constraint with a unique index.
    pub indexes: Vec<Index>,
    /// Its foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
}

impl Table {
    /// The column of the given name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// One column of a [`Table`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Column {
    /// The column's name.
    pub name: String,
    /// Its type as the database reports it: SQLite's declared type, PostgreSQL's
    /// `format_type` (`integer`, `character varying(255)`), MySQL's `COLUMN_TYPE`
    /// (`bigint(20)`, `varchar(255)`). [`normalize_type`](super::normalize_type) makes it
    /// comparable with the type Trellis declares.
    pub data_type: String,
    /// Whether it accepts `NULL`.
    pub nullable: bool,
    /// Its default, as the database spells the expression.
    pub default: Option<String>,
    /// Whether the database generates its values: SQLite's `INTEGER PRIMARY KEY` (the row
    /// id), PostgreSQL's `serial` and identity columns, MySQL's `AUTO_INCREMENT`.
    pub auto_increment: bool,
}

/// One index of a [`Table`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    /// The index's name (the database's, for an index it created for a `UNIQUE` constraint).
    pub name: String,
    /// Its columns, in index order (empty for an index on expressions only).
    pub columns: Vec<String>,
    /// Whether it is unique.
    pub unique: bool,
    /// Whether it is the index of a `UNIQUE` constraint written in the table's definition
    /// (on PostgreSQL and SQLite such an index goes with its constraint, not with
    /// `DROP INDEX`; MySQL drops both alike).
    pub constraint: bool,
}

/// One foreign key of a [`Table`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForeignKey {
    /// The constraint's name (`None` on SQLite, which keeps no names for them).
    pub name: Option<String>,
    /// The referencing columns, in key order.
    pub columns: Vec<String>,
    /// The referenced table.
    pub referenced_table: String,
    /// What a delete of the referenced row does, in SQL's lower-case spelling (`cascade`,
    /// `set null`, `set default`, `restrict`); `None` for the database's default (`no action`;
    /// MySQL's `restrict`).
    pub on_delete: Option<String>,
    /// What an update of the referenced key does, spelled as `on_delete`.
    pub on_update: Option<String>,
}
