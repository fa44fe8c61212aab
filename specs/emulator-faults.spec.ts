import { test as base, expect, ok, refreshRequest, buildPhoneNumber, verificationRequest } from '../fixtures/index.ts';

// The emulator's faults (POST /__emulator/faults, docs/sdk-authors.md "Faults") seen through the
// contract-checking client: what an SDK gets when a session is revoked or expired server-side, when
// the signing key rotates, when it is rate limited and when a login method is switched off. Faults
// whose answers lie outside the contract (503, a dropped connection, latency, clock skew, captcha)
// are proven in tests/unit/emulator-faults.test.ts.

interface Faults {
  /** A request fault for the next `count` (default 1) matching requests. */
  add(fault: Record<string, unknown>): Promise<void>;
  /** An action fault (revoke_tokens, expire_tokens, rotate_signing_key); answers its result. */
  act(kind: string, user?: string): Promise<Record<string, string>>;
}

const test = base.extend<{ faults: Faults }>({
  faults: async ({ request, target }, use) => {
    const post = async (data: Record<string, unknown>) => {
      const response = await request.fetch(`${target.controlURL}/__emulator/faults`, { method: 'POST', data, failOnStatusCode: true });
      return (await response.json()) as Record<string, string>;
    };
    await use({
      add: async (fault) => {
        await post(fault);
      },
      act: (kind, user) => post(user === undefined ? { kind } : { kind, user }),
    });
  },
});

test.describe('tokens killed server-side', () => {
  test('revoke_tokens: the access token gets 401 and the refresh token invalid_grant', { tag: ['@stateful', '@emulator-control', '@account'] }, async ({ api, accounts, faults }) => {
    const account = await accounts.signedUpByPhone();

    await test.step('POST /__emulator/faults revoke_tokens', () => faults.act('revoke_tokens', String(account.tokens.sub)));

    await expect(await api.get('/auth/v1/user/me', { token: String(account.tokens.access_token) })).toBeAuthError('unauthenticated', { status: 401 });
    await expect(await api.post('/auth/v1/token', { data: refreshRequest(String(account.tokens.refresh_token)) })).toBeAuthError('invalid_grant');
  });

  test('expire_tokens: the access token gets 401 until the client refreshes', { tag: ['@stateful', '@emulator-control', '@account'] }, async ({ api, accounts, faults }) => {
    const account = await accounts.signedUpByPhone();

    await test.step('POST /__emulator/faults expire_tokens', () => faults.act('expire_tokens', String(account.tokens.sub)));

    await expect(await api.get('/auth/v1/user/me', { token: String(account.tokens.access_token) })).toBeAuthError('unauthenticated', { status: 401 });
    const refreshed = ok(await api.post('/auth/v1/token', { data: refreshRequest(String(account.tokens.refresh_token)) }));
    const me = ok(await api.get('/auth/v1/user/me', { token: String(refreshed.access_token) }));
    expect(me.sub).toBe(account.tokens.sub);
  });
});

test('rotate_signing_key: earlier access tokens get 401 and the JWKS shows only the new key', { tag: ['@stateful', '@emulator-control', '@serial', '@account'] }, async ({ api, accounts, faults }) => {
  const account = await accounts.signedUpByPhone();

  const { kid } = await test.step('POST /__emulator/faults rotate_signing_key', () => faults.act('rotate_signing_key'));

  const jwks = ok(await api.get('/auth/v1/certs'));
  expect((jwks.keys as { kid: string }[]).map((key) => key.kid)).toEqual([kid]);
  await expect(await api.get('/auth/v1/user/me', { token: String(account.tokens.access_token) })).toBeAuthError('unauthenticated', { status: 401 });
  ok(await api.post('/auth/v1/token', { data: refreshRequest(String(account.tokens.refresh_token)) }));
});

test('rate_limited: a code request is refused with resource_exhausted and Retry-After, then sent', { tag: ['@stateful', '@emulator-control', '@serial', '@sms'] }, async ({ api, faker, faults }) => {
  const recipient = { phone_number: buildPhoneNumber(faker) };

  await test.step('POST /__emulator/faults rate_limited', () => faults.add({ kind: 'rate_limited', operation: 'sendVerification', retry_after_seconds: 30 }));

  const limited = await api.post('/auth/v1/verification', { data: verificationRequest(recipient), retryRateLimited: false });
  await expect(limited).toBeAuthError('resource_exhausted', { status: 429 });
  expect(limited.headers['retry-after']).toBe('30');
  ok(await api.post('/auth/v1/verification', { data: verificationRequest(recipient) }));
});

test('disabled: anonymous sign-in switched off answers unimplemented, once', { tag: ['@stateful', '@emulator-control', '@serial'] }, async ({ api, deviceId, faults }) => {
  await test.step('POST /__emulator/faults disabled', () => faults.add({ kind: 'disabled', operation: 'signInAnonymously' }));

  const refused = await api.post('/auth/v1/signin/anonymously', {
    headers: { 'x-device-id': deviceId },
    data: {},
    direct: "Prism's proxy answers an upstream 501 with its own mocked 200",
  });
  await expect(refused).toBeAuthError('unimplemented', { status: 501 });
  ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));
});
