import { test, expect, ok, buildPassword } from '../../fixtures/index.ts';
import { refusal } from './refusals.ts';

// Sudo (docs https://docs.cloudbase.net/http-api/auth/user-sudo, user-update-password, user-delete-me): the password proves the user for a sudo_token (900 s,
// bound to the user); changing the password and deleting the account need that token. A missing,
// wrong, foreign or expired sudo_token is 403 permission_denied / 7 (docs).

/** sudo_tokens that prove nothing, and how each is sent (query, per the docs, or body, as the SDK does). */
const WRONG_SUDO_TOKENS: { why: string; query?: string; body?: string }[] = [
  { why: 'missing' },
  { why: 'never issued, in the query', query: 'sudo.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
  { why: 'never issued, in the body', body: 'sudo.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
  { why: 'a refresh token', body: 'm.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
];
/** The same, as the query parameter account deletion takes (docs, SDK). */
const WRONG_SUDO_TOKEN_VALUES = ['sudo.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'm.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'x'];

test.describe('sudo refused (POST /auth/v1/user/sudo)', () => {
  test('a wrong password is refused with invalid_password, no proof at all with invalid_argument', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, target }) => {
    const account = await accounts.signedUpByPhone();

    const wrongPassword = await api.post('/auth/v1/user/sudo', { token: account.tokens.access_token, data: { password: `${account.password}x` } });
    await expect(wrongPassword).toBeAuthError('invalid_password', refusal(target, 'invalid_password'));

    const noProof = await api.post('/auth/v1/user/sudo', { token: account.tokens.access_token, data: {}, breaksContract: 'sudo needs a password or a verification_token' });
    await expect(noProof).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });
});

test.describe('password change without a valid sudo token (PATCH /auth/v1/user/password)', () => {
  test('a missing or wrong sudo_token is refused with permission_denied', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, target, faker }) => {
    const account = await accounts.signedUpByPhone();

    for (const { why, query, body } of WRONG_SUDO_TOKENS) {
      const refused = await api.patch('/auth/v1/user/password', {
        token: account.tokens.access_token,
        params: { sudo_token: query },
        data: { sudo_token: body, new_password: buildPassword(faker) },
      });

      await expect(refused, why).toBeAuthError('permission_denied', refusal(target, 'permission_denied'));
    }
  });

  test("another user's sudo_token is refused with permission_denied", { tag: ['@stateful', '@destructive', '@sms', '@email'] }, async ({ api, accounts, target, faker }) => {
    const account = await accounts.signedUpByPhone();
    // The other user signs up by email: on a live environment the test phone holds one account at a time.
    const other = await accounts.signedUpByEmail();
    const othersSudoToken = await accounts.sudo(other);

    const refused = await api.patch('/auth/v1/user/password', { token: account.tokens.access_token, data: { sudo_token: othersSudoToken, new_password: buildPassword(faker) } });
    await expect(refused).toBeAuthError('permission_denied', refusal(target, 'permission_denied'));

    const deletion = await api.delete('/auth/v1/user/me', { token: account.tokens.access_token, params: { sudo_token: othersSudoToken } });
    await expect(deletion, 'deletion').toBeAuthError('permission_denied', refusal(target, 'permission_denied'));
  });

  test('with a valid sudo_token, a weak new password is refused with invalid_argument', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, target }) => {
    const account = await accounts.signedUpByPhone();
    const sudoToken = await accounts.sudo(account);

    const refused = await api.patch('/auth/v1/user/password', {
      token: account.tokens.access_token,
      data: { sudo_token: sudoToken, new_password: 'alllowercase' },
      breaksContract: 'the new password breaks the documented rule',
    });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });
});

test.describe('account deletion without a valid sudo token (DELETE /auth/v1/user/me)', () => {
  test('a missing or wrong sudo_token is refused with permission_denied and the account stays', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, target }) => {
    const account = await accounts.signedUpByPhone();

    const missing = await api.delete('/auth/v1/user/me', { token: account.tokens.access_token, breaksContract: 'sudo_token is a required query parameter' });
    await expect(missing, 'missing').toBeAuthError('permission_denied', refusal(target, 'permission_denied'));
    for (const sudoToken of WRONG_SUDO_TOKEN_VALUES) {
      const refused = await api.delete('/auth/v1/user/me', { token: account.tokens.access_token, params: { sudo_token: sudoToken } });
      await expect(refused, sudoToken).toBeAuthError('permission_denied', refusal(target, 'permission_denied'));
    }

    ok(await api.get('/auth/v1/user/me', { token: account.tokens.access_token }));
  });
});

test.describe('an expired sudo token', () => {
  test('is refused with permission_denied for a password change and for deletion, and the account stays', { tag: ['@stateful', '@destructive', '@sms', '@serial', '@emulator-control'] }, async ({ api, accounts, target, faker, emulator }) => {
    const account = await accounts.signedUpByPhone();
    const sudoToken = await accounts.sudo(account);
    // docs: a sudo_token lives 900 s.
    await emulator.advanceClock(901);

    const change = await api.patch('/auth/v1/user/password', { token: account.tokens.access_token, params: { sudo_token: sudoToken }, data: { new_password: buildPassword(faker) } });
    await expect(change, 'password change').toBeAuthError('permission_denied', refusal(target, 'permission_denied'));

    const deletion = await api.delete('/auth/v1/user/me', { token: account.tokens.access_token, params: { sudo_token: sudoToken } });
    await expect(deletion, 'deletion').toBeAuthError('permission_denied', refusal(target, 'permission_denied'));

    ok(await api.get('/auth/v1/user/me', { token: account.tokens.access_token }));
  });
});
