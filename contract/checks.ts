/**
 * Contract checks: pure functions over one exchange. No transport and no reporting here, so the same
 * checks judge the suite's requests and responses on every target, the emulator's incoming requests,
 * and hand-made exchanges in unit tests.
 *
 * Two views of one result:
 *  - `checkRequest(operation, request)` / `checkResponse(operation, response)`: flat, structured
 *    departures (operation, rule, JSON pointer, expected, actual, redacted body): what reports,
 *    the deviations matcher and the emulator's error answers read;
 *  - `requestMatchesContract` / `responseFailures`: the same, grouped per failed check, for the
 *    failure message people read (format.ts).
 */
import { ajv, schemaEntry, validateSchema } from './registry.ts';
import type { SchemaError } from './registry.ts';
import { documentedStatus, operationLabel } from './openapi.ts';
import type { Operation, Parameter } from './openapi.ts';
import { describeValueSchema, schemaErrorItems } from './format.ts';
import { previewBody } from './redact.ts';

export interface ExchangeRequest {
  method: string;
  /** A full URL or a path with its query string. */
  url: string;
  headers: Record<string, string>;
  /** The JSON value sent, if any. */
  body?: unknown;
}

export interface ExchangeResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The raw body. */
  text: string;
}

export interface Exchange {
  operation: Operation;
  request: ExchangeRequest;
  response: ExchangeResponse;
}

export type CheckName = 'statusIsDocumented' | 'contentTypeIsJson' | 'bodyMatchesSchema' | 'requestMatchesContract';

/** Where in the message a departure is. */
export type DepartureLocation = 'body' | 'query' | 'header' | 'path' | 'method' | 'status';

/** One thing a check found wrong, in words and as data. */
export interface Detail {
  /** A JSON Schema keyword (`required`, `pattern`, `type`...) or an envelope rule (`status`, `content-type`, `json`, `method`, `path`, `security`, `body`). */
  rule: string;
  location: DepartureLocation;
  /** A JSON pointer into the body (`/expires_in`; `` for the whole body), or the parameter's name. */
  pointer: string;
  /** What the contract asks for, in words. */
  expected: string;
  /** What was there, redacted and cut short. */
  actual: string;
  /** The line for people: `body.expires_in must be integer >= 1 (schema #/properties/expires_in); found "7200"`. */
  line: string;
  /** The schema node that judged it (`token-response.schema.json#/properties/expires_in`). */
  schemaPath?: string;
}

/**
 * A departure from the contract, as data: what the fixture attaches (`departures`, application/json),
 * what the reporters and the deviations file match, what the emulator answers a bad request with.
 */
export interface Departure extends Omit<Detail, 'line'> {
  /** `POST /auth/v1/signin`. */
  operation: string;
  operationId: string;
  side: 'request' | 'response';
  check: CheckName;
  /** The response status (response departures only). */
  status?: number;
  /** The heading of the failed check: `body does not match TokenResponse`. */
  summary: string;
  /** The line for people (same as in the failure message). */
  detail: string;
  schemaId?: string;
  /** The body, redacted and cut short. */
  body?: string;
}

export interface Failure {
  check: CheckName;
  operation: Operation;
  /** Which message of the exchange failed. */
  side: 'request' | 'response';
  /** The response status (response failures only). */
  status?: number;
  /** What failed, as a phrase: `body does not match TokenResponse`. */
  summary: string;
  /** What is wrong outside a schema: missing parameters, the documented statuses. */
  details: Detail[];
  /** `$id` of the schema the body was judged by. */
  schemaId?: string;
  /** Ajv errors (verbose), instance paths relative to the body. */
  schemaErrors: SchemaError[];
  /** The body as received (raw text) or sent (JSON value), for the preview line. */
  body?: unknown;
  /** Problems the summary already states (not repeated in the message), kept for the departures. */
  hiddenDetails?: Detail[];
}

type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

/** Parse a response body; an empty body is not JSON. */
export function parseJsonBody(text: string): Parsed {
  if (text.trim() === '') return { ok: false, reason: 'body is empty' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, reason: `body is not JSON (${(e as Error).message})` };
  }
}

function responseFailure(exchange: Exchange, check: CheckName, summary: string, extra: Partial<Failure> = {}): Failure {
  return {
    check,
    operation: exchange.operation,
    side: 'response',
    status: exchange.response.status,
    summary,
    details: [],
    schemaErrors: [],
    body: exchange.response.text,
    ...extra,
  };
}

function detail(rule: string, location: DepartureLocation, pointer: string, expected: string, actual: string, line: string): Detail {
  return { rule, location, pointer, expected, actual, line };
}

