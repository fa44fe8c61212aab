import { test, expect, ok } from '../fixtures/index.ts';

test.describe('account deletion: sudo, then DELETE /auth/v1/user/me?sudo_token=', () => {
  test('a user deletes their own account with a sudo token', { tag: ['@destructive', '@sms'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();
    const sudoToken = await accounts.sudo(account);

    const deleted = ok(await api.delete('/auth/v1/user/me', { token: account.tokens.access_token, params: { sudo_token: sudoToken } }));
    account.deleted = true;

    expect(deleted).toEqual(expect.any(Object));
  });

  test('a deleted account can no longer sign in and its tokens are dead', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();
    const sudoToken = await accounts.sudo(account);

    ok(await api.delete('/auth/v1/user/me', { token: account.tokens.access_token, params: { sudo_token: sudoToken } }));
    account.deleted = true;

    await expect(await api.get('/auth/v1/user/me', { token: account.tokens.access_token })).toBeAuthError('unauthenticated', { status: 401 });
    await expect(await api.post('/auth/v1/signin', { data: { username: account.username, password: account.password } })).toBeAuthError('not_found', { error_code: 5 });
  });

  test('deletion with a wrong sudo token is refused with permission_denied and the account stays', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();

    const refused = await api.delete('/auth/v1/user/me', { token: account.tokens.access_token, params: { sudo_token: faker.string.alphanumeric(32) } });
    await expect(refused).toBeAuthError('permission_denied', { status: 403, error_code: 7 });

    ok(await api.get('/auth/v1/user/me', { token: account.tokens.access_token }));
  });
});
