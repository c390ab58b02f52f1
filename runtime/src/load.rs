//! Loading relations: one batched query per relation edge, whatever the number of parent rows.
//!
//! Parent keys are collected (each once), the related rows are fetched with the parent key
//! they belong to, nested relations are loaded on all of them at once, and the rows are then
//! handed out to their parents in query order.

use std::collections::{HashMap, HashSet};

use futures_util::future::BoxFuture;

use crate::error::{Error, Result};
use crate::executor::ConnRef;
use crate::model::Model;
use crate::relation::{Rel, RelQuery, RelationKind, Setter};
use crate::schema::ModelMeta;
use crate::sql::{render_related, RelatedQuery};
use crate::types::FieldType;
use crate::value::{KeyRepr, Value};

/// A relation of `M` to load with the rows of a query: `.include(user::sessions)`, or
/// `.include(user::sessions.with(|q| q.take(5)))`.
pub struct Include<M> {
    loader: Box<dyn LoadInto<M>>,
}

impl<M> std::fmt::Debug for Include<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Include")
    }
}

trait LoadInto<M>: Send + Sync {
    fn load<'a>(&'a self, conn: ConnRef<'a>, parents: &'a mut [M]) -> BoxFuture<'a, Result<()>>;
}

impl<M> Include<M> {
    pub(crate) async fn load(&self, conn: ConnRef<'_>, parents: &mut [M]) -> Result<()> {
        self.loader.load(conn, parents).await
    }
}

impl<M, T, C> From<Rel<M, T, C>> for Include<M>
where
    M: Model,
    T: Model + Clone,
    C: 'static,
{
    fn from(rel: Rel<M, T, C>) -> Self {
        rel.with(|q| q)
    }
}

impl<M: Model, T: Model + Clone, C: 'static> Rel<M, T, C> {
    /// Loads this relation with the related rows narrowed, ordered and paged per parent.
    pub fn with(self, refine: impl FnOnce(RelQuery<T, C>) -> RelQuery<T, C>) -> Include<M> {
        Include {
            loader: Box::new(Loader {
                rel: self,
                query: refine(RelQuery::default()),
            }),
        }
    }
}

struct Loader<M, T, C> {
    rel: Rel<M, T, C>,
    query: RelQuery<T, C>,
}

impl<M: Model, T: Model + Clone, C: 'static> LoadInto<M> for Loader<M, T, C> {
    fn load<'a>(&'a self, conn: ConnRef<'a>, parents: &'a mut [M]) -> BoxFuture<'a, Result<()>> {
        Box::pin(self.run(conn, parents))
    }
}

/// Where the keys are on each side of one relation.
struct Plan {
    /// The parent's field holding the key the related rows point at.
    parent_field: &'static str,
    /// The column matched against those keys (on the target, or on the join table).
    key_column: &'static str,
    join: Option<(&'static ModelMeta, &'static str)>,
}

fn column_of(model: &ModelMeta, field: &str) -> Result<&'static str> {
    model
        .columns
        .iter()
        .find(|c| c.field == field)
        .map(|c| c.name)
        .ok_or_else(|| Error::InvalidQuery(format!("`{}` has no field `{field}`", model.name)))
}

impl<M: Model, T: Model + Clone, C> Loader<M, T, C> {
    fn plan(&self) -> Result<Plan> {
        let meta = self.rel.meta;
        let target = (meta.target)();
        Ok(match meta.kind {
            RelationKind::BelongsTo => Plan {
                parent_field: meta.foreign_key,
                key_column: target.primary_key().name,
                join: None,
            },
            RelationKind::HasOne | RelationKind::HasMany => Plan {
                parent_field: M::META.primary_key().field,
                key_column: column_of(target, meta.foreign_key)?,
                join: None,
            },
            RelationKind::ManyToMany => {
                let through = meta.through.as_ref().ok_or_else(|| {
                    Error::InvalidQuery(format!("relation `{}` has no join model", meta.name))
                })?;
                let join = (through.model)();
                Plan {
                    parent_field: M::META.primary_key().field,
                    key_column: column_of(join, through.from)?,
                    join: Some((join, column_of(join, through.to)?)),
                }
            }
        })
    }

