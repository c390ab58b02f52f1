//! Names for what a pull writes: a struct per table, a field per column, a relation field per
//! foreign key side, each a Rust identifier, none colliding with another of its model.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust's keywords, which a field may still be named as a raw identifier (`r#type`).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Type names the pulled file uses unqualified (Rust's prelude, the relation wrappers): a model
/// named so (a table `options`) would hide them, so it is named with `Row` after.
pub(crate) const RESERVED: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "ToString",
    "ToOwned",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "BelongsTo",
    "HasOne",
    "HasMany",
    "ManyToMany",
    "Schema",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

/// Whether `name` is a plain snake-case identifier: what a column name becomes as it is.
pub(crate) fn is_snake_ident(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name != "_"
}

/// A field name for a column: the column's own name when it is a snake-case identifier (a
/// keyword as a raw identifier), else its snake case. `None` when nothing usable is left
/// (a column named only with symbols): the caller numbers it.
pub(crate) fn field(column: &str) -> Option<String> {
    let name = if is_snake_ident(column) {
        column.to_owned()
    } else {
        let snake: String = column
            .to_snake_case()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        match snake.chars().next() {
            None => return None,
            Some(c) if c.is_ascii_digit() => format!("c_{snake}"),
            Some(_) => snake,
        }
    };
    Some(if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    })
}

/// The name written in messages and attributes: a raw identifier without its `r#`.
pub(crate) fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The singular of an English plural, for struct names (`users` -> `user`, `categories` ->
/// `category`, `addresses` -> `address`); a word that does not look plural is kept.
pub(crate) fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix("ies") {
        if !stem.is_empty() {
            return format!("{}y", &word[..stem.len()]);
        }
    }
    for suffix in ["sses", "shes", "ches", "xes", "zzes"] {
        if lower.ends_with(suffix) {
            return word[..word.len() - 2].to_owned();
        }
    }
    if lower.ends_with('s') && !lower.ends_with("ss") && !lower.ends_with("us") && word.len() > 1 {
        return word[..word.len() - 1].to_owned();
    }
    word.to_owned()
}

/// The plural of a snake-case name, for to-many relations (`post` -> `posts`, `category` ->
/// `categories`, `address` -> `addresses`).
pub(crate) fn plural(word: &str) -> String {
    let ends_in_consonant_y = word.ends_with('y')
        && !matches!(word.chars().rev().nth(1), Some('a' | 'e' | 'i' | 'o' | 'u'));
    if ends_in_consonant_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|s| word.ends_with(s))
    {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// The struct name of a table: its singular, in upper camel case (`blog_posts` -> `BlogPost`).
pub(crate) fn model(table: &str) -> String {
    let camel = singular(&table.to_snake_case()).to_upper_camel_case();
    let camel: String = camel
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    match camel.chars().next() {
        None => "Table".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("T{camel}"),
        Some(_) if NOT_RAW.contains(&camel.as_str()) => format!("{camel}Model"),
        Some(_) => camel,
    }
}

/// What a foreign key column names: the column without its `_id` (`author_id` -> `author`,
/// `parentId` -> `parent`); the column itself when nothing is left.
pub(crate) fn key_base(column: &str) -> String {
    let snake = unraw(&field(column).unwrap_or_else(|| "key".to_owned())).to_owned();
    for suffix in ["_id", "_key", "_fk"] {
        if let Some(stem) = snake.strip_suffix(suffix) {
            if !stem.is_empty() {
                return stem.to_owned();
            }
        }
    }
    match snake.strip_suffix("id") {
        Some(stem) if !stem.is_empty() && stem != "_" => stem.trim_end_matches('_').to_owned(),
        _ => snake,
    }
}

/// Names taken in one model: its fields and relations.
#[derive(Default)]
pub(crate) struct Taken(Vec<String>);

impl Taken {
    /// Takes `wanted`, or `wanted_2`, `wanted_3`, .. when it is taken, as a valid identifier.
    pub(crate) fn take(&mut self, wanted: &str) -> String {
        let wanted = field(unraw(wanted)).unwrap_or_else(|| "relation".to_owned());
        let mut name = wanted.clone();
        let mut n = 2;
        while self.0.iter().any(|t| unraw(t) == unraw(&name)) {
            name = format!("{}_{n}", unraw(&wanted));
            n += 1;
        }
        self.0.push(name.clone());
        name
    }

    /// Whether `name` is taken.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.0.iter().any(|t| unraw(t) == unraw(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_become_singular_camel_case_structs() {
        assert_eq!(model("users"), "User");
        assert_eq!(model("blog_posts"), "BlogPost");
        assert_eq!(model("categories"), "Category");
        assert_eq!(model("addresses"), "Address");
        assert_eq!(model("status"), "Status");
        assert_eq!(model("person"), "Person");
        assert_eq!(model("OrderItems"), "OrderItem");
        assert_eq!(model("2fa_codes"), "T2faCode");
    }

    #[test]
    fn columns_keep_their_names_when_they_are_identifiers() {
        assert_eq!(field("email").as_deref(), Some("email"));
        assert_eq!(field("type").as_deref(), Some("r#type"));
        assert_eq!(field("self").as_deref(), Some("self_"));
        assert_eq!(field("createdAt").as_deref(), Some("created_at"));
        assert_eq!(field("First Name").as_deref(), Some("first_name"));
        assert_eq!(field("1st").as_deref(), Some("c_1st"));
        assert_eq!(field("%"), None);
    }

    #[test]
    fn foreign_keys_name_what_they_point_at() {
        assert_eq!(key_base("author_id"), "author");
        assert_eq!(key_base("authorId"), "author");
        assert_eq!(key_base("owner"), "owner");
        assert_eq!(key_base("id"), "id");
    }

    #[test]
    fn plurals() {
        assert_eq!(plural("post"), "posts");
        assert_eq!(plural("category"), "categories");
        assert_eq!(plural("day"), "days");
        assert_eq!(plural("address"), "addresses");
        assert_eq!(plural("match"), "matches");
    }

    #[test]
    fn a_taken_name_is_numbered() {
        let mut taken = Taken::default();
        assert_eq!(taken.take("author"), "author");
        assert_eq!(taken.take("author"), "author_2");
        assert_eq!(taken.take("type"), "r#type");
        assert!(taken.has("type"));
    }
}
