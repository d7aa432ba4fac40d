/**
 * The `/metrics` endpoint of a service, without a dependency of the kit's own: a node:http server on
 * loopback that answers GET /metrics with what `render` returns (the service's prom-client registry),
 * 404 for anything else. Bound to 127.0.0.1 unless told otherwise (host networking: never the outside).
 */
import { createServer, Server } from "http";

export interface MetricsServerOptions {
  /** Port to listen on; 0 = any free one (tests). */
  readonly port: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** The exposition text and its content type (prom-client: `registry.metrics()`, `registry.contentType`). */
  readonly render: () => Promise<{ readonly contentType: string; readonly body: string }>;
  /** Called when rendering fails (the scrape gets 500). */
  readonly onError?: (e: Error) => void;
}

/** A started metrics server; `close()` stops it. */
export interface MetricsServer {
  /** The port it listens on (the given one, or the one picked for 0). */
  readonly port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(o: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "GET" || path !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found: GET /metrics\n");
      return;
    }
    o.render().then(
      ({ contentType, body }) => res.writeHead(200, { "content-type": contentType }).end(body),
      (e: Error) => {
        o.onError?.(e);
        res.writeHead(500, { "content-type": "text/plain" }).end("metrics unavailable\n");
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host ?? "127.0.0.1", () => resolve());
  });
  // A scrape in flight must not keep the process alive at shutdown.
  server.unref();
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : o.port;
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
