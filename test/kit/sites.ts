/**
 * Two on-prem sites on one Docker host (the second with ports of its own), and a third: the
 * configurations the sites tests synthesize and resolve.
 */
export const SITE_DC02 = { dc: "dc02", database: { port: 23306 }, kafka: { basePort: 39092 }, connect: { basePort: 38083 }, simulator: { metricsPort: 39400 } } as const;
export const SITE_DC03 = { dc: "dc03", database: { port: 33306 }, kafka: { basePort: 49092 }, connect: { basePort: 48083 }, simulator: { metricsPort: 49400 } } as const;
export const TWO_SITES = { sites: [{ dc: "dc01" }, SITE_DC02] };
export const THREE_SITES = { sites: [...TWO_SITES.sites, SITE_DC03] };
