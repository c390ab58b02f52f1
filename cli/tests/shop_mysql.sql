-- The shop of shop.sql as a person writes it for MySQL/MariaDB: AUTO_INCREMENT keys, bounded
-- text where it is indexed, a DATETIME, and an unsigned column Trellis cannot hold.
CREATE TABLE customers (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL,
    referred_by BIGINT NULL,
    FOREIGN KEY (referred_by) REFERENCES customers (id)
);
CREATE TABLE addresses (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    customer_id BIGINT NOT NULL UNIQUE,
    city VARCHAR(100) NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
);
CREATE TABLE products (
    id INT AUTO_INCREMENT PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    price DOUBLE NOT NULL DEFAULT 0,
    views INT UNSIGNED NOT NULL DEFAULT 0
);
CREATE TABLE orders (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    customer_id BIGINT NOT NULL,
    gift_for BIGINT NULL,
    placed_at DATETIME NOT NULL,
    INDEX orders_placed_at (placed_at),
    FOREIGN KEY (customer_id) REFERENCES customers (id),
    FOREIGN KEY (gift_for) REFERENCES customers (id)
);
CREATE TABLE order_lines (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    order_id BIGINT NOT NULL,
    product_id INT NOT NULL,
    quantity INT NOT NULL,
    UNIQUE (order_id, product_id),
    FOREIGN KEY (order_id) REFERENCES orders (id),
    FOREIGN KEY (product_id) REFERENCES products (id)
);
CREATE TABLE audit_log (
    at DATETIME NOT NULL,
    message TEXT NOT NULL
);
CREATE TABLE product_tags (
    product_id INT NOT NULL,
    tag VARCHAR(64) NOT NULL,
    PRIMARY KEY (product_id, tag),
    FOREIGN KEY (product_id) REFERENCES products (id)
);
CREATE TABLE favorites (
    customer_id BIGINT NOT NULL,
    product_id INT NOT NULL,
    PRIMARY KEY (customer_id, product_id),
    INDEX favorites_product (product_id),
    FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    FOREIGN KEY (product_id) REFERENCES products (id)
);
