/**
 * The image captcha (docs auth-get-captcha-data, auth-verify-captcha-data, openapi auth-get-captcha).
 * No credentials: the SDK sends these with `withCredentials: false`. State and the demand: ../captcha.ts.
 */
import { LIFETIMES } from '../config.ts';
import type { PublicHandler } from '../context.ts';
import { captchaImage, captchaStore } from '../captcha.ts';
import { invalidArgument } from '../errors.ts';
import { optionalString, readJsonBody, requiredString } from '../request.ts';

/** `POST /auth/v1/captcha/data {state, redirect_uri}` -> `{data, type: 'image', token, expires_in}`. */
export const createCaptchaData: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const state = optionalString(body, 'state') ?? '';
  const challenge = captchaStore(emu).createChallenge(state);
  return c.json({ data: captchaImage(challenge.answer), type: 'image', token: challenge.token, expires_in: LIFETIMES.captchaData });
};

/**
 * `POST /auth/v1/captcha/data/verify {token, key}` -> `{captcha_token, expires_in}`. A wrong answer, or a
 * token that is unknown, expired or already answered: 400 invalid_argument (INFERRED). Not
 * `captcha_invalid`: the SDK sends this call through its captcha wrapper, which answers `captcha_invalid`
 * by opening another captcha before its own dialog can show the error and a new image (captcha.ts
 * `request`, captcha-dom.ts), so a server answering that would nest captchas in the SDK's own UI.
 */
export const verifyCaptchaData: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const token = requiredString(body, 'token');
  const key = requiredString(body, 'key');
  const captcha = captchaStore(emu);
  const challenge = captcha.openChallenge(token);
  if (!challenge) throw invalidArgument('captcha token is unknown, expired or already answered; ask for a new captcha');
  const issued = captcha.answer(challenge, key);
  if (!issued) throw invalidArgument('the captcha answer is wrong; ask for a new captcha');
  return c.json({ captcha_token: issued.token, expires_in: LIFETIMES.captchaToken });
};

/**
 * `POST /auth/v1/captcha/init {state, redirect_uri}` -> `{url, expires_in}` (openapi auth-get-captcha: "url,
 * captcha_token, expires_in"). The emulator always asks for a check (INFERRED): `url` is the image with
 * the challenge's `state` and `token` in its query, the form the SDK's captcha dialog reads
 * (captcha.ts `getCaptchaToken`); the answer goes to `/auth/v1/captcha/data/verify`.
 */
export const initCaptcha: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const state = optionalString(body, 'state') ?? '';
  optionalString(body, 'redirect_uri');
  const challenge = captchaStore(emu).createChallenge(state);
  const query = new URLSearchParams({ state, token: challenge.token });
  return c.json({ url: `${captchaImage(challenge.answer)}?${query.toString()}`, expires_in: LIFETIMES.captchaData });
};

/** Emulator only: `GET /__emulator/captchas[?token=]` -> `{captchas: [{token, answer, state, expires_at, status}]}`, newest first. */
export const listCaptchas: PublicHandler = (c, emu) => {
  const now = emu.clock.now();
  const captchas = captchaStore(emu)
    .listChallenges(c.req.query('token') || undefined)
    .map((ch) => ({
      token: ch.token,
      answer: ch.answer,
      state: ch.state,
      expires_at: ch.expiresAt,
      status: ch.outcome ?? (ch.expiresAt <= now ? 'expired' : 'pending'),
    }));
  return c.json({ captchas });
};
