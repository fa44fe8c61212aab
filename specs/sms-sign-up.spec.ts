import { test, expect, ok, buildNewAccount, signUpRequest, verificationRequest, verifyRequest } from '../fixtures/index.ts';

test.describe('SMS sign-up: verification, verify, sign-up', () => {
  test('a new user signs up with a phone number verified by an SMS code', { tag: ['@destructive', '@sms'] }, async ({ api, codes, accounts }) => {
    // The factory picks the phone (on a live environment, the test phone) and deletes the account afterwards.
    const { recipient, details } = await accounts.newPhoneSignUp();

    const sent = ok(await api.post('/auth/v1/verification', { data: verificationRequest(recipient, 'ANY') }));
    expect(sent.is_user).toBe(false);
    expect(sent.expires_in).toBeGreaterThan(0);

    const code = await test.step(`read the code (${codes.description})`, () => codes.codeFor(recipient, String(sent.verification_id)));

    const verified = ok(await api.post('/auth/v1/verification/verify', { data: verifyRequest(String(sent.verification_id), code) }));
    expect(verified.verification_token).toEqual(expect.any(String));

    const tokens = ok(await api.post('/auth/v1/signup', { data: signUpRequest(recipient, String(verified.verification_token), details) }));
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.sub).toEqual(expect.any(String));
  });

  test('the new account carries the phone number and username it signed up with', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();

    const me = ok(await api.get('/auth/v1/user/me', { token: account.tokens.access_token }));

    expect(me).toMatchObject({ sub: account.tokens.sub, username: account.username, ...account.recipient });
  });

  test('a code sent to a registered phone says the account exists (is_user)', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();

    const sent = ok(await api.post('/auth/v1/verification', { data: verificationRequest(account.recipient, 'USER') }));

    expect(sent.is_user).toBe(true);
  });

  test('a phone number that already has an account cannot sign up again', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();
    const verificationToken = await accounts.verificationToken(account.recipient, 'ANY');

    const refused = await api.post('/auth/v1/signup', { data: signUpRequest(account.recipient, verificationToken, buildNewAccount(faker)) });

    // SDK 3.7 AuthErrorCode.FAILED_PRECONDITION ("账号已存在"): docs/api-facts.md, "Error model".
    await expect(refused).toBeAuthError('failed_precondition', { error_code: 9 });
  });
});