/** The status is listed for the operation, exactly or by its `NXX` range. */
export function statusIsDocumented(exchange: Exchange): Failure | undefined {
  const { operation, response } = exchange;
  if (documentedStatus(operation, response.status) !== undefined) return undefined;
  const documented = Object.keys(operation.responses).join(', ');
  return responseFailure(exchange, 'statusIsDocumented', `status ${response.status} is not documented`, {
    details: [detail('status', 'status', '', documented, String(response.status), `documented: ${documented}`)],
  });
}

const JSON_MEDIA_TYPE = /^application\/json\s*(;.*)?$/i;

/** The response says `application/json` (parameters allowed) and its body parses as JSON. */
export function contentTypeIsJson(exchange: Exchange): Failure | undefined {
  const contentType = exchange.response.headers['content-type'];
  const problems: Detail[] = [];
  if (contentType === undefined || contentType === '') {
    problems.push(detail('content-type', 'header', 'content-type', 'application/json', 'nothing', 'no content-type, expected application/json'));
  } else if (!JSON_MEDIA_TYPE.test(contentType.trim())) {
    problems.push(detail('content-type', 'header', 'content-type', 'application/json', contentType, `content-type is "${contentType}", expected application/json`));
  }
  const parsed = parseJsonBody(exchange.response.text);
  if (!parsed.ok) problems.push(detail('json', 'body', '', 'a JSON body', parsed.reason, parsed.reason));
  if (problems.length === 0) return undefined;
  // The summary says it all; the departures keep each problem apart.
  return responseFailure(exchange, 'contentTypeIsJson', problems.map((p) => p.line).join('; '), { hiddenDetails: problems });
}

/** The body matches the schema of its documented status (nothing to judge for an undocumented one). */
export function bodyMatchesSchema(exchange: Exchange): Failure | undefined {
  const key = documentedStatus(exchange.operation, exchange.response.status);
  const schemaId = key === undefined ? undefined : exchange.operation.responses[key]?.schema;
  if (schemaId === undefined) return undefined;
  const title = schemaEntry(schemaId).title;
  const parsed = parseJsonBody(exchange.response.text);
  if (!parsed.ok) {
    return responseFailure(exchange, 'bodyMatchesSchema', `body does not match ${title}: ${parsed.reason}`, {
      schemaId,
      hiddenDetails: [detail('json', 'body', '', `a JSON body matching ${title}`, parsed.reason, parsed.reason)],
    });
  }
  const errors = validateSchema(schemaId, parsed.value);
  if (errors.length === 0) return undefined;
  return responseFailure(exchange, 'bodyMatchesSchema', `body does not match ${title}`, { schemaId, schemaErrors: errors });
}

/**
 * Every check of a response, grouped per failed check, in order. A body that is not JSON is not
 * judged by the schema, nor is the body of an undocumented status (there is no schema for it).
 */
export function responseFailures(exchange: Exchange): Failure[] {
  const failures: Failure[] = [];
  const status = statusIsDocumented(exchange);
  if (status) failures.push(status);
  const json = contentTypeIsJson(exchange);
  if (json) failures.push(json);
  if (!status && parseJsonBody(exchange.response.text).ok) {
    const body = bodyMatchesSchema(exchange);
    if (body) failures.push(body);
  }
  return failures;
}

