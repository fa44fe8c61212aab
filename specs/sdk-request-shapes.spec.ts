import { test, expect, ok, refreshRequest } from '../fixtures/index.ts';

// Requests exactly as the official SDK (@cloudbase/js-sdk 3.7.0) sends them, where they differ from
// what the docs show.
//
// The official SDK sends its JSON bodies without a Content-Type: a browser then labels them
// `text/plain;charset=UTF-8` (@cloudbase/js-sdk 3.7.0: oauth2client.ts `defaultRequest` and the web
// adapter's XHR set none). The API accepts them, so the contract does too: every request body is also
// declared as text/plain JSON (docs/api-facts.md, "Origins, headers and common parameters").

const AS_A_BROWSER_SENDS_IT = { 'content-type': 'text/plain;charset=UTF-8' };

test.describe('JSON bodies labelled text/plain, as the SDK sends them from a browser', () => {
  test('anonymous sign-in accepts a text/plain JSON body', async ({ api, deviceId }) => {
    const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId, ...AS_A_BROWSER_SENDS_IT }, data: {} }));

    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'anonymous' });
  });

  test('a refresh sent as text/plain JSON is read like application/json: the token rotates', { tag: '@stateful' }, async ({ api, deviceId }) => {
    const tokens = ok(await api.post('/auth/v1/signin/anonymously', { headers: { 'x-device-id': deviceId }, data: {} }));

    const refreshed = ok(await api.post('/auth/v1/token', { headers: AS_A_BROWSER_SENDS_IT, data: refreshRequest(String(tokens.refresh_token)) }));

    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    await expect(await api.post('/auth/v1/token', { headers: AS_A_BROWSER_SENDS_IT, data: refreshRequest(String(tokens.refresh_token)) })).toBeAuthError('invalid_grant');
  });
});

test.describe('a verification code asked for without `target`', () => {
  // The docs mark `target` required; the SDK's OTP sign-in sends none (@cloudbase/js-sdk 3.7.0, auth
  // build, index.ts `signInWithOtp`) and reads a missing `is_user` as "sign up".
  test('is sent, as it is for the SDK\'s OTP sign-in', { tag: ['@destructive', '@sms'] }, async ({ api, accounts }) => {
    const { recipient } = await accounts.newPhoneSignUp();

    const sent = ok(await api.post('/auth/v1/verification', { headers: AS_A_BROWSER_SENDS_IT, data: { ...recipient } }));

    expect(sent).toMatchObject({ verification_id: expect.any(String), expires_in: expect.any(Number) });
    expect(sent.is_user ?? false).toBe(false);
  });
});
