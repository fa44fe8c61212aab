import { test, expect, buildNewAccount, buildPhoneNumber, signUpRequest } from '../../fixtures/index.ts';
import { refusal } from './refusals.ts';

// Sign-up (docs https://docs.cloudbase.net/http-api/auth/auth-sign-up) needs a live verification token for the very phone number it registers, and a
// phone number and username nobody has; the values must be well-formed.

/** docs (authentication-v2 guide): 1..32 letters, digits, `-`, `_`; not all digits; no `-`/`_` first or last. */
const BAD_USERNAMES = ['12345678', '_leading', 'x'.repeat(33)];
/** docs (update-password): 8..64 characters with a lowercase and an uppercase letter, a digit and a special character. */
const WEAK_PASSWORDS: { password: string; breaksContract: string }[] = [
  { password: 'alllowercase1!', breaksContract: 'the contract requires an uppercase letter' },
  { password: 'NoSpecial123', breaksContract: 'the contract requires a special character' },
  { password: 'Sh0rt!', breaksContract: 'the contract requires 8..64 characters' },
];

test.describe('sign-ups that are refused (POST /auth/v1/signup)', () => {
  test('a phone number that already has an account is refused with failed_precondition', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, target, faker }) => {
    const account = await accounts.signedUpByPhone();
    const verificationToken = await accounts.verificationToken(account.recipient);

    const refused = await api.post('/auth/v1/signup', { data: signUpRequest(account.recipient, verificationToken, buildNewAccount(faker)) });

    await expect(refused).toBeAuthError('failed_precondition', refusal(target, 'failed_precondition'));
  });

  test('a username that is taken is refused with failed_precondition', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, target, faker }) => {
    const account = await accounts.signedUpByPhone();
    const recipient = { phone_number: buildPhoneNumber(faker) };
    const verificationToken = await accounts.verificationToken(recipient);

    const refused = await api.post('/auth/v1/signup', { data: signUpRequest(recipient, verificationToken, { ...buildNewAccount(faker), username: account.username }) });

    await expect(refused).toBeAuthError('failed_precondition', refusal(target, 'failed_precondition'));
  });

  test('a sign-up without a verification token is refused with invalid_argument', { tag: '@stateful' }, async ({ api, target, faker }) => {
    const refused = await api.post('/auth/v1/signup', {
      data: { phone_number: buildPhoneNumber(faker), ...buildNewAccount(faker) },
      breaksContract: 'verification_token is required',
    });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });

  test('a verification token that was never issued is refused with invalid_argument', { tag: '@stateful' }, async ({ api, target, faker }) => {
    const refused = await api.post('/auth/v1/signup', { data: signUpRequest({ phone_number: buildPhoneNumber(faker) }, faker.string.alphanumeric(32), buildNewAccount(faker)) });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });

  test('a verification token issued for another phone number is refused with invalid_argument', { tag: ['@stateful', '@sms'] }, async ({ api, accounts, target, faker }) => {
    const verificationToken = await accounts.verificationToken({ phone_number: buildPhoneNumber(faker) });

    const refused = await api.post('/auth/v1/signup', { data: signUpRequest({ phone_number: buildPhoneNumber(faker) }, verificationToken, buildNewAccount(faker)) });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });

  test('a malformed phone number is refused with invalid_argument', { tag: '@stateful' }, async ({ api, target, faker }) => {
    const refused = await api.post('/auth/v1/signup', {
      data: { phone_number: '13800000000', verification_token: faker.string.alphanumeric(32), ...buildNewAccount(faker) },
      breaksContract: 'the phone number is not "+<country code> <number>"',
    });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });

  test('usernames outside the documented rule are refused with invalid_argument', { tag: ['@stateful', '@sms'] }, async ({ api, accounts, target, faker }) => {
    for (const username of BAD_USERNAMES) {
      const recipient = { phone_number: buildPhoneNumber(faker) };
      const verificationToken = await accounts.verificationToken(recipient);

      const refused = await api.post('/auth/v1/signup', {
        data: signUpRequest(recipient, verificationToken, { ...buildNewAccount(faker), username }),
        breaksContract: 'the username breaks the documented rule',
      });

      await expect(refused, username).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
    }
  });

  test('weak passwords are refused with invalid_argument', { tag: ['@stateful', '@sms'] }, async ({ api, accounts, target, faker }) => {
    for (const { password, breaksContract } of WEAK_PASSWORDS) {
      const recipient = { phone_number: buildPhoneNumber(faker) };
      const verificationToken = await accounts.verificationToken(recipient);

      const refused = await api.post('/auth/v1/signup', {
        data: signUpRequest(recipient, verificationToken, { ...buildNewAccount(faker), password }),
        breaksContract,
      });

      await expect(refused, password).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
    }
  });
});
