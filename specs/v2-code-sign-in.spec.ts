import { test, expect, ok, verificationRequest, verifyRequest } from '../fixtures/index.ts';

// `auth.verify({verification_id, verification_code, version: 'v2'})` (@cloudbase/js-sdk 3.7.0, apis.ts
// `verify`): the v2 code check at /auth/v2/signin/verificationcode answers credentials, which the SDK
// stores: it signs in the account of the phone number the code was sent to.

test.describe('sign-in with a verification code (POST /auth/v2/signin/verificationcode)', () => {
  test('a code sent to a registered phone signs its account in', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, codes }) => {
    const account = await accounts.signedUpByPhone();
    const sent = ok(await api.post('/auth/v1/verification', { data: verificationRequest(account.recipient, 'USER') }));
    const code = await codes.codeFor(account.recipient, String(sent.verification_id));

    const tokens = ok(await api.post('/auth/v2/signin/verificationcode', { data: verifyRequest(String(sent.verification_id), code) }));

    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.sub).toBe(account.tokens.sub);
  });

  test('a code signs in once: the second use is refused with invalid_argument', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, codes }) => {
    const account = await accounts.signedUpByPhone();
    const sent = ok(await api.post('/auth/v1/verification', { data: verificationRequest(account.recipient, 'USER') }));
    const code = await codes.codeFor(account.recipient, String(sent.verification_id));
    ok(await api.post('/auth/v2/signin/verificationcode', { data: verifyRequest(String(sent.verification_id), code) }));

    const again = await api.post('/auth/v2/signin/verificationcode', { data: verifyRequest(String(sent.verification_id), code) });

    await expect(again).toBeAuthError('invalid_argument', { status: 400 });
  });

  test('a code sent to a phone number without an account is refused with not_found', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, codes }) => {
    const { recipient } = await accounts.newPhoneSignUp();
    const sent = ok(await api.post('/auth/v1/verification', { data: verificationRequest(recipient, 'ANY') }));
    const code = await codes.codeFor(recipient, String(sent.verification_id));

    const refused = await api.post('/auth/v2/signin/verificationcode', { data: verifyRequest(String(sent.verification_id), code) });

    await expect(refused).toBeAuthError('not_found', { status: 404 });
  });
});
