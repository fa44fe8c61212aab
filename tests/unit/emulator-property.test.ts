/**
 * Property: whatever arrives at any operation of the contract (random and malformed bodies, headers and
 * query strings, real tokens in the wrong places), the emulator answers JSON, with a status the
 * operation documents and a body that matches the contract, never 5xx, and keeps running.
 *
 * fast-check against a real emulator on a free loopback port, through Node's fetch. The seed is fixed
 * so that `npm test` is reproducible; `FC_SEED=<n>` tries others (`FC_RUNS=<n>` runs per operation), and
 * a failure prints the seed and the shrunk request to replay it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  ContractClient,
  ControlClient,
  formatFailure,
  operationLabel,
  operations,
  responseFailures,
  signUpWithCode,
  verificationToken,
  type Operation,
} from '../../contract/index.ts';
import { startEmulator, type RunningEmulator } from '../../mock/emulator/server.ts';

const SEED = Number(process.env.FC_SEED ?? 20240601);
const RUNS = Number(process.env.FC_RUNS ?? 25);
const ONE_MIB = 1024 * 1024;

let running: RunningEmulator;

before(async () => {
  running = await startEmulator({ port: 0, resendIntervalSeconds: 0, onInternalError: () => {} });
});
after(() => running.close());

interface Sent {
  status: number;
  headers: Record<string, string>;
  text: string;
}

async function send(method: string, path: string, init: { headers?: Record<string, string>; body?: string | Uint8Array } = {}): Promise<Sent> {
  let res: Response;
  try {
    res = await fetch(`${running.url}${path}`, { method, headers: init.headers, body: init.body as BodyInit | undefined });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`no answer to ${method} ${path.slice(0, 200)}: ${cause?.code ?? ''} ${cause?.message ?? (error as Error).message}`, { cause: error });
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => (headers[name] = value));
  return { status: res.status, headers, text: await res.text() };
}

async function json(method: string, path: string, body?: unknown, token?: string): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { 'x-device-id': 'property-test-device' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await send(method, path, { headers, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.equal(res.status, 200, `${method} ${path}: ${res.text}`);
  return JSON.parse(res.text) as Record<string, unknown>;
}

/** Real values of a fresh account, so that random requests also reach past authentication and lookups. */
interface Pool {
  accessToken: string;
  refreshToken: string;
  anonymousToken: string;
  sudoToken: string;
  providerToken: string;
  verificationId: string;
  verificationToken: string;
  phoneNumber: string;
  username: string;
}

let accounts = 0;
async function freshPool(): Promise<Pool> {
  accounts += 1;
  const phoneNumber = `+86 137${String(accounts).padStart(8, '0')}`;
  const username = `prop_user_${accounts}`;
  // The shared client and sign-up flow (contract/): a real account, made the way every client makes one.
  const api = new ContractClient({ baseURL: running.url, deviceId: 'property-test-device' });
  const control = new ControlClient(running.url);
  const user = await signUpWithCode(api, control, { phone_number: phoneNumber }, { username, password: 'Passw0rd!' });
  const anonymous = await json('POST', '/auth/v1/signin/anonymously', {});
  const sudo = await json('POST', '/auth/v1/user/sudo', { password: 'Passw0rd!' }, String(user.access_token));
  const provider = await json('POST', '/__emulator/provider-tokens', { provider_id: 'github' });
  const next = await json('POST', '/auth/v1/verification', { phone_number: phoneNumber, target: 'ANY' });
  const emailToken = await verificationToken(api, control, { email: `prop${accounts}@example.com` });
  return {
    accessToken: String(user.access_token),
    refreshToken: String(user.refresh_token),
    anonymousToken: String(anonymous.access_token),
    sudoToken: String(sudo.sudo_token),
    providerToken: String(provider.provider_token),
    verificationId: String(next.verification_id),
    verificationToken: emailToken,
    phoneNumber,
    username,
  };
}

