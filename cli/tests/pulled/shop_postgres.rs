//! The models of a PostgreSQL database, written by `trellis pull`.
//!
//! A pull writes this file again: keep your own code (impl blocks, functions) in other
//! files of the crate.
//!
//! The column types need these features of `trellis`: `chrono`.

use trellis::prelude::*;

/// A row of `addresses`.
#[derive(Model, Debug, Clone)]
#[model(table = "addresses")]
pub struct Address {
    #[field(id, auto)]
    pub id: i64,
    #[field(unique, references = Customer, on_delete = "cascade")]
    pub customer_id: i64,
    pub city: String,
    #[relation(belongs_to = Customer, foreign_key = "customer_id")]
    pub customer: BelongsTo<Customer>,
}

/// A row of `customers`.
#[derive(Model, Debug, Clone)]
#[model(table = "customers")]
pub struct Customer {
    #[field(id, auto)]
    pub id: i64,
    #[field(unique)]
    pub email: String,
    pub name: String,
    #[field(references = Customer)]
    pub referred_by: Option<i64>,
    #[relation(belongs_to = Customer, foreign_key = "referred_by")]
    pub referred_by_rel: BelongsTo<Customer>,
    #[relation(has_one = Address, foreign_key = "customer_id")]
    pub address: HasOne<Address>,
    #[relation(has_many = Customer, foreign_key = "referred_by")]
    pub customers_as_referred_by: HasMany<Customer>,
    #[relation(has_many = Favorite, foreign_key = "customer_id")]
    pub favorites: HasMany<Favorite>,
    #[relation(has_many = Order, foreign_key = "customer_id")]
    pub orders_as_customer: HasMany<Order>,
    #[relation(has_many = Order, foreign_key = "gift_for")]
    pub orders_as_gift_for: HasMany<Order>,
    #[relation(many_to_many = Product, through = Favorite, from = "customer_id", to = "product_id")]
    pub products: ManyToMany<Product>,
}

/// A row of `favorites`.
#[derive(Model, Debug, Clone)]
#[model(table = "favorites")]
pub struct Favorite {
    #[field(id, references = Customer, on_delete = "cascade")]
    pub customer_id: i64,
    #[field(id, index, references = Product)]
    pub product_id: i32,
    #[relation(belongs_to = Customer, foreign_key = "customer_id")]
    pub customer: BelongsTo<Customer>,
    #[relation(belongs_to = Product, foreign_key = "product_id")]
    pub product: BelongsTo<Product>,
}

/// A row of `order_lines`.
#[derive(Model, Debug, Clone)]
#[model(table = "order_lines", unique(order_id, product_id))]
pub struct OrderLine {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = Order)]
    pub order_id: i64,
    #[field(references = Product)]
    pub product_id: i32,
    pub quantity: i32,
    #[relation(belongs_to = Order, foreign_key = "order_id")]
    pub order: BelongsTo<Order>,
    #[relation(belongs_to = Product, foreign_key = "product_id")]
    pub product: BelongsTo<Product>,
}

/// A row of `orders`.
#[derive(Model, Debug, Clone)]
#[model(table = "orders")]
pub struct Order {
    #[field(id, auto)]
    pub id: i64,
    #[field(references = Customer)]
    pub customer_id: i64,
    #[field(references = Customer)]
    pub gift_for: Option<i64>,
    #[field(index, default = "now()")]
    pub placed_at: chrono::DateTime<chrono::Utc>,
    #[relation(belongs_to = Customer, foreign_key = "customer_id")]
    pub customer: BelongsTo<Customer>,
    #[relation(belongs_to = Customer, foreign_key = "gift_for")]
    pub gift_for_rel: BelongsTo<Customer>,
    #[relation(has_many = OrderLine, foreign_key = "order_id")]
    pub order_lines: HasMany<OrderLine>,
    #[relation(many_to_many = Product, through = OrderLine, from = "order_id", to = "product_id")]
    pub products: ManyToMany<Product>,
}

/// A row of `product_tags`.
#[derive(Model, Debug, Clone)]
#[model(table = "product_tags")]
pub struct ProductTag {
    #[field(id, references = Product)]
    pub product_id: i32,
    #[field(id)]
    pub tag: String,
    #[relation(belongs_to = Product, foreign_key = "product_id")]
    pub product: BelongsTo<Product>,
}

/// A row of `products`.
#[derive(Model, Debug, Clone)]
#[model(table = "products")]
pub struct Product {
    #[field(id, auto)]
    pub id: i32,
    pub title: String,
    #[field(default = "0")]
    pub price: f64,
    #[relation(has_many = Favorite, foreign_key = "product_id")]
    pub favorites: HasMany<Favorite>,
    #[relation(has_many = OrderLine, foreign_key = "product_id")]
    pub order_lines: HasMany<OrderLine>,
    #[relation(has_many = ProductTag, foreign_key = "product_id")]
    pub product_tags: HasMany<ProductTag>,
    #[relation(many_to_many = Customer, through = Favorite, from = "product_id", to = "customer_id")]
    pub customers: ManyToMany<Customer>,
    #[relation(many_to_many = Order, through = OrderLine, from = "product_id", to = "order_id")]
    pub orders: ManyToMany<Order>,
}

/// Every model of the file, for `create_schema`, the migrations and the generators.
pub fn schema() -> trellis::Schema {
    trellis::Schema::new()
        .model::<Address>()
        .model::<Customer>()
        .model::<Favorite>()
        .model::<OrderLine>()
        .model::<Order>()
        .model::<ProductTag>()
        .model::<Product>()
}
