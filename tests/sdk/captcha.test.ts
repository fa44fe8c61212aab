/**
 * The web SDK's own captcha handling against the emulator (@cloudbase/js-sdk 3.7.0, oauth captcha.ts): when a
 * call answers `captcha_required` the SDK asks POST /auth/v1/captcha/data for an image, hands it to
 * `captchaOptions.openURIWithCallback` (in a browser: its own dialog), trades the answer for a captcha token at
 * POST /auth/v1/captcha/data/verify and sends the call again with `?captcha_token=`. It keeps the token and
 * sends it again until it expires; `captcha_invalid` makes it solve a new captcha. The same outcomes as
 * specs/captcha.spec.ts and specs/captcha-required.spec.ts.
 *
 * In Node the SDK's dialog cannot run, so the test's `openURIWithCallback` plays the dialog and the user: it
 * reads the answer from `GET /__emulator/captchas` and submits it through the SDK's own `auth.verifyCaptchaData`.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { rejection, sdkData, useSdkHarness } from './harness.ts';

const harness = useSdkHarness();

const phone = sdkData.phone;

async function demandCaptchaFor(operations: string[]): Promise<void> {
  const res = await harness.raw('PATCH', '/__emulator/config', { captcha_required_operations: operations });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}
beforeEach(() => demandCaptchaFor([]));

interface SdkAuth {
  getVerification(params: Record<string, unknown>, options?: { withCaptcha: boolean }): Promise<{ verification_id?: string }>;
  createCaptchaData(params: { state: string; redirect_uri?: string }): Promise<{ token: string; data: string }>;
  verifyCaptchaData(params: { token: string; key: string }): Promise<{ captcha_token: string; expires_in: number }>;
}

/**
 * An SDK auth whose captcha "dialog" is the test, doing what the SDK's own dialog does (captcha-dom.ts): read
 * the image's token, submit the user's answer with `auth.verifyCaptchaData`, and on a failure show the error,
 * fetch a new image with `auth.createCaptchaData` and let the user try again. The user reads the answer from
 * `GET /__emulator/captchas`; `solve` may make them get it wrong.
 */
function clientSolvingCaptchas(solve: (answer: string, attempt: number) => string = (answer) => answer) {
  const shown: string[] = [];
  const failures: unknown[] = [];
  const { app } = harness.client();
  const answerOf = async (token: string) => {
    const { body } = await harness.raw('GET', `/__emulator/captchas?token=${encodeURIComponent(token)}`);
    return (body.captchas as { answer: string }[])[0]?.answer ?? '';
  };
  // app.auth(config) builds the auth object with that config; captchaOptions reach the SDK's Captcha.
  const auth = (app.auth as unknown as (config: unknown) => SdkAuth)({
    captchaOptions: {
      openURIWithCallback: async (url: string) => {
        shown.push(url);
        const match = /^(data:image\/[^?]+)\?(.*)$/.exec(url);
        assert.ok(match, `the SDK opened ${url.slice(0, 40)}..., not an image with its query`);
        const query = new URLSearchParams(match[2]);
        let token = query.get('token') ?? '';
        for (let attempt = 1; attempt <= 3; attempt++) {
          try {
            return await auth.verifyCaptchaData({ token, key: solve(await answerOf(token), attempt) });
          } catch (error) {
            failures.push(error);
            token = (await auth.createCaptchaData({ state: query.get('state') ?? '' })).token;
          }
        }
        throw new Error('the user gave up after 3 captchas');
      },
    },
  });
  return { auth, shown, failures };
}

const sentSince = (mark: number) => harness.sent.slice(mark).map((line) => line.replace(/\?.*$/, (q) => (q.includes('captcha_token=') ? '?captcha_token' : '')));

