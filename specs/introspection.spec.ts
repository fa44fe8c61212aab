import { test, expect, ok } from '../fixtures/index.ts';

test.describe('token introspection (GET /auth/v1/token/introspect, token as Bearer)', () => {
  test('a live access token is introspected as a Bearer token of its user', async ({ api, deviceId }) => {
    const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));

    const introspected = ok(await api.get('/auth/v1/token/introspect', { token: String(tokens.access_token) }));

    expect(introspected).toMatchObject({ token_type: 'Bearer', sub: expect.any(String), scope: expect.any(String) });
  });

  test('introspection names the token\'s user, client and scope', { tag: '@stateful' }, async ({ api, deviceId }) => {
    const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));

    const introspected = ok(await api.get('/auth/v1/token/introspect', { token: String(tokens.access_token) }));

    expect(introspected).toMatchObject({ token_type: 'Bearer', sub: tokens.sub, scope: tokens.scope, client_id: expect.any(String) });
  });

  test('a revoked access token is introspected as inactive', { tag: '@stateful' }, async ({ api, deviceId }) => {
    const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));
    ok(await api.post('/auth/v1/revoke', { data: { token: tokens.access_token } }));

    const introspected = ok(await api.get('/auth/v1/token/introspect', { token: String(tokens.access_token) }));

    // Inactive: it names no user, no type and no scope. Other fields may come: the API may grow.
    expect(introspected).not.toHaveProperty('sub');
    expect(introspected).not.toHaveProperty('token_type');
    expect(introspected).not.toHaveProperty('scope');
  });

  test('a token that was never issued is introspected as inactive', { tag: '@stateful' }, async ({ api, faker }) => {
    const introspected = ok(await api.get('/auth/v1/token/introspect', { token: faker.string.alphanumeric(40) }));

    // Inactive: it names no user, no type and no scope. Other fields may come: the API may grow.
    expect(introspected).not.toHaveProperty('sub');
    expect(introspected).not.toHaveProperty('token_type');
    expect(introspected).not.toHaveProperty('scope');
  });
});
