/**
 * The API client, transport aside: how a call becomes a request (headers the SDK sends, the client id,
 * the client secret of a refresh grant, secrets registered for redaction), how an answer is read, and
 * its redacted record for reports. `ContractClient` sends with fetch (scripts, benchmarks, unit
 * tests); the Playwright fixture (fixtures/api.ts) sends the same built request through its
 * APIRequestContext, so both speak to the API the same way.
 */
import { describeLocation, isRedirect, redirectFailureMessage } from './redirects.ts';
import { randomBytes } from 'node:crypto';
import type { ExchangeRequest } from './checks.ts';
import { checkResponse } from './checks.ts';
import { findOperation, type Operation } from './openapi.ts';
import { previewBody, redactHeaders, redactJson, redactText, registerSecret, registerSecretsIn, REDACTED, SECRET_KEYS } from './redact.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT' | 'OPTIONS' | 'HEAD';

export interface RequestOptions {
  /** A JSON body (serialized by the client). */
  data?: unknown;
  /** A raw body sent as is (malformed JSON, huge bodies). */
  rawBody?: string | Buffer;
  params?: Record<string, string | number | boolean | undefined>;
  /** Headers to add; `undefined` removes a default one. */
  headers?: Record<string, string | undefined>;
  /** Access token sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
}

/** What every request of one client carries. */
export interface ClientIdentity {
  /** x-device-id (32 hex characters, like the SDK's). */
  deviceId: string;
  /** Sent as the `client_id` query parameter of calls without a token. */
  clientId?: string;
  /** Sent with refresh-token grants, as the official SDK does. */
  clientSecret?: string;
}

export interface BuiltRequest {
  method: Method;
  /** The contract operation, if the call is one. */
  operation?: Operation;
  /** `METHOD /path/template` (or the path, outside the contract). */
  title: string;
  /** The full URL, query included. */
  url: URL;
  headers: Record<string, string>;
  /** The bytes sent. */
  body?: string | Buffer;
  /** What the checks judge: the JSON value sent, or the raw text. */
  record: ExchangeRequest;
}

export interface ApiAnswer<T = Record<string, unknown>> {
  /** `METHOD /path/template`, e.g. `POST /auth/v1/signin`. */
  operation: string;
  status: number;
  headers: Record<string, string>;
  /** The parsed JSON body (undefined when the body is not JSON). */
  body: T;
  text: string;
}

/** The token response of sign-in, sign-up and refresh. */
export interface TokenResponse {
  token_type: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope?: string;
  sub: string;
  groups?: string[];
  [extra: string]: unknown;
}

/** Answer fields that are secrets: registered so they are redacted wherever they show up later. */
const ANSWER_PUBLIC_KEYS: ReadonlySet<string> = new Set(['code']);

/** 32 hex characters, the form the official SDK uses for x-request-id and x-device-id (docs/api-facts.md "Origins, headers and common parameters"). */
export function hexId(): string {
  return randomBytes(16).toString('hex');
}

/** Build the request of one call: headers, query, body, and every secret in it registered for redaction. */
export function buildRequest(baseURL: string, method: Method, path: string, options: RequestOptions, identity: ClientIdentity): BuiltRequest {
  const operation = findOperation(method, path);
  const title = `${method} ${operation?.pathTemplate ?? path}`;
  const headers: Record<string, string> = { 'x-device-id': identity.deviceId, 'x-request-id': hexId() };
  if (options.data !== undefined) headers['content-type'] = 'application/json';
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[name.toLowerCase()];
    else headers[name.toLowerCase()] = value;
  }
  if (options.token !== undefined) {
    registerSecret(options.token);
    headers.authorization = `Bearer ${options.token}`;
  }

  const url = new URL(baseURL + path);
  if (identity.clientId && !options.token) url.searchParams.set('client_id', identity.clientId);
  for (const [name, value] of Object.entries(options.params ?? {})) {
    if (value === undefined) continue;
    url.searchParams.set(name, String(value));
    if (SECRET_KEYS.has(name)) registerSecret(String(value));
  }

  let data = options.data;
  if (method === 'POST' && operation?.pathTemplate === '/auth/v1/token' && identity.clientSecret) {
    // The official SDK sends its client id and secret with every refresh-token grant.
    const fields = data as Record<string, unknown> | undefined;
    if (fields && fields.grant_type === 'refresh_token' && fields.client_secret === undefined) {
      data = { client_id: identity.clientId, ...fields, client_secret: identity.clientSecret };
    }
  }
  registerSecretsIn(data);

  const body = options.rawBody ?? (data === undefined ? undefined : JSON.stringify(data));
  const record: ExchangeRequest = { method, url: url.toString(), headers, body: data ?? (typeof body === 'string' ? body : undefined) };
  return { method, operation, title, url, headers, body, record };
}

/** Read an answer: parse its JSON body and register the secrets it carries. */
export function readAnswer<T = Record<string, unknown>>(title: string, status: number, headers: Record<string, string>, text: string): ApiAnswer<T> {
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  // Every secret-named value an answer carries (tokens, captcha tokens, tickets...), wherever it sits; not
  // `code`, which in an answer is the gateway's error name (`{code, message}`), public by design.
  registerSecretsIn(parsed, ANSWER_PUBLIC_KEYS);
  return { operation: title, status, headers, body: parsed as T, text };
}

/**
 * Where a client may hang a hook on an answer that `ok()` calls before it throws: the Playwright
 * fixture records the unexpected answer as data for the known-deviations judge.
 */
export const ON_UNEXPECTED_ANSWER = Symbol('contract.onUnexpectedAnswer');

