import { resolveConfig } from "../config";
import { problemsOf } from "./kit/config-problems";

const RULE = "the stock processor computes stock on hand from both order-line topics (purchases received − sales)";

describe("writeBack configuration", () => {
  test("GIVEN no writeBack WHEN resolved THEN it is off, 768 MiB, and only the sales lines are replicated", () => {
    const c = resolveConfig({});
    expect(c.writeBack).toEqual({ enabled: false, processorMemoryMb: 768 });
    expect(c.replication.topics).toEqual(["dc01_sales_order_details"]);
  });

  test("GIVEN writeBack.enabled WHEN resolved THEN both order-line topics of the site are the replication default", () => {
    const c = resolveConfig({ onPrem: { dc: "dc07" }, writeBack: { enabled: true } });
    expect(c.replication.topics).toEqual(["dc07_sales_order_details", "dc07_purchase_order_details"]);
    expect(c.derived.replicatedTopics).toEqual(["dc07_sales_order_details", "dc07_purchase_order_details", "dc07_bridge_latency_probe"]);
  });

  test("GIVEN BRIDGE_WRITE_BACK_ENABLED's field WHEN given as a string THEN the schema's boolean rule names it", () => {
    expect(problemsOf({ writeBack: { enabled: "yes" as unknown as boolean } })).toEqual([expect.stringMatching(/^writeBack\.enabled — /)]);
  });

  test("GIVEN writeBack with a topic list without the purchase lines WHEN resolved THEN the error names the field, the missing topic and the rule", () => {
    expect(problemsOf({ writeBack: { enabled: true }, replication: { topics: ["dc01_sales_order_details"] } })).toEqual([
      `replication.topics — must include "dc01_purchase_order_details" with writeBack.enabled: ${RULE} (leave replication.topics unset for that default)`,
    ]);
  });

  test("GIVEN writeBack with neither order line listed WHEN resolved THEN both are named", () => {
    expect(problemsOf({ writeBack: { enabled: true }, replication: { topics: ["dc01_sales_orders"] } })).toEqual([
      `replication.topics — must include "dc01_sales_order_details" and "dc01_purchase_order_details" with writeBack.enabled: ${RULE} (leave replication.topics unset for that default)`,
    ]);
  });

  test("GIVEN writeBack with the purchase lines not captured WHEN resolved THEN one error on onPrem.tables, not a second on the defaulted topic", () => {
    const tables = ["customers", "products", "sales_orders", "sales_order_details"];
    expect(problemsOf({ writeBack: { enabled: true }, onPrem: { tables } })).toEqual([`onPrem.tables — must capture "purchase_order_details" with writeBack.enabled: ${RULE}`]);
  });

  test("GIVEN the same topic list without writeBack WHEN resolved THEN it is valid (the rule is the way back's only)", () => {
    expect(problemsOf({ replication: { topics: ["dc01_sales_order_details"] } })).toEqual([]);
  });

  test("GIVEN a processor memory below the floor WHEN resolved THEN the field's range is named", () => {
    expect(problemsOf({ writeBack: { enabled: true, processorMemoryMb: 100 } })).toEqual([expect.stringMatching(/^writeBack\.processorMemoryMb — .*512/)]);
  });
});
