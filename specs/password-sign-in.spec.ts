import { test, expect, ok } from '../fixtures/index.ts';

test.describe('username and password sign-in (POST /auth/v1/signin)', () => {
  test('a registered user signs in with username and password and receives a Bearer token', { tag: '@account' }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();

    const tokens = ok(await api.post('/auth/v1/signin', { data: { username: account.username, password: account.password } }));

    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  test('the token from sign-in belongs to the user who signed in', { tag: ['@stateful', '@account'] }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();

    const tokens = ok(await api.post('/auth/v1/signin', { data: { username: account.username, password: account.password } }));
    expect(tokens.sub).toBe(account.tokens.sub);

    const me = ok(await api.get('/auth/v1/user/me', { token: String(tokens.access_token) }));
    expect(me).toMatchObject({ sub: account.tokens.sub, username: account.username });
  });

  test('a phone number works as the username', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();
    const phone = String(account.phone_number);

    const tokens = ok(await api.post('/auth/v1/signin', { data: { username: phone, password: account.password } }));

    expect(tokens.sub).toBe(account.tokens.sub);
  });

  test('a wrong password is refused with invalid_password', { tag: ['@stateful', '@account'] }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();

    const refused = await api.post('/auth/v1/signin', { data: { username: account.username, password: `${account.password}x` } });

    await expect(refused).toBeAuthError('invalid_password', { status: 400 });
  });
});
