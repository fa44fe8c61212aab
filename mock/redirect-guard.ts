/**
 * The redirect guard: a loopback forwarder between `prism proxy` (the contract monitor) and a live
 * origin that never follows a redirect.
 *
 * Prism's forwarder (@stoplight/prism-http 5.x, dist/forwarder/index.js) calls node-fetch 2 with its
 * default `redirect: 'follow'`: on a 307/308 it resends the same request, body included (client_secret,
 * password, refresh token), to whatever host the `Location` names; node-fetch only drops Authorization
 * and cookies when the host changes. Prism has no option to turn that off, so Prism's upstream is this
 * guard instead of the origin. A 3xx from the origin is never passed on (Prism would follow it): the
 * guard answers 502 with the API's JSON error body naming the Location, which the suite reports as a
 * contract failure (status not documented), and logs it.
 */
import { describeLocation, isRedirect, REDIRECT_HEADER, redirectFailureMessage } from '../contract/redirects.ts';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface RefusedRedirect {
  method: string;
  /** The request path, without its query (it can hold a sudo_token). */
  path: string;
  status: number;
  /** Where the origin pointed, with any query left out. */
  location: string;
}

export interface RedirectGuard {
  /** Give this to `prism proxy` as its upstream, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Every redirect refused so far. */
  readonly refused: readonly RefusedRedirect[];
  close(): Promise<void>;
}

export interface RedirectGuardOptions {
  /** The live origin, e.g. `https://my-env.ap-shanghai.tcb-api.tencentcloudapi.com`. */
  upstream: string;
  /** Default 0 (any free port). The guard listens on 127.0.0.1 only. */
  port?: number;
  /** Where a refused redirect is reported; default stderr. */
  log?: (line: string) => void;
  /** Per request, default 60 s. */
  timeoutMs?: number;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

function forwardHeaders(headers: IncomingHttpHeaders, upstream: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  out.host = upstream.host;
  return out;
}

export async function startRedirectGuard(options: RedirectGuardOptions): Promise<RedirectGuard> {
  const upstream = new URL(options.upstream);
  if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') throw new Error(`redirect guard: upstream ${options.upstream} must be http or https`);
  const basePath = upstream.pathname.replace(/\/$/, '');
  const send = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const refused: RefusedRedirect[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const target = new URL(`${basePath}${req.url ?? '/'}`, upstream);
    const method = req.method ?? 'GET';
    // node:http never follows redirects: the answer below is the origin's own.
    const outgoing = send(target, { method, headers: forwardHeaders(req.headers, upstream), timeout: options.timeoutMs ?? 60_000 }, (answer) => {
      const status = answer.statusCode ?? 502;
      if (isRedirect(status)) {
        answer.resume();
        const entry: RefusedRedirect = { method, path: target.pathname, status, location: describeLocation(answer.headers.location, target) };
        refused.push(entry);
        const message = redirectFailureMessage(entry);
        log(`[redirect guard] contract failure: ${message}`);
        const body = JSON.stringify({ error: 'redirect_refused', error_code: 13, error_description: message });
        res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [REDIRECT_HEADER]: entry.location });
        res.end(body);
        return;
      }
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
      res.writeHead(status, headers);
      answer.pipe(res);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('upstream timed out')));
    outgoing.on('error', (error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const body = JSON.stringify({ error: 'unavailable', error_code: 14, error_description: `redirect guard: no answer from the upstream (${error.message})` });
      res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    req.pipe(outgoing);
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export { describeLocation, isRedirect, REDIRECT_HEADER, redirectFailureMessage };
