// Relation keys may name fields with raw identifiers (`from = "r#ref"`).
#![deny(warnings)]
use trellis::prelude::*;

#[derive(Model, Debug, Clone)]
pub struct Post {
    #[field(id)]
    pub id: i64,
    #[relation(many_to_many = Tag, through = Tagging, from = "r#ref", to = "r#type")]
    pub tags: ManyToMany<Tag>,
    #[relation(has_many = Tagging, foreign_key = "r#ref")]
    pub taggings: HasMany<Tagging>,
}

#[derive(Model, Debug, Clone)]
pub struct Tag {
    #[field(id)]
    pub id: i64,
}

#[derive(Model, Debug, Clone)]
pub struct Tagging {
    #[field(id)]
    pub id: i64,
    #[field(references = Post)]
    pub r#ref: i64,
    #[field(references = Tag)]
    pub r#type: i64,
}

fn main() {
    assert_eq!(Post::META.relations[0].name, "tags");
}
