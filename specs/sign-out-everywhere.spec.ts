import { test, expect, ok } from '../fixtures/index.ts';

test.describe('signing out everywhere (DELETE /auth/v1/user/revoke/all), as the SDK\'s revokeAllDevices does', () => {
  test('a user signs out of every session', { tag: ['@destructive', '@sms'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();

    const answer = ok(await api.delete('/auth/v1/user/revoke/all', { token: account.tokens.access_token }));

    expect(answer).toEqual(expect.any(Object));
  });

  test('every session\'s access and refresh tokens stop working, the caller\'s too', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();
    const otherSession = await accounts.signIn(account);

    ok(await api.delete('/auth/v1/user/revoke/all', { token: account.tokens.access_token }));

    await expect(await api.get('/auth/v1/user/me', { token: account.tokens.access_token })).toBeAuthError('unauthenticated', { status: 401 });
    await expect(await api.get('/auth/v1/user/me', { token: otherSession.access_token })).toBeAuthError('unauthenticated', { status: 401 });
    await expect(await api.post('/auth/v1/token', { data: { grant_type: 'refresh_token', refresh_token: String(otherSession.refresh_token) } })).toBeAuthError('invalid_grant');
  });

  test('the account still signs in afterwards', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();

    ok(await api.delete('/auth/v1/user/revoke/all', { token: account.tokens.access_token }));

    const tokens = await accounts.signIn(account);
    expect(tokens.sub).toBe(account.tokens.sub);
  });
});
