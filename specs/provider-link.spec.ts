import { test, expect, ok } from '../fixtures/index.ts';

/**
 * Linking a provider to an account (js-sdk 3.7.0 `auth.linkIdentity`: the authorize URL, the provider's
 * code, a provider token, then POST /auth/v1/user/provider/bind), after which the provider signs in to
 * that account. On the emulator the provider is its fake one (GET /__emulator/provider/authorize).
 */
const CALLBACK = 'https://app.example.com/settings/identities';

test.describe('linking a provider identity (provider/uri, provider/token, user/provider/bind, signin/with/provider)', () => {
  test('a linked provider signs in to the account it was linked to', { tag: ['@stateful', '@emulator-control', '@destructive', '@sms'] }, async ({ api, accounts, emulator, faker }) => {
    const account = await accounts.signedUpByPhone();
    const identity = { provider_user_id: faker.string.uuid(), name: faker.person.fullName() };
    const providerToken = async () => {
      const { uri } = ok(await api.get('/auth/v1/provider/uri', { params: { provider_id: 'google', redirect_uri: CALLBACK, state: faker.string.alphanumeric(16) } }));

      const { code } = await test.step('the user consents at the provider', () => emulator.authorize(String(uri), identity));

      const granted = ok(await api.post('/auth/v1/provider/token', { data: { provider_id: 'google', provider_code: String(code), provider_redirect_uri: CALLBACK } }));
      return String(granted.provider_token);
    };

    ok(await api.post('/auth/v1/user/provider/bind', { token: account.tokens.access_token, data: { provider_token: await providerToken() } }));
    const listed = ok(await api.get('/auth/v1/user/provider', { token: account.tokens.access_token }));
    expect(listed.data).toContainEqual(expect.objectContaining({ id: 'google', bind: true }));

    const signedIn = ok(await api.post('/auth/v1/signin/with/provider', { data: { provider_token: await providerToken(), force_disable_sign_up: true } }));

    expect(signedIn.sub).toBe(account.tokens.sub);
  });
});
