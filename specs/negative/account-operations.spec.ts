import { test, expect, ok, buildPassword, buildPhoneNumber, type ApiClient } from '../../fixtures/index.ts';
import { refusal } from './refusals.ts';

// The remaining refusals of the account operations: providers (docs user-providers), revocation
// (auth-revoke), sign-out (auth-sign-out) and password reset (auth-reset-password); docs =
// https://docs.cloudbase.net/http-api/auth/<slug>.

async function anonymousAccessToken(api: ApiClient, deviceId: string): Promise<string> {
  const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));
  return String(tokens.access_token);
}

test.describe('providers that cannot be bound or unbound', () => {
  test('a provider token that was never issued is refused with invalid_grant', { tag: '@stateful' }, async ({ api, target, deviceId, faker }) => {
    const token = await anonymousAccessToken(api, deviceId);

    const refused = await api.post('/auth/v1/user/provider/bind', { token, data: { provider_token: `pt.${faker.string.alphanumeric(24)}` } });

    await expect(refused).toBeAuthError('invalid_grant', refusal(target, 'invalid_grant'));
  });

  test('a provider that is already bound is refused with failed_precondition', { tag: ['@stateful', '@emulator-control'] }, async ({ api, target, deviceId, emulator }) => {
    const token = await anonymousAccessToken(api, deviceId);
    ok(await api.post('/auth/v1/user/provider/bind', { token, data: { provider_token: await emulator.providerToken('github') } }));

    const refused = await api.post('/auth/v1/user/provider/bind', { token, data: { provider_token: await emulator.providerToken('github') } });

    await expect(refused).toBeAuthError('failed_precondition', refusal(target, 'failed_precondition'));
  });

  test('a provider token binds once: another user cannot use it again (invalid_grant)', { tag: ['@stateful', '@emulator-control'] }, async ({ api, target, deviceId, emulator, faker }) => {
    const providerToken = await emulator.providerToken('google');
    ok(await api.post('/auth/v1/user/provider/bind', { token: await anonymousAccessToken(api, deviceId), data: { provider_token: providerToken } }));
    const otherUser = await anonymousAccessToken(api, faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' }));

    const refused = await api.post('/auth/v1/user/provider/bind', { token: otherUser, data: { provider_token: providerToken } });

    await expect(refused).toBeAuthError('invalid_grant', refusal(target, 'invalid_grant'));
  });

  test('unbinding a provider that is not bound is refused with not_found', { tag: '@stateful' }, async ({ api, target, deviceId }) => {
    const token = await anonymousAccessToken(api, deviceId);

    const refused = await api.delete('/auth/v1/user/provider/github', { token });

    await expect(refused).toBeAuthError('not_found', refusal(target, 'not_found'));
  });
});

test.describe('revocation and sign-out that are refused', () => {
  test('a revocation without any token is refused with invalid_argument', { tag: '@stateful' }, async ({ api, target }) => {
    const refused = await api.post('/auth/v1/revoke', { data: {} });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });

  test('a sign-out with a redirect_uri that is not an absolute URL is refused with invalid_argument', { tag: '@stateful' }, async ({ api, target, deviceId }) => {
    const token = await anonymousAccessToken(api, deviceId);

    const refused = await api.post('/auth/v1/user/signout', { token, data: { redirect_uri: 'not a url', state: 'x' } });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });
});

test.describe('password resets that are refused (POST /auth/v1/reset)', () => {
  test('a phone number without an account is refused with not_found', { tag: ['@stateful', '@sms'] }, async ({ api, accounts, target, faker }) => {
    const recipient = { phone_number: buildPhoneNumber(faker) };
    const verificationToken = await accounts.verificationToken(recipient);

    const refused = await api.post('/auth/v1/reset', { data: { ...recipient, new_password: buildPassword(faker), verification_token: verificationToken } });

    await expect(refused).toBeAuthError('not_found', refusal(target, 'not_found'));
  });

  test('a verification token issued for another phone number is refused with invalid_argument', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, target, faker }) => {
    const account = await accounts.signedUpByPhone();
    const verificationToken = await accounts.verificationToken({ phone_number: buildPhoneNumber(faker) });

    const refused = await api.post('/auth/v1/reset', { data: { ...account.recipient, new_password: buildPassword(faker), verification_token: verificationToken } });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });

  test('a weak new password is refused with invalid_argument', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, target }) => {
    const account = await accounts.signedUpByPhone();
    const verificationToken = await accounts.verificationToken(account.recipient, 'USER');

    const refused = await api.post('/auth/v1/reset', {
      data: { ...account.recipient, new_password: 'alllowercase', verification_token: verificationToken },
      breaksContract: 'the new password breaks the documented rule',
    });

    await expect(refused).toBeAuthError('invalid_argument', refusal(target, 'invalid_argument'));
  });
});
