/**
 * Every error the emulator can answer, checked against the official SDK's own tables, read from the
 * installed package (so an SDK upgrade that moves a number makes this fail):
 * - `AuthErrorCode` (numbers) and `AuthError` (how the SDK files an answer): the runtime exports of
 *   `@cloudbase/js-sdk/oauth` 3.7.0;
 * - `ErrorType` (the `error` strings the SDK knows): `src/auth/consts.ts` in the `sourcesContent` of
 *   `@cloudbase/js-sdk/oauth/dist/index.js.map` (the enum is not exported at runtime).
 *
 * The rule (docs/api-facts.md, "Error model"): a number of the SDK's code table is only sent with the
 * meaning that table gives it. A client that dispatches on `error_code` must never open a captcha flow
 * for a wrong password (4001 = captcha_required).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import * as errors from '../../mock/emulator/errors.ts';
import { testEmulator } from './emulator-helpers.ts';

const require = createRequire(import.meta.url);

interface SdkAuthError {
  category: string;
}
interface SdkOAuthModule {
  AuthErrorCode: Record<string, string | number>;
  AuthError: new (body: Record<string, unknown>) => SdkAuthError;
}
const sdk = require('@cloudbase/js-sdk/oauth') as SdkOAuthModule;

/** `AuthErrorCode` as number -> lower-case name, e.g. 4001 -> `captcha_required`. */
const SDK_CODES = new Map<number, string>(
  Object.entries(sdk.AuthErrorCode)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, code]) => [code, name.toLowerCase()]),
);

/** The string values of `enum ErrorType` in the SDK's own source, as shipped in its source map. */
function sdkErrorTypes(): Set<string> {
  const mapFile = join(dirname(require.resolve('@cloudbase/js-sdk/oauth')), 'index.js.map');
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sourcesContent?: (string | null)[] };
  const consts = (map.sourcesContent ?? []).find((source) => source?.includes('export enum ErrorType'));
  assert.ok(consts, `no source with "export enum ErrorType" in ${mapFile}`);
  const body = consts.slice(consts.indexOf('export enum ErrorType'));
  const enumBody = body.slice(body.indexOf('{') + 1, body.indexOf('}'));
  return new Set([...enumBody.matchAll(/=\s*'([a-z_]+)'/g)].map((m) => m[1] as string));
}
const SDK_ERROR_TYPES = sdkErrorTypes();

/** google.rpc.Code: the numbers a gRPC-gateway server uses for its canonical error names. */
const GRPC_CODES: Record<string, number> = {
  cancelled: 1,
  unknown: 2,
  invalid_argument: 3,
  deadline_exceeded: 4,
  not_found: 5,
  already_exists: 6,
  permission_denied: 7,
  resource_exhausted: 8,
  failed_precondition: 9,
  aborted: 10,
  out_of_range: 11,
  unimplemented: 12,
  internal: 13,
  unavailable: 14,
  data_loss: 15,
  unauthenticated: 16,
};

const category = (body: Record<string, unknown>) => new sdk.AuthError(body).category;

/** Why `{error, error_code}` would mislead the SDK or a client reading its code table; undefined if it does not. */
function misreading(error: string, code: number): string | undefined {
  if (!SDK_ERROR_TYPES.has(error)) return `"${error}" is not in the SDK's ErrorType`;
  if (!Number.isInteger(code) || code === 0) return `error_code ${code} is not a non-zero integer`;
  const sdkName = SDK_CODES.get(code);
  if (sdkName === undefined) {
    return GRPC_CODES[error] === code ? undefined : `error_code ${code} is in neither the SDK's code table nor google.rpc.Code for "${error}"`;
  }
  if (sdkName === error) return undefined;
  if (code >= 1000) return `error_code ${code} is ${sdkName} in the SDK's code table, not ${error}`;
  // A gRPC number sent with a more specific name: the SDK must read the number alone as it reads the name alone.
  const byNumber = category({ error_code: code });
  const byName = category({ error });
  return byNumber !== 'UNKNOWN' && byNumber === byName
    ? undefined
    : `error_code ${code} (${sdkName}) reads as ${byNumber} to the SDK, "${error}" as ${byName}`;
}

/** Every ApiError the helpers of mock/emulator/errors.ts build (family helpers included). */
function everyEmulatorError(): { helper: string; error: errors.ApiError }[] {
  const out: { helper: string; error: errors.ApiError }[] = [];
  for (const [helper, value] of Object.entries(errors)) {
    if (typeof value !== 'function' || value === errors.ApiError) continue;
    // Every helper takes a description (or method/path, a size, an allow-list, a thrown value) first.
    const built = (value as (...args: unknown[]) => unknown)('described in a test', ['POST']);
    if (built instanceof errors.ApiError) out.push({ helper, error: built });
  }
  return out;
}

