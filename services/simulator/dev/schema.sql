-- Stand-in for the orders schema, for running the simulator by hand against a
-- throwaway host MariaDB when the bridge-to-azure/mariadb image is not available. The real schema is
-- images/mariadb/initdb/*.sql (same tables/columns the simulator uses; it also accepts price/cost).
DROP DATABASE IF EXISTS orders;
CREATE DATABASE orders CHARACTER SET utf8mb4;
USE orders;
CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL);
CREATE TABLE suppliers (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL);
CREATE TABLE products (
  id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL,
  supplier_id INT NOT NULL, unit_price DECIMAL(10,2) NOT NULL, unit_cost DECIMAL(10,2) NOT NULL,
  FOREIGN KEY (supplier_id) REFERENCES suppliers(id));
CREATE TABLE sales_orders (
  id INT AUTO_INCREMENT PRIMARY KEY, order_date DATETIME NOT NULL, customer_id INT NOT NULL,
  FOREIGN KEY (customer_id) REFERENCES customers(id));
CREATE TABLE sales_order_details (
  id INT AUTO_INCREMENT PRIMARY KEY, sales_order_id INT NOT NULL, product_id INT NOT NULL,
  quantity INT NOT NULL, price DECIMAL(10,2) NOT NULL,
  FOREIGN KEY (sales_order_id) REFERENCES sales_orders(id), FOREIGN KEY (product_id) REFERENCES products(id));
CREATE TABLE purchase_orders (
  id INT AUTO_INCREMENT PRIMARY KEY, order_date DATETIME NOT NULL, supplier_id INT NOT NULL,
  FOREIGN KEY (supplier_id) REFERENCES suppliers(id));
CREATE TABLE purchase_order_details (
  id INT AUTO_INCREMENT PRIMARY KEY, purchase_order_id INT NOT NULL, product_id INT NOT NULL,
  quantity INT NOT NULL, cost DECIMAL(10,2) NOT NULL,
  FOREIGN KEY (purchase_order_id) REFERENCES purchase_orders(id), FOREIGN KEY (product_id) REFERENCES products(id));
CREATE TABLE dc01_out_of_stock_events (
  id INT AUTO_INCREMENT PRIMARY KEY, product_id INT NOT NULL,
  event_time DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  quantity_on_hand INT NOT NULL DEFAULT 0,
  FOREIGN KEY (product_id) REFERENCES products(id));

INSERT INTO customers (name) SELECT CONCAT('Customer ', seq) FROM seq_1_to_30;
INSERT INTO suppliers (name) SELECT CONCAT('Supplier ', seq) FROM seq_1_to_30;
INSERT INTO products (name, supplier_id, unit_price, unit_cost)
  SELECT CONCAT('Product ', seq), 1 + (seq - 1) % 10, 10 + seq * 1.25, 6 + seq * 0.75 FROM seq_1_to_30;
INSERT INTO purchase_orders (order_date, supplier_id) VALUES (NOW(), 1);
INSERT INTO purchase_order_details (purchase_order_id, product_id, quantity, cost)
  SELECT 1, id, 100, unit_cost FROM products;

CREATE USER IF NOT EXISTS 'orders_app'@'127.0.0.1' IDENTIFIED BY 'sim-test-pw';
CREATE USER IF NOT EXISTS 'orders_app'@'localhost' IDENTIFIED BY 'sim-test-pw';
GRANT SELECT, INSERT, UPDATE, DELETE ON orders.* TO 'orders_app'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON orders.* TO 'orders_app'@'localhost';
