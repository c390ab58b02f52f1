-- A shop's schema as a person writes it for SQLite, not for Trellis: `trellis pull` reads it
-- (cli/tests/pull.rs), and cli/tests/pulled/shop.rs is what it writes.
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    referred_by INTEGER REFERENCES customers (id)
);
CREATE TABLE addresses (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL UNIQUE REFERENCES customers (id) ON DELETE CASCADE,
    city TEXT NOT NULL
);
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    price REAL NOT NULL DEFAULT 0
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    gift_for INTEGER REFERENCES customers (id),
    placed_at TEXT NOT NULL
);
CREATE INDEX orders_placed_at ON orders (placed_at);
CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL,
    UNIQUE (order_id, product_id)
);
CREATE TABLE audit_log (
    at TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE TABLE product_tags (
    product_id INTEGER NOT NULL REFERENCES products (id),
    tag TEXT NOT NULL,
    PRIMARY KEY (product_id, tag)
);
CREATE TABLE favorites (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products (id),
    PRIMARY KEY (customer_id, product_id)
);
CREATE INDEX favorites_product ON favorites (product_id);
