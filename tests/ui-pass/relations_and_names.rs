// `references` with a required and an `Option` foreign key, `rename_all`, and reserved words as column names.
#![deny(warnings)]
use trellis::Model;

#[derive(Model, Debug, Clone)]
#[model(table = "teams")]
pub struct Team {
    #[field(id, auto)]
    pub id: i64,
    #[field(unique)]
    pub name: String,
}

#[derive(Model, Debug, Clone)]
#[model(table = "order", rename_all = "SCREAMING_SNAKE_CASE")]
pub struct Order {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = Team)]
    pub team_id: i64,
    #[field(references = Team)]
    pub backup_team_id: Option<i64>,
    #[field(column = "select")]
    pub selection: String,
    #[field(column = "from", index)]
    pub origin: Option<String>,
    pub r#type: String,
    pub r#where: i32,
}

#[derive(Model, Debug, Clone)]
#[model(rename_all = "kebab-case")]
pub struct LineItem {
    #[field(id, auto)]
    pub item_id: i64,
    #[field(references = Order)]
    pub order_id: i64,
    #[field(references = LineItem)]
    pub parent_item_id: Option<i64>,
}

fn main() {
    let columns: Vec<&str> = Order::META.columns.iter().map(|c| c.name).collect();
    assert_eq!(
        columns,
        [
            "ID",
            "TEAM_ID",
            "BACKUP_TEAM_ID",
            "select",
            "from",
            "TYPE",
            "WHERE"
        ]
    );
    assert!(Order::META.columns[2].references.is_some());
    assert_eq!(LineItem::META.columns[2].name, "parent-item-id");
    let _ = order::r#type.eq("gift");
    let _ = order::backup_team_id.eq(Some(1_i64));
}
