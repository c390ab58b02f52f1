// Every path form that works in one attribute works in all: relation targets, join models,
// references and field types may be written `super::..` or `self::..`, although the handle
// module that also names them is one level deeper.
#![deny(warnings)]

pub mod shop {
    use trellis::prelude::*;

    pub type Label = String;

    #[derive(Model, Debug, Clone)]
    pub struct Shop {
        #[field(id)]
        pub id: i64,
        pub name: self::Label,
        #[relation(has_many = super::stock::Item, foreign_key = "shop_id")]
        pub items: HasMany<super::stock::Item>,
        #[relation(many_to_many = super::stock::Tag, through = super::stock::ShopTag, from = "shop_id", to = "tag_id")]
        pub tags: ManyToMany<super::stock::Tag>,
    }
}

pub mod stock {
    use trellis::prelude::*;

    #[derive(Model, Debug, Clone)]
    pub struct Item {
        #[field(id)]
        pub id: i64,
        #[field(references = super::shop::Shop)]
        pub shop_id: i64,
        pub label: super::shop::Label,
        #[relation(belongs_to = super::shop::Shop, foreign_key = "shop_id")]
        pub shop: BelongsTo<super::shop::Shop>,
    }

    #[derive(Model, Debug, Clone)]
    pub struct Tag {
        #[field(id)]
        pub id: i64,
    }

    #[derive(Model, Debug, Clone)]
    pub struct ShopTag {
        #[field(id)]
        pub id: i64,
        #[field(references = super::shop::Shop)]
        pub shop_id: i64,
        #[field(references = self::Tag)]
        pub tag_id: i64,
    }
}

use trellis::prelude::*;

fn main() {
    let _ = shop::Shop::find_many()
        .filter(shop::shop::name.contains("corner"))
        .include(shop::shop::items)
        .include(shop::shop::tags);
    let _ = stock::Item::find_many().filter(stock::item::label.starts_with("a"));
}
