import { test, expect, ok, buildNewAccount, buildPhoneNumber, signUpRequest, verificationRequest, verifyRequest, type ApiClient, type CodeSource, type Recipient } from '../../fixtures/index.ts';
import { refusal } from './refusals.ts';

// Verification codes (docs: https://docs.cloudbase.net/http-api/auth/auth-send-verification, auth-verify-verification): a wrong, expired or used code is invalid_argument; too many
// wrong codes end the verification (resource_exhausted); a code goes to a well-formed phone number.

interface SentCode {
  verificationId: string;
  code: string;
}

async function sendCode(api: ApiClient, codes: CodeSource, recipient: Recipient): Promise<SentCode> {
  const sent = ok(await api.post('/auth/v1/verification', { data: verificationRequest(recipient, 'ANY') }));
  const verificationId = String(sent.verification_id);
  return { verificationId, code: await codes.codeFor(recipient, verificationId) };
}

/** Another code of the same length: every digit moved by one, so it never equals the real one. */
function wrongCode(code: string): string {
  return code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
}

/** Well-formed for the contract (`+<cc> <number>`), but no mobile number: +86 numbers are 11 digits starting with 1 (INFERRED). */
const NOT_A_MOBILE_NUMBER = ['+86 23800000000', '+86 1380000', '+86 138000000001'];
/** Not the contract's `+<country code> <number>` at all. */
const MALFORMED_PHONE_NUMBERS = ['13800000000', '+86-13800000000', '+86 138 0000 0000', '86 13800000000', '+8613800000000', ''];

test.describe('verification codes that are refused (POST /auth/v1/verification/verify)', () => {
  test('a wrong code is refused with invalid_argument', { tag: ['@stateful', '@sms'] }, async ({ api, codes, target, faker }) => {
    const sent = await sendCode(api, codes, { phone_number: buildPhoneNumber(faker) });

    const refused = await api.post('/auth/v1/verification/verify', { data: verifyRequest(sent.verificationId, wrongCode(sent.code)) });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });

  test('a code that was already used is refused with invalid_argument', { tag: ['@stateful', '@sms'] }, async ({ api, codes, target, faker }) => {
    const sent = await sendCode(api, codes, { phone_number: buildPhoneNumber(faker) });
    ok(await api.post('/auth/v1/verification/verify', { data: verifyRequest(sent.verificationId, sent.code) }));

    const reused = await api.post('/auth/v1/verification/verify', { data: verifyRequest(sent.verificationId, sent.code) });

    await expect(reused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });

  test('after five wrong codes even the right one is refused with resource_exhausted', { tag: ['@stateful', '@sms'] }, async ({ api, codes, target, faker }) => {
    const sent = await sendCode(api, codes, { phone_number: buildPhoneNumber(faker) });
    // contract-decisions: at most 5 wrong attempts per verification.
    for (let attempt = 1; attempt <= 5; attempt++) {
      const wrong = await api.post('/auth/v1/verification/verify', { data: verifyRequest(sent.verificationId, wrongCode(sent.code)) });
      await expect(wrong, `wrong code ${attempt}`).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
    }

    const locked = await api.post('/auth/v1/verification/verify', { data: verifyRequest(sent.verificationId, sent.code) });

    await expect(locked).toBeAuthError('resource_exhausted', refusal(target, 'resource_exhausted'));
  });

  test('a verification id that was never issued is refused with invalid_argument', { tag: '@stateful' }, async ({ api, target, faker }) => {
    const refused = await api.post('/auth/v1/verification/verify', { data: verifyRequest(`vid.${faker.string.alphanumeric(32)}`, '123456') });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });

  test('an expired code is refused with invalid_argument', { tag: ['@stateful', '@sms', '@serial', '@emulator-control'] }, async ({ api, codes, target, faker, emulator }) => {
    const sent = await sendCode(api, codes, { phone_number: buildPhoneNumber(faker) });
    // docs/api-facts.md, "Verification codes, phone numbers, usernames and passwords": codes live 600 s.
    await emulator.advanceClock(601);

    const refused = await api.post('/auth/v1/verification/verify', { data: verifyRequest(sent.verificationId, sent.code) });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });

  test('an expired verification token cannot sign up', { tag: ['@stateful', '@sms', '@serial', '@emulator-control'] }, async ({ api, accounts, target, faker, emulator }) => {
    const recipient = { phone_number: buildPhoneNumber(faker) };
    const verificationToken = await accounts.verificationToken(recipient);
    // docs/api-facts.md, "Verification codes, phone numbers, usernames and passwords": verification tokens live 600 s.
    await emulator.advanceClock(601);

    const refused = await api.post('/auth/v1/signup', { data: signUpRequest(recipient, verificationToken, buildNewAccount(faker)) });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });
});

test.describe('codes that are not sent (POST /auth/v1/verification)', () => {
  // SDK 3.7 (AuthErrorCode.FAILED_PRECONDITION): getVerification answers 9 when the account must,
  // or must not, exist and does not, or does.
  test('a code for an account that does not exist (target USER) is refused with failed_precondition', { tag: ['@stateful', '@sms'] }, async ({ api, target, faker }) => {
    const refused = await api.post('/auth/v1/verification', { data: verificationRequest({ phone_number: buildPhoneNumber(faker) }, 'USER') });

    await expect(refused).toBeAuthError('failed_precondition', refusal(target, 'failed_precondition'));
  });

  test('a code for a phone that has an account (target NOT_USER) is refused with failed_precondition', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, target }) => {
    const account = await accounts.signedUpByPhone();

    const refused = await api.post('/auth/v1/verification', { data: verificationRequest(account.recipient, 'NOT_USER') });

    await expect(refused).toBeAuthError('failed_precondition', refusal(target, 'failed_precondition'));
  });

  test('a phone number that is not a mobile number is refused with invalid_argument', { tag: '@stateful' }, async ({ api, target }) => {
    for (const phoneNumber of NOT_A_MOBILE_NUMBER) {
      const refused = await api.post('/auth/v1/verification', {
        data: verificationRequest({ phone_number: phoneNumber }, 'ANY'),
        breaksContract: 'a +86 number must be a mainland mobile number',
      });

      await expect(refused, phoneNumber).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
    }
  });

  test('a malformed phone number is refused with invalid_argument', { tag: '@stateful' }, async ({ api, target }) => {
    for (const phoneNumber of MALFORMED_PHONE_NUMBERS) {
      const refused = await api.post('/auth/v1/verification', {
        data: { phone_number: phoneNumber, target: 'ANY' },
        breaksContract: 'the phone number is not "+<country code> <number>"',
      });

      await expect(refused, JSON.stringify(phoneNumber)).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
    }
  });

  test('a phone number and an email together are refused with invalid_argument', { tag: '@stateful' }, async ({ api, target, faker }) => {
    const refused = await api.post('/auth/v1/verification', {
      data: { phone_number: buildPhoneNumber(faker), email: 'both@example.com', target: 'ANY' },
      breaksContract: 'docs: phone_number and email cannot be provided simultaneously',
    });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });

  test('an unknown target is refused with invalid_argument', { tag: '@stateful' }, async ({ api, target, faker }) => {
    const refused = await api.post('/auth/v1/verification', {
      data: { phone_number: buildPhoneNumber(faker), target: 'EVERYONE' },
      breaksContract: 'target is one of ANY, USER, NOT_USER',
    });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });
});
