import { test, expect, ok, buildPassword } from '../fixtures/index.ts';

test.describe('password change: sudo (POST /auth/v1/user/sudo), then PATCH /auth/v1/user/password', () => {
  test('a user proves their password for a sudo token and sets a new password (sudo_token in the body, as the SDK sends it)', { tag: ['@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();
    const newPassword = buildPassword(faker);

    const sudo = ok(await api.post('/auth/v1/user/sudo', { token: account.tokens.access_token, data: { password: account.password } }));
    expect(sudo.expires_in).toBeGreaterThan(0);

    const changed = ok(await api.patch('/auth/v1/user/password', { token: account.tokens.access_token, data: { sudo_token: sudo.sudo_token, new_password: newPassword } }));
    account.password = newPassword;
    expect(changed).toEqual(expect.any(Object));
  });

  test('after a change the old password is refused and the new one signs in (sudo_token in the query, as the docs show it)', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();
    const oldPassword = account.password;
    const newPassword = buildPassword(faker);
    const sudoToken = await accounts.sudo(account);

    ok(await api.patch('/auth/v1/user/password', { token: account.tokens.access_token, params: { sudo_token: sudoToken }, data: { new_password: newPassword } }));
    account.password = newPassword;

    await expect(await api.post('/auth/v1/signin', { data: { username: account.username, password: oldPassword } })).toBeAuthError('invalid_password');
    const tokens = ok(await api.post('/auth/v1/signin', { data: { username: account.username, password: newPassword } }));
    expect(tokens.sub).toBe(account.tokens.sub);
  });

  test('a password change ends the user\'s other sessions', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();
    const otherSession = await accounts.signIn(account);
    const newPassword = buildPassword(faker);
    const sudoToken = await accounts.sudo(account);

    ok(await api.patch('/auth/v1/user/password', { token: account.tokens.access_token, data: { sudo_token: sudoToken, new_password: newPassword } }));
    account.password = newPassword;

    // docs: "Automatically logs out other devices."
    await expect(await api.get('/auth/v1/user/me', { token: otherSession.access_token })).toBeAuthError('unauthenticated', { status: 401 });
  });

  test('a password change without a valid sudo token is refused with permission_denied', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();

    const refused = await api.patch('/auth/v1/user/password', {
      token: account.tokens.access_token,
      data: { sudo_token: faker.string.alphanumeric(32), new_password: buildPassword(faker) },
    });

    await expect(refused).toBeAuthError('permission_denied', { status: 403, error_code: 7 });
  });

  test('sudo with a wrong password is refused with invalid_password', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();

    const refused = await api.post('/auth/v1/user/sudo', { token: account.tokens.access_token, data: { password: `${account.password}x` } });

    await expect(refused).toBeAuthError('invalid_password', { status: 400 });
  });
});
