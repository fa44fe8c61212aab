import { test, expect, ok, hexId } from '../fixtures/index.ts';

test.describe('signing out one device (DELETE /auth/v1/user/authorized/devices/{device_id}), as the SDK\'s revokeDevice does', () => {
  test('a user signs out the sessions of another device and keeps this one', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();
    const laptop = hexId();
    const signInFrom = async (deviceId: string) =>
      ok(await api.post('/auth/v1/signin', { headers: { 'x-device-id': deviceId }, data: { username: account.username, password: account.password } }));
    const laptopSession = await signInFrom(laptop);
    const phoneSession = await signInFrom(hexId());

    ok(await api.delete(`/auth/v1/user/authorized/devices/${laptop}`, { token: String(phoneSession.access_token) }));

    await expect(await api.get('/auth/v1/user/me', { token: String(laptopSession.access_token) })).toBeAuthError('unauthenticated', { status: 401 });
    ok(await api.get('/auth/v1/user/me', { token: String(phoneSession.access_token) }));
  });

  test('a device the user never signed in from is not found (INFERRED 404)', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();

    const refused = await api.delete(`/auth/v1/user/authorized/devices/${hexId()}`, { token: account.tokens.access_token });

    await expect(refused).toBeAuthError('not_found');
  });

  test('a device of this user is signed out: the answer is a JSON object', { tag: ['@destructive', '@sms'] }, async ({ api, accounts, deviceId }) => {
    const account = await accounts.signedUpByPhone();

    // The account signed up from this test's x-device-id, which the client sends on every request.
    const answer = ok(await api.delete(`/auth/v1/user/authorized/devices/${deviceId}`, { token: account.tokens.access_token }));

    expect(answer).toEqual(expect.any(Object));
  });
});