/** Fail loudly when a step does not get its 200: the message names the operation and the answer. */
export function ok<T>(answer: ApiAnswer<T>): T {
  if (answer.status !== 200) {
    const message = `${answer.operation} was expected to succeed but answered ${answer.status}: ${previewBody(answer.text)}`;
    (answer as { [ON_UNEXPECTED_ANSWER]?: (message: string) => void })[ON_UNEXPECTED_ANSWER]?.(message);
    throw new Error(message);
  }
  return answer.body;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The redacted exchange, as reports show it, and a curl line to replay it (secrets left out). */
export function exchangeReport(request: ExchangeRequest, answer: ApiAnswer<unknown>): string {
  const redactedBody = typeof request.body === 'string' ? previewBody(request.body, 2000) : redactJson(request.body);
  const url = redactText(request.url);
  const exchange = {
    request: { method: request.method, url, headers: redactHeaders(request.headers), body: redactedBody },
    response: {
      status: answer.status,
      headers: redactHeaders(answer.headers),
      body: answer.body === undefined ? previewBody(answer.text, 2000) : redactJson(answer.body),
    },
  };
  const curl = [
    `curl -sS -X ${request.method} ${shellQuote(url)}`,
    ...Object.entries(exchange.request.headers).map(([k, v]) => `-H ${shellQuote(`${k}: ${v}`)}`),
    ...(request.body === undefined ? [] : [`--data-raw ${shellQuote(typeof redactedBody === 'string' ? redactedBody : JSON.stringify(redactedBody))}`]),
  ].join(' \\\n  ');
  return `${JSON.stringify(exchange, null, 2)}\n\n# replay (secrets show as ${REDACTED}: put your own in)\n${curl}\n`;
}

/** The calls the shared flows make; the fetch client and the Playwright fixture both have them. */
export interface ApiCaller {
  get<T = Record<string, unknown>>(path: string, options?: RequestOptions): Promise<ApiAnswer<T>>;
  post<T = Record<string, unknown>>(path: string, options?: RequestOptions): Promise<ApiAnswer<T>>;
  patch<T = Record<string, unknown>>(path: string, options?: RequestOptions): Promise<ApiAnswer<T>>;
  delete<T = Record<string, unknown>>(path: string, options?: RequestOptions): Promise<ApiAnswer<T>>;
}

export interface ContractClientOptions extends Partial<ClientIdentity> {
  /** The API's origin, e.g. `http://127.0.0.1:8787`. */
  baseURL: string;
  /** Default 10 s. */
  timeoutMs?: number;
  /** Check every answer against the contract and throw on a departure (default: no). */
  checkAnswers?: boolean;
  /** Called after each answer (logging); a number it returns is a wait in ms before the same request is sent again. */
  onAnswer?: (answer: ApiAnswer<unknown>, attempt: number) => number | undefined | void;
  /** The transport; default the global fetch (an in-process Hono app passes `app.request`). */
  fetch?: FetchLike;
}

/** What the clients need of fetch. */
export type FetchLike = (url: string, init: RequestInit) => Response | Promise<Response>;

/** Thrown by `ContractClient` for an answer that departs from the contract (with `checkAnswers`). */
export class ContractDepartureError extends Error {
  override name = 'ContractDepartureError';
}

/** The fetch-based client: scripts, benchmarks and unit tests talk to the API (and the emulator) through it. */
export class ContractClient implements ApiCaller {
  private readonly identity: ClientIdentity;

  constructor(private readonly options: ContractClientOptions) {
    this.identity = { deviceId: options.deviceId ?? hexId(), clientId: options.clientId, clientSecret: options.clientSecret };
  }

  get baseURL(): string {
    return this.options.baseURL;
  }

  get<T = Record<string, unknown>>(path: string, options: RequestOptions = {}) {
    return this.call<T>('GET', path, options);
  }
  post<T = Record<string, unknown>>(path: string, options: RequestOptions = {}) {
    return this.call<T>('POST', path, options);
  }
  patch<T = Record<string, unknown>>(path: string, options: RequestOptions = {}) {
    return this.call<T>('PATCH', path, options);
  }
  delete<T = Record<string, unknown>>(path: string, options: RequestOptions = {}) {
    return this.call<T>('DELETE', path, options);
  }

  async call<T = Record<string, unknown>>(method: Method, path: string, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
    const request = buildRequest(this.options.baseURL, method, path, options, this.identity);
    for (let attempt = 0; ; attempt++) {
      const answer = await this.send<T>(request, options.timeoutMs ?? this.options.timeoutMs ?? 10_000);
      const wait = this.options.onAnswer?.(answer, attempt);
      if (typeof wait === 'number') {
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      if (this.options.checkAnswers && request.operation) {
        const departures = checkResponse(request.operation, { status: answer.status, headers: answer.headers, text: answer.text }, request.record);
        if (departures.length > 0) throw new ContractDepartureError(`${request.title} -> ${answer.status}: ${departures.map((d) => d.detail).join('; ')}`);
      }
      return answer;
    }
  }

  private async send<T>(request: BuiltRequest, timeoutMs: number): Promise<ApiAnswer<T>> {
    let response: Response;
    try {
      const body = typeof request.body === 'string' || request.body === undefined ? request.body : new Uint8Array(request.body);
      response = await (this.options.fetch ?? fetch)(request.url.toString(), { method: request.method, headers: request.headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new Error(`${request.title}: no answer from ${request.url.origin} (${reason})`, { cause: error });
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    if (isRedirect(response.status)) {
      // Never followed (redirect: 'manual'): following would resend the credentials elsewhere.
      throw new ContractDepartureError(redirectFailureMessage({ method: request.method, path: request.url.pathname, status: response.status, location: describeLocation(headers.location, request.url) }));
    }
    return readAnswer<T>(request.title, response.status, headers, await response.text());
  }
}

