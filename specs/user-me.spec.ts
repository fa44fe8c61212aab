import { test, expect, ok } from '../fixtures/index.ts';

test.describe('the current user (GET /auth/v1/user/me)', () => {
  test('a signed-in user reads their profile', { tag: '@account' }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();

    const me = ok(await api.get('/auth/v1/user/me', { token: account.tokens.access_token }));

    expect(me.sub).toEqual(expect.any(String));
  });

  test('the profile is the signed-up user\'s: sub, username, name, phone number', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();

    const me = ok(await api.get('/auth/v1/user/me', { token: account.tokens.access_token }));

    // docs (user-me): user_id equals sub.
    expect(me).toMatchObject({ sub: account.tokens.sub, user_id: account.tokens.sub, username: account.username, name: account.name, ...account.recipient });
  });

  test('user/me without an access token is refused with unauthenticated', { tag: '@stateful' }, async ({ api }) => {
    const refused = await api.get('/auth/v1/user/me', { breaksContract: 'no Authorization header on a Bearer operation' });

    await expect(refused).toBeAuthError('unauthenticated', { status: 401, error_code: 16 });
  });
});
