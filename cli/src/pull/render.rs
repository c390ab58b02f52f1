//! The pulled models as Rust source: the file's text, written the same way for the same
//! models, so that a pull of an unchanged database writes an identical file.

use std::fmt::Write as _;

use trellis::Dialect;

use super::Model;

pub(super) fn file(dialect: Dialect, models: &[Model<'_>], features: &[&str]) -> String {
    let mut out = String::new();
    let backend = match dialect {
        Dialect::Sqlite => "SQLite",
        Dialect::Postgres => "PostgreSQL",
        Dialect::MySql => "MySQL",
    };
    out.push_str(&format!(
        "//! The models of a {backend} database, written by `trellis pull`.\n\
         //!\n\
         //! A pull writes this file again: keep your own code (impl blocks, functions) in other\n\
         //! files of the crate.\n"
    ));
    if !features.is_empty() {
        let list: Vec<String> = features.iter().map(|f| format!("`{f}`")).collect();
        out.push_str(&format!(
            "//!\n//! The column types need these features of `trellis`: {}.\n",
            list.join(", ")
        ));
    }
    out.push_str("\nuse trellis::prelude::*;\n");
    for model in models {
        out.push('\n');
        let _ = writeln!(out, "/// A row of `{}`.", model.table.name);
        out.push_str("#[derive(Model, Debug, Clone)]\n");
        let mut attrs = vec![format!("table = {:?}", model.table.name)];
        attrs.extend(model.indexes.iter().cloned());
        let _ = writeln!(out, "#[model({})]", attrs.join(", "));
        let _ = writeln!(out, "pub struct {} {{", model.ident);
        for field in &model.fields {
            if !field.attrs.is_empty() {
                let _ = writeln!(out, "    #[field({})]", field.attrs.join(", "));
            }
            let _ = writeln!(out, "    pub {}: {},", field.ident, field.ty());
        }
        for relation in &model.relations {
            let _ = writeln!(out, "    #[relation({})]", relation.attr);
            let _ = writeln!(out, "    pub {}: {},", relation.ident, relation.ty);
        }
        out.push_str("}\n");
    }
    out.push_str(
        "\n/// Every model of the file, for `create_schema`, the migrations and the generators.\n",
    );
    out.push_str("pub fn schema() -> trellis::Schema {\n    trellis::Schema::new()");
    for model in models {
        let _ = write!(out, "\n        .model::<{}>()", model.ident);
    }
    out.push_str("\n}\n");
    out
}