describe('@cloudbase/js-sdk 3.7.0 captcha handling against the emulator', () => {
  test('createCaptchaData and verifyCaptchaData: the right answer earns a captcha token', async () => {
    const { auth } = clientSolvingCaptchas();
    const captcha = await auth.createCaptchaData({ state: 'sdk-test' });
    assert.match(captcha.data, /^data:image\//);
    const { body } = await harness.raw('GET', `/__emulator/captchas?token=${encodeURIComponent(captcha.token)}`);
    const verified = await auth.verifyCaptchaData({ token: captcha.token, key: (body.captchas as { answer: string }[])[0]?.answer ?? '' });
    assert.equal(typeof verified.captcha_token, 'string');
    assert.equal(verified.expires_in, 600);
  });

  test('verifyCaptchaData with a wrong answer rejects with invalid_argument, without opening another captcha', async () => {
    const { auth, shown } = clientSolvingCaptchas();
    const captcha = await auth.createCaptchaData({ state: 'sdk-test' });
    const error = await rejection(auth.verifyCaptchaData({ token: captcha.token, key: 'WRONG' }));
    assert.equal(error.error, 'invalid_argument');
    assert.equal(shown.length, 0);
  });

  test('getVerification on an operation that demands a captcha: the SDK solves one and sends the call again', async () => {
    await demandCaptchaFor(['POST /auth/v1/verification']);
    const { auth, shown } = clientSolvingCaptchas();
    const mark = harness.sent.length;

    const sent = await auth.getVerification({ phone_number: phone(), target: 'ANY' });

    assert.equal(typeof sent.verification_id, 'string');
    assert.equal(shown.length, 1, 'one captcha shown');
    assert.deepEqual(sentSince(mark), [
      'POST /auth/v1/verification',
      'POST /auth/v1/captcha/data',
      'POST /auth/v1/captcha/data/verify',
      'POST /auth/v1/verification?captcha_token',
    ]);
  });

  test('the SDK keeps its captcha token: the next call sends it at once, no new captcha', async () => {
    await demandCaptchaFor(['POST /auth/v1/verification']);
    const { auth, shown } = clientSolvingCaptchas();
    await auth.getVerification({ phone_number: phone(), target: 'ANY' });
    const mark = harness.sent.length;

    await auth.getVerification({ phone_number: phone(), target: 'ANY' }, { withCaptcha: true });

    assert.equal(shown.length, 1, 'no second captcha');
    assert.deepEqual(sentSince(mark), ['POST /auth/v1/verification?captcha_token']);
  });

  test('a captcha token the emulator no longer takes (expired) answers captcha_invalid: the SDK solves a new captcha', async () => {
    await demandCaptchaFor(['POST /auth/v1/verification']);
    const { auth, shown } = clientSolvingCaptchas();
    await auth.getVerification({ phone_number: phone(), target: 'ANY' });
    // The SDK judges expiry by its own clock; the emulator's moves past the token's 600 s.
    harness.emulator.emulator.clock.advance(601);
    const mark = harness.sent.length;

    const sent = await auth.getVerification({ phone_number: phone(), target: 'ANY' }, { withCaptcha: true });

    assert.equal(typeof sent.verification_id, 'string');
    assert.equal(shown.length, 2, 'a second captcha');
    assert.deepEqual(sentSince(mark), [
      'POST /auth/v1/verification?captcha_token',
      'POST /auth/v1/captcha/data',
      'POST /auth/v1/captcha/data/verify',
      'POST /auth/v1/verification?captcha_token',
    ]);
  });

  test('a wrong answer: the dialog shows a new image, the right answer then lets the call through', async () => {
    await demandCaptchaFor(['POST /auth/v1/verification']);
    const { auth, shown, failures } = clientSolvingCaptchas((answer, attempt) => (attempt === 1 ? 'WRONG' : answer));
    const mark = harness.sent.length;

    const sent = await auth.getVerification({ phone_number: phone(), target: 'ANY' });

    assert.equal(typeof sent.verification_id, 'string');
    assert.equal(shown.length, 1, 'one captcha dialog');
    assert.deepEqual(failures.map((f) => (f as { error?: string }).error), ['invalid_argument']);
    assert.deepEqual(sentSince(mark), [
      'POST /auth/v1/verification',
      'POST /auth/v1/captcha/data',
      'POST /auth/v1/captcha/data/verify',
      'POST /auth/v1/captcha/data',
      'POST /auth/v1/captcha/data/verify',
      'POST /auth/v1/verification?captcha_token',
    ]);
  });
});
