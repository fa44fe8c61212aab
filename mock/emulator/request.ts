/**
 * Reading requests: the contract check every API route runs before its handler (`checkIncoming`,
 * against the same schemas the suite checks responses with), the JSON body (whatever the
 * Content-Type says), typed fields, the Bearer token, the client id, the phone number or email.
 * Every problem becomes a named `invalid_argument` that says which field is wrong and why.
 */
import type { Context } from 'hono';
import { checkRequest, operations, type Departure, type Operation } from '../../contract/index.ts';
import { invalidArgument } from './errors.ts';
import type { Contact } from './store.ts';

export type JsonObject = Record<string, unknown>;

/** Client ids are short (the env id by default); a longer one would make the access token, whose `aud` it is, outgrow its 4096 characters. */
export const MAX_CLIENT_ID_LENGTH = 256;

const parsedBodies = new WeakMap<Request, JsonObject>();

/**
 * The request body as a JSON object, parsed once per request. docs/api-facts.md "Origins, headers and common parameters": the SDK
 * sends JSON with no Content-Type (browsers then say text/plain), so the body is parsed as JSON
 * whatever the header says. An empty body counts as `{}`.
 */
export async function readJsonBody(c: Context): Promise<JsonObject> {
  const cached = parsedBodies.get(c.req.raw);
  if (cached) return cached;
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidArgument('request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgument('request body must be a JSON object');
  }
  // Checked before any handler acts on the body (sign-up must not create an account it then refuses).
  optionalString(value as JsonObject, 'client_id', { maxLength: MAX_CLIENT_ID_LENGTH });
  parsedBodies.set(c.req.raw, value as JsonObject);
  return value as JsonObject;
}

/** The contract operation a route serves (`:name` in Hono is `{name}` in openapi.yaml); undefined outside the contract. */
export function operationOfRoute(method: string, path: string): Operation | undefined {
  const template = path.replace(/:([^/]+)/g, '{$1}');
  return operations.find((op) => op.method === method && op.pathTemplate === template);
}

/** `phone_number`, `body`, `header x-device-id`: the field a departure is about, as a client names it. */
function fieldOf(departure: Departure): string {
  if (departure.location !== 'body') return `${departure.location} ${departure.pointer}`.trim();
  if (departure.pointer === '') return 'body';
  return departure.pointer.slice(1).split('/').map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
}

/** The error description of a refused request: each field, the rule it breaks, what it must be and what came (strings described, not echoed). */
export function describeDepartures(departures: readonly Departure[]): string {
  const requirement = (d: Departure) => (d.expected.startsWith('must ') ? d.expected : `must be ${d.expected}`);
  // A string that came is described, never echoed: the answer must not carry back what the client sent
  // (a `javascript:` redirect_uri, a mistyped secret).
  const found = (d: Departure) => (d.actual.startsWith('"') ? `a string of ${Math.max(0, d.actual.length - 2)} characters` : d.actual);
  const shown = departures.slice(0, 3).map((d) => `${fieldOf(d)}: ${d.rule} (${requirement(d)}; found ${found(d)})`);
  if (departures.length > shown.length) shown.push(`and ${departures.length - shown.length} more`);
  return shown.join('; ');
}

/**
 * Credentials are judged by the code that checks them, with the API's answer for a bad one: the
 * Bearer token by authentication (401 unauthenticated), the sudo_token by the sudo check (403
 * permission_denied, docs user-delete-me), missing or not.
 */
const isCredential = (d: Departure) => d.rule === 'security' || (d.location === 'query' && d.pointer === 'sudo_token');

/**
 * Check the incoming request against the operation's contract (the same JSON Schemas and parameters
 * the suite checks with) and refuse it with 400 invalid_argument, naming each field and rule.
 */
export async function checkIncoming(c: Context, operation: Operation, { tolerateUnknownFields = false } = {}): Promise<void> {
  const body = operation.requestSchema !== undefined ? await readJsonBody(c) : undefined;
  const tolerated = (d: Departure) => isCredential(d) || (tolerateUnknownFields && d.rule === 'additionalProperties');
  const departures = checkRequest(operation, { method: c.req.method, url: c.req.url, headers: c.req.header(), body }).filter((d) => !tolerated(d));
  if (departures.length > 0) throw invalidArgument(describeDepartures(departures));
}

/** The phone number or email of a body the request check let through (exactly one of them); emails compare in lower case. */
export function contactOf(body: JsonObject): Contact {
  const contact = optionalContact(body);
  if (!contact) throw invalidArgument('phone_number or email is required');
  return contact;
}

export function optionalContact(body: JsonObject): Contact | undefined {
  const phone = optionalString(body, 'phone_number');
  const email = optionalString(body, 'email');
  if (phone && email) throw invalidArgument('give phone_number or email, not both');
  if (phone) return { kind: 'phone', value: phone };
  if (email) return { kind: 'email', value: email.toLowerCase() };
  return undefined;
}

export function sameContact(a: Contact, b: Contact): boolean {
  return a.kind === b.kind && a.value === b.value;
}

/** A string field; absent (or null) gives undefined. */
export function optionalString(body: JsonObject, field: string, { maxLength = 4096 } = {}): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidArgument(`${field} must be a string`);
  if (value.length > maxLength) throw invalidArgument(`${field} must be at most ${maxLength} characters`);
  return value;
}

/** A non-empty string field. */
export function requiredString(body: JsonObject, field: string, options?: { maxLength?: number }): string {
  const value = optionalString(body, field, options);
  if (value === undefined || value === '') throw invalidArgument(`${field} is required`);
  return value;
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidArgument(`${field} must be a boolean`);
  return value;
}

export function optionalNumber(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidArgument(`${field} must be a number`);
  return value;
}

/** The token of an `Authorization: Bearer <token>` header; undefined for none or another scheme. */
export function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/** docs/api-facts.md "Origins, headers and common parameters": `client_id` (query, optional) defaults to the env id; the refresh body may carry it too. */
export function clientIdOf(c: Context, fallback: string, body?: JsonObject): string {
  const fromQuery = c.req.query('client_id');
  if (fromQuery) return fromQuery;
  const fromBody = body?.client_id;
  if (typeof fromBody === 'string' && fromBody !== '') return fromBody;
  return fallback;
}

/** The origin the client used, for the JWT `iss` (docs/api-facts.md "Tokens and JWT claims": `iss` is the host that issued the token). */
export function originOf(c: Context): string {
  const url = c.req.url;
  const end = url.indexOf('/', url.indexOf('//') + 2);
  return end < 0 ? url : url.slice(0, end);
}
