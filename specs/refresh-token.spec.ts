import { test, expect, ok, refreshRequest } from '../fixtures/index.ts';

test.describe('refresh-token exchange (POST /auth/v1/token)', () => {
  test('a refresh token is exchanged for a new access token and a new refresh token', { tag: '@account' }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();

    const refreshed = ok(await api.post('/auth/v1/token', { data: refreshRequest(String(account.tokens.refresh_token)) }));

    expect(refreshed.token_type).toBe('Bearer');
    // The SDK replaces its stored credentials wholesale, so the answer must carry a refresh token (docs/api-facts.md, "Tokens and JWT claims").
    expect(refreshed.refresh_token).toEqual(expect.any(String));
  });

  test('a refresh rotates the refresh token and the new access token works', { tag: ['@stateful', '@account'] }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();

    const refreshed = ok(await api.post('/auth/v1/token', { data: refreshRequest(String(account.tokens.refresh_token)) }));
    expect(refreshed.refresh_token).not.toBe(account.tokens.refresh_token);
    expect(refreshed.sub).toBe(account.tokens.sub);

    const me = ok(await api.get('/auth/v1/user/me', { token: String(refreshed.access_token) }));
    expect(me.sub).toBe(account.tokens.sub);
  });

  test('a rotated refresh token cannot be used again', { tag: ['@stateful', '@account'] }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();
    const rotated = ok(await api.post('/auth/v1/token', { data: refreshRequest(String(account.tokens.refresh_token)) }));

    const reused = await api.post('/auth/v1/token', { data: refreshRequest(String(account.tokens.refresh_token)) });
    await expect(reused).toBeAuthError('invalid_grant');

    await test.step('the rotated-in refresh token still works', async () => {
      ok(await api.post('/auth/v1/token', { data: refreshRequest(String(rotated.refresh_token)) }));
    });
  });

  test('an anonymous session refreshes and stays anonymous', { tag: '@stateful' }, async ({ api, deviceId }) => {
    const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));

    const refreshed = ok(await api.post('/auth/v1/token', { data: refreshRequest(String(tokens.refresh_token)) }));

    expect(refreshed).toMatchObject({ sub: tokens.sub, scope: 'anonymous' });
  });
});
