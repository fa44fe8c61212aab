import { test, expect, ok } from '../fixtures/index.ts';

// The image captcha (docs auth-get-captcha-data, auth-verify-captcha-data): get an image and its token,
// answer it, receive a captcha token. Only the emulator lets a test read the answer
// (GET /__emulator/captchas), so solving it is emulator-only; asking for one runs everywhere.

test.describe('image captcha (POST /auth/v1/captcha/data, /auth/v1/captcha/data/verify)', () => {
  test('a captcha comes as an inline image with a token to answer it', async ({ api }) => {
    const captcha = ok(await api.post('/auth/v1/captcha/data', { data: { state: 'POST:/v1/verification', redirect_uri: '' } }));

    expect(String(captcha.data)).toMatch(/^data:image\//);
    expect(captcha.type).toBe('image');
    expect(captcha.token).toEqual(expect.any(String));
  });

  test('the right answer earns a captcha token that lives 600 s', { tag: ['@stateful', '@emulator-control'] }, async ({ api, request, target }) => {
    const captcha = ok(await api.post('/auth/v1/captcha/data', { data: { state: 'POST:/v1/verification', redirect_uri: '' } }));

    const answer = await test.step('GET /__emulator/captchas (read the answer)', async () => {
      const res = await request.get(`${target.controlURL}/__emulator/captchas`, { params: { token: String(captcha.token) } });
      const { captchas } = (await res.json()) as { captchas: { answer: string }[] };
      return String(captchas[0]?.answer);
    });

    const verified = ok(await api.post('/auth/v1/captcha/data/verify', { data: { token: captcha.token, key: answer } }));

    expect(verified.captcha_token).toEqual(expect.any(String));
    expect(verified.expires_in).toBe(600);
  });

  test('a wrong answer is refused with invalid_argument', { tag: '@stateful' }, async ({ api }) => {
    const captcha = ok(await api.post('/auth/v1/captcha/data', { data: { state: 'POST:/v1/verification', redirect_uri: '' } }));

    // Answers are 4 characters; 5 can never be right.
    const refused = await api.post('/auth/v1/captcha/data/verify', { data: { token: captcha.token, key: 'WRONG' } });

    await expect(refused).toBeAuthError('invalid_argument', { status: 400 });
  });

  test('captcha/init answers a captcha to solve, or a captcha token at once', async ({ api }) => {
    const started = ok(await api.post('/auth/v1/captcha/init', { data: { state: 'POST:/v1/verification', redirect_uri: 'https://app.example.com/captcha-done' } }));

    expect(started.url ?? started.captcha_token).toEqual(expect.any(String));
    expect(started.expires_in).toBeGreaterThan(0);
  });
});