// ---- arbitraries ---------------------------------------------------------------------------------

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 64 });
const longPrintable = fc.integer({ min: 64, max: 6000 }).chain((n) => fc.constantFrom('a', 'Z', '9', '%', ' ').map((c) => c.repeat(n)));

/** Values of known fields: real tokens and identifiers, near misses, and anything JSON. */
function fieldValue(pool: Pool): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...Object.values(pool), 'refresh_token', 'password', 'ANY', 'USER', 'NOT_USER', 'google', 'Passw0rd!', '') },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)) },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 1e308, true, false, null, [], {}, ['a'], { nested: { deeper: [1, 2] } }) },
  );
}

/** The fields an operation reads: every property of its request examples, plus the ones the emulator knows. */
function knownFields(operation: Operation): string[] {
  const fields = new Set(['grant_type', 'token', 'client_id', 'provider_token']);
  for (const example of operation.requestExamples) {
    if (example.value && typeof example.value === 'object') for (const key of Object.keys(example.value)) fields.add(key);
  }
  return [...fields];
}

function body(operation: Operation, pool: Pool): fc.Arbitrary<string | Uint8Array | undefined> {
  const example = JSON.stringify(operation.requestExamples[0]?.value ?? {});
  const fields = knownFields(operation);
  // Each known field present or not, with any value: the shape that reaches deepest into a handler.
  const objectOfFields = fc
    .tuple(fc.record(Object.fromEntries(fields.map((field) => [field, fieldValue(pool)])), { requiredKeys: [] }), fc.dictionary(fc.constantFrom('unexpected', '__proto__', 'constructor'), fieldValue(pool), { maxKeys: 2 }))
    .map(([known, extra]) => JSON.stringify({ ...extra, ...known }));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(example) },
    { weight: 6, arbitrary: objectOfFields },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }) },
    { weight: 1, arbitrary: fc.nat({ max: Math.max(0, example.length - 1) }).map((cut) => example.slice(0, cut)) },
    { weight: 1, arbitrary: fc.constantFrom('{', '}', '{"a":1,}', '[', 'null', 'NaN', '{"a":1}{"b":2}', '\uFEFF{}', ' ') },
    { weight: 1, arbitrary: fc.integer({ min: 100_000, max: ONE_MIB - 64 }).map((n) => JSON.stringify({ [fields[0] ?? 'a']: 'y'.repeat(n) })) },
    { weight: 1, arbitrary: fc.constant(`{"a":"${'z'.repeat(ONE_MIB)}"}`) },
  );
}

const headerName = fc.oneof(
  fc.constantFrom('undefined', 'null', 'x-device-id', 'x-request-id', 'authorization', 'content-type', 'origin', 'accept', 'x-forwarded-for', 'access-control-request-method', 'cookie', 'accept-encoding', 'range', 'if-none-match'),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,24}$/),
);

function headerValue(pool: Pool): fc.Arbitrary<string> {
  return fc.oneof(
    printable,
    longPrintable,
    fc.constantFrom(`Bearer ${pool.accessToken}`, `Bearer ${pool.anonymousToken}`, `Bearer ${pool.refreshToken}`, 'Bearer', 'Basic dXNlcjpwYXNz', 'd'.repeat(72), 'application/json', 'text/plain', '*/*', 'gzip'),
  );
}

function headers(pool: Pool): fc.Arbitrary<Record<string, string>> {
  return fc.dictionary(headerName, headerValue(pool), { maxKeys: 6 }).map((h) => {
    // What a client always sends, unless the random headers replace it.
    return { 'x-device-id': 'property-test-device', ...h };
  });
}

