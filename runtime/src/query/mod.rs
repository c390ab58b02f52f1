//! Query builders: each collects what to do, renders one statement (or a few), and runs it
//! on an [`Executor`](crate::Executor).

mod count;
pub(crate) mod cursor;
mod delete;
mod find;
mod insert;
mod update;

pub use count::Count;
pub use delete::{Delete, DeleteOne};
pub use find::Find;
pub use insert::{Insert, InsertOne};
pub use update::{Update, UpdateOne};

use crate::filter::{CmpOp, Expr, Filter};
use crate::model::Model;
use crate::types::FieldType;

/// `primary key = key`
fn key_filter<M: Model>(key: &M::Key) -> Expr {
    Expr::Compare {
        column: M::META.primary_key().name,
        op: CmpOp::Eq,
        value: key.to_value(),
    }
}

/// Adds `filter` to `current` with `AND`.
pub(crate) fn and_filter<M>(current: Option<Expr>, filter: Filter<M>) -> Option<Expr> {
    Some(match current {
        None => filter.into_expr(),
        Some(Expr::And(mut items)) => {
            items.push(filter.into_expr());
            Expr::And(items)
        }
        Some(existing) => Expr::And(vec![existing, filter.into_expr()]),
    })
}
