import { test as base, expect, ok, buildPhoneNumber, verificationRequest } from '../fixtures/index.ts';

// An operation that demands a captcha (docs auth-send-verification: "x-captcha-token ... required when
// the interface returns captcha_required"). The emulator demands one for the operations listed in
// PATCH /__emulator/config `captcha_required_operations`; the test switches it on for sending codes
// and back off afterwards, pass or fail. The SDK's retry (captcha.ts `request`) reads `error`:
// captcha_required (4001) asks for a captcha, captcha_invalid (4002) for a new one.

const OPERATION = 'POST /auth/v1/verification';

const test = base.extend<{ demandCaptcha: void; solveCaptcha: () => Promise<string> }>({
  demandCaptcha: [
    async ({ request, target }, use) => {
      const patch = (operations: string[]) =>
        request.fetch(`${target.controlURL}/__emulator/config`, { method: 'PATCH', data: { captcha_required_operations: operations }, failOnStatusCode: true });
      await patch([OPERATION]);
      await use();
      await patch([]);
    },
    { auto: true },
  ],
  // Get a captcha, read its answer from the emulator, trade it for a captcha token.
  solveCaptcha: async ({ api, request, target }, use) => {
    await use(async () => {
      const captcha = ok(await api.post('/auth/v1/captcha/data', { data: { state: `POST:/v1/verification`, redirect_uri: '' } }));
      const res = await request.get(`${target.controlURL}/__emulator/captchas`, { params: { token: String(captcha.token) } });
      const { captchas } = (await res.json()) as { captchas: { answer: string }[] };
      const verified = ok(await api.post('/auth/v1/captcha/data/verify', { data: { token: captcha.token, key: captchas[0]?.answer } }));
      return String(verified.captcha_token);
    });
  },
});

test.describe('an operation that demands a captcha (POST /auth/v1/verification)', () => {
  test('without a captcha token it answers captcha_required', { tag: ['@stateful', '@serial', '@emulator-control', '@sms'] }, async ({ api, faker }) => {
    const refused = await api.post('/auth/v1/verification', { data: verificationRequest({ phone_number: buildPhoneNumber(faker) }) });

    await expect(refused).toBeAuthError('captcha_required', { status: 400, error_code: 4001 });
  });

  test('a solved captcha lets it through, in the x-captcha-token header or the captcha_token query', { tag: ['@stateful', '@serial', '@emulator-control', '@sms'] }, async ({ api, faker, solveCaptcha }) => {
    const captchaToken = await solveCaptcha();

    const byHeader = ok(await api.post('/auth/v1/verification', { data: verificationRequest({ phone_number: buildPhoneNumber(faker) }), headers: { 'x-captcha-token': captchaToken } }));
    const byQuery = ok(await api.post('/auth/v1/verification', { data: verificationRequest({ phone_number: buildPhoneNumber(faker) }), params: { captcha_token: captchaToken } }));

    expect(byHeader.verification_id).toEqual(expect.any(String));
    expect(byQuery.verification_id).toEqual(expect.any(String));
  });

  test('a made-up captcha token answers captcha_invalid', { tag: ['@stateful', '@serial', '@emulator-control', '@sms'] }, async ({ api, faker }) => {
    const refused = await api.post('/auth/v1/verification', {
      data: verificationRequest({ phone_number: buildPhoneNumber(faker) }),
      headers: { 'x-captcha-token': 'v1.not-a-captcha-token' },
    });

    await expect(refused).toBeAuthError('captcha_invalid', { status: 400, error_code: 4002 });
  });
});