function queryString(pool: Pool): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom('client_id', 'sudo_token', 'with_user_center', 'token', 'phone_number', 'a[b]', ''), printable);
  const value = fc.oneof(fc.constantFrom(pool.sudoToken, 'emulator-env', 'true', 'false', '', '%'), printable, longPrintable);
  const encoded = fc.array(fc.tuple(key, value), { maxLength: 5 }).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
  const raw = fc.constantFrom('%', '%E0%A4%A', 'a=%ZZ', '&&&', '==', 'client_id=a&client_id=b', 'sudo_token', '?', 'x=%00', 'x=%FF%FE');
  return fc.oneof(fc.constant(''), encoded, raw);
}

const providerId = fc.oneof(fc.constantFrom('google', 'github', 'wx_open', '%E0%A4%A', '..', '%2F', 'a%2Fb'), fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent));

// ---- the property -------------------------------------------------------------------------------

interface RandomRequest {
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  /** Bearer operations: a live token signed in just before (so the request reaches the handler), the pool's, or none. */
  caller: 'fresh' | 'pool' | 'none';
}

function request(operation: Operation, pool: Pool): fc.Arbitrary<RandomRequest> {
  return fc.record({
    caller: operation.security ? fc.constantFrom<RandomRequest['caller']>('fresh', 'fresh', 'fresh', 'pool', 'none') : fc.constant<RandomRequest['caller']>('none'),
    path: operation.pathTemplate.includes('{') ? providerId.map((id) => operation.pathTemplate.replace(/\{[^}]+\}/, id)) : fc.constant(operation.pathTemplate),
    query: queryString(pool),
    headers: headers(pool),
    // fetch sends no body with GET.
    body: operation.method === 'GET' ? fc.constant(undefined) : body(operation, pool),
  });
}

function describeRequest(operation: Operation, r: RandomRequest): string {
  const body = r.body instanceof Uint8Array ? `<${r.body.length} random bytes>` : r.body === undefined ? '<none>' : r.body.length > 200 ? `${r.body.slice(0, 200)}... (${r.body.length} chars)` : r.body;
  return `${operation.method} ${r.path}${r.query ? `?${r.query}` : ''} (caller: ${r.caller})\n  headers: ${JSON.stringify(r.headers).slice(0, 400)}\n  body: ${body}`;
}

async function answersWithinContract(operation: Operation, pool: Pool, r: RandomRequest): Promise<void> {
  const url = `${r.path}${r.query ? `?${r.query}` : ''}`;
  const headers = { ...r.headers };
  if (r.caller !== 'none' && !Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
    const token = r.caller === 'pool' ? pool.accessToken : String((await json('POST', '/auth/v1/signin/anonymously', {})).access_token);
    headers.authorization = `Bearer ${token}`;
  }
  const answer = await send(operation.method, url, { headers, body: r.body });
  const where = `${describeRequest(operation, r)}\n  -> ${answer.status} ${answer.text.slice(0, 300)}`;
  assert.ok(answer.status < 500, `a 5xx answer:\n${where}`);
  const failures = responseFailures({ operation, request: { method: operation.method, url, headers }, response: answer });
  assert.deepEqual(failures.map(formatFailure), [], `not within the contract:\n${where}`);
}

describe(`random requests to every operation (FC_SEED=${SEED}, ${RUNS} runs each)`, () => {
  for (const operation of operations) {
    test(`${operationLabel(operation)} answers every request within the contract`, async () => {
      const pool = await freshPool();
      try {
        await fc.assert(
          fc.asyncProperty(request(operation, pool), (r) => answersWithinContract(operation, pool, r)),
          { seed: SEED, numRuns: RUNS, includeErrorInReport: true },
        );
      } catch (error) {
        throw new Error(`${operationLabel(operation)}: replay with FC_SEED=${SEED} npm run test:unit\n${(error as Error).message}`, { cause: error });
      }
    });
  }

  test('the emulator still answers afterwards', async () => {
    const certs = await send('GET', '/auth/v1/certs');
    assert.equal(certs.status, 200);
    assert.ok(Array.isArray((JSON.parse(certs.text) as { keys: unknown }).keys));
  });
});
