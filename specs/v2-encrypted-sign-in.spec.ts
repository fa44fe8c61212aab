import { test, expect, ok, encryptLikeTheSdk } from '../fixtures/index.ts';

// `auth.signInWithPassword({..., options: {is_encrypt: true}})` (@cloudbase/js-sdk 3.7.0): the SDK asks
// POST /auth/v2/signin/publichkey (sic) for an RSA key, encrypts `{username, password}` with it and
// signs in at /auth/v2/signin/username with `{params, public_key_thumbprint}`.

test.describe('encrypted password sign-in (POST /auth/v2/signin/publichkey, then /auth/v2/signin/username)', () => {
  test('the public key comes with a thumbprint that names it', async ({ api }) => {
    const key = ok(await api.post('/auth/v2/signin/publichkey', { data: {} }));

    expect(key.public_key).toEqual(expect.any(String));
    expect(key.public_key_thumbprint).toEqual(expect.any(String));
  });

  test('a user signs in with username and password encrypted with that key', { tag: ['@stateful', '@account'] }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();
    const key = ok(await api.post('/auth/v2/signin/publichkey', { data: {} }));
    const params = encryptLikeTheSdk(String(key.public_key), { username: account.username, password: account.password });

    const tokens = ok(await api.post('/auth/v2/signin/username', { data: { params, public_key_thumbprint: key.public_key_thumbprint } }));

    expect(tokens.sub).toBe(account.tokens.sub);
  });

  test('an encrypted wrong password is refused with invalid_password', { tag: ['@stateful', '@account'] }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();
    const key = ok(await api.post('/auth/v2/signin/publichkey', { data: {} }));
    const params = encryptLikeTheSdk(String(key.public_key), { username: account.username, password: `${account.password}x` });

    const refused = await api.post('/auth/v2/signin/username', { data: { params, public_key_thumbprint: key.public_key_thumbprint } });

    await expect(refused).toBeAuthError('invalid_password', { status: 400 });
  });
});
