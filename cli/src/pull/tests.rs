//! Each naming rule and each report, on catalogs written by hand.

use trellis::migrate::{Catalog, Column, ForeignKey, Index, Table};
use trellis::Dialect;

use super::{pull, Report};

fn column(name: &str, data_type: &str) -> Column {
    Column {
        name: name.to_owned(),
        data_type: data_type.to_owned(),
        nullable: false,
        default: None,
        auto_increment: false,
    }
}

fn nullable(name: &str, data_type: &str) -> Column {
    Column {
        nullable: true,
        ..column(name, data_type)
    }
}

fn key() -> Column {
    Column {
        auto_increment: true,
        ..column("id", "bigint")
    }
}

fn table(name: &str, columns: Vec<Column>) -> Table {
    Table {
        name: name.to_owned(),
        columns,
        primary_key: vec!["id".to_owned()],
        ..Table::default()
    }
}

fn fk(column: &str, referenced: &str) -> ForeignKey {
    ForeignKey {
        name: None,
        columns: vec![column.to_owned()],
        referenced_table: referenced.to_owned(),
        ..ForeignKey::default()
    }
}

fn unique(name: &str, columns: &[&str]) -> Index {
    Index {
        name: name.to_owned(),
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        unique: true,
        constraint: true,
    }
}

fn users() -> Table {
    table("users", vec![key(), column("email", "text")])
}

fn source(tables: Vec<Table>) -> String {
    pull(Dialect::Postgres, &Catalog { tables }).source
}

/// The lines of `source` that declare a field or relation of `model`, attributes included.
fn model_lines(source: &str, model: &str) -> Vec<String> {
    let start = format!("pub struct {model} {{");
    source
        .lines()
        .skip_while(|l| *l != start)
        .skip(1)
        .take_while(|l| *l != "}")
        .map(|l| l.trim().to_owned())
        .collect()
}

/// Asserts that `lines` (a model's, from [`model_lines`]) hold `line`.
fn has(lines: &[String], line: &str) {
    assert!(
        lines.iter().any(|l| l == line),
        "no line `{line}` in {lines:#?}"
    );
}

#[test]
fn a_foreign_key_gives_belongs_to_and_has_many() {
    let mut posts = table("posts", vec![key(), column("author_id", "bigint")]);
    posts.foreign_keys.push(fk("author_id", "users"));
    let source = source(vec![posts, users()]);
    assert_eq!(
        model_lines(&source, "Post"),
        [
            "#[field(id, auto)]",
            "pub id: i64,",
            "#[field(references = User)]",
            "pub author_id: i64,",
            "#[relation(belongs_to = User, foreign_key = \"author_id\")]",
            "pub author: BelongsTo<User>,",
        ]
    );
    assert_eq!(
        model_lines(&source, "User")[3..],
        [
            "#[relation(has_many = Post, foreign_key = \"author_id\")]",
            "pub posts: HasMany<Post>,",
        ]
    );
}

#[test]
fn two_keys_to_one_table_name_both_sides_after_the_key() {
    let mut posts = table(
        "posts",
        vec![
            key(),
            column("author_id", "bigint"),
            nullable("editor_id", "bigint"),
        ],
    );
    posts.foreign_keys.push(fk("author_id", "users"));
    posts.foreign_keys.push(fk("editor_id", "users"));
    let source = source(vec![posts, users()]);
    let post = model_lines(&source, "Post");
    has(&post, "pub author: BelongsTo<User>,");
    has(&post, "pub editor: BelongsTo<User>,");
    has(&post, "pub editor_id: Option<i64>,");
    let user = model_lines(&source, "User");
    has(
        &user,
        "#[relation(has_many = Post, foreign_key = \"author_id\")]",
    );
    has(&user, "pub posts_as_author: HasMany<Post>,");
    has(
        &user,
        "#[relation(has_many = Post, foreign_key = \"editor_id\")]",
    );
    has(&user, "pub posts_as_editor: HasMany<Post>,");
}

