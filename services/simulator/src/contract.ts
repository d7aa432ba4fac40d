/**
 * Values of the simulator's environment contract that its deployers need too (the stack's
 * OrderSimulator construct, the scripts' and benchmarks' database clients). No imports, so
 * synthesis loads this module alone, not the service (constructs/docker/service-env.ts).
 */

/** Application user of the orders schema, created by the database image (images/mariadb: MARIADB_APP_USER): DB_USER's default. */
export const APP_DB_USER = "orders_app";
