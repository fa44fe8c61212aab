/**
 * Reading requests: the JSON body (whatever the Content-Type says), typed fields, the Bearer token,
 * the client id. Every problem becomes a named `invalid_argument` that says which field is wrong.
 */
import type { Context } from 'hono';
import { invalidArgument } from './errors.ts';

export type JsonObject = Record<string, unknown>;

/** Client ids are short (the env id by default); a longer one would make the access token, whose `aud` it is, outgrow its 4096 characters. */
export const MAX_CLIENT_ID_LENGTH = 256;

/**
 * The request body as a JSON object. docs/api-facts.md, "Origins, headers and common parameters": the SDK sends JSON with no Content-Type
 * (browsers then say text/plain), so the body is parsed as JSON whatever the header says.
 * An empty body counts as `{}`.
 */
export async function readJsonBody(c: Context): Promise<JsonObject> {
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
  return value as JsonObject;
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

/** docs/api-facts.md, "Origins, headers and common parameters": `client_id` (query, optional) defaults to the env id; the refresh body may carry it too. */
export function clientIdOf(c: Context, fallback: string, body?: JsonObject): string {
  const fromQuery = c.req.query('client_id');
  if (fromQuery) return fromQuery;
  const fromBody = body?.client_id;
  if (typeof fromBody === 'string' && fromBody !== '') return fromBody;
  return fallback;
}

/** The origin the client used, for the JWT `iss` (docs/api-facts.md, "Tokens and JWT claims": `iss` is the host that issued the token). */
export function originOf(c: Context): string {
  const url = c.req.url;
  const end = url.indexOf('/', url.indexOf('//') + 2);
  return end < 0 ? url : url.slice(0, end);
}
