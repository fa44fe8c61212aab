import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { test, expect, ok, operationLabel, refreshRequest, type ApiClient, type ApiResult, type CallOptions } from '../../fixtures/index.ts';
import { callOf, protectedOperations, refusal, type OperationCall } from './refusals.ts';

// Every Bearer operation of the contract, generated from schemas/openapi.yaml (as Schemathesis's
// `ignored_auth` check does): whoever cannot show a live access token is refused with 401
// unauthenticated, whatever the request otherwise says.

/** Authorization headers around a live access token that are not `Bearer <token>`. */
const MALFORMED_AUTHORIZATION: ((token: string) => string)[] = [
  () => 'Bearer',
  (token) => token,
  (token) => `Token ${token}`,
  (token) => `Basic ${token}`,
  (token) => `Bearer ${token} ${token}`,
  (token) => `Bearer:${token}`,
];

// docs (auth-token-introspect): a dead, expired or foreign token is answered 200 `{}`, not refused;
// only a request without any Bearer token is (openapi: the common rule for Bearer operations).
const DEAD_TOKEN_IS_ANSWERED = new Set(['introspectToken']);

/** A key the server never saw: a token signed with it carries a forged signature. Made once a worker needs it (an RSA key costs a quarter second). */
let forgerKey: ReturnType<typeof generateKeyPair> | undefined;

/** The same header and claims as a real access token, signed with another key. */
async function forged(accessToken: string): Promise<string> {
  const header = decodeProtectedHeader(accessToken);
  forgerKey ??= generateKeyPair('RS256');
  return new SignJWT(decodeJwt(accessToken)).setProtectedHeader({ ...header, alg: 'RS256' }).sign((await forgerKey).privateKey);
}

async function anonymousAccessToken(api: ApiClient, deviceId: string): Promise<string> {
  const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));
  return String(tokens.access_token);
}

function send(api: ApiClient, call: OperationCall, extra: CallOptions = {}): Promise<ApiResult> {
  return api.call(call.method, call.path, { params: call.params, data: call.data, ...extra });
}

for (const operation of protectedOperations) {
  const call = callOf(operation);

  test.describe(`${operationLabel(operation)} without a live access token`, () => {
    test('a request without Authorization is refused with unauthenticated', { tag: '@stateful' }, async ({ api, target }) => {
      const refused = await send(api, call, { breaksContract: 'no Authorization header on a Bearer operation' });

      await expect(refused).toBeAuthError('unauthenticated', refusal(target, 'unauthenticated'));
    });

    test('a live token in a malformed Authorization header is refused with unauthenticated', { tag: '@stateful' }, async ({ api, target, deviceId }) => {
      const token = await anonymousAccessToken(api, deviceId);
      for (const [variant, malformed] of MALFORMED_AUTHORIZATION.entries()) {
        const refused = await send(api, call, { headers: { authorization: malformed(token) }, breaksContract: 'the Authorization header is not "Bearer <token>"' });

        await expect(refused, `malformed Authorization header #${variant + 1}`).toBeAuthError('unauthenticated', refusal(target, 'unauthenticated'));
      }
    });
  });
}

for (const operation of protectedOperations.filter((o) => !DEAD_TOKEN_IS_ANSWERED.has(o.operationId))) {
  const call = callOf(operation);

  test.describe(`${operationLabel(operation)} with a dead access token`, () => {
    test('a token with a forged signature is refused with unauthenticated', { tag: '@stateful' }, async ({ api, target, deviceId }) => {
      const token = await forged(await anonymousAccessToken(api, deviceId));

      await expect(await send(api, call, { token })).toBeAuthError('unauthenticated', refusal(target, 'unauthenticated'));
    });

    test('a revoked token is refused with unauthenticated', { tag: '@stateful' }, async ({ api, target, deviceId }) => {
      const token = await anonymousAccessToken(api, deviceId);
      ok(await api.post('/auth/v1/revoke', { data: { token } }));

      await expect(await send(api, call, { token })).toBeAuthError('unauthenticated', refusal(target, 'unauthenticated'));
    });

    test('an expired token is refused with unauthenticated', { tag: ['@stateful', '@serial', '@emulator-control'] }, async ({ api, target, deviceId, emulator }) => {
      const token = await anonymousAccessToken(api, deviceId);
      // docs (e.g. https://docs.cloudbase.net/http-api/auth/auth-sign-in-anonymously): access tokens live 7200 s.
      await emulator.advanceClock(7201);

      await expect(await send(api, call, { token })).toBeAuthError('unauthenticated', refusal(target, 'unauthenticated'));
    });
  });
}

test.describe('GET /auth/v1/token/introspect with a dead access token', () => {
  test('a token with a forged signature is introspected as inactive', { tag: '@stateful' }, async ({ api, deviceId }) => {
    const token = await forged(await anonymousAccessToken(api, deviceId));

    const introspected = ok(await api.get('/auth/v1/token/introspect', { token }));
    // Inactive: it names no user, no type and no scope. Other fields may come: the API may grow.
    expect(introspected).not.toHaveProperty('sub');
    expect(introspected).not.toHaveProperty('token_type');
    expect(introspected).not.toHaveProperty('scope');
  });

  test('an expired token is introspected as inactive', { tag: ['@stateful', '@serial', '@emulator-control'] }, async ({ api, deviceId, emulator }) => {
    const token = await anonymousAccessToken(api, deviceId);
    await emulator.advanceClock(7201);

    const introspected = ok(await api.get('/auth/v1/token/introspect', { token }));
    // Inactive: it names no user, no type and no scope. Other fields may come: the API may grow.
    expect(introspected).not.toHaveProperty('sub');
    expect(introspected).not.toHaveProperty('token_type');
    expect(introspected).not.toHaveProperty('scope');
  });
});

test.describe('POST /auth/v1/user/signout with an expired access token', () => {
  // docs (https://docs.cloudbase.net/http-api/auth/auth-sign-out, prerequisites): the access token must be
  // valid and not expired. Sign-out is then refused, so the session is not ended: its refresh token still
  // works (the client clears its own tokens, as the docs' usage steps say, and the SDK does).
  test('is refused with unauthenticated, and the session\'s refresh token still works', { tag: ['@stateful', '@serial', '@emulator-control'] }, async ({ api, target, deviceId, emulator }) => {
    const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));
    await emulator.advanceClock(7201);

    const refused = await api.post('/auth/v1/user/signout', { token: String(tokens.access_token), data: {} });

    await expect(refused).toBeAuthError('unauthenticated', refusal(target, 'unauthenticated'));
    ok(await api.post('/auth/v1/token', { data: refreshRequest(String(tokens.refresh_token)) }));
  });
});
