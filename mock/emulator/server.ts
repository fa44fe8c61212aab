/**
 * The emulator on a real port (`startEmulator({port: 0})` picks a free one).
 *
 * Loopback only unless `allowRemote` is set (docs/security.md): the emulator hands out codes and
 * resets state to anyone who can reach it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import { createEmulator, type Emulator, type EmulatorOptions } from './app.ts';
import { DEFAULT_SERVER_LIMITS, DEFAULTS, isLoopbackHost } from './config.ts';

export interface StartOptions extends EmulatorOptions {
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. Anything but a loopback address needs `allowRemote`. */
  host?: string;
  /** Bind a non-loopback address (`--allow-remote`): the controls then answer the machine's own addresses too. */
  allowRemote?: boolean;
}

export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:8787` (the API is under `/auth/v1`); a loopback URL when bound to all interfaces. */
  url: string;
  port: number;
  /** The address really bound, e.g. `0.0.0.0:8787` or `127.0.0.1:8787` (for the banner). */
  boundAddress: string;
  /** Bound to something other than loopback. */
  remote: boolean;
  emulator: Emulator;
  server: Server;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Thrown (before anything listens) when a non-loopback host is asked for without `allowRemote`. */
export class RemoteBindRefused extends Error {
  constructor(readonly host: string) {
    super(`refusing to bind "${host}": the emulator is a test tool and listens on loopback only; pass --allow-remote (allowRemote) to bind another address`);
    this.name = 'RemoteBindRefused';
  }
}

const jsonError = (description: string) =>
  JSON.stringify({ error: 'invalid_argument', error_code: 3, error_description: description });

/** Malformed HTTP (never reaches Hono) still gets a JSON answer. */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const [status, reason] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout']
        : [400, 'Bad Request'];
  const body = jsonError(`malformed HTTP request (${reason})`);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * `.` or `..` as a path segment, spelled out or percent-encoded (`%2e%2e`), with `/` or `\` (or their
 * encodings) as separators. URL parsing would resolve them (`/auth/v1/../../__emulator/reset` becomes
 * `/__emulator/reset`), so a request that a proxy only forwards under `/auth/v1` could reach the controls.
 */
export function hasDotSegment(rawTarget: string): boolean {
  const path = rawTarget.split(/[?#]/, 1)[0] ?? '';
  if (!/[.%\\]/.test(path)) return false; // the usual path: nothing to look at
  return path
    .split(/\/|\\|%2f|%5c/i)
    .some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}

function isLoopbackBind(host: string): boolean {
  return isLoopbackHost(host.replace(/^\[|\]$/g, ''));
}

/** The machine's own addresses: the Host values the controls accept when remote access is allowed. */
function ownAddresses(host: string): string[] {
  const addresses = new Set<string>([host.toLowerCase()]);
  for (const list of Object.values(networkInterfaces())) for (const entry of list ?? []) addresses.add(entry.family === 'IPv6' ? `[${entry.address}]` : entry.address);
  return [...addresses];
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? DEFAULTS.host;
  const remote = !isLoopbackBind(host);
  if (remote && !options.allowRemote) throw new RemoteBindRefused(host);
  const emulator = createEmulator({ ...options, allowedHosts: [...(options.allowedHosts ?? []), ...(remote ? ownAddresses(host) : [])] });
  const limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };

  const honoListener = getRequestListener(emulator.app.fetch, {
    // A Host header the URL parser refuses (or none): the API's JSON error body, not an empty 400.
    errorHandler: () => new Response(jsonError('invalid Host header or request target'), { status: 400, headers: { 'content-type': 'application/json', connection: 'close' } }),
  });
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (hasDotSegment(req.url ?? '')) {
      const body = jsonError('the request path must not contain "." or ".." segments');
      res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
      res.end(body);
      return;
    }
    void honoListener(req, res);
  };
  const server = createServer(
    {
      // Slow clients (slowloris): the head and the whole request each have a deadline, checked often enough to matter.
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 2))),
    },
    listener,
  );
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  server.maxConnections = limits.maxConnections;
  // An idle connection that never sends a request is closed too.
  server.timeout = limits.requestTimeoutMs;
  server.on('clientError', answerClientError);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULTS.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  const { port } = address;
  const bracket = (h: string) => (h.includes(':') ? `[${h}]` : h);
  const reachableHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${bracket(reachableHost)}:${port}`;
  return {
    url,
    port,
    boundAddress: `${bracket(address.address)}:${port}`,
    remote,
    emulator,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
