/**
 * The request log: every API request the emulator receives, redacted, with the ways it departs from
 * the contract's request schemas. An SDK author runs their own tests against the emulator and reads
 * which requests a real server would have refused, even where the emulator was lenient
 * (`GET /__emulator/requests`, `?format=har`, `cloudbase-auth-emulator --report <file>`).
 *
 * Emulator-only requests (`/__emulator/*`) are not recorded: they are the test's, not the SDK's.
 * Requests refused by the body limit (over 1 MiB: 413) are not recorded either.
 */
import type { MiddlewareHandler } from 'hono';
import type { Clock } from './clock.ts';
// ---- contract adapter: the only imports of the contract runtime and of redaction ----
import { checkRequest as contractCheckRequest, findOperation, operations } from '../../contract/index.ts';
import { REDACTED, SECRET_KEYS, redactHeaders, redactJson, redactText } from '../../contract/index.ts';

/** One way a request departs from the contract (values redacted): the contract's departure, for people and for programs. */
export interface Departure {
  /** `envelope` (method, path, Bearer token, parameters, body presence) or `body` (request schema). */
  where: 'envelope' | 'body';
  summary: string;
  details: string[];
  /** The JSON Schema keyword or envelope rule broken (`pattern`, `required`, `security`...); absent for a path outside the contract. */
  rule?: string;
  /** JSON pointer into the body, or the parameter's name. */
  pointer?: string;
}

export interface OperationRef {
  /** The contract's operationId, e.g. `signIn`. */
  id: string;
  /** `POST /auth/v1/signin`. */
  label: string;
}

/** The contract operation of a request, or undefined for a path the contract does not have. */
export function operationOf(method: string, path: string): OperationRef | undefined {
  const operation = findOperation(method, path);
  return operation && { id: operation.operationId, label: `${operation.method} ${operation.pathTemplate}` };
}

/** Every operation of the contract. */
export function contractOperations(): OperationRef[] {
  return operations.map((o) => ({ id: o.operationId, label: `${o.method} ${o.pathTemplate}` }));
}

/**
 * The adapter: the contract's verdict on one request, as departures. A path the contract does not
 * have is itself a departure. `body` is the parsed JSON body, the raw text when it is not JSON, or
 * undefined when there was none.
 */
export function checkRequest(request: { method: string; url: string; headers: Record<string, string>; body?: unknown }): Departure[] {
  const operation = findOperation(request.method, request.url);
  if (!operation) {
    return [{ where: 'envelope', summary: `${request.method} ${new URL(request.url, 'http://x').pathname} is not an operation of the contract`, details: [] }];
  }
  if (typeof request.body === 'string') {
    return [{ where: 'body', summary: 'request body is not JSON', details: [] }];
  }
  return contractCheckRequest(operation, request).map((departure) => ({
    where: departure.location === 'body' ? 'body' : 'envelope',
    summary: departure.summary,
    details: [redactText(departure.detail)],
    rule: departure.rule,
    pointer: departure.pointer,
  }));
}

function redactUrl(pathAndQuery: string): string {
  const url = new URL(pathAndQuery, 'http://x');
  for (const [key, value] of [...url.searchParams]) url.searchParams.set(key, SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redactText(value));
  return `${url.pathname}${url.search}`;
}
// ---- end of the contract adapter ----

export interface LoggedRequest {
  /** 1, 2, 3... in arrival order; survives `clear`. */
  seq: number;
  /** ISO time of arrival (wall clock). */
  started: string;
  /** The emulator's clock at arrival (epoch seconds), which tests may have moved. */
  emulator_time: number;
  duration_ms: number;
  method: string;
  /** Path and query, secret query values redacted. */
  url: string;
  operation?: OperationRef;
  headers: Record<string, string>;
  /** Parsed JSON (redacted), the raw text (redacted) when not JSON, or absent. */
  body?: unknown;
  /** 0 when the emulator dropped the connection (a `drop` fault). */
  status: number;
  response_headers: Record<string, string>;
  /** The answer's JSON body, redacted. */
  response_body?: unknown;
  /** What a real server could refuse in this request; empty when it keeps to the contract. */
  departures: Departure[];
  /** The fault that answered, if any (`rate_limited`, `drop`...). */
  fault?: string;
}

/** At most this many requests are kept (oldest dropped first), so the log cannot grow without bound. */
export const MAX_LOGGED_REQUESTS = 5000;

/**
 * A request as received, before it is judged and redacted. Judging (ajv) and redacting cost more than
 * answering, so they happen when the log is read, once per entry: the emulator keeps its speed.
 * The raw entry lives only in memory, like every token the emulator holds.
 */
export interface RawRequest {
  startedMs: number;
  emulatorTime: number;
  durationMs: number;
  method: string;
  pathAndQuery: string;
  headers: Record<string, string>;
  bodyText: string;
  status: number;
  responseHeaders: Record<string, string>;
  responseText: string;
}

