// /usr/local/bin/healthcheck of bridge-to-azure/azurite: exit 0 when the blob endpoint on
// 127.0.0.1:$AZURITE_BLOB_PORT answers like Azure Storage does. The probe is an unauthenticated
// GET of the service root: Azurite answers it with an HTTP 4xx and an Azure error body
// (<Error><Code>...</Code>) plus an x-ms-request-id header; that counts as up (no key needed).
"use strict";
const http = require("http");
const port = Number(process.argv[2] || process.env.AZURITE_BLOB_PORT || 10000);
const timeoutMs = 3000;
const done = (ok, msg) => {
  process.stdout.write(`${ok ? "healthy" : "unhealthy"}: ${msg}\n`);
  process.exit(ok ? 0 : 1);
};
const req = http.get({ host: "127.0.0.1", port, path: "/?comp=list", timeout: timeoutMs }, (res) => {
  let body = "";
  res.setEncoding("utf8");
  res.on("data", (c) => { if (body.length < 4096) body += c; });
  res.on("end", () => {
    const azure = res.headers["x-ms-request-id"] !== undefined || /<Error>|<Code>|"code"/.test(body);
    if (azure && res.statusCode < 500) done(true, `blob endpoint 127.0.0.1:${port} answered HTTP ${res.statusCode}`);
    else done(false, `blob endpoint 127.0.0.1:${port} answered HTTP ${res.statusCode} without an Azure Storage response`);
  });
});
req.on("timeout", () => { req.destroy(new Error(`no answer within ${timeoutMs} ms`)); });
req.on("error", (e) => done(false, `blob endpoint 127.0.0.1:${port}: ${e.message}`));
