import { test, expect, ok, signUpRequest, verificationRequest, verifyRequest } from '../fixtures/index.ts';

test.describe('email sign-up: verification, verify, sign-up', () => {
  test('a new user signs up with an email address verified by a code', { tag: ['@destructive', '@email'] }, async ({ api, codes, accounts }) => {
    // The factory picks the address (on a live environment, the test address) and deletes the account afterwards.
    const { recipient, details } = await accounts.newEmailSignUp();

    const sent = ok(await api.post('/auth/v1/verification', { data: verificationRequest(recipient, 'ANY') }));

    const code = await test.step(`read the code (${codes.description})`, () => codes.codeFor(recipient, String(sent.verification_id)));

    const verified = ok(await api.post('/auth/v1/verification/verify', { data: verifyRequest(String(sent.verification_id), code) }));
    const tokens = ok(await api.post('/auth/v1/signup', { data: signUpRequest(recipient, String(verified.verification_token), details) }));

    expect(tokens.token_type).toBe('Bearer');
  });

  test('the new account carries its email address and signs in with it', { tag: ['@stateful', '@destructive', '@email'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByEmail();
    const email = String(account.email);

    const me = ok(await api.get('/auth/v1/user/me', { token: account.tokens.access_token }));
    expect(me).toMatchObject({ sub: account.tokens.sub, email });

    const tokens = ok(await api.post('/auth/v1/signin', { data: { username: email, password: account.password } }));
    expect(tokens.sub).toBe(account.tokens.sub);
  });
});