/** Judge and redact one raw request. */
export function renderRequest(seq: number, raw: RawRequest): LoggedRequest {
  const pathname = raw.pathAndQuery.split('?')[0] ?? '';
  const body = parsedBody(raw.bodyText);
  const fault = raw.responseHeaders[FAULT_HEADER];
  const responseBody = parsedBody(raw.responseText);
  const operation = operationOf(raw.method, pathname);
  return {
    seq,
    started: new Date(raw.startedMs).toISOString(),
    emulator_time: raw.emulatorTime,
    duration_ms: raw.durationMs,
    method: raw.method,
    url: redactUrl(raw.pathAndQuery),
    ...(operation ? { operation } : {}),
    headers: redactHeaders(raw.headers),
    ...(body === undefined ? {} : { body: redactJson(body) }),
    status: fault === 'drop' ? 0 : raw.status,
    response_headers: redactHeaders(raw.responseHeaders),
    ...(responseBody === undefined ? {} : { response_body: redactJson(responseBody) }),
    departures: raw.method === 'OPTIONS' ? [] : checkRequest({ method: raw.method, url: raw.pathAndQuery, headers: raw.headers, body }),
    ...(fault ? { fault } : {}),
  };
}

export class RequestLog {
  readonly #entries: { seq: number; raw: RawRequest; rendered?: LoggedRequest }[] = [];
  #seq = 0;
  #dropped = 0;

  add(raw: RawRequest): void {
    this.#entries.push({ seq: ++this.#seq, raw });
    if (this.#entries.length > MAX_LOGGED_REQUESTS) {
      this.#entries.shift();
      this.#dropped++;
    }
  }

  /** Every logged request, judged and redacted. */
  entries(): LoggedRequest[] {
    return this.#entries.map((entry) => (entry.rendered ??= renderRequest(entry.seq, entry.raw)));
  }

  clear(): void {
    this.#entries.length = 0;
    this.#dropped = 0;
  }

  /** `GET /__emulator/requests`: the requests and a count of those that depart from the contract. */
  summary() {
    const requests = this.entries();
    return {
      total: requests.length,
      departing: requests.filter((e) => e.departures.length > 0).length,
      dropped_from_log: this.#dropped,
      requests,
    };
  }

  /** HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/); departures go in `_departures`. */
  har(baseUrl: string) {
    const pairs = (record: Record<string, string>) => Object.entries(record).map(([name, value]) => ({ name, value }));
    return {
      log: {
        version: '1.2',
        creator: { name: 'cloudbase-auth-emulator', version: '0.1.0' },
        entries: this.entries().map((e) => {
          const url = new URL(e.url, baseUrl);
          const requestText = e.body === undefined ? undefined : typeof e.body === 'string' ? e.body : JSON.stringify(e.body);
          const responseText = e.response_body === undefined ? '' : JSON.stringify(e.response_body);
          return {
            startedDateTime: e.started,
            time: e.duration_ms,
            request: {
              method: e.method,
              url: url.href,
              httpVersion: 'HTTP/1.1',
              cookies: [],
              headers: pairs(e.headers),
              queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
              ...(requestText === undefined ? {} : { postData: { mimeType: e.headers['content-type'] ?? 'application/json', text: requestText } }),
              headersSize: -1,
              bodySize: requestText === undefined ? 0 : Buffer.byteLength(requestText),
            },
            response: {
              status: e.status,
              statusText: '',
              httpVersion: 'HTTP/1.1',
              cookies: [],
              headers: pairs(e.response_headers),
              content: { size: Buffer.byteLength(responseText), mimeType: e.response_headers['content-type'] ?? 'application/json', text: responseText },
              redirectURL: '',
              headersSize: -1,
              bodySize: e.status === 0 ? -1 : Buffer.byteLength(responseText),
            },
            cache: {},
            timings: { send: 0, wait: e.duration_ms, receive: 0 },
            _operation: e.operation?.id,
            _departures: e.departures,
            ...(e.fault ? { _fault: e.fault } : {}),
          };
        }),
      },
    };
  }
}

function headersOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function parsedBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Marks a response the faults middleware answered, so the log can say which fault it was. */
export const FAULT_HEADER = 'x-emulator-fault';

/**
 * Records every API request. Registered after the body limit: it reads the body up front (Hono keeps
 * it for the handler), so a request the handler never reads (a 401 before the handler) is judged whole.
 */
export function requestLogMiddleware(log: RequestLog, clock: Clock): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path.startsWith('/__emulator')) return next();
    const startedMs = Date.now();
    const emulatorTime = clock.now();
    const method = c.req.method;
    const bodyText = method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? '' : await c.req.text();
    const url = new URL(c.req.url);
    let status = 0;
    try {
      await next();
      status = c.res.status;
    } finally {
      const responseHeaders = c.finalized ? headersOf(c.res.headers) : {};
      const responseText = c.finalized && status !== 0 && responseHeaders[FAULT_HEADER] !== 'drop' ? await c.res.clone().text().catch(() => '') : '';
      log.add({
        startedMs,
        emulatorTime,
        durationMs: Date.now() - startedMs,
        method,
        pathAndQuery: `${url.pathname}${url.search}`,
        headers: headersOf(c.req.raw.headers),
        bodyText,
        status,
        responseHeaders,
        responseText,
      });
    }
  };
}
