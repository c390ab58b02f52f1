// A column's text-ness comes from its type, not from how it is written: a type alias of
// `String` takes the text filters (`contains`, ..) in code and in the where struct.
#![deny(warnings)]
use trellis::input::TextFilter;
use trellis::prelude::*;

pub type Name = String;
pub type MaybeName = Option<Name>;

#[derive(Model, Debug, Clone)]
pub struct Person {
    #[field(id)]
    pub id: i64,
    pub name: Name,
    pub nick: MaybeName,
}

fn main() {
    let _ = Person::find_many()
        .filter(person::name.contains("a"))
        .filter(person::nick.starts_with_ignore_case("b"));
    let typed = person::Where {
        name: Some(TextFilter {
            contains: Some("a".to_owned()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let read: person::Where =
        serde_json::from_str(r#"{"nick": {"ends_with": "z", "mode": "insensitive"}}"#)
            .expect("a text filter on an alias of `Option<String>`");
    let _ = Person::find_many().filter(typed).filter(read);
}