/** Every `{error, error_code}` pair in the examples of schemas/openapi.yaml (what Prism serves). */
function openapiErrorExamples(): { at: string; error: string; code: number }[] {
  const doc = parseYaml(readFileSync(new URL('../../schemas/openapi.yaml', import.meta.url), 'utf8')) as unknown;
  const found: { at: string; error: string; code: number }[] = [];
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}[${i}]`));
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.error === 'string' && typeof record.error_code === 'number') found.push({ at, error: record.error, code: record.error_code });
      for (const [key, value] of Object.entries(record)) walk(value, `${at}.${key}`);
    }
  };
  walk(doc, '#');
  return found;
}

describe("the emulator's errors against the SDK's tables", () => {
  it('reads the tables from the installed SDK', () => {
    assert.equal(SDK_CODES.get(4001), 'captcha_required');
    assert.ok(SDK_ERROR_TYPES.has('invalid_password') && SDK_ERROR_TYPES.has('captcha_required'), 'ErrorType parsed from the source map');
  });

  it('finds every helper of errors.ts', () => {
    const helpers = everyEmulatorError().map((e) => e.helper);
    for (const expected of ['invalidArgument', 'unauthenticated', 'invalidPassword', 'invalidGrant', 'loginTypeDisabled', 'failedPrecondition', 'internal']) {
      assert.ok(helpers.includes(expected), `${expected} is built`);
    }
  });

  it('sends no error_code that means something else in the SDK', () => {
    const problems = everyEmulatorError()
      .map(({ helper, error }) => ({ helper, problem: misreading(error.error, error.errorCode) }))
      .filter((p) => p.problem !== undefined)
      .map((p) => `${p.helper}: ${p.problem}`);
    assert.deepEqual(problems, []);
  });

  it('answers with an error status and the body of its own fields', () => {
    for (const { helper, error } of everyEmulatorError()) {
      assert.ok(error.status >= 400 && error.status <= 599, `${helper}: status ${error.status}`);
      assert.deepEqual(error.body(), { error: error.error, error_code: error.errorCode, error_description: error.description }, helper);
    }
  });

  it('never sends 4001 for a wrong password or a dead refresh token (the bug this table fixes)', () => {
    assert.notEqual(errors.invalidPassword().errorCode, 4001);
    assert.notEqual(errors.invalidGrant().errorCode, 4001);
    assert.equal(category(errors.invalidPassword().body()), 'INVALID_CREDENTIALS');
    assert.equal(category(errors.invalidGrant().body()), 'INVALID_CREDENTIALS');
  });

  it('catches a misread code (the check can fail)', () => {
    assert.match(misreading('invalid_password', 4001) ?? '', /captcha_required/);
    assert.match(misreading('invalid_password', 3) ?? '', /INVALID_PARAMS/);
    assert.match(misreading('no_such_error', 3) ?? '', /ErrorType/);
    assert.match(misreading('already_exists', 60) ?? '', /neither/);
  });

  it("keeps the OpenAPI document's error examples (what Prism serves) to the same rule", () => {
    const problems = openapiErrorExamples()
      .map(({ at, error, code }) => ({ at, problem: misreading(error, code) }))
      .filter((p) => p.problem !== undefined)
      .map((p) => `${p.at}: ${p.problem}`);
    assert.deepEqual(problems, []);
  });
});

describe("what the SDK makes of the emulator's refusals (AuthError.category)", () => {
  it('files each refusal where an app expects it: credentials, user, precondition, login method, rate', async () => {
    const api = testEmulator();
    const user = await api.signUpByPhone({ username: 'category_check' });
    const sdkReads = async (answer: Promise<{ status: number; body: Record<string, unknown> }>) => category((await answer).body);

    assert.equal(await sdkReads(api.call('POST', '/auth/v1/signin', { json: { username: 'category_check', password: 'Wr0ng!pass' } })), 'INVALID_CREDENTIALS');
    assert.equal(await sdkReads(api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: 'm.never-issued' } })), 'INVALID_CREDENTIALS');
    assert.equal(await sdkReads(api.call('GET', '/auth/v1/user/me', { token: 'not-a-token' })), 'INVALID_CREDENTIALS');
    assert.equal(await sdkReads(api.call('POST', '/auth/v1/signin', { json: { username: 'nobody_here', password: 'Wr0ng!pass' } })), 'USER_NOT_FOUND');
    assert.equal(await sdkReads(api.call('POST', '/auth/v1/verification', { json: { phone_number: api.nextPhone(), target: 'USER' } })), 'USER_NOT_FOUND');
    assert.equal(await sdkReads(api.call('POST', '/auth/v1/verification', { json: { phone_number: user.phone_number, target: 'NOT_USER' } })), 'PRECONDITION_FAILED');
    assert.equal(await sdkReads(api.call('POST', '/auth/v1/user/sudo', { token: user.access_token, json: { password: 'Wr0ng!pass' } })), 'INVALID_CREDENTIALS');

    await api.call('PATCH', '/__emulator/config', { json: { password_login_enabled: false, resend_interval_seconds: 60 } });
    assert.equal(await sdkReads(api.call('POST', '/auth/v1/signin', { json: { username: 'category_check', password: user.password } })), 'PROVIDER_NOT_ENABLED');
    const phone = api.nextPhone();
    await api.call('POST', '/auth/v1/verification', { json: { phone_number: phone, target: 'ANY' } });
    assert.equal(await sdkReads(api.call('POST', '/auth/v1/verification', { json: { phone_number: phone, target: 'ANY' } })), 'RATE_LIMITED');
  });
});