#[test]
fn a_self_reference_gives_both_sides_on_one_model() {
    let mut categories = table(
        "categories",
        vec![
            key(),
            column("name", "text"),
            nullable("parent_id", "bigint"),
        ],
    );
    categories.foreign_keys.push(fk("parent_id", "categories"));
    let source = source(vec![categories]);
    let category = model_lines(&source, "Category");
    has(&category, "pub parent: BelongsTo<Category>,");
    has(&category, "pub categories_as_parent: HasMany<Category>,");
}

#[test]
fn a_unique_foreign_key_gives_has_one() {
    let mut profiles = table("profiles", vec![key(), column("user_id", "bigint")]);
    profiles.foreign_keys.push(fk("user_id", "users"));
    profiles
        .indexes
        .push(unique("profiles_user_id_key", &["user_id"]));
    let source = source(vec![profiles, users()]);
    has(
        &model_lines(&source, "Profile"),
        "#[field(unique, references = User)]",
    );
    let user = model_lines(&source, "User");
    has(
        &user,
        "#[relation(has_one = Profile, foreign_key = \"user_id\")]",
    );
    has(&user, "pub profile: HasOne<Profile>,");
}

#[test]
fn a_join_table_with_a_unique_pair_gives_many_to_many_both_ways() {
    let mut memberships = table(
        "memberships",
        vec![
            key(),
            column("user_id", "bigint"),
            column("team_id", "bigint"),
            column("role", "text"),
        ],
    );
    memberships.foreign_keys.push(fk("user_id", "users"));
    memberships.foreign_keys.push(fk("team_id", "teams"));
    memberships
        .indexes
        .push(unique("memberships_pair", &["user_id", "team_id"]));
    let teams = table("teams", vec![key(), column("name", "text")]);
    let pulled = pull(
        Dialect::Postgres,
        &Catalog {
            tables: vec![memberships, teams, users()],
        },
    );
    let user = model_lines(&pulled.source, "User");
    has(&user, "pub memberships: HasMany<Membership>,");
    has(&user, "#[relation(many_to_many = Team, through = Membership, from = \"user_id\", to = \"team_id\")]");
    has(&user, "pub teams: ManyToMany<Team>,");
    let team = model_lines(&pulled.source, "Team");
    has(&team, "#[relation(many_to_many = User, through = Membership, from = \"team_id\", to = \"user_id\")]");
    has(&team, "pub users: ManyToMany<User>,");
    // The join model keeps its own columns and relations.
    let membership = model_lines(&pulled.source, "Membership");
    has(&membership, "pub role: String,");
    has(&membership, "pub team: BelongsTo<Team>,");
    // The pair's index is the model's.
    assert!(
        pulled
            .source
            .contains("#[model(table = \"memberships\", unique(user_id, team_id))]"),
        "{}",
        pulled.source
    );
    assert_eq!(pulled.reports, []);
}

#[test]
fn an_index_of_several_columns_is_the_models_unless_it_has_a_column_left_out() {
    let mut hosts = table(
        "hosts",
        vec![
            key(),
            column("Region", "text"),
            column("rack", "integer"),
            column("address", "inet"),
        ],
    );
    hosts.indexes.push(Index {
        unique: false,
        constraint: false,
        ..unique("hosts_place", &["rack", "Region"])
    });
    hosts
        .indexes
        .push(unique("hosts_address", &["Region", "address"]));
    let pulled = pull(
        Dialect::Postgres,
        &Catalog {
            tables: vec![hosts],
        },
    );
    // Fields by their Rust names, in the index's order.
    assert!(
        pulled
            .source
            .contains("#[model(table = \"hosts\", index(rack, region))]"),
        "{}",
        pulled.source
    );
    assert_eq!(
        pulled.reports[1..],
        [Report::CompositeIndex {
            table: "hosts".to_owned(),
            index: "hosts_address".to_owned(),
            columns: vec!["Region".to_owned(), "address".to_owned()],
        }]
    );
}

