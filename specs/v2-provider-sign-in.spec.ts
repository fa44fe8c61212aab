import { test, expect, ok } from '../fixtures/index.ts';

// `signInWithProvider({version: 'v2'})` posts to /auth/v2/signin/with/provider (@cloudbase/js-sdk 3.7.0
// `ApiUrlsV2.AUTH_SIGN_IN_WITH_PROVIDER_URL`): the same provider token and answers as the v1 path.
const CALLBACK = 'https://app.example.com/auth/callback';

test.describe('provider sign-in at the v2 path (POST /auth/v2/signin/with/provider)', () => {
  test('a provider token signs the same user in at the v1 and the v2 path', { tag: ['@stateful', '@emulator-control', '@destructive'] }, async ({ api, emulator, faker }) => {
    const identity = { provider_user_id: faker.string.uuid(), name: faker.person.fullName() };
    const providerToken = async () => {
      const { uri } = ok(await api.get('/auth/v1/provider/uri', { params: { provider_id: 'github', redirect_uri: CALLBACK } }));

      const back = await test.step('the user consents at the provider, which sends them back', () => emulator.authorize(String(uri), identity));

      const granted = ok(await api.post('/auth/v1/provider/token', { data: { provider_id: 'github', provider_code: String(back.code), provider_redirect_uri: CALLBACK } }));
      return String(granted.provider_token);
    };

    const v1 = ok(await api.post('/auth/v1/signin/with/provider', { data: { provider_token: await providerToken() } }));
    const v2 = ok(await api.post('/auth/v2/signin/with/provider', { data: { provider_token: await providerToken() } }));

    expect(v2.token_type).toBe('Bearer');
    expect(v2.sub).toBe(v1.sub);
  });

  test('a provider token never issued is refused with invalid_grant', { tag: ['@stateful'] }, async ({ api, faker }) => {
    const refused = await api.post('/auth/v2/signin/with/provider', { data: { provider_token: faker.string.alphanumeric(40) } });

    await expect(refused).toBeAuthError('invalid_grant', { status: 400 });
  });
});
