import { WRITE_BACK_DB_USER, jdbcSinkConfig, providerMaps } from "../connectors";
import { outOfStockTable } from "../config/tables";
import { CONNECT_SECRETS } from "../constructs/secret-files";

const sink = {
  flavour: "mariadb" as const,
  dc: "dc02",
  databaseHost: "127.0.0.1",
  databasePort: 13306,
  database: "orders",
  passwordFile: CONNECT_SECRETS.files.sinkDb.path,
};

describe("JDBC sink config (the way back)", () => {
  const c = jdbcSinkConfig(sink);

  test("GIVEN dc02 WHEN built THEN it reads only dc02's events topic and writes the table of the same name", () => {
    expect(c.topics).toBe("dc02_out_of_stock_events");
    expect(c.topics).toBe(outOfStockTable("dc02"));
    expect(c["collection.name.format"]).toBe("${topic}");
    expect(c.topics).not.toMatch(/[*+?[\]()|\\]/); // a name, never a pattern
  });

  test("GIVEN the events' record key WHEN built THEN upsert on product_id from the key, no deletes, no DDL", () => {
    expect(c["insert.mode"]).toBe("upsert");
    expect(c["primary.key.mode"]).toBe("record_key");
    expect(c["primary.key.fields"]).toBe("product_id");
    expect(c["schema.evolution"]).toBe("none");
    expect(c["delete.enabled"]).toBe("false");
    expect(c["truncate.enabled"]).toBe("false");
  });

  test("GIVEN the password file WHEN built THEN the password is the FileConfigProvider reference into the Connect secrets volume", () => {
    expect(c["connection.password"]).toBe("${file:/run/secrets/connect/sink-db.properties:password}");
    expect(CONNECT_SECRETS.files.sinkDb.keys).toEqual(["password"]);
    expect(c["connection.username"]).toBe(WRITE_BACK_DB_USER);
    expect(jdbcSinkConfig({ ...sink, user: "writer" })["connection.username"]).toBe("writer");
  });

  test("GIVEN a relative password file WHEN built THEN refused (it is resolved inside the Connect container)", () => {
    expect(() => jdbcSinkConfig({ ...sink, passwordFile: "sink-db.properties" })).toThrow('fileSecret: path "sink-db.properties" must be absolute');
  });

  test("GIVEN each flavour WHEN built THEN the URL uses that server's own driver on loopback", () => {
    expect(c["connection.url"]).toBe("jdbc:mariadb://127.0.0.1:13306/orders");
    expect(jdbcSinkConfig({ ...sink, flavour: "mysql" })["connection.url"]).toBe("jdbc:mysql://127.0.0.1:13306/orders");
  });

  test("GIVEN the stock processor's Connect JSON with schemas WHEN built THEN both converters expect schemas", () => {
    expect(c["key.converter"]).toBe("org.apache.kafka.connect.json.JsonConverter");
    expect(c["key.converter.schemas.enable"]).toBe("true");
    expect(c["value.converter.schemas.enable"]).toBe("true");
    expect(c["use.time.zone"]).toBe("UTC");
  });

  test("GIVEN a bad dc, database or pool size WHEN built THEN refused naming the value and rule", () => {
    expect(() => jdbcSinkConfig({ ...sink, dc: "dc2" })).toThrow('jdbcSinkConfig: dc "dc2" must be "dc" followed by two digits');
    expect(() => jdbcSinkConfig({ ...sink, database: "orders;drop" })).toThrow('jdbcSinkConfig: database "orders;drop" must be a SQL identifier');
    expect(() => jdbcSinkConfig({ ...sink, poolMaxSize: 0 })).toThrow("jdbcSinkConfig: poolMaxSize 0 must be an integer 1–16");
    expect(jdbcSinkConfig({ ...sink, poolMaxSize: 4 })["connection.pool.max_size"]).toBe("4");
  });

  test("GIVEN the config WHEN handed to the provider THEN every value is a string and nothing is sensitive", () => {
    const maps = providerMaps("jdbc sink", { config: c, sensitive: {} });
    expect(Object.values(maps.config).every((v) => typeof v === "string")).toBe(true);
    expect(maps.sensitive).toEqual({});
  });
});
