import { test, expect, ok, refreshRequest } from '../fixtures/index.ts';

// The flows joined up, as one user's day: sign up, sign in on a second device, refresh, use, sign out.
test('a user signs up, signs in elsewhere, refreshes, reads their profile and signs out', { tag: ['@destructive', '@sms'] }, async ({ api, accounts, target }) => {
  const account = await accounts.signedUpByPhone();

  const session = await accounts.signIn(account);
  const refreshed = ok(await api.post('/auth/v1/token', { data: refreshRequest(String(session.refresh_token)) }));
  const accessToken = String(refreshed.access_token);

  const me = ok(await api.get('/auth/v1/user/me', { token: accessToken }));
  const introspected = ok(await api.get('/auth/v1/token/introspect', { token: accessToken }));
  ok(await api.post('/auth/v1/revoke', { data: { token: accessToken } }));

  await test.step('the day\'s facts hold together', async (step) => {
    step.skip(!target.stateful, `${target.name} is stateless: the joined-up facts (same sub, revoked token refused) are checked on the emulator and live targets`);
    expect(me.sub).toBe(account.tokens.sub);
    expect(introspected.sub).toBe(account.tokens.sub);
    await expect(await api.get('/auth/v1/user/me', { token: accessToken })).toBeAuthError('unauthenticated', { status: 401 });
    // The first device's session is untouched by the second device signing out.
    ok(await api.get('/auth/v1/user/me', { token: account.tokens.access_token }));
  });
});
