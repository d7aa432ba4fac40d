import { configProblems } from "@bridge-to-azure/service-kit";
import { loadConfig } from "../src/config";

const FILES: Record<string, string> = {
  "/s/credential": "abcdefghijklmnopqrstuvwx\n",
  "/s/cloud.properties": "username=console\npassword=pw\n",
  "/s/lake-key": "a2V5\n",
};
const readFile = (p: string) => {
  if (!(p in FILES)) throw Object.assign(new Error("no such file"), { code: "ENOENT" });
  return FILES[p]!;
};
const ENV = {
  CONSOLE_CREDENTIAL_FILE: "/s/credential",
  CONSOLE_TOPICS: "dc01_sales_order_details",
  CONSOLE_ONPREM_BROKERS: "127.0.0.1:19092",
  CONSOLE_CLOUD_BROKERS: "127.0.0.1:29092",
  CONSOLE_CLOUD_CREDENTIALS_FILE: "/s/cloud.properties",
  CONSOLE_CONNECT_URLS: "http://127.0.0.1:18083",
  CONSOLE_LAKE_BLOB_ENDPOINT: "http://127.0.0.1:10000/bridgelake",
  CONSOLE_LAKE_ACCOUNT: "bridgelake",
  CONSOLE_LAKE_KEY_FILE: "/s/lake-key",
  CONSOLE_MASKED_FIELDS: "email, phone",
};

describe("console configuration", () => {
  test("GIVEN a complete environment WHEN loaded THEN loopback, the secrets from their files, the masked fields as a list", () => {
    const c = loadConfig(ENV, readFile);
    expect(c.bind).toBe("127.0.0.1");
    expect(c.credential).toBe("abcdefghijklmnopqrstuvwx");
    expect(c.cloud.sasl).toEqual({ username: "console", password: "pw" });
    expect(c.maskedFields).toEqual(["email", "phone"]);
    expect(c.db).toBeUndefined();
  });
  test("GIVEN CONSOLE_BIND=0.0.0.0 WHEN loaded THEN refused naming the variable, the value and the rule", () => {
    expect(configProblems(() => loadConfig({ ...ENV, CONSOLE_BIND: "0.0.0.0" }, readFile))).toEqual(['CONSOLE_BIND="0.0.0.0": must be 127.0.0.1 (the console is bound to loopback only)']);
  });
  test("GIVEN the credential in the environment instead of a file WHEN loaded THEN refused without echoing it", () => {
    const problems = configProblems(() => loadConfig({ ...ENV, CONSOLE_CREDENTIAL: "leaked-value" }, readFile));
    expect(JSON.stringify(problems)).not.toContain("leaked-value");
    expect(problems.some((p) => p.startsWith("CONSOLE_CREDENTIAL "))).toBe(true);
  });
  test("GIVEN a short credential, a URL with user info and a bad broker list WHEN loaded THEN every problem at once", () => {
    FILES["/s/short"] = "short\n";
    const fields = configProblems(() => loadConfig({ ...ENV, CONSOLE_CREDENTIAL_FILE: "/s/short", CONSOLE_PROMETHEUS_URL: "http://u:p@127.0.0.1:9090", CONSOLE_ONPREM_BROKERS: "kafka" }, readFile)).map((p) => p.split("=")[0]);
    expect(fields).toEqual(expect.arrayContaining(["CONSOLE_CREDENTIAL_FILE", "CONSOLE_PROMETHEUS_URL", "CONSOLE_ONPREM_BROKERS"]));
  });
});
