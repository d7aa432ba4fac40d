/**
 * Every configuration field, once: path (the keys), type and rule (the
 * builder), default, named environment variable and a one-line doc. The
 * defaults, the merge shape, the named variables, the per-field validation,
 * the README's configuration table and the BridgeConfig type are derived
 * from it (schema-derive.ts, readme-table.ts, types.ts). Rules between
 * fields are code in validate.ts; defaults computed from other fields
 * (`defaultDoc`) are filled in by resolve.ts.
 *
 * Adding a field: one entry here, then its use (and `npm run -s build &&
 * node dist/config/readme-table.js --write` for the README).
 */
import { ANY_TEXT, bool, code, ConfigOf, Group, int, list, map, objects, oneOf, pattern, port, text } from "./field";
import type { DeepPartial } from "./types";
import { PROVIDERS } from "./providers";
import { DEFAULT_CDC_TABLES } from "./tables";
import { ENTRA_ID } from "../verify/entra-id";
import { DATABASE_FLAVOURS, NETWORK_MODES, REPLICATION_ENGINES, TARGETS } from "./types";

/** An Azure resource id of a provider's type (and child type), e.g. a subnet's. */
function armIdPattern(namespace: string, type: string, child?: string): RegExp {
  const seg = "[^/]+";
  const tail = child ? `/${child}/${seg}` : "";
  return new RegExp(`^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/${seg}/providers/${namespace.replace(".", "\\.")}/${type}/${seg}${tail}$`, "i");
}
const PRIVATE_CIDR = /^(10\.\d{1,3}|172\.(1[6-9]|2\d|3[01])|192\.168)\.\d{1,3}\.\d{1,3}\/(8|9|[12]\d)$/;
/** Each entry is checked by validate.ts (checkAllowedIp): public, /8–/30. */
const PUBLIC_CIDRS = code("public IPv4 addresses or CIDR ranges /8–/30");
const STORAGE_ACCOUNT_NAME = pattern(/^[a-z0-9]{3,24}$/, "must be 3–24 characters, lowercase letters and digits only");
/** ADLS Gen2 filesystems and blob containers share their naming rule. */
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
const SQL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;
const IMAGE = pattern(
  /^[a-z0-9][a-z0-9._\/-]*(:[A-Za-z0-9._-]{1,128})?(@sha256:[a-f0-9]{64})?$/,
  "must be a Docker image reference such as bridge-to-azure/kafka:4.3.0",
);
// Someone may paste the secret itself where its variable's name belongs: never echo it.
const TF_VARIABLE = pattern(/^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/, "must be the NAME of a sensitive Terraform variable (letters, digits, _ or -), never the secret itself", {
  summary: "name of a sensitive Terraform variable (never the secret)",
  hideValue: true,
});
const entraId = (what: string) => pattern(ENTRA_ID, `must be ${what} (UUID)`);
/** Where the operator puts the console's lake reader's client secret when loading the secrets (scripts/lib/secrets.ts): no field holds it. */
export const LAKE_CLIENT_SECRET_ENV = "BRIDGE_CONSOLE_LAKE_CLIENT_SECRET";
const PROVIDER_VERSION = pattern(/^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$|^[~>=<!, 0-9.]+$/, "must be a Terraform version or constraint such as 3.6.2");
/** Blob container of an azurerm backend's state when none is named (resolveConfig fills it in). */
export const DEFAULT_STATE_CONTAINER = "tfstate";
const ONLY_CONFLUENT_CLOUD = { field: "target", is: "confluent-cloud" } as const;
const ONLY_AZURERM = { field: "backend.type", is: "azurerm" } as const;
const WITHOUT_NAME = { field: "azure.storageAccount.name", is: undefined } as const;

/**
 * The fields of one on-prem site (a data centre on a Docker host): `onPrem` holds them, and each entry of
 * `sites` overrides them for one site (resolve.ts merges the entry over `onPrem`).
 */
