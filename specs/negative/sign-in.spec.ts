import { test, expect, ok, buildPhoneNumber } from '../../fixtures/index.ts';
import { DEVICE_ID_TOO_LONG, refusal } from './refusals.ts';

// Sign-in (docs https://docs.cloudbase.net/http-api/auth/auth-sign-in, auth-sign-in-anonymously, auth-grant-token): the right password of an existing account, a live verification token
// of an existing account, or, anonymously, a device id of 1..71 characters.

/** x-device-id values anonymous sign-in refuses (docs: required; "device id must less than 72"). */
const BAD_DEVICE_IDS: { why: string; value: string | undefined }[] = [
  { why: 'missing', value: undefined },
  { why: 'empty', value: '' },
  { why: '72 characters', value: DEVICE_ID_TOO_LONG },
  { why: '500 characters', value: 'd'.repeat(500) },
];

test.describe('sign-ins that are refused (POST /auth/v1/signin, POST /auth/v1/token)', () => {
  test('a wrong password is refused with invalid_password', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, target }) => {
    const account = await accounts.signedUpByPhone();

    const refused = await api.post('/auth/v1/signin', { data: { username: account.username, password: `${account.password}x` } });

    await expect(refused).toBeAuthError('invalid_password', refusal(target, 'invalid_password'));
  });

  test('a wrong password in the password grant is refused with invalid_password', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, target }) => {
    const account = await accounts.signedUpByPhone();

    const refused = await api.post('/auth/v1/token', { data: { grant_type: 'password', username: account.username, password: `x${account.password}` } });

    await expect(refused).toBeAuthError('invalid_password', refusal(target, 'invalid_password'));
  });

  test('an unknown user is refused with not_found', { tag: '@stateful' }, async ({ api, target, faker }) => {
    const refused = await api.post('/auth/v1/signin', { data: { username: `nobody_${faker.string.alphanumeric(12)}`, password: 'Str0ng!Passw0rd' } });

    await expect(refused).toBeAuthError('not_found', refusal(target, 'not_found'));
  });

  test('an unknown user in the password grant is refused with not_found', { tag: '@stateful' }, async ({ api, target, faker }) => {
    const refused = await api.post('/auth/v1/token', { data: { grant_type: 'password', username: `nobody_${faker.string.alphanumeric(12)}`, password: 'Str0ng!Passw0rd' } });

    await expect(refused).toBeAuthError('not_found', refusal(target, 'not_found'));
  });

  test('a username without a password is refused with invalid_argument', { tag: '@stateful' }, async ({ api, target, faker }) => {
    const refused = await api.post('/auth/v1/signin', { data: { username: `user_${faker.string.alphanumeric(8)}` }, breaksContract: 'password sign-in needs username and password' });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });

  test('a verification token that was never issued is refused with invalid_argument', { tag: '@stateful' }, async ({ api, target, faker }) => {
    const refused = await api.post('/auth/v1/signin', { data: { verification_token: faker.string.alphanumeric(32) } });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });

  test('a verification token for a phone number without an account is refused with not_found', { tag: ['@stateful', '@sms'] }, async ({ api, accounts, target, faker }) => {
    const verificationToken = await accounts.verificationToken({ phone_number: buildPhoneNumber(faker) });

    const refused = await api.post('/auth/v1/signin', { data: { verification_token: verificationToken } });

    await expect(refused).toBeAuthError('not_found', refusal(target, 'not_found'));
  });

  test('a verification token signs in once: the second sign-in with it is refused with invalid_argument', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, target }) => {
    const account = await accounts.signedUpByPhone();
    const verificationToken = await accounts.verificationToken(account.recipient);
    ok(await api.post('/auth/v1/signin', { data: { verification_token: verificationToken } }));

    const reused = await api.post('/auth/v1/signin', { data: { verification_token: verificationToken } });

    await expect(reused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });
});

test.describe('anonymous sign-ins that are refused (POST /auth/v1/signin/anonymously)', () => {
  for (const { why, value } of BAD_DEVICE_IDS) {
    test(`an x-device-id that is ${why} is refused with invalid_argument`, { tag: '@stateful' }, async ({ api, target }) => {
      const refused = await api.post('/auth/v1/signin/anonymously', {
        headers: { 'x-device-id': value },
        data: {},
        breaksContract: `x-device-id is required, 1..71 characters (${why})`,
      });

      await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
    });
  }

  test('a provider token that was never issued is refused with invalid_grant', { tag: '@stateful' }, async ({ api, target, deviceId, faker }) => {
    const refused = await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: { provider_token: `pt.${faker.string.alphanumeric(24)}` } });

    await expect(refused).toBeAuthError('invalid_grant', refusal(target, 'invalid_grant'));
  });
});
