import { test, expect, ok, buildPassword, encryptLikeTheSdk } from '../fixtures/index.ts';

// `auth.modifyPasswordWithoutLogin({username, password, new_password})` (@cloudbase/js-sdk 3.7.0,
// apis.ts): both passwords encrypted with the key of POST /auth/v2/signin/publichkey, sent to
// /auth/v2/signin/password/update without any login.

test.describe('password change without login (POST /auth/v2/signin/password/update)', () => {
  test('the old password changes the password; the new one signs in, the old one no more', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();
    const oldPassword = account.password;
    const newPassword = buildPassword(faker);
    const key = ok(await api.post('/auth/v2/signin/publichkey', { data: {} }));
    const encrypt = (text: string) => encryptLikeTheSdk(String(key.public_key), text);

    ok(await api.post('/auth/v2/signin/password/update', {
      data: { username: account.username, password: encrypt(oldPassword), new_password: encrypt(newPassword), public_key_thumbprint: key.public_key_thumbprint },
    }));
    account.password = newPassword;

    const tokens = ok(await api.post('/auth/v1/signin', { data: { username: account.username, password: newPassword } }));
    expect(tokens.sub).toBe(account.tokens.sub);
    await expect(await api.post('/auth/v1/signin', { data: { username: account.username, password: oldPassword } })).toBeAuthError('invalid_password');
  });

  test('a wrong old password is refused with invalid_password and changes nothing', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();
    const key = ok(await api.post('/auth/v2/signin/publichkey', { data: {} }));
    const encrypt = (text: string) => encryptLikeTheSdk(String(key.public_key), text);

    const refused = await api.post('/auth/v2/signin/password/update', {
      data: { username: account.username, password: encrypt(`${account.password}x`), new_password: encrypt(buildPassword(faker)), public_key_thumbprint: key.public_key_thumbprint },
    });

    await expect(refused).toBeAuthError('invalid_password', { status: 400 });
    ok(await api.post('/auth/v1/signin', { data: { username: account.username, password: account.password } }));
  });

  test('an unknown username is refused with not_found', { tag: '@stateful' }, async ({ api, faker }) => {
    const key = ok(await api.post('/auth/v2/signin/publichkey', { data: {} }));
    const encrypt = (text: string) => encryptLikeTheSdk(String(key.public_key), text);

    const refused = await api.post('/auth/v2/signin/password/update', {
      data: { username: `nobody_${faker.string.alphanumeric(12)}`, password: encrypt('Old!Passw0rd'), new_password: encrypt(buildPassword(faker)), public_key_thumbprint: key.public_key_thumbprint },
    });

    await expect(refused).toBeAuthError('not_found', { status: 404 });
  });
});
