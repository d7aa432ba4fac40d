/**
 * Creates the deployment's secrets and loads them into Docker volumes that
 * the containers mount read-only where constructs/secret-files.ts says. Terraform never
 * sees a secret: it only names the volumes.
 *
 *   node dist/scripts/secrets.js ensure   # generate once, (re)load volumes
 *   node dist/scripts/secrets.js remove   # delete the volumes and local copy
 *
 * Values persist in .secrets/<deployment>/secrets.json (mode 0600, git-ignored)
 * so a redeploy keeps the database's passwords.
 */
import { execFileSync, spawnSync } from "child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { DEPLOYMENT_LABEL, MANAGED_LABEL } from "../constructs/docker/service-container";
import { Deployment } from "../stacks/deployment";
import { projectConfig, ROOT } from "./lib/project-config";
import { REPLICATOR_LICENSE_ENV, SecretValues, TlsMaterial, consoleCloudLogin, consoleLakeClientSecret, generateSecretValues, secretVolumes } from "./lib/secrets";

const HELPER_IMAGE = process.env.BRIDGE_HELPER_IMAGE ?? "debian:bookworm-slim";

export function secretsFile(prefix: string): string {
  return join(ROOT, ".secrets", prefix, "secrets.json");
}

/** The deployment's secret values, generated on first use. */
export function loadOrCreateSecrets(prefix: string): SecretValues {
  const file = secretsFile(prefix);
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as Partial<SecretValues>;
    // Values added by newer versions are generated; existing ones are kept.
    const merged = { ...generateSecretValues(), ...stored };
    if (Object.keys(stored).length !== Object.keys(merged).length) writeSecrets(file, merged);
    return merged;
  }
  const values = generateSecretValues();
  writeSecrets(file, values);
  return values;
}

function writeSecrets(file: string, values: SecretValues): void {
  mkdirSync(join(file, ".."), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(values, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * The local cloud Kafka's CA and broker certificate (SAN 127.0.0.1/localhost),
 * made once per deployment with openssl and keytool and kept beside the
 * secret values.
 */
export function loadOrCreateTls(prefix: string, storePassword: string): TlsMaterial {
  const dir = join(ROOT, ".secrets", prefix, "tls");
  const files = { caPem: join(dir, "ca.pem"), brokerP12: join(dir, "broker.p12"), truststoreP12: join(dir, "truststore.p12") };
  if (!Object.values(files).every((f) => existsSync(f))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    const days = "825";
    run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", days, "-subj", `/CN=${prefix} local cloud CA`]);
    run("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "broker.key", "-out", "broker.csr", "-subj", "/CN=localhost"]);
    writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
    run("openssl", ["x509", "-req", "-in", "broker.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "broker.pem", "-days", days, "-extfile", "san.ext"]);
    run("openssl", ["pkcs12", "-export", "-in", "broker.pem", "-inkey", "broker.key", "-certfile", "ca.pem", "-name", "broker", "-out", "broker.p12", "-passout", `pass:${storePassword}`]);
    // Java needs a trusted-certificate entry, which openssl 3.0 cannot write: keytool can.
    run("keytool", ["-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "truststore.p12", "-storetype", "PKCS12", "-storepass", storePassword]);
    for (const f of ["ca.key", "broker.key", "broker.csr", "broker.pem", "san.ext", "ca.srl"]) rmSync(join(dir, f), { force: true });
  }
  return { caPem: readFileSync(files.caPem), brokerP12: readFileSync(files.brokerP12), truststoreP12: readFileSync(files.truststoreP12) };
}

function docker(args: string[], input?: Buffer): void {
  const r = spawnSync("docker", args, { input, stdio: [input ? "pipe" : "ignore", "ignore", "pipe"] });
  if (r.status !== 0) throw new Error(`docker ${args[0]} ${args[1] ?? ""} failed: ${r.stderr.toString().trim()}`);
}

/** The operator's licence for Replicator, read from the file its variable names (never printed). */
function replicatorLicense(engine: string): string | undefined {
  const file = process.env[REPLICATOR_LICENSE_ENV];
  if (engine !== "replicator" || !file) return undefined;
  if (!existsSync(file)) throw new Error(`${REPLICATOR_LICENSE_ENV}: "${file}" — no such file (it must hold your Confluent licence key)`);
  return readFileSync(file, "utf8");
}

function ensure(): void {
  const deployment = new Deployment(projectConfig());
  const { config, names } = deployment;
  const values = loadOrCreateSecrets(names.prefix);
  const tls = config.target === "local" ? loadOrCreateTls(names.prefix, values.cloudKeystorePassword) : undefined;
  for (const vol of secretVolumes(deployment, values, tls, replicatorLicense(config.replication.engine), consoleCloudLogin(config, process.env), consoleLakeClientSecret(config, process.env))) {
    const name = names.secrets(vol.service);
    docker(["volume", "create", "--label", `${MANAGED_LABEL}=true`, "--label", `${DEPLOYMENT_LABEL}=${names.prefix}`, name]);
    const dir = mkdtempSync(join(tmpdir(), "bridge-secrets-"));
    try {
      for (const [file, content] of Object.entries(vol.files)) writeFileSync(join(dir, file), content, { mode: 0o600 });
      const tar = execFileSync("tar", ["-C", dir, "-c", "."]);
      // Replace the volume's content, owned by the service's uid, readable by it alone.
      docker(
        ["run", "--rm", "-i", "--network", "none", "--user", "0", "-v", `${name}:/s`, HELPER_IMAGE, "sh", "-c",
          `find /s -mindepth 1 -delete && tar -x -C /s && chown -R ${vol.uid}:${vol.uid} /s && chmod 0500 /s && chmod 0400 /s/*`],
        tar,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`secrets: volume ${name} ← ${Object.keys(vol.files).join(", ")} (uid ${vol.uid})`);
  }
}

function remove(): void {
  const { names } = new Deployment(projectConfig());
  for (const service of ["mariadb", "mysql", "connect", "simulator", "kafka-cloud", "azurite", "lake-sink", "console", "stock-processor"]) {
    spawnSync("docker", ["volume", "rm", "-f", names.secrets(service)], { stdio: "ignore" });
  }
  rmSync(join(ROOT, ".secrets", names.prefix), { recursive: true, force: true });
  console.log(`secrets: removed the volumes and local copy of ${names.prefix}`);
}

if (require.main === module) {
  const cmd = process.argv[2] ?? "ensure";
  if (cmd === "ensure") {
    try {
      ensure();
    } catch (e) {
      // What the operator must do, not a stack trace.
      console.error(`secrets: ${(e as Error).message}`);
      process.exit(1);
    }
  }
  else if (cmd === "remove") remove();
  else {
    console.error(`usage: secrets.js ensure|remove (got "${cmd}")`);
    process.exit(2);
  }
}
