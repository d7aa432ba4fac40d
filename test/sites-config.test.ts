import { resolveConfig } from "../config";
import { problemsOf } from "./kit/config-problems";
import { TWO_SITES } from "./kit/sites";

describe("sites: several on-prem sites into one cloud", () => {
  test("GIVEN no sites WHEN resolved THEN the one site is onPrem, as before", () => {
    const c = resolveConfig({ onPrem: { dc: "dc07" } });
    expect(c.derived.sites.map((s) => [s.field, s.onPrem.dc])).toEqual([["onPrem", "dc07"]]);
    expect(c.derived.replicatedTopics).toEqual(c.derived.sites[0].derived.replicatedTopics);
  });

  test("GIVEN two sites WHEN resolved THEN each inherits onPrem, keeps its overrides, and the bridge replicates both sites' topics", () => {
    const c = resolveConfig({ onPrem: { simulator: { intervalMs: 700 } }, ...TWO_SITES });
    const [a, b] = c.derived.sites;
    expect([a.onPrem.dc, b.onPrem.dc]).toEqual(["dc01", "dc02"]);
    expect(b.onPrem.simulator.intervalMs).toBe(700);
    expect(b.onPrem.database.port).toBe(23306);
    expect(b.derived.brokers.map((x) => x.port)).toEqual([39092]);
    // The first site is what every single-site consumer reads.
    expect(c.onPrem.dc).toBe("dc01");
    expect(b.derived.replicatedTopics).toEqual(["dc02_sales_order_details", "dc02_bridge_latency_probe"]);
    expect(c.derived.replicatedTopics).toEqual([...a.derived.replicatedTopics, ...b.derived.replicatedTopics]);
  });

  test("GIVEN two sites with one dc id WHEN resolved THEN the second's dc is named, with a free id to use", () => {
    const problems = problemsOf({ sites: [TWO_SITES.sites[0], { ...TWO_SITES.sites[1], dc: "dc01" }] });
    expect(problems).toContain(
      'sites[1].dc — is the data-centre id of sites[0] too: each site needs its own, it prefixes the site\'s topics in the one cloud cluster (did you mean "dc02"?)',
    );
  });

  test("GIVEN two sites on one Docker host with the same database port WHEN resolved THEN the collision names both fields and the host", () => {
    const problems = problemsOf({ sites: [TWO_SITES.sites[0], { ...TWO_SITES.sites[1], database: { port: 13306 } }] });
    expect(problems).toEqual([
      "sites[1].database.port — host port collides with sites[0].database.port on the same Docker host (unix:///var/run/docker.sock): every service of every site on one host needs its own loopback port (give the site other ports, or its own dockerHost)",
    ]);
  });

  test("GIVEN a site on another Docker host with the first site's ports WHEN resolved THEN no problem: each host binds its own loopback", () => {
    expect(problemsOf({ sites: [{ dc: "dc01" }, { dc: "dc02", dockerHost: "ssh://ops@dc02.example" }] })).toEqual([]);
  });

  test("GIVEN a site colliding with the local cloud stand-in on the first host WHEN resolved THEN that is reported too", () => {
    const problems = problemsOf({ sites: [{ dc: "dc01" }, { ...TWO_SITES.sites[1], kafka: { basePort: 29092 } }] });
    expect(problems[0]).toMatch(/^sites\[1\]\.kafka\.basePort — host port collides with local\.kafkaPort on the same Docker host/);
  });

  test("GIVEN an empty list, an entry without dc, a bad dc and a misspelt key WHEN resolved THEN each is named by its path", () => {
    expect(problemsOf({ sites: [] })).toEqual(["sites — must list at least one site (or leave sites unset: the one site is then onPrem)"]);
    const problems = problemsOf({ sites: [{ dc: "dc01" }, { ...TWO_SITES.sites[1], dc: "dc2", databse: {} } as never, { kafka: { basePort: 49092 } } as never] });
    expect(problems).toContain('sites[1].dc — must be "dc" followed by two digits, e.g. "dc01"');
    expect(problems).toContain('sites[1].databse — is not a configuration field (check the spelling; see README › Configuration) (did you mean "database"?)');
    expect(problems).toContain('sites[2].dc — is required: every site names its own data-centre id, e.g. "dc02"');
  });

  test("GIVEN a second site that does not capture a replicated table WHEN resolved THEN the missing topic is named with the site", () => {
    const problems = problemsOf({ sites: [{ dc: "dc01" }, { ...TWO_SITES.sites[1], tables: ["sales_orders"] }] });
    expect(problems).toEqual([
      'replication.topics — is the default, but no captured table produces "dc02_sales_order_details": add "sales_order_details" to onPrem.tables, or list topics of captured tables (dc02_sales_orders, dc02_bridge_latency_probe) (at site sites[1], whose copy of replication.topics is under its own prefix "dc02_")',
    ]);
  });
});
