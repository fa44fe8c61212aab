import { test, expect, ok, operationLabel, operations, type ApiClient, type CallOptions, type Operation } from '../../fixtures/index.ts';
import { callOf, DEVICE_ID_TOO_LONG, EMULATOR_ONLY, operationsWithBody, OVERSIZED_BODY, refusal, wrongTypesBody } from './refusals.ts';

// Requests no operation can accept, for every operation of the contract: a body that is not JSON, not
// a JSON object, or has fields of the wrong types; an x-device-id of 72 characters or more; a body over
// the limit. And requests outside the contract: a known path with the wrong method, an unknown path.

/** Bodies that are not JSON at all, and JSON that is not an object. */
const NOT_A_JSON_OBJECT = [
  '{"username":',
  '{username: "ada"}',
  "{'username': 'ada'}",
  '{"a": 1,}',
  '\u0000\u0001\u0002',
  'undefined',
  '[]',
  '[{"username": "ada"}]',
  '"text"',
  '42',
  'null',
  'true',
];

const WRONG_METHODS: { method: 'GET' | 'PUT' | 'DELETE' | 'PATCH'; path: string; allow: string }[] = [
  { method: 'GET', path: '/auth/v1/signin', allow: 'POST, OPTIONS' },
  { method: 'PUT', path: '/auth/v1/user/me', allow: 'GET, DELETE, OPTIONS' },
  { method: 'DELETE', path: '/auth/v1/certs', allow: 'GET, OPTIONS' },
  { method: 'PATCH', path: '/auth/v1/token', allow: 'POST, OPTIONS' },
];
const UNKNOWN_PATHS: { method: 'GET' | 'POST'; path: string }[] = [
  { method: 'GET', path: '/auth/v1/nothing-here' },
  { method: 'POST', path: '/auth/v1/signin/' },
  { method: 'GET', path: '/auth/v3/user/me' },
  { method: 'GET', path: '/' },
];

/** A live access token when the operation needs one, so that the refusal is about the request itself. */
async function credentials(api: ApiClient, operation: Operation, deviceId: string): Promise<Pick<CallOptions, 'token'>> {
  if (!operation.security) return {};
  const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));
  return { token: String(tokens.access_token) };
}

function sendRaw(api: ApiClient, operation: Operation, rawBody: string, why: string, auth: Pick<CallOptions, 'token'>) {
  const call = callOf(operation);
  return api.call(call.method, call.path, { ...auth, params: call.params, rawBody, headers: { 'content-type': 'application/json' }, breaksContract: why });
}

for (const operation of operationsWithBody) {
  test.describe(`${operationLabel(operation)} with a malformed body`, () => {
    test('a body that is not a JSON object is refused with invalid_argument', { tag: '@stateful' }, async ({ api, target, deviceId }) => {
      const auth = await credentials(api, operation, deviceId);
      for (const rawBody of NOT_A_JSON_OBJECT) {
        const refused = await sendRaw(api, operation, rawBody, 'the body is not a JSON object', auth);

        await expect(refused, rawBody).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
      }
    });

    test('fields of the wrong type are refused with invalid_argument', { tag: '@stateful' }, async ({ api, target, deviceId }) => {
      const auth = await credentials(api, operation, deviceId);
      const call = callOf(operation);
      const data = wrongTypesBody(operation);

      const refused = await api.call(call.method, call.path, { ...auth, params: call.params, data, breaksContract: `wrong types: ${JSON.stringify(data)}` });

      await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
    });
  });
}

test('every operation refuses an x-device-id of 72 characters with invalid_argument', { tag: '@stateful' }, async ({ api, target, deviceId }) => {
  for (const operation of operations) {
    const auth = await credentials(api, operation, deviceId);
    const call = callOf(operation);

    const refused = await api.call(call.method, call.path, {
      ...auth,
      params: call.params,
      data: call.data,
      headers: { 'x-device-id': DEVICE_ID_TOO_LONG },
      breaksContract: 'x-device-id is at most 71 characters',
    });

    // docs (sign-out example): "device id must less than 72".
    await expect.soft(refused, operationLabel(operation)).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  }
});

test.describe('requests the emulator refuses before any operation sees them', () => {
  test.skip(({ target }) => target.name !== 'emulator', 'the body limit and the answers to a wrong method or an unknown path are the emulator\'s choices (docs/contract-decisions.md); the docs say nothing of them');

  test('every operation with a body refuses a body over 1 MiB with 413 invalid_argument', { tag: '@stateful' }, async ({ api }) => {
    for (const operation of operationsWithBody) {
      const call = callOf(operation);

      const refused = await api.call(call.method, call.path, { params: call.params, rawBody: OVERSIZED_BODY, breaksContract: 'the body is over the 1 MiB limit' });

      await expect.soft(refused, operationLabel(operation)).toBeAuthError('invalid_argument', EMULATOR_ONLY.bodyTooLarge);
    }
  });

  test('a known path with the wrong method is refused with 405 invalid_argument and names the allowed methods', { tag: '@stateful' }, async ({ api }) => {
    for (const { method, path, allow } of WRONG_METHODS) {
      const refused = await api.call(method, path, { breaksContract: `${path} does not answer ${method}` });

      await expect(refused).toBeAuthError('invalid_argument', EMULATOR_ONLY.wrongMethod);
      expect(refused.headers.allow, `${method} ${path}: Allow`).toBe(allow);
    }
  });

  test('an unknown path is refused with 404 not_found', { tag: '@stateful' }, async ({ api }) => {
    for (const { method, path } of UNKNOWN_PATHS) {
      const refused = await api.call(method, path, { breaksContract: `${path} is no path of the API` });

      await expect(refused).toBeAuthError('not_found', EMULATOR_ONLY.unknownPath);
    }
  });
});
