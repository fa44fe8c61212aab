import { test, expect, ok, refreshRequest } from '../fixtures/index.ts';

test.describe('revocation (POST /auth/v1/revoke) and sign-out (POST /auth/v1/user/signout)', () => {
  test('an access token is revoked the way the SDK signs out: token in the body, no Authorization', async ({ api, deviceId }) => {
    const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));

    const revoked = ok(await api.post('/auth/v1/revoke', { data: { token: tokens.access_token } }));

    // The answer's fields are the contract's business (checked against the schema); it is no error.
    expect(revoked).not.toHaveProperty('error');
  });

  test('a revoked access token no longer opens user/me and its refresh token is dead', { tag: '@stateful' }, async ({ api, deviceId }) => {
    const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));
    ok(await api.post('/auth/v1/revoke', { data: { token: tokens.access_token } }));

    await expect(await api.get('/auth/v1/user/me', { token: String(tokens.access_token) })).toBeAuthError('unauthenticated', { status: 401, error_code: 16 });
    await expect(await api.post('/auth/v1/token', { data: refreshRequest(String(tokens.refresh_token)) })).toBeAuthError('invalid_grant');
  });

  test('a token revoked as Bearer (the docs\' form) is dead too', { tag: '@stateful' }, async ({ api, deviceId }) => {
    const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));

    ok(await api.post('/auth/v1/revoke', { token: String(tokens.access_token), data: {} }));

    await expect(await api.get('/auth/v1/user/me', { token: String(tokens.access_token) })).toBeAuthError('unauthenticated', { status: 401 });
  });

  test('a revoked refresh token cannot be exchanged', { tag: '@stateful' }, async ({ api, deviceId }) => {
    const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));

    ok(await api.post('/auth/v1/revoke', { data: { token: tokens.refresh_token } }));

    await expect(await api.post('/auth/v1/token', { data: refreshRequest(String(tokens.refresh_token)) })).toBeAuthError('invalid_grant');
  });

  test('a user signs out', { tag: '@account' }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();

    const signedOut = ok(await api.post('/auth/v1/user/signout', { token: account.tokens.access_token, data: {} }));

    expect(signedOut).toEqual(expect.any(Object));
  });

  test('sign-out ends the session: its access and refresh tokens are dead, other sessions live on', { tag: ['@stateful', '@account'] }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();
    const otherSession = await accounts.signIn(account);

    ok(await api.post('/auth/v1/user/signout', { token: account.tokens.access_token, data: {} }));

    await expect(await api.get('/auth/v1/user/me', { token: account.tokens.access_token })).toBeAuthError('unauthenticated', { status: 401 });
    await expect(await api.post('/auth/v1/token', { data: refreshRequest(String(account.tokens.refresh_token)) })).toBeAuthError('invalid_grant');
    ok(await api.get('/auth/v1/user/me', { token: otherSession.access_token }));
  });
});
