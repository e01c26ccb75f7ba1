import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface MetricsServer {
  server: Server;
  /** The port it listens on, once listening (METRICS_PORT=0 picks a free one). */
  port(): number | undefined;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` in Prometheus's text format on a port of its own, apart from the service's
 * API: no authentication, no Ingress route, reachable by the scraper inside the cluster only.
 */
export function serveMetrics(
  registry: Registry,
  options: {
    port: number;
    host: string;
    onListening?: (port: number) => void;
    /** A failure to listen (the port is taken): the service goes on without its metrics port. */
    onError?: (error: Error) => void;
  },
): MetricsServer {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end();
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`metrics failed: ${String(error)}\n`);
      },
    );
  });
  server.on('error', (error) => options.onError?.(error));
  server.listen(options.port, options.host, () => {
    options.onListening?.((server.address() as AddressInfo).port);
  });
  return {
    server,
    port: () => (server.listening ? (server.address() as AddressInfo).port : undefined),
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