    async fn run(&self, conn: ConnRef<'_>, parents: &mut [M]) -> Result<()> {
        if parents.is_empty() {
            return Ok(());
        }
        let plan = self.plan()?;
        let parent_keys: Vec<Option<KeyRepr>> = parents
            .iter()
            .map(|p| p.__column(plan.parent_field).and_then(|v| v.key()))
            .collect();
        // Each key once (many rows may point at the same parent of a belongs_to).
        let mut seen = HashSet::new();
        let keys: Vec<Value> = parents
            .iter()
            .filter_map(|p| p.__column(plan.parent_field))
            .filter(|v| v.key().is_some_and(|k| seen.insert(k)))
            .collect();

        let (mut rows, row_keys) = self.fetch(conn, &plan, &keys).await?;
        for include in &self.query.includes {
            include.load(conn, &mut rows).await?;
        }
        distribute(self.rel.set, parents, &parent_keys, rows, row_keys);
        Ok(())
    }

    /// The related rows with the key of the parent each belongs to, in query order.
    async fn fetch(
        &self,
        conn: ConnRef<'_>,
        plan: &Plan,
        keys: &[Value],
    ) -> Result<(Vec<T>, Vec<KeyRepr>)> {
        let target = T::META;
        let dialect = conn.dialect();
        // Room for the filter's and the paging's parameters beside the keys.
        let chunk = dialect.max_params().saturating_sub(1_000).max(1);
        let mut rows = Vec::new();
        let mut row_keys = Vec::new();
        for keys in keys.chunks(chunk) {
            let stmt = render_related(
                dialect,
                &RelatedQuery {
                    target,
                    key_column: plan.key_column,
                    join: plan.join,
                    keys,
                    filter: self.query.filter.as_ref(),
                    order_by: &self.query.order_by,
                    take: self.query.take,
                    skip: self.query.skip,
                },
            );
            let key_index = target.columns.len();
            for row in conn.fetch(&stmt).await? {
                let key = match self.rel.meta.kind {
                    RelationKind::BelongsTo => decode_key::<T::Key>(&row, key_index, target)?,
                    _ => decode_key::<M::Key>(&row, key_index, target)?,
                };
                rows.push(T::__decode(&row)?);
                row_keys.push(key);
            }
        }
        Ok((rows, row_keys))
    }
}

fn decode_key<K: FieldType>(
    row: &crate::row::Row,
    index: usize,
    model: &ModelMeta,
) -> Result<KeyRepr> {
    K::decode(row, index)
        .map_err(|e| Error::decode(model.name, crate::sql::PARENT_KEY, e))?
        .to_value()
        .key()
        .ok_or_else(|| Error::decode(model.name, crate::sql::PARENT_KEY, "NULL parent key"))
}

/// Hands each parent its rows. A key shared by several parents (a belongs_to target, or
/// parents that are themselves duplicated rows of a many_to_many) gets clones; the last one
/// takes the rows themselves.
fn distribute<M, T: Clone>(
    set: Setter<M, T>,
    parents: &mut [M],
    parent_keys: &[Option<KeyRepr>],
    rows: Vec<T>,
    row_keys: Vec<KeyRepr>,
) {
    let mut by_key: HashMap<KeyRepr, Vec<T>> = HashMap::new();
    for (row, key) in rows.into_iter().zip(row_keys) {
        by_key.entry(key).or_default().push(row);
    }
    let mut last_use: HashMap<&KeyRepr, usize> = HashMap::new();
    for (i, key) in parent_keys.iter().enumerate() {
        if let Some(key) = key {
            last_use.insert(key, i);
        }
    }
    for (i, (parent, key)) in parents.iter_mut().zip(parent_keys).enumerate() {
        let related = match key {
            Some(key) if last_use.get(key) == Some(&i) => by_key.remove(key).unwrap_or_default(),
            Some(key) => by_key.get(key).cloned().unwrap_or_default(),
            None => Vec::new(),
        };
        match set {
            Setter::Many(set) => set(parent, related),
            Setter::One(set) => set(parent, related.into_iter().next()),
        }
    }
}
