import { test, expect, ok, buildDisplayName, buildUsername, SUITE_USERNAME_PREFIX } from '../fixtures/index.ts';

test.describe('updating the profile (PATCH /auth/v1/user/profile), as the SDK\'s User.update does', () => {
  test('a user updates their profile and gets it back', { tag: ['@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();

    const profile = ok(await api.patch('/auth/v1/user/profile', { token: account.tokens.access_token, data: { name: buildDisplayName(faker), gender: 'FEMALE' } }));

    // @cloudbase/oauth 3.3.3 src/auth/apis.ts setUserProfile: the SDK stores the answer as the user's info (INFERRED: the whole profile).
    expect(profile.sub).toEqual(expect.any(String));
  });

  test('the answer and the profile carry the new name, picture and username', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();
    const name = buildDisplayName(faker);
    const picture = faker.image.avatar();
    const username = `${SUITE_USERNAME_PREFIX}${buildUsername(faker)}`;

    const profile = ok(await api.patch('/auth/v1/user/profile', { token: account.tokens.access_token, data: { name, picture, username } }));
    accounts.renamed(account, username);

    expect(profile).toMatchObject({ sub: account.tokens.sub, name, picture, username });
    const me = ok(await api.get('/auth/v1/user/me', { token: account.tokens.access_token }));
    expect(me).toMatchObject({ name, picture, username });
  });

  test('the email cannot be changed here without a code (INFERRED)', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();

    const refused = await api.patch('/auth/v1/user/profile', { token: account.tokens.access_token, data: { email: faker.internet.email().toLowerCase() } });

    await expect(refused).toBeAuthError('invalid_argument');
  });
});
