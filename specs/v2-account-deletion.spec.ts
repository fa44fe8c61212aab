import { test, expect, ok } from '../fixtures/index.ts';

// The SDK deletes a `version: 'v2'` session's account at DELETE /auth/v2/user/me (@cloudbase/js-sdk 3.7.0
// `ApiUrlsV2.USER_ME_URL`, apis.ts `deleteMe`): the same sudo rule as the v1 path.

test.describe('account deletion at the v2 path: sudo, then DELETE /auth/v2/user/me?sudo_token=', () => {
  test('a user deletes their own account there, and its tokens die', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();
    const sudoToken = await accounts.sudo(account);

    ok(await api.delete('/auth/v2/user/me', { token: account.tokens.access_token, params: { sudo_token: sudoToken } }));
    account.deleted = true;

    await expect(await api.get('/auth/v2/user/me', { token: account.tokens.access_token })).toBeAuthError('unauthenticated', { status: 401 });
  });

  test('a wrong sudo token is refused with permission_denied and the account stays', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();

    const refused = await api.delete('/auth/v2/user/me', { token: account.tokens.access_token, params: { sudo_token: faker.string.alphanumeric(32) } });

    await expect(refused).toBeAuthError('permission_denied', { status: 403, error_code: 7 });
    ok(await api.get('/auth/v2/user/me', { token: account.tokens.access_token }));
  });
});
