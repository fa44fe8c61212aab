import { test, expect, ok } from '../fixtures/index.ts';

test.describe('third-party providers (GET /auth/v1/user/provider, bind, unbind)', () => {
  test('a signed-in user lists the providers they can bind', { tag: '@account' }, async ({ api, accounts }) => {
    const account = await accounts.signedIn();

    const providers = ok(await api.get('/auth/v1/user/provider', { token: account.tokens.access_token }));

    expect(providers.total).toEqual(expect.any(Number));
    expect(providers.data).toEqual(expect.any(Array));
  });

  test.describe('on the mock', () => {
    test.skip(({ target }) => target.name !== 'prism', 'a real bind needs a provider token from a real identity provider; the emulator flow below gets one from /__emulator/provider-tokens');

    test('bind and unbind answer in their documented shapes', async ({ api, faker }) => {
      const token = faker.string.alphanumeric(40);

      const bound = ok(await api.post('/auth/v1/user/provider/bind', { token, data: { provider_token: faker.string.alphanumeric(40) } }));
      const unbound = ok(await api.delete('/auth/v1/user/provider/google', { token }));

      expect(bound).toEqual(expect.any(Object));
      expect(unbound).toEqual(expect.any(Object));
    });
  });

  test('a provider is bound with a provider token, listed as bound, then unbound', { tag: ['@stateful', '@emulator-control', '@destructive', '@sms'] }, async ({ api, accounts, emulator, faker }) => {
    const account = await accounts.signedUpByPhone();
    const token = account.tokens.access_token;
    const listed = ok(await api.get('/auth/v1/user/provider', { token }));
    const unbound = (listed.data as Array<{ id: string; bind?: boolean }>).filter((p) => !p.bind);
    expect(unbound, 'the emulator lists an unbound provider').not.toHaveLength(0);
    const provider = unbound[0] as { id: string };

    const providerToken = await test.step('get a provider token from the emulator', () => emulator.providerToken(provider.id, faker.string.uuid()));

    ok(await api.post('/auth/v1/user/provider/bind', { token, data: { provider_token: providerToken } }));
    const afterBind = ok(await api.get('/auth/v1/user/provider', { token }));
    expect(afterBind.data).toContainEqual(expect.objectContaining({ id: provider.id, bind: true }));

    ok(await api.delete(`/auth/v1/user/provider/${provider.id}`, { token }));
    const afterUnbind = ok(await api.get('/auth/v1/user/provider', { token }));
    expect(afterUnbind.data).toContainEqual(expect.objectContaining({ id: provider.id, bind: false }));
  });

  test('a provider token that was never issued is refused with invalid_grant', { tag: ['@stateful', '@destructive', '@sms'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();

    const refused = await api.post('/auth/v1/user/provider/bind', { token: account.tokens.access_token, data: { provider_token: faker.string.alphanumeric(40) } });

    await expect(refused).toBeAuthError('invalid_grant');
  });
});
