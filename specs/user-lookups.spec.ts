import { test, expect, ok, buildUsername, SUITE_USERNAME_PREFIX } from '../fixtures/index.ts';

test.describe('looking up accounts: GET /auth/v1/checkIfUserExist, /auth/v1/checkUsername and /auth/v1/user/query', () => {
  test('checkIfUserExist answers whether a username is registered, without a sign-in', async ({ api, faker }) => {
    const answer = ok(await api.get('/auth/v1/checkIfUserExist', { params: { username: `${SUITE_USERNAME_PREFIX}${buildUsername(faker)}` } }));

    expect(typeof answer.exist).toBe('boolean');
  });

  test('checkIfUserExist says yes for a registered username and no for a new one', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();

    expect(ok(await api.get('/auth/v1/checkIfUserExist', { params: { username: account.username } }))).toMatchObject({ exist: true });
    expect(ok(await api.get('/auth/v1/checkIfUserExist', { params: { username: `${SUITE_USERNAME_PREFIX}${buildUsername(faker)}` } }))).toMatchObject({ exist: false });
  });

  test('a signed-in user finds themselves by id', { tag: ['@stateful', '@account'] }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();

    const found = ok(await api.get('/auth/v1/user/query', { token: account.tokens.access_token, params: { id: account.tokens.sub } }));

    expect(found.total).toBe(1);
    expect(found.data).toEqual([expect.objectContaining({ sub: account.tokens.sub })]);
  });

  test('a query for a username nobody has finds nothing', { tag: ['@stateful', '@account'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedIn();

    const found = ok(await api.get('/auth/v1/user/query', { token: account.tokens.access_token, params: { username: `${SUITE_USERNAME_PREFIX}${buildUsername(faker)}` } }));

    expect(found.total).toBe(0);
  });

  test('checkUsername refuses a username another account holds with failed_precondition (INFERRED) and accepts a free one', { tag: ['@stateful', '@destructive', '@sms', '@email'] }, async ({ api, accounts, faker }) => {
    const holder = await accounts.signedUpByEmail();
    const account = await accounts.signedUpByPhone();

    await expect(await api.get('/auth/v1/checkUsername', { token: account.tokens.access_token, params: { username: holder.username } })).toBeAuthError('failed_precondition');
    ok(await api.get('/auth/v1/checkUsername', { token: account.tokens.access_token, params: { username: `${SUITE_USERNAME_PREFIX}${buildUsername(faker)}` } }));
  });
});