#[test]
fn two_foreign_keys_without_a_unique_pair_are_no_join() {
    let mut visits = table(
        "visits",
        vec![
            key(),
            column("user_id", "bigint"),
            column("team_id", "bigint"),
        ],
    );
    visits.foreign_keys.push(fk("user_id", "users"));
    visits.foreign_keys.push(fk("team_id", "teams"));
    let teams = table("teams", vec![key()]);
    let source = source(vec![teams, users(), visits]);
    assert!(!source.contains("many_to_many"));
    has(&model_lines(&source, "User"), "pub visits: HasMany<Visit>,");
}

#[test]
fn a_join_of_a_table_with_itself_names_the_sides_after_the_keys() {
    let mut follows = table(
        "follows",
        vec![
            key(),
            column("follower_id", "bigint"),
            column("followee_id", "bigint"),
        ],
    );
    follows.foreign_keys.push(fk("follower_id", "users"));
    follows.foreign_keys.push(fk("followee_id", "users"));
    follows
        .indexes
        .push(unique("follows_pair", &["follower_id", "followee_id"]));
    let source = source(vec![follows, users()]);
    let user = model_lines(&source, "User");
    has(&user, "#[relation(many_to_many = User, through = Follow, from = \"follower_id\", to = \"followee_id\")]");
    has(&user, "pub followees: ManyToMany<User>,");
    has(&user, "pub followers: ManyToMany<User>,");
}

#[test]
fn a_relation_never_takes_a_column_name() {
    // The key column is named like what it points at.
    let mut posts = table("posts", vec![key(), column("author", "bigint")]);
    posts.foreign_keys.push(fk("author", "users"));
    let source = source(vec![posts, users()]);
    let post = model_lines(&source, "Post");
    has(&post, "pub author: i64,");
    has(&post, "pub author_rel: BelongsTo<User>,");
}

#[test]
fn tables_without_a_key_or_with_one_of_five_columns_are_reported_and_left_out() {
    let log = Table {
        name: "log".to_owned(),
        columns: vec![column("line", "text")],
        ..Table::default()
    };
    let wide: Vec<String> = ["a", "b", "c", "d", "e"].map(str::to_owned).to_vec();
    let cells = Table {
        name: "cells".to_owned(),
        columns: wide.iter().map(|c| column(c, "bigint")).collect(),
        primary_key: wide.clone(),
        ..Table::default()
    };
    let pulled = pull(
        Dialect::Postgres,
        &Catalog {
            tables: vec![log, cells, users()],
        },
    );
    assert_eq!(pulled.models, 1);
    assert_eq!(
        pulled.reports,
        [
            Report::NoPrimaryKey {
                table: "log".to_owned()
            },
            Report::CompositeKey {
                table: "cells".to_owned(),
                columns: wide,
            },
        ]
    );
    assert_eq!(
        pulled.reports[0].to_string(),
        "table `log` has no primary key: left out (a model needs one)"
    );
}

#[test]
fn a_table_keyed_by_its_two_foreign_keys_is_a_join_model_with_a_composite_key() {
    let tags = table("tags", vec![key(), column("name", "text")]);
    let posts = table("posts", vec![key(), column("title", "text")]);
    // The key's columns in another order than the table's: the key's order is kept.
    let mut post_tags = Table {
        name: "post_tags".to_owned(),
        columns: vec![
            column("post_id", "bigint"),
            column("tag_id", "bigint"),
            column("weight", "integer"),
        ],
        primary_key: vec!["tag_id".to_owned(), "post_id".to_owned()],
        ..Table::default()
    };
    post_tags.foreign_keys.push(fk("post_id", "posts"));
    post_tags.foreign_keys.push(fk("tag_id", "tags"));
    let pulled = pull(
        Dialect::Postgres,
        &Catalog {
            tables: vec![post_tags, posts, tags],
        },
    );
    assert_eq!(pulled.models, 3);
    assert_eq!(pulled.reports, []);
    let join = model_lines(&pulled.source, "PostTag");
    assert_eq!(
        join[..4],
        [
            "#[field(id, references = Tag)]",
            "pub tag_id: i64,",
            "#[field(id, references = Post)]",
            "pub post_id: i64,",
        ]
    );
    has(&join, "pub weight: i32,");
    has(&join, "pub post: BelongsTo<Post>,");
    let post = model_lines(&pulled.source, "Post");
    has(
        &post,
        "#[relation(many_to_many = Tag, through = PostTag, from = \"post_id\", to = \"tag_id\")]",
    );
    has(&post, "pub tags: ManyToMany<Tag>,");
    has(&post, "pub post_tags: HasMany<PostTag>,");
    let tag = model_lines(&pulled.source, "Tag");
    has(&tag, "pub posts: ManyToMany<Post>,");
}

