-- bridge-to-azure: schema of the on-prem "orders" database.
-- Portable SQL: runs on MariaDB 10.11 and MySQL 8.0 (no vendor-specific syntax; users and grants
-- are created by the image entrypoint, not here). Executed once, on the first start of an empty datadir.
CREATE DATABASE IF NOT EXISTS orders CHARACTER SET utf8mb4;
USE orders;

CREATE TABLE customers (
  id          INT           NOT NULL AUTO_INCREMENT,
  first_name  VARCHAR(50)   NOT NULL,
  last_name   VARCHAR(50)   NOT NULL,
  email       VARCHAR(120)  NOT NULL,
  city        VARCHAR(60)   NOT NULL,
  created_at  DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at  DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uk_customers_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE suppliers (
  id             INT           NOT NULL AUTO_INCREMENT,
  name           VARCHAR(100)  NOT NULL,
  contact_email  VARCHAR(120)  NOT NULL,
  country        CHAR(2)       NOT NULL,
  created_at     DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at     DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uk_suppliers_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE products (
  id           INT            NOT NULL AUTO_INCREMENT,
  sku          VARCHAR(20)    NOT NULL,
  name         VARCHAR(100)   NOT NULL,
  category     VARCHAR(40)    NOT NULL,
  supplier_id  INT            NOT NULL,
  unit_price   DECIMAL(10,2)  NOT NULL,
  unit_cost    DECIMAL(10,2)  NOT NULL,
  created_at   DATETIME(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at   DATETIME(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uk_products_sku (sku),
  KEY idx_products_supplier (supplier_id),
  CONSTRAINT fk_products_supplier FOREIGN KEY (supplier_id) REFERENCES suppliers (id),
  CONSTRAINT ck_products_price CHECK (unit_price >= 0 AND unit_cost >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE sales_orders (
  id           INT          NOT NULL AUTO_INCREMENT,
  order_date   DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  customer_id  INT          NOT NULL,
  PRIMARY KEY (id),
  KEY idx_sales_orders_customer (customer_id),
  KEY idx_sales_orders_date (order_date),
  CONSTRAINT fk_sales_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE sales_order_details (
  id              INT            NOT NULL AUTO_INCREMENT,
  sales_order_id  INT            NOT NULL,
  product_id      INT            NOT NULL,
  quantity        INT            NOT NULL,
  price           DECIMAL(10,2)  NOT NULL,
  PRIMARY KEY (id),
  KEY idx_sod_order (sales_order_id),
  KEY idx_sod_product (product_id),
  CONSTRAINT fk_sod_order FOREIGN KEY (sales_order_id) REFERENCES sales_orders (id) ON DELETE CASCADE,
  CONSTRAINT fk_sod_product FOREIGN KEY (product_id) REFERENCES products (id),
  CONSTRAINT ck_sod_quantity CHECK (quantity > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE purchase_orders (
  id           INT          NOT NULL AUTO_INCREMENT,
  order_date   DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  supplier_id  INT          NOT NULL,
  PRIMARY KEY (id),
  KEY idx_purchase_orders_supplier (supplier_id),
  CONSTRAINT fk_purchase_orders_supplier FOREIGN KEY (supplier_id) REFERENCES suppliers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE purchase_order_details (
  id                 INT            NOT NULL AUTO_INCREMENT,
  purchase_order_id  INT            NOT NULL,
  product_id         INT            NOT NULL,
  quantity           INT            NOT NULL,
  cost               DECIMAL(10,2)  NOT NULL,
  PRIMARY KEY (id),
  KEY idx_pod_order (purchase_order_id),
  KEY idx_pod_product (product_id),
  CONSTRAINT fk_pod_order FOREIGN KEY (purchase_order_id) REFERENCES purchase_orders (id) ON DELETE CASCADE,
  CONSTRAINT fk_pod_product FOREIGN KEY (product_id) REFERENCES products (id),
  CONSTRAINT ck_pod_quantity CHECK (quantity > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Written back by the stream processing side (stock of product at data centre dc01 fell to/below zero).
CREATE TABLE dc01_out_of_stock_events (
  id                BIGINT       NOT NULL AUTO_INCREMENT,
  product_id        INT          NOT NULL,
  event_time        DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  quantity_on_hand  INT          NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY idx_oos_product_time (product_id, event_time),
  CONSTRAINT fk_oos_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Latency probe (config/tables.ts LATENCY_PROBE_TABLE): one row, updated by Debezium at each heartbeat
-- (heartbeat.action.query) with NOW(6). The binlog stamps events in whole seconds; this column times
-- every hop of the bridge in µs. The CDC user may INSERT/UPDATE this table and nothing else.
CREATE TABLE bridge_latency_probe (
  id            TINYINT UNSIGNED NOT NULL,
  seq           BIGINT UNSIGNED  NOT NULL,
  committed_at  DATETIME(6)      NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
