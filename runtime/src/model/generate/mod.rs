//! Generators: the same models written out as SQL DDL, a Prisma schema and a Drizzle schema,
//! for a TypeScript service that shares the database. Output is a pure function of the schema
//! (same models, same bytes).

mod drizzle;
mod links;
mod prisma;

use crate::model::schema::Schema;
use crate::sql::{self, Dialect};

impl Schema {
    /// The DDL that creates the schema's tables and indexes, in dependency order, one
    /// statement per line, each ending with `;`.
    pub fn to_sql(&self, dialect: Dialect) -> String {
        let mut out = String::new();
        for model in self.in_dependency_order() {
            for stmt in sql::create_table(dialect, model) {
                out.push_str(&stmt.sql);
                out.push_str(";\n");
            }
        }
        out
    }

    /// A Prisma schema (`schema.prisma`) for the given database: one model per Trellis model,
    /// with relation fields on both sides of every foreign key.
    pub fn to_prisma(&self, dialect: Dialect) -> String {
        prisma::render(self, dialect)
    }

    /// A Drizzle schema (TypeScript) for the given database: one table per model, and the
    /// relation definitions of every foreign key.
    pub fn to_drizzle(&self, dialect: Dialect) -> String {
        drizzle::render(self, dialect)
    }
}
