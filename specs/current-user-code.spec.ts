import { test, expect, ok, verifyRequest } from '../fixtures/index.ts';

test.describe('a code to the signed-in user\'s own phone (POST /auth/v1/verification, target CUR_USER, with the Bearer token)', () => {
  test('the signed-in user gets a code', { tag: ['@destructive', '@sms'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();

    const sent = ok(await api.post('/auth/v1/verification', { token: account.tokens.access_token, data: { target: 'CUR_USER', phone_number: String(account.phone_number) } }));

    expect(sent.verification_id).toEqual(expect.any(String));
  });

  test('the code proves the user for a sudo token', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, codes }) => {
    const account = await accounts.signedUpByPhone();
    const recipient = { phone_number: String(account.phone_number) };

    const sent = ok(await api.post('/auth/v1/verification', { token: account.tokens.access_token, data: { target: 'CUR_USER', ...recipient } }));
    expect(sent.is_user).toBe(true);
    const code = await codes.codeFor(recipient, String(sent.verification_id));
    const verified = ok(await api.post('/auth/v1/verification/verify', { data: verifyRequest(String(sent.verification_id), code) }));

    const sudo = ok(await api.post('/auth/v1/user/sudo', { token: account.tokens.access_token, data: { verification_token: String(verified.verification_token) } }));
    expect(sudo.sudo_token).toEqual(expect.any(String));
  });

  test('without an access token a CUR_USER code is refused with unauthenticated', { tag: '@stateful' }, async ({ api }) => {
    const refused = await api.post('/auth/v1/verification', { data: { target: 'CUR_USER' } });

    await expect(refused).toBeAuthError('unauthenticated', { status: 401 });
  });
});