const ON_PREM = {
  dockerHost: text(pattern(/^(unix|tcp|ssh|npipe):\/\/\S+$/, "must be a Docker host URL: unix:///path, tcp://host:port or ssh://user@host"), {
    default: "unix:///var/run/docker.sock",
    env: "BRIDGE_DOCKER_HOST",
    doc: "Docker engine of the on-prem cluster; `ssh://user@host` for a remote on-prem server",
  }),
  dc: text(pattern(/^dc\d{2}$/, 'must be "dc" followed by two digits, e.g. "dc01"'), { default: "dc01", doc: "data-centre id, prefix of every CDC topic (`dc01_sales_order_details`)" }),
  database: {
    flavour: oneOf(DATABASE_FLAVOURS, { default: "mariadb", env: "BRIDGE_DB_FLAVOUR", doc: "server; `mysql` selects Debezium's MySQL connector (image via `image`)" }),
    image: text(ANY_TEXT, { env: "BRIDGE_DB_IMAGE", defaultDoc: "`images.mariadb`", doc: "image of the server" }),
    port: port({ default: 13306, doc: "loopback port of the server" }),
    name: text(pattern(SQL_IDENTIFIER, "must be a SQL identifier of at most 32 characters"), { default: "orders", doc: "database (schema) name" }),
    binlogRetentionHours: int(1, 8760, { default: 168, doc: "binlog retention, hours" }),
    serverId: int(1, 4294967295, { default: 1, doc: "replication server id" }),
    cdcUser: text(pattern(SQL_IDENTIFIER, "must be a SQL user name of at most 32 letters, digits and _"), { default: "debezium", doc: "user of the CDC connector (replication privileges only)" }),
    keepData: bool({ default: false, doc: "keep the data volume on destroy" }),
    memoryMb: int(256, 65536, { default: 512, doc: "memory limit of the container, MiB" }),
  },
  kafka: {
    brokers: int(1, 9, { default: 1, env: "BRIDGE_KAFKA_BROKERS", doc: "KRaft nodes, each broker and controller (3 tested)" }),
    basePort: port({ default: 19092, doc: "broker i: basePort + 10·i, its controller +1" }),
    replicationFactor: int(1, 9, { defaultDoc: "`min(3, brokers)`", doc: "topic replication factor, ≤ brokers" }),
    minInsyncReplicas: int(1, 9, { defaultDoc: "`max(1, replicationFactor − 1)`", doc: "min.insync.replicas, ≤ replication factor" }),
    partitions: int(1, 64, { default: 1, doc: "partitions of the CDC topics" }),
    memoryMb: int(512, 65536, { default: 1024, doc: "memory limit per broker container, MiB (heap is half)" }),
  },
  connect: {
    workers: int(1, 5, { default: 1, env: "BRIDGE_CONNECT_WORKERS", doc: "distributed workers" }),
    basePort: port({ default: 18083, doc: "REST port of worker 0 (worker i: basePort + i), on 127.0.0.1 only" }),
    memoryMb: int(512, 65536, { default: 1280, doc: "memory limit per worker container, MiB (heap is half)" }),
  },
  simulator: {
    enabled: bool({ default: true, env: "BRIDGE_SIMULATOR_ENABLED", doc: "run the order simulator" }),
    intervalMs: int(1, 3600000, { default: 5000, env: "BRIDGE_SIMULATOR_INTERVAL_MS", doc: "one sales order per interval, ms" }),
    linesPerOrder: int(1, 50, { default: 5, doc: "detail lines per sales order" }),
    metricsPort: port({ default: 19400, doc: "loopback port of the simulator's Prometheus `/metrics`" }),
  },
  latencyProbe: bool({
    defaultDoc: "`true` for `mariadb`",
    doc: "capture, replicate and land the latency probe row Debezium updates every second (`bridge_latency_probe`, DATETIME(6)): times every hop below a second, which MariaDB's second-precision binlog timestamps cannot; the database must have the table (images/mariadb does)",
  }),
  tables: list(code("tables of the orders schema, at least one, each once"), {
    default: DEFAULT_CDC_TABLES,
    defaultDoc: "the 7 order tables",
    doc: "tables captured by Debezium (by default all but the out-of-stock table)",
  }),
} satisfies Group;

