import { test, expect, ok, buildPassword } from '../fixtures/index.ts';

test.describe('password reset without signing in (POST /auth/v1/reset)', () => {
  test('a user who forgot their password resets it with a code sent to their phone', { tag: ['@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();
    const verificationToken = await accounts.verificationToken(account.recipient, 'USER');
    const newPassword = buildPassword(faker);

    const reset = ok(await api.post('/auth/v1/reset', { data: { ...account.recipient, new_password: newPassword, verification_token: verificationToken } }));
    account.password = newPassword;

    expect(reset).toEqual(expect.any(Object));
  });

  test('after a reset the new password signs in and the old one is refused', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();
    const oldPassword = account.password;
    const verificationToken = await accounts.verificationToken(account.recipient, 'USER');
    const newPassword = buildPassword(faker);

    ok(await api.post('/auth/v1/reset', { data: { ...account.recipient, new_password: newPassword, verification_token: verificationToken } }));
    account.password = newPassword;

    const tokens = ok(await api.post('/auth/v1/signin', { data: { username: account.username, password: newPassword } }));
    expect(tokens.sub).toBe(account.tokens.sub);
    await expect(await api.post('/auth/v1/signin', { data: { username: account.username, password: oldPassword } })).toBeAuthError('invalid_password');
  });
});