// Parameter values arrive as strings; a schema of another type judges the value they spell.
function parameterValue(raw: string, schema: Record<string, unknown>): unknown {
  if (schema.type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  if ((schema.type === 'integer' || schema.type === 'number') && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  return raw;
}

const parameterValidators = new WeakMap<object, ReturnType<typeof ajv.compile>>();

function parameterProblem(parameter: Parameter, raw: string): Detail | undefined {
  if (!parameter.schema) return undefined;
  let validate = parameterValidators.get(parameter.schema);
  if (!validate) {
    validate = ajv.compile(parameter.schema);
    parameterValidators.set(parameter.schema, validate);
  }
  if (validate(parameterValue(raw, parameter.schema))) return undefined;
  const errors = validate.errors ?? [];
  const rules = errors.map((e) => e.message ?? e.keyword).join(', ');
  const shown = parameter.in === 'header' || /token|secret|password/i.test(parameter.name) ? `${raw.length} characters` : JSON.stringify(raw);
  const location = parameter.in === 'cookie' ? 'header' : parameter.in;
  return detail(errors[0]?.keyword ?? 'schema', location, parameter.name, describeValueSchema(parameter.schema), shown, `${parameter.in} parameter ${parameter.name} ${rules}; found ${shown}`);
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/**
 * The request the suite is about to send (or sent) satisfies the contract. At most two failures:
 * one for the envelope (method, path, Bearer token where required, required parameters present,
 * every parameter value fits its schema, a body where one is required and none where none is
 * taken) and one for a JSON body that does not match the request schema.
 */
export function requestMatchesContract(operation: Operation, request: ExchangeRequest): Failure[] {
  const url = new URL(request.url, 'http://contract.invalid');
  const details: Detail[] = [];
  const method = request.method.toUpperCase();
  if (method !== operation.method) details.push(detail('method', 'method', '', operation.method, method, `method is ${method}, expected ${operation.method}`));
  const pathParams = operation.match(url.pathname);
  if (!pathParams) details.push(detail('path', 'path', '', operation.pathTemplate, url.pathname, `path ${url.pathname} does not fit ${operation.pathTemplate}`));

  if (operation.security) {
    const authorization = headerValue(request.headers, 'authorization');
    if (!authorization || !/^Bearer\s+\S+/i.test(authorization)) {
      const actual = authorization === undefined ? 'nothing' : 'another scheme';
      details.push(detail('security', 'header', 'authorization', 'Bearer <access_token>', actual, 'Authorization: Bearer <access_token> is required (security: bearer)'));
    }
  }

  for (const parameter of operation.parameters) {
    let raw: string | undefined;
    if (parameter.in === 'query') raw = url.searchParams.get(parameter.name) ?? undefined;
    else if (parameter.in === 'header') raw = headerValue(request.headers, parameter.name);
    else if (parameter.in === 'path') raw = pathParams?.[parameter.name];
    if (raw === undefined) {
      // A path that does not fit the template is reported once, above.
      if (parameter.required && !(parameter.in === 'path' && !pathParams)) {
        const location = parameter.in === 'cookie' ? 'header' : parameter.in;
        details.push(detail('required', location, parameter.name, 'present', 'nothing', `${parameter.in} parameter ${parameter.name} is required`));
      }
      continue;
    }
    const problem = parameterProblem(parameter, raw);
    if (problem) details.push(problem);
  }

  const { requestSchema } = operation;
  let schemaErrors: SchemaError[] = [];
  if (requestSchema === undefined) {
    if (request.body !== undefined) details.push(detail('body', 'body', '', 'no body', 'a body', `${operation.method} ${operation.pathTemplate} takes no request body`));
  } else if (request.body === undefined) {
    if (operation.requestBodyRequired) {
      const title = schemaEntry(requestSchema).title;
      details.push(detail('required', 'body', '', `a JSON body (${title})`, 'nothing', `a JSON body is required (${title})`));
    }
  } else {
    schemaErrors = validateSchema(requestSchema, request.body);
  }

  const failures: Failure[] = [];
  const base = { check: 'requestMatchesContract' as const, operation, side: 'request' as const, body: request.body };
  if (details.length > 0) failures.push({ ...base, summary: 'request does not match the contract', details, schemaErrors: [] });
  if (requestSchema !== undefined && schemaErrors.length > 0) {
    failures.push({ ...base, summary: `body does not match ${schemaEntry(requestSchema).title}`, details: [], schemaId: requestSchema, schemaErrors });
  }
  return failures;
}

/** The departures of one failed check: one per detail and per schema error line. */
export function departuresOf(failure: Failure): Departure[] {
  const body = failure.body === undefined ? undefined : previewBody(failure.body);
  const base = {
    operation: operationLabel(failure.operation),
    operationId: failure.operation.operationId,
    side: failure.side,
    check: failure.check,
    ...(failure.status !== undefined && { status: failure.status }),
    summary: failure.summary,
    ...(failure.schemaId !== undefined && { schemaId: failure.schemaId }),
    ...(body !== undefined && { body }),
  };
  const items = [...failure.details, ...(failure.hiddenDetails ?? []), ...schemaErrorItems(failure.schemaErrors, 'body', failure.schemaId)];
  if (items.length === 0) items.push(detail(failure.check, 'body', '', failure.summary, 'something else', failure.summary));
  return items.map(({ line, ...item }) => ({ ...base, ...item, detail: line }));
}

/**
 * The request keeps to the contract: method, path, Bearer token where required, parameters, body.
 * Pure; `[]` when it does. The emulator answers a request with departures 400 invalid_argument.
 */
export function checkRequest(operation: Operation, request: ExchangeRequest): Departure[] {
  return requestMatchesContract(operation, request).flatMap(departuresOf);
}

/** The response keeps to the contract: documented status, JSON, body matching that status's schema. Pure; `[]` when it does. */
export function checkResponse(operation: Operation, response: ExchangeResponse, request?: ExchangeRequest): Departure[] {
  const exchange: Exchange = { operation, request: request ?? { method: operation.method, url: operation.pathTemplate, headers: {} }, response };
  return responseFailures(exchange).flatMap(departuresOf);
}
