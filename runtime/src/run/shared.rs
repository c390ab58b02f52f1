//! Aggregates of one relation that sibling items of a `select!` level share: `sessions:
//! count` and `last: sessions: max(created_at)` under the same `where` are read by one
//! grouped statement (`SELECT key, COUNT(*), MAX(..) .. GROUP BY key`), as a person writes
//! it, not one statement each. The level's load groups its items' asks before they run
//! ([`Shared::of`]); the first of a group to run reads the rows for every member, and the
//! others take their column of them.

use tokio::sync::OnceCell;

use crate::ir::Aggregate;
use crate::values::row::Row;

/// What a level's item asks for when it is an aggregate of a relation.
#[derive(Debug, Clone)]
pub struct AggregateAsk {
    /// The relation's name (the items of one level share their model).
    pub(crate) relation: &'static str,
    /// The relation's `where`, as written out (`Debug`): items whose `where` reads the same
    /// are the same condition.
    pub(crate) filter: Option<String>,
    pub(crate) aggregate: Aggregate,
    /// Whether the aggregate's type is one SQLite's rows can be read as directly.
    pub(crate) plain: bool,
}

/// The aggregates one statement reads, and its rows once read (each with the index of its
/// parent key).
pub struct AggregateGroup {
    pub(crate) aggregates: Vec<Aggregate>,
    pub(crate) plain: bool,
    pub(crate) rows: OnceCell<Vec<(usize, Row)>>,
}

/// An item's place in a group: the group, and which of its aggregates is the item's.
#[derive(Clone, Copy)]
pub struct Share<'a> {
    pub(crate) group: &'a AggregateGroup,
    pub(crate) at: usize,
}

/// The groups of a level's aggregate items, and each item's place. A level without
/// aggregates allocates nothing.
#[derive(Default)]
pub struct Shared {
    groups: Vec<AggregateGroup>,
    /// Each aggregate item's index in the level, group and place in the group.
    places: Vec<(usize, usize, usize)>,
}

impl Shared {
    /// Groups the asks of a level's items (in order; `None` for an item that is not an
    /// aggregate) by relation and `where`.
    pub(crate) fn of(asks: impl IntoIterator<Item = Option<AggregateAsk>>) -> Shared {
        let mut keys: Vec<(&'static str, Option<String>)> = Vec::new();
        let mut shared = Shared::default();
        for (item, ask) in asks.into_iter().enumerate() {
            let Some(ask) = ask else {
                continue;
            };
            let key = (ask.relation, ask.filter);
            let group = match keys.iter().position(|k| *k == key) {
                Some(group) => group,
                None => {
                    keys.push(key);
                    shared.groups.push(AggregateGroup {
                        aggregates: Vec::new(),
                        plain: true,
                        rows: OnceCell::new(),
                    });
                    shared.groups.len() - 1
                }
            };
            // `position` found it or it was just pushed.
            if let Some(members) = shared.groups.get_mut(group) {
                members.aggregates.push(ask.aggregate);
                members.plain &= ask.plain;
                shared
                    .places
                    .push((item, group, members.aggregates.len() - 1));
            }
        }
        shared
    }

    /// The place of item `index`, when it is an aggregate.
    pub(crate) fn place(&self, index: usize) -> Option<Share<'_>> {
        let &(_, group, at) = self.places.iter().find(|p| p.0 == index)?;
        Some(Share {
            group: self.groups.get(group)?,
            at,
        })
    }
}