#[test]
fn a_column_of_a_type_trellis_cannot_hold_is_reported_and_left_out() {
    let hosts = table(
        "hosts",
        vec![key(), column("address", "inet"), nullable("tags", "text[]")],
    );
    let pulled = pull(
        Dialect::Postgres,
        &Catalog {
            tables: vec![hosts],
        },
    );
    assert_eq!(
        model_lines(&pulled.source, "Host"),
        ["#[field(id, auto)]", "pub id: i64,"]
    );
    assert_eq!(
        pulled.reports[0].to_string(),
        "column `hosts.address` is of type `inet`, which Trellis cannot hold: left out \
         (it is NOT NULL without a default: inserts through the model will fail)"
    );
    assert_eq!(
        pulled.reports[1].to_string(),
        "column `hosts.tags` is of type `text[]`, which Trellis cannot hold: left out"
    );
}

#[test]
fn columns_keep_their_defaults_indexes_and_names() {
    let mut items = table(
        "OrderItems",
        vec![
            key(),
            Column {
                default: Some("'new'::text".to_owned()),
                ..column("status", "text")
            },
            column("type", "integer"),
            column("unitPrice", "numeric(10,2)"),
        ],
    );
    items.indexes.push(Index {
        unique: false,
        ..unique("items_status", &["status"])
    });
    let source = source(vec![items]);
    assert_eq!(
        model_lines(&source, "OrderItem")[2..],
        [
            "#[field(index, default = \"'new'::text\")]",
            "pub status: String,",
            "pub r#type: i32,",
            "#[field(column = \"unitPrice\")]",
            "pub unit_price: rust_decimal::Decimal,",
        ]
    );
    assert!(source.contains("#[model(table = \"OrderItems\")]"));
    assert!(source.contains("features of `trellis`: `rust_decimal`"));
}

#[test]
fn the_same_catalog_writes_the_same_file() {
    let tables = || {
        let mut posts = table("posts", vec![key(), column("author_id", "bigint")]);
        posts.foreign_keys.push(fk("author_id", "users"));
        vec![posts, users()]
    };
    let first = source(tables());
    assert_eq!(first, source(tables()));
    assert!(first.ends_with(
        "pub fn schema() -> trellis::Schema {\n    trellis::Schema::new()\n        .model::<Post>()\n        .model::<User>()\n}\n"
    ));
}

#[test]
fn a_model_never_hides_a_type_the_file_uses() {
    let options = table("options", vec![key(), nullable("value", "text")]);
    let source = source(vec![options]);
    assert!(source.contains("pub struct OptionRow {"));
    assert!(source.contains("pub value: Option<String>,"));
}

#[test]
fn referential_actions_other_than_the_default_are_kept() {
    let mut sessions = table("sessions", vec![key(), nullable("user_id", "bigint")]);
    sessions.foreign_keys.push(ForeignKey {
        on_delete: Some("cascade".to_owned()),
        on_update: Some("set null".to_owned()),
        ..fk("user_id", "users")
    });
    let source = source(vec![sessions, users()]);
    has(
        &model_lines(&source, "Session"),
        "#[field(references = User, on_delete = \"cascade\", on_update = \"set null\")]",
    );
}
