import { test, expect, ok } from '../fixtures/index.ts';

// The SDK's v2 session (`version: 'v2'`, @cloudbase/js-sdk 3.7.0 `ApiUrlsV2`): sign-in by username at
// /auth/v2/signin/username, the profile at /auth/v2/user/me, and refreshes at /auth/v2/token (the SDK
// sends them there for credentials it stored as v2).

test.describe('a v2 session (POST /auth/v2/signin/username, GET /auth/v2/user/me, POST /auth/v2/token)', () => {
  test('a registered user signs in through /auth/v2/signin/username and receives a Bearer token', { tag: '@account' }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();

    const tokens = ok(await api.post('/auth/v2/signin/username', { data: { username: account.username, password: account.password } }));

    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  test('the v2 token opens /auth/v2/user/me as the user who signed in', { tag: ['@stateful', '@account'] }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();
    const tokens = ok(await api.post('/auth/v2/signin/username', { data: { username: account.username, password: account.password } }));

    const me = ok(await api.get('/auth/v2/user/me', { token: String(tokens.access_token) }));

    expect(tokens.sub).toBe(account.tokens.sub);
    expect(me).toMatchObject({ sub: account.tokens.sub, username: account.username });
  });

  test('a v2 refresh rotates the refresh token: the old one cannot be used again', { tag: ['@stateful', '@account'] }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();
    const tokens = ok(await api.post('/auth/v2/signin/username', { data: { username: account.username, password: account.password } }));
    const refresh = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token };

    const rotated = ok(await api.post('/auth/v2/token', { data: refresh }));
    const reused = await api.post('/auth/v2/token', { data: refresh });

    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    await expect(reused).toBeAuthError('invalid_grant');
  });

  test('a wrong password is refused with invalid_password', { tag: ['@stateful', '@account'] }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();

    const refused = await api.post('/auth/v2/signin/username', { data: { username: account.username, password: `${account.password}x` } });

    await expect(refused).toBeAuthError('invalid_password', { status: 400 });
  });

  test('an unknown username is refused with not_found', { tag: '@stateful' }, async ({ api, faker }) => {
    const refused = await api.post('/auth/v2/signin/username', { data: { username: `nobody_${faker.string.alphanumeric(12)}`, password: 'Str0ng!Passw0rd' } });

    await expect(refused).toBeAuthError('not_found', { status: 404 });
  });

  test('/auth/v2/user/me without an access token is refused with unauthenticated', { tag: '@stateful' }, async ({ api }) => {
    const refused = await api.get('/auth/v2/user/me', { breaksContract: 'no Authorization header' });

    await expect(refused).toBeAuthError('unauthenticated', { status: 401 });
  });
});