/** One entry of `sites`: its data-centre id, and any onPrem field it sets differently (the rest is `onPrem`'s). */
export type SiteEntry = { readonly dc: string } & DeepPartial<Omit<ConfigOf<typeof ON_PREM>, "dc">>;

export const SCHEMA = {
  project: text(pattern(/^[a-z][a-z0-9-]{1,14}[a-z0-9]$/, "must be 3–16 characters of lowercase letters, digits and hyphens, starting with a letter"), {
    default: "bridge",
    env: "BRIDGE_PROJECT",
    doc: "short project name, prefix of every resource name",
  }),
  environment: text(pattern(/^[a-z][a-z0-9-]{0,15}$/, "must be 1–16 characters of lowercase letters, digits and hyphens, starting with a letter"), {
    default: "dev",
    env: "BRIDGE_ENVIRONMENT",
    doc: "dev, test, prod…: in names (`bridge-dev-kafka-1`) and the state path `.state/<environment>/`",
  }),
  target: oneOf(TARGETS, { default: "local", env: "BRIDGE_TARGET", doc: "where the replicated topics land" }),
  azure: {
    location: text(code('an Azure region\'s programmatic name such as "westeurope"'), { default: "westeurope", env: "BRIDGE_AZURE_LOCATION", doc: "Azure region" }),
    resourceGroupName: text(pattern(/^[-\w._()]{1,89}[-\w_()]$/, "must be 1–90 characters of letters, digits, - _ . ( ), not ending with a period"), {
      defaultDoc: "`rg-<project>-<environment>`",
      doc: "resource group of the Azure resources",
    }),
    storageAccount: {
      name: text(STORAGE_ACCOUNT_NAME, {
        env: "BRIDGE_STORAGE_ACCOUNT",
        defaultDoc: "prefix + suffix",
        doc: "explicit account name (globally unique in Azure); prefix and suffix are then ignored",
      }),
      prefix: text(pattern(/^[a-z][a-z0-9]{2,23}$/, "must be 3–24 lowercase letters and digits, starting with a letter"), { default: "bridgelake", when: WITHOUT_NAME, doc: "name prefix" }),
      suffix: oneOf(["hash", "none"], {
        default: "hash",
        when: WITHOUT_NAME,
        doc: "`hash`: the first `suffixLength` base-36 characters of SHA-256(`suffixSeed`); `none`: no suffix",
      }),
      suffixSeed: text(ANY_TEXT, { defaultDoc: "`<project>-<environment>-<location>`", doc: "seed of the suffix hash: never random, same seed, same name" }),
      suffixLength: int(4, 8, { default: 6, when: WITHOUT_NAME, doc: "characters of the hash suffix" }),
      replication: oneOf(["LRS", "ZRS", "GRS", "RAGRS", "GZRS", "RAGZRS"] as readonly string[], { default: "ZRS", doc: "redundancy of the account" }),
      sharedKeyAccess: bool({ default: false, doc: "keep shared-key (account key, SAS) auth; `false`: Entra ID only; `true` required by `confluent-cloud`" }),
      softDeleteDays: int(1, 365, { default: 7, doc: "blob and container soft-delete retention, days" }),
      sasExpiryPeriod: text(pattern(/^\d{1,3}\.([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, 'must be a duration "D.HH:MM:SS" such as "1.00:00:00"'), {
        default: "1.00:00:00",
        doc: "longest life of a SAS the account accepts without logging it as over-long (only with `sharedKeyAccess`)",
      }),
      customerManagedKeyId: text(pattern(/^https:\/\/[a-z0-9-]{3,24}\.vault\.azure\.net\/keys\/[A-Za-z0-9-]{1,127}(\/[0-9a-f]{32})?$/, "must be a Key Vault key URL: https://<vault>.vault.azure.net/keys/<name>[/<version>]"), {
        defaultDoc: "Microsoft-managed keys",
        doc: "encrypt the account with this customer-managed key (needs `customerManagedKeyIdentityId`)",
      }),
      customerManagedKeyIdentityId: text(pattern(armIdPattern("Microsoft.ManagedIdentity", "userAssignedIdentities"), "must be a user-assigned identity's resource id (…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>)"), {
        doc: "user-assigned identity with Key Vault Crypto Service Encryption User on the key",
      }),
    },
    network: {
      mode: oneOf(NETWORK_MODES, {
        default: "private",
        env: "BRIDGE_NETWORK_MODE",
        doc: "`private`: private endpoints only, public access off; `selected-networks`: public endpoint with default Deny and the listed CIDRs (README: Network paths)",
      }),
      subnetId: text(pattern(armIdPattern("Microsoft.Network", "virtualNetworks", "subnets"), "must be a subnet's resource id (…/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>)"), {
        defaultDoc: "a virtual network is created",
        doc: "`private`: existing subnet for the private endpoints (its virtual network gets the private DNS zone links)",
      }),
      addressSpace: text(pattern(PRIVATE_CIDR, "must be a private IPv4 CIDR range (10/8, 172.16/12, 192.168/16) such as 10.80.0.0/16"), {
        default: "10.80.0.0/16",
        doc: "`private` without `subnetId`: address space of the created virtual network",
      }),
      subnetPrefix: text(pattern(PRIVATE_CIDR, "must be a private IPv4 CIDR range inside addressSpace such as 10.80.1.0/24"), {
        default: "10.80.1.0/24",
        doc: "`private` without `subnetId`: prefix of the created private-endpoint subnet",
      }),
      runnerInside: bool({
        default: false,
        doc: "`private`: the deploying runner reaches the private endpoints (self-hosted runner in or peered to the network); the provider then uses the storage data plane",
      }),
      onPremConnected: bool({
        default: false,
        doc: "`private`: on-prem reaches the network over VPN or ExpressRoute, so MirrorMaker 2 uses the Event Hubs private endpoint",
      }),
      runnerCidrs: list(PUBLIC_CIDRS, { default: [], doc: "`selected-networks`: public egress of the deploying runner (lets the provider use the storage data plane)" }),
      analystCidrs: list(PUBLIC_CIDRS, { default: [], doc: "`selected-networks`: public egress of Power BI Desktop users or the on-premises data gateway (read the lake)" }),
      onPremCidrs: list(PUBLIC_CIDRS, { default: [], doc: "`selected-networks`, `event-hubs`: public egress of the on-prem Connect (MirrorMaker 2 into the namespace)" }),
      confluentEgressCidrs: list(PUBLIC_CIDRS, { default: [], doc: "`selected-networks`, `confluent-cloud`: the cluster's egress IPs (Confluent Cloud console → cluster → Networking), for the managed sink" }),
    },
    logAnalyticsWorkspaceId: text(pattern(armIdPattern("Microsoft.OperationalInsights", "workspaces"), "must be a Log Analytics workspace's resource id (…/providers/Microsoft.OperationalInsights/workspaces/<name>)"), {
      defaultDoc: "one is created",
      doc: "workspace receiving the lake's read, write and delete logs",
    }),
    filesystem: text(
      pattern(CONTAINER_NAME, "must be 3–63 characters of lowercase letters, digits and single hyphens, starting and ending with a letter or digit"),
      { default: "orders", doc: "ADLS Gen2 filesystem of the landed data" },
    ),
    sinkPrincipalId: text(entraId("an Entra ID object id"), {
      env: "BRIDGE_SINK_PRINCIPAL_ID",
      defaultDoc: "variable `sink_principal_id`",
      doc: "object id granted Storage Blob Data Contributor; unset: asked for at plan time",
    }),
    eventHubs: {
      enabled: bool({ defaultDoc: "`target == event-hubs`", doc: "create the Standard namespace (Kafka endpoint, TLS ≥ 1.2)" }),
      capacity: int(1, 40, { default: 1, doc: "throughput units" }),
      partitionCount: int(1, 32, { default: 2, doc: "partitions per event hub (one per replicated topic)" }),
      messageRetentionDays: int(1, 7, { default: 1, doc: "message retention, days" }),
      capture: bool({ default: true, doc: "capture each event hub into the filesystem as Avro" }),
      captureIntervalSeconds: int(60, 900, { default: 300, doc: "capture window, seconds" }),
      captureSizeLimitBytes: int(10485760, 524288000, { default: 314572800, doc: "capture window, bytes" }),
    },
    tags: map(code("keys ≤ 512, values ≤ 256 characters of text"), { default: {}, doc: "extra tags on every Azure resource, besides project, environment and managed-by" }),
  },
  onPrem: ON_PREM,
  sites: objects<SiteEntry>(code("non-empty list of sites, each with its own `dc`; no two services on one port of one Docker host"), {
    defaultDoc: "`[onPrem]`: one site",
    doc: "several on-prem sites into one cloud: each entry is an `onPrem` block of its own (`dc` required, every other field defaults to `onPrem`'s); README: Several sites",
  }),
  replication: {
    engine: oneOf(REPLICATION_ENGINES, { default: "mirrormaker2", doc: "MirrorMaker 2, or Confluent Replicator (licensed; not for `local`)" }),
    topics: list(code("CDC topics of captured tables, at least one, each once"), {
      defaultDoc: '`["<dc>_sales_order_details"]`, with `writeBack.enabled` also `"<dc>_purchase_order_details"`',
      doc: "topics replicated to the cloud cluster, names preserved",
    }),
    topicsPattern: text(code("a regular expression; not for `event-hubs`"), { doc: "Java regex of further topics to replicate" }),
  },
  // The way back (README "The way back"): out-of-stock events computed in the cloud, written into the site's table.
  writeBack: {
    enabled: bool({
      default: false,
      env: "BRIDGE_WRITE_BACK_ENABLED",
      doc: "run the stock processor on the cloud Kafka, MirrorMaker 2 cloud → site for `<dc>_out_of_stock_events` and the JDBC sink into the site's table; adds both order-line topics to `replication.topics`' default and turns the simulator's own out-of-stock detection off",
    }),
    processorMemoryMb: int(512, 16384, { default: 768, doc: "memory limit of the stock processor container, MiB (heap is half)" }),
  },
  local: {
    kafkaPort: port({ default: 29092, doc: "SASL_SSL port of the local stand-in for the cloud Kafka" }),
    kafkaControllerPort: port({ default: 29093, doc: "controller port of that cluster" }),
    azuriteBlobPort: port({ default: 10000, doc: "Azurite blob port" }),
    sinkFlushSize: int(1, 1000000, { default: 1000, doc: "records per landed file" }),
    sinkIdleFlushMs: int(100, 600000, { default: 2000, doc: "a quiet topic's open file lands after this, ms" }),
    sinkOpenFileMaxMs: int(1000, 86400000, { default: 60000, doc: "a busy topic's open file lands after it has been open this long, ms (the lake's lag under a steady trickle)" }),
    sinkMetricsPort: port({ default: 19401, doc: "loopback port of the lake sink's Prometheus `/metrics`" }),
  },
  // Metrics of every hop (README "Metrics"); the console (observability.console) has its own group.
  observability: {
    prometheus: {
      enabled: bool({ default: true, doc: "deploy Prometheus (stack `observability`), scraping every part on loopback" }),
      port: port({ default: 19090, doc: "loopback port of Prometheus (UI and HTTP API)" }),
      retention: text(pattern(/^([0-9]+(ms|s|m|h|d|w|y))+$/, 'must be a Prometheus duration such as "6h", "7d" or "2w"'), {
        default: "7d",
        doc: "how long samples are kept (`--storage.tsdb.retention.time`)",
      }),
      retentionSize: text(pattern(/^[0-9]+(B|KB|MB|GB|TB)$/, 'must be a Prometheus size such as "512MB" or "1GB"'), {
        default: "1GB",
        doc: "most disk the samples may take, oldest dropped first (`--storage.tsdb.retention.size`)",
      }),
      scrapeIntervalSeconds: int(1, 300, { default: 5, doc: "seconds between scrapes of each target" }),
      memoryMb: int(128, 65536, { default: 256, doc: "memory limit of the Prometheus container, MiB" }),
    },
    // The operator's view: the console service (constructs/observability/console.ts).
    console: {
      enabled: bool({ default: true, doc: "run the console (on-prem, next to Connect) with every target" }),
      port: port({ default: 18888, doc: "loopback port of the console (`http://127.0.0.1:<port>`)" }),
      maskedFields: list(code("column names (letters, digits, _ and $, at most 64), each once"), {
        default: ["email"],
        doc: "columns the console's message browser masks (top level and inside Debezium before/after)",
      }),
      memoryMb: int(128, 4096, { default: 256, doc: "memory limit of the console container, MiB" }),
      // The Entra ID identity the console reads an Azure lake as (README "The console on a cloud target"): shared keys are off
      // by default there. Its client secret is no field: the operator supplies it when loading the secrets (scripts/lib/secrets.ts).
      lakeReader: {
        tenantId: text(entraId("the Entra ID tenant (directory) id"), { doc: "tenant of the console's lake reader; required on the cloud targets without `sharedKeyAccess`" }),
        clientId: text(entraId("the application (client) id of an app registration"), { doc: `application (client) id the console signs in as (client secret from \`${LAKE_CLIENT_SECRET_ENV}\`)` }),
        objectId: text(entraId("the object id of the app registration's service principal (Enterprise applications), not of the app registration"), {
          doc: "object id of its service principal: granted Storage Blob Data Reader on the filesystem",
        }),
      },
    },
  },
  confluentCloud: {
    bootstrapServers: text(pattern(/^[A-Za-z0-9.-]+:\d{2,5}$/, 'target "confluent-cloud" needs the cluster bootstrap as host:port', { summary: "host:port" }), {
      env: "BRIDGE_CONFLUENT_BOOTSTRAP",
      when: ONLY_CONFLUENT_CLOUD,
      doc: "bootstrap of the existing cluster",
    }),
    environmentId: text(pattern(/^env-[a-z0-9]+$/, 'target "confluent-cloud" needs the environment id (env-…) of its managed connectors', { summary: "`env-…`" }), {
      when: ONLY_CONFLUENT_CLOUD,
      doc: "environment of the managed connectors",
    }),
    clusterId: text(pattern(/^lkc-[a-z0-9]+$/, 'target "confluent-cloud" needs the Kafka cluster id (lkc-…) of its managed connectors', { summary: "`lkc-…`" }), {
      when: ONLY_CONFLUENT_CLOUD,
      doc: "Kafka cluster of the managed connectors",
    }),
  },
  // Names of sensitive Terraform variables, supplied as TF_VAR_<name> at plan time; which are required per target is REQUIRED_CREDENTIALS.
  credentials: {
    eventHubsConnectionString: text(TF_VARIABLE, { doc: "Event Hubs namespace connection string (`event-hubs`)" }),
    confluentApiKey: text(TF_VARIABLE, { doc: "Confluent Cloud API key (`confluent-cloud`)" }),
    confluentApiSecret: text(TF_VARIABLE, { doc: "its secret" }),
    lakeAccessKey: text(TF_VARIABLE, { doc: "storage account key of Confluent's managed ADLS Gen2 sink (`confluent-cloud`)" }),
    confluentCloudApiKey: text(TF_VARIABLE, { doc: "Confluent Cloud organisation API key of the Connect management API (`confluent-cloud`)" }),
    confluentCloudApiSecret: text(TF_VARIABLE, { doc: "its secret" }),
  },
  backend: {
    type: oneOf(["local", "azurerm"], { default: "local", doc: "Terraform state backend; `azurerm`: Entra ID auth, blob-lease locking" }),
    resourceGroupName: text(pattern(/^[-\w._()]{1,90}$/, "must name the resource group of the state storage account", { summary: "1–90 characters of letters, digits, - _ . ( )" }), {
      when: ONLY_AZURERM,
      doc: "resource group of the state storage account",
    }),
    storageAccountName: text(STORAGE_ACCOUNT_NAME, { when: ONLY_AZURERM, doc: "state storage account" }),
    containerName: text(pattern(CONTAINER_NAME, "must be a blob container name: 3–63 lowercase letters, digits and single hyphens"), {
      when: ONLY_AZURERM,
      defaultDoc: `\`${DEFAULT_STATE_CONTAINER}\``,
      doc: "blob container of the state files",
    }),
    keyPrefix: text(ANY_TEXT, { defaultDoc: "`<project>/<environment>`", doc: "each stack's state is `<keyPrefix>/<stack>.tfstate`" }),
  },
  // Built by scripts/build-images.sh, FROM debian:bookworm-slim; point them at a registry's copies when online.
  images: {
    kafka: text(IMAGE, { default: "bridge-to-azure/kafka:4.3.0", doc: "Kafka brokers and the local cloud stand-in" }),
    connect: text(IMAGE, { default: "bridge-to-azure/connect:4.3.0-dbz3.6.1.Final", doc: "Kafka Connect with Debezium and MirrorMaker 2" }),
    mariadb: text(IMAGE, { default: "bridge-to-azure/mariadb:10.11", doc: "orders database" }),
    simulator: text(IMAGE, { default: "bridge-to-azure/simulator:0.1.0", doc: "order simulator" }),
    azurite: text(IMAGE, { default: "bridge-to-azure/azurite:3.35.0", doc: "local stand-in for the lake" }),
    lakeSink: text(IMAGE, { default: "bridge-to-azure/lake-sink:0.1.0", doc: "lake sink of the local target" }),
    console: text(IMAGE, { default: "bridge-to-azure/console:0.1.0", doc: "the operator's console" }),
    stockProcessor: text(IMAGE, { default: "bridge-to-azure/stock-processor:0.1.0", doc: "Kafka Streams stock processor of the way back (out-of-stock events per site)" }),
    prometheus: text(IMAGE, { default: "bridge-to-azure/prometheus:2.42.0", doc: "Prometheus (Debian's package)" }),
  },
  // Versions of the providers a stack pins, when the air-gapped mirror holds other builds (config/providers.ts, README "Online and air-gapped").
  providers: {
    docker: text(PROVIDER_VERSION, {
      default: PROVIDERS.docker.pinned,
      env: PROVIDERS.docker.env,
      doc: `kreuzwerker/docker version: the prebuilt binding pins ${PROVIDERS.docker.pinned}, the air-gapped mirror may hold another build (see above)`,
    }),
    azurerm: text(PROVIDER_VERSION, {
      default: PROVIDERS.azurerm.pinned,
      env: PROVIDERS.azurerm.env,
      doc: `hashicorp/azurerm version of the azure stack: the prebuilt binding pins ${PROVIDERS.azurerm.pinned}, the air-gapped mirror may hold another build (see above)`,
    }),
  },
} satisfies Group;
