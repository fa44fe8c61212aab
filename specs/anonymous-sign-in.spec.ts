import { test, expect, ok, buildDeviceId } from '../fixtures/index.ts';

test.describe('anonymous sign-in (POST /auth/v1/signin/anonymously)', () => {
  test('a device signs in anonymously and receives an anonymous Bearer token', async ({ api, deviceId }) => {
    const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));

    expect(tokens.token_type).toBe('Bearer');
    // The SDK falls back to anonymous sign-in only when scope is exactly "anonymous" (docs/api-facts.md, "Tokens and JWT claims").
    expect(tokens.scope).toBe('anonymous');
  });

  test('the same device id signs in as the same anonymous user', { tag: '@stateful' }, async ({ api, deviceId }) => {
    const first = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));
    const second = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));

    expect(second.sub).toBe(first.sub);
    expect(second.access_token).not.toBe(first.access_token);
  });

  test('another device id signs in as another anonymous user', { tag: '@stateful' }, async ({ api, deviceId, faker }) => {
    const first = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));
    const other = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': buildDeviceId(faker) }, data: {} }));

    expect(other.sub).not.toBe(first.sub);
  });

  test('the anonymous token opens user/me', { tag: '@stateful' }, async ({ api, deviceId }) => {
    const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));

    const me = ok(await api.get('/auth/v1/user/me', { token: String(tokens.access_token) }));

    expect(me.sub).toBe(tokens.sub);
  });

  test('sign-in without x-device-id is refused with invalid_argument', { tag: '@stateful' }, async ({ api }) => {
    const refused = await api.post('/auth/v1/signin/anonymously', {
      headers: { 'x-device-id': undefined },
      data: {},
      breaksContract: 'x-device-id is required',
    });

    await expect(refused).toBeAuthError('invalid_argument', { status: 400, error_code: 3 });
  });
});
