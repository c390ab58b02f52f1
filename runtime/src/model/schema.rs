//! The set of models an application stores, in the order their tables depend on each other.

use crate::driver::db::Db;
use crate::driver::executor::ConnRef;
use crate::dsl::model::Model;
use crate::meta::model::ModelMeta;
use crate::sql;
use crate::values::error::Result;

/// A set of models whose tables belong together.
///
/// Built with `Schema::new().model::<User>().model::<Profile>()`.
#[derive(Debug, Default, Clone)]
pub struct Schema {
    models: Vec<&'static ModelMeta>,
}

impl Schema {
    /// An empty schema.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a model (once, however often it is named; models are told apart by table).
    pub fn model<M: Model>(mut self) -> Self {
        self.add(M::META);
        self
    }

    /// Adds a model by its metadata.
    pub fn add(&mut self, meta: &'static ModelMeta) {
        if !self.models.iter().any(|m| m.table == meta.table) {
            self.models.push(meta);
        }
    }

    /// The models in the order they were added.
    pub fn models(&self) -> impl Iterator<Item = &'static ModelMeta> + '_ {
        self.models.iter().copied()
    }

    /// The models ordered so that every table comes after the tables it references.
    ///
    /// References to models outside the schema are ignored; a cycle keeps the order it was
    /// added in for the models on it.
    pub fn in_dependency_order(&self) -> Vec<&'static ModelMeta> {
        let mut done: Vec<&'static ModelMeta> = Vec::with_capacity(self.models.len());
        let mut visiting: Vec<&'static ModelMeta> = Vec::new();
        for model in &self.models {
            self.visit(model, &mut done, &mut visiting);
        }
        done
    }

    fn visit(
        &self,
        model: &'static ModelMeta,
        done: &mut Vec<&'static ModelMeta>,
        visiting: &mut Vec<&'static ModelMeta>,
    ) {
        let seen = |list: &Vec<&'static ModelMeta>| list.iter().any(|m| m.table == model.table);
        if seen(done) || seen(visiting) {
            return;
        }
        visiting.push(model);
        for column in model.columns {
            if let Some(target) = column.references.map(|f| f()) {
                if self.models.iter().any(|m| m.table == target.table) {
                    self.visit(target, done, visiting);
                }
            }
        }
        visiting.pop();
        done.push(model);
    }
}

impl Db {
    /// Creates the tables (and their indexes) of every model in the schema, referenced
    /// tables first, in one transaction where the database allows DDL in transactions.
    pub async fn create_schema(&self, schema: &Schema) -> Result<()> {
        let dialect = self.dialect();
        let statements = schema
            .in_dependency_order()
            .into_iter()
            .flat_map(|model| sql::create_table(dialect, model))
            .collect();
        ConnRef::Pool(&self.pool).execute_all(statements).await
    }

    /// Drops the tables of every model in the schema, referencing tables first.
    pub async fn drop_schema(&self, schema: &Schema) -> Result<()> {
        let dialect = self.dialect();
        let statements = schema
            .in_dependency_order()
            .into_iter()
            .rev()
            .map(|model| sql::drop_table(dialect, model))
            .collect();
        ConnRef::Pool(&self.pool).execute_all(statements).await
    }
}
