/**
 * The monitoring endpoint: a node:http server with /metrics (Prometheus text format), /healthz
 * (200 while the process runs) and /readyz (200 when every injected readiness check passes, else
 * 503 with a JSON body naming the failing checks). It only reads: it never changes the state it
 * reports, and a check that throws or hangs counts as failing instead of breaking the server.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { ErrorCode } from '../core/error-codes.js';
import { MessagingError } from '../core/errors.js';
import { type Result, err, ok } from '../core/result.js';

/** One readiness check: true (or a promise of true) when the part is ready. */
export type ReadinessCheck = () => boolean | Promise<boolean>;

/** Options of `startHealthServer`. */
export interface HealthServerOptions {
  /** Port to listen on; 0 picks a free one (default 9464). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** The registry served at /metrics. */
  registry: Registry;
  /** Checks of /readyz by name; usually `database`, `broker` and `queues`. */
  readiness?: Record<string, ReadinessCheck>;
  /** Time limit of one readiness check in ms (default 2000); past it the check fails. */
  checkTimeoutMs?: number;
}

/** A running health server. */
export interface HealthServer {
  /** The bound port (useful with port 0). */
  readonly port: number;
  readonly host: string;
  /** `http://host:port`. */
  readonly url: string;
  /** Stops listening and closes open connections. */
  close(): Promise<Result<void>>;
}

/** The body of /readyz. */
export interface ReadinessReport {
  status: 'ready' | 'not ready';
  checks: Record<string, { ok: boolean; error?: string }>;
  failing: string[];
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const passed = await Promise.race([Promise.resolve().then(check), timeout]);
    return passed === true ? { ok: true } : { ok: false, error: 'check returned false' };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** Runs every check in parallel and reports which fail. */
export async function checkReadiness(checks: Record<string, ReadinessCheck>, timeoutMs = 2000): Promise<ReadinessReport> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((name) => runCheck(checks[name] as ReadinessCheck, timeoutMs)));
  const report: ReadinessReport = { status: 'ready', checks: {}, failing: [] };
  names.forEach((name, i) => {
    const result = results[i] as { ok: boolean; error?: string };
    report.checks[name] = result;
    if (!result.ok) report.failing.push(name);
  });
  if (report.failing.length > 0) report.status = 'not ready';
  return report;
}

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(head ? undefined : body);
}

function json(res: ServerResponse, status: number, body: unknown, head: boolean): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`, head);
}

/** Starts the endpoint; a port in use or a bad host is NETWORK_ERROR. */
export function startHealthServer(options: HealthServerOptions): Promise<Result<HealthServer>> {
  const { registry, readiness = {}, checkTimeoutMs = 2000 } = options;
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 9464;
  const started = Date.now();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      return json(res, 405, { error: 'method not allowed' }, head);
    }
    switch (path) {
      case '/metrics': {
        const text = await registry.metrics();
        return send(res, 200, registry.contentType, text, head);
      }
      case '/healthz':
        return json(res, 200, { status: 'alive', uptime_s: Math.round((Date.now() - started) / 1000) }, head);
      case '/readyz': {
        const report = await checkReadiness(readiness, checkTimeoutMs);
        return json(res, report.failing.length === 0 ? 200 : 503, report, head);
      }
      default:
        return json(res, 404, { error: 'not found', endpoints: ['/metrics', '/healthz', '/readyz'] }, head);
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { error: e instanceof Error ? e.message : String(e) }, false);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  server.requestTimeout = 10000;

  return new Promise((resolve) => {
    const onError = (e: NodeJS.ErrnoException) => {
      resolve(
        err(
          new MessagingError(ErrorCode.NETWORK_ERROR, `cannot listen on ${host}:${port}: ${e.code ?? e.message}`, {
            cause: e,
            details: { host, port },
          }),
        ),
      );
    };
    server.once('error', onError);
    try {
      server.listen(port, host, () => {
        server.removeListener('error', onError);
        server.on('error', () => undefined);
        const bound = (server.address() as AddressInfo).port;
        const urlHost = host.includes(':') ? `[${host}]` : host;
        resolve(
          ok({
            port: bound,
            host,
            url: `http://${urlHost}:${bound}`,
            close: () =>
              new Promise<Result<void>>((done) => {
                server.close((e) => done(e ? err(new MessagingError(ErrorCode.NETWORK_ERROR, e.message, { cause: e })) : ok()));
                server.closeAllConnections();
              }),
          }),
        );
      });
    } catch (e) {
      onError(e as NodeJS.ErrnoException);
    }
  });
}
