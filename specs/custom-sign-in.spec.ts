import { test, expect, ok } from '../fixtures/index.ts';

/**
 * Custom login (docs https://docs.cloudbase.net/en/http-api/auth/auth-sign-in-custom): a server signs
 * a ticket for its own user id with the env's custom-login private key (@cloudbase/node-sdk
 * createTicket), the client signs in with it. The emulator hands out its key and signs tickets
 * (POST /__emulator/custom-tickets); on a live environment the private key is not the suite's to hold.
 */
test.describe('custom sign-in with a ticket (POST /auth/v1/signin/custom)', () => {
  test('a ticket answers a token response in its documented shape', async ({ api, target }) => {
    test.skip(target.name !== 'prism', 'the emulator flows below sign real tickets; this one checks the documented shape');
    const tokens = ok(await api.post('/auth/v1/signin/custom', { data: { provider_id: 'custom', ticket: 'cd7382ee-2f2f-4edf-831e-2f7c68ed3b43/@@/eyJhbGciOiJSUzI1NiJ9.e30.c2ln' } }));
    expect(tokens.token_type).toBe('Bearer');
  });

  test('a ticket signs in, and the same custom user id is always the same user', { tag: ['@stateful', '@emulator-control', '@destructive'] }, async ({ api, emulator, faker }) => {
    const uid = `ct-${faker.string.alphanumeric(12)}`;

    const first = ok(await api.post('/auth/v1/signin/custom', { data: { provider_id: 'custom', ticket: await emulator.customTicket(uid) } }));
    const me = ok(await api.get('/auth/v1/user/me', { token: String(first.access_token) }));
    expect(me.sub).toBe(first.sub);

    const again = ok(await api.post('/auth/v1/signin/custom', { data: { provider_id: 'custom', ticket: await emulator.customTicket(uid) } }));
    expect(again.sub).toBe(first.sub);
    const other = ok(await api.post('/auth/v1/signin/custom', { data: { provider_id: 'custom', ticket: await emulator.customTicket(`${uid}-2`) } }));
    expect(other.sub).not.toBe(first.sub);
  });

  test('a ticket older than ten minutes is refused', { tag: ['@stateful', '@serial', '@emulator-control'] }, async ({ api, emulator, faker }) => {
    const ticket = await emulator.customTicket(`ct-${faker.string.alphanumeric(12)}`);

    await test.step('ten minutes pass', () => emulator.advanceClock(601));

    const refused = await api.post('/auth/v1/signin/custom', { data: { provider_id: 'custom', ticket } });

    await expect(refused).toBeAuthError('unauthenticated', { error_code: 16 });
  });

  test('a ticket whose signature is not the custom-login key\'s is refused', { tag: ['@stateful', '@emulator-control'] }, async ({ api, emulator, faker }) => {
    const ticket = await emulator.customTicket(`ct-${faker.string.alphanumeric(12)}`);
    const [keyId, jwt = ''] = ticket.split('/@@/');
    const [header, payload] = jwt.split('.');
    const forged = `${keyId}/@@/${header}.${payload}.${faker.string.alphanumeric(342)}`;

    const refused = await api.post('/auth/v1/signin/custom', { data: { provider_id: 'custom', ticket: forged } });

    await expect(refused).toBeAuthError('unauthenticated', { error_code: 16 });
  });
});
