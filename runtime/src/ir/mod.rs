//! Layer 3, the query description: filters, orderings and relation links as plain data,
//! untyped (no model type parameters) and without I/O. The SQL renderer reads it; the typed
//! builders of the layers above produce it.
//!
//! May use: values (`crate::values`) and metadata (`crate::meta`).

use crate::values::value::Value;

/// Where a text match must be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// Anywhere.
    Contains,
    /// At the start.
    StartsWith,
    /// At the end.
    EndsWith,
}

/// How the rows of a relation must match a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationTest {
    /// At least one related row matches.
    Some,
    /// Every related row matches (true when there are none).
    Every,
    /// No related row matches.
    None,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
}

impl CmpOp {
    pub(crate) fn sql(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Lte => "<=",
            CmpOp::Gt => ">",
            CmpOp::Gte => ">=",
        }
    }
}

/// An untyped boolean expression over one table's columns, as the SQL renderer sees it.
#[derive(Debug, Clone)]
pub enum Expr {
    /// `column op value`
    Compare {
        /// The column name.
        column: &'static str,
        /// The operator.
        op: CmpOp,
        /// The value, bound as a parameter.
        value: Value,
    },
    /// `column [NOT] IN (...)`
    InList {
        /// The column name.
        column: &'static str,
        /// The values, each bound as a parameter.
        values: Vec<Value>,
        /// `NOT IN` when true.
        negated: bool,
    },
    /// `column IS [NOT] NULL`
    IsNull {
        /// The column name.
        column: &'static str,
        /// `IS NOT NULL` when true.
        negated: bool,
    },
    /// The column's text contains, starts or ends with `needle`, taken literally.
    Match {
        /// The column name.
        column: &'static str,
        /// The text to find, bound as a parameter after escaping pattern characters.
        needle: String,
        /// Where it must be found.
        kind: MatchKind,
        /// Whether letter case is ignored.
        ignore_case: bool,
    },
    /// A condition on the rows a relation leads to, as an `EXISTS` subquery.
    Related {
        /// The relation.
        link: RelationLink,
        /// How the related rows must match.
        test: RelationTest,
        /// The filter on the related rows.
        filter: Box<Expr>,
    },
    /// An aggregate of the rows a to-many relation leads to, compared with a value:
    /// `(SELECT COUNT(*) ..) op value`, `(SELECT MAX(t.at) ..) op value`.
    AggregateCompare {
        /// The relation.
        link: RelationLink,
        /// What is computed over its rows.
        aggregate: Aggregate,
        /// The operator.
        op: CmpOp,
        /// The value, bound as a parameter.
        value: Value,
    },
    /// An aggregate of the grouped rows' column, compared with a value: `SUM(score) > ?`, in
    /// a grouped query's `HAVING` only.
    GroupCompare {
        /// What is computed over each group's rows.
        aggregate: Aggregate,
        /// The operator.
        op: CmpOp,
        /// The value, bound as a parameter.
        value: Value,
    },
    /// All of them hold (true when empty).
    And(Vec<Expr>),
    /// Any of them holds (false when empty).
    Or(Vec<Expr>),
    /// It does not hold.
    Not(Box<Expr>),
    /// A filter nested deeper than [`MAX_FILTER_DEPTH`]: running a query with it fails with
    /// [`Error::InvalidQuery`](crate::values::error::Error::InvalidQuery).
    TooDeep,
}

/// How deep filters may nest (each `and`/`or`/`not`/relation test is a level). Deeper filters
/// are refused when the query runs, so that rendering, cloning and dropping one stays within
/// a small, fixed amount of stack whatever a caller builds.
pub const MAX_FILTER_DEPTH: usize = 200;

/// Where `NULL`s go in an ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    /// Before every value.
    First,
    /// After every value.
    Last,
}

/// A relation seen from the model it starts at, for subqueries that refer back to that model.
#[derive(Debug, Clone, Copy)]
pub struct RelationLink {
    /// The relation.
    pub relation: &'static crate::meta::model::RelationMeta,
    /// The model it starts at.
    pub parent: &'static crate::meta::model::ModelMeta,
}

/// What an aggregated column holds, which decides the SQL that aggregates it and the type the
/// aggregate is read back as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    /// Integers: a sum is a 64-bit integer, an average a double.
    Integers,
    /// Floating-point numbers: a sum or an average is a double.
    Reals,
    /// Decimals (`rust_decimal::Decimal`): a sum or an average is a decimal, exact. SQLite keeps
    /// decimals as text, which Trellis adds up, averages and compares with functions and a
    /// collation of its own (`trellis_decimal_sum`, `trellis_decimal_avg`, `trellis_decimal`).
    Decimals,
    /// Anything else `min` and `max` take: text, dates and times.
    Other,
}

/// What is computed over a relation's rows. A sum of no rows is 0; an average, minimum or
/// maximum of no rows (or of only `NULL`s) is `NULL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// How many rows there are.
    Count,
    /// The sum of a column.
    Sum(&'static str, Operand),
    /// The average of a column: a double, or a decimal of decimals.
    Avg(&'static str, Operand),
    /// The least value of a column.
    Min(&'static str, Operand),
    /// The greatest value of a column.
    Max(&'static str, Operand),
}

impl Aggregate {
    /// The column it reads, if any.
    pub fn column(self) -> Option<&'static str> {
        match self {
            Aggregate::Count => None,
            Aggregate::Sum(c, _)
            | Aggregate::Avg(c, _)
            | Aggregate::Min(c, _)
            | Aggregate::Max(c, _) => Some(c),
        }
    }

    /// What the column it reads holds; [`Operand::Integers`] for a count.
    pub fn operand(self) -> Operand {
        match self {
            Aggregate::Count => Operand::Integers,
            Aggregate::Sum(_, o)
            | Aggregate::Avg(_, o)
            | Aggregate::Min(_, o)
            | Aggregate::Max(_, o) => o,
        }
    }
}

/// What an `ORDER BY` term orders by.
#[derive(Debug, Clone)]
pub enum OrderKey {
    /// A column.
    Column(&'static str),
    /// An aggregate of the rows a relation leads to.
    Aggregate(RelationLink, Aggregate),
    /// An aggregate of each group's rows, in a grouped query.
    Grouped(Aggregate),
}

/// One `ORDER BY` term, as the SQL renderer sees it.
#[derive(Debug, Clone)]
pub struct OrderTerm {
    /// What it orders by.
    pub key: OrderKey,
    /// `DESC` when true.
    pub descending: bool,
    /// Where `NULL`s go; `None`: where the database puts them.
    pub nulls: Option<Nulls>,
}
