/**
 * Emulator-only endpoints under `/__emulator` (docs/contract-decisions.md "Emulator behaviour"):
 * not part of the contract, never proxied through Prism.
 */
import { randomBytes } from 'node:crypto';
import { captchaStore, parseCaptchaOperations } from '../captcha.ts';
import { LIFETIMES } from '../config.ts';
import type { EmulatorParts, PublicHandler } from '../context.ts';
import { invalidArgument } from '../errors.ts';
import { optionalBoolean, optionalNumber, optionalString, readJsonBody, requiredString } from '../request.ts';
import type { Contact } from '../store.ts';
import { isKnownProvider, PROVIDERS } from './providers.ts';
import { resetProviderState } from '../provider-store.ts';

/**
 * A `+` left unencoded in a query string arrives as a space (`?phone_number=+86 138...`);
 * read `" 86 13800000000"` as `"+86 13800000000"`.
 */
function phoneFromQuery(value: string): string {
  return /^ \d{1,3} \d+$/.test(value) ? `+${value.slice(1)}` : value;
}

/** `GET /__emulator/verification-codes?phone_number=|email=` -> `{codes: [...]}`, newest first. */
export const listVerificationCodes: PublicHandler = (c, emu) => {
  const phone = c.req.query('phone_number');
  const email = c.req.query('email');
  if (phone && email) throw invalidArgument('give phone_number or email, not both');
  const contact: Contact | undefined = phone
    ? { kind: 'phone', value: phoneFromQuery(phone) }
    : email
      ? { kind: 'email', value: email.toLowerCase() }
      : undefined;
  const now = emu.clock.now();
  const max = emu.config.runtime.max_verify_attempts;
  const codes = emu.store.listVerifications(contact).map((v) => ({
    [v.contact.kind === 'phone' ? 'phone_number' : 'email']: v.contact.value,
    code: v.code,
    verification_id: v.id,
    expires_at: v.expiresAt,
    status: v.used ? 'used' : v.wrongAttempts >= max ? 'locked' : v.expiresAt <= now ? 'expired' : v.superseded ? 'superseded' : 'pending',
  }));
  return c.json({ codes });
};

export function resetEmulator(emu: EmulatorParts): void {
  // Clock first: the store notes the time of its last sweep, which must be the reset clock's.
  emu.clock.reset();
  emu.store.reset();
  emu.config.runtime = { ...emu.startupRuntime };
  captchaStore(emu).reset();
  resetProviderState(emu); // issue 10: provider family
  emu.faults.clear();
  emu.requests.clear();
}

/** `POST /__emulator/reset`: forget every user, session and code; clock and config back to start-up. */
export const reset: PublicHandler = (c, emu) => {
  resetEmulator(emu);
  return c.json({});
};

/** Far enough for any expiry; small enough that `now` stays a safe integer and a valid date. */
const MAX_ADVANCE_SECONDS = 100 * 366 * 24 * 3600;
/** 9999-12-31T23:59:59Z: later epoch seconds make `new Date(...).toISOString()` throw. */
const MAX_CLOCK_SECONDS = 253_402_300_799;

export const getClock: PublicHandler = (c, emu) => c.json({ now: emu.clock.now() });

/** `POST /__emulator/clock {advance_seconds}` -> `{now}` (epoch seconds). Time only moves forward. */
export const advanceClock: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const seconds = optionalNumber(body, 'advance_seconds') ?? 0;
  if (seconds < 0 || seconds > MAX_ADVANCE_SECONDS) throw invalidArgument(`advance_seconds must be from 0 to ${MAX_ADVANCE_SECONDS} (100 years)`);
  if (emu.clock.now() + seconds > MAX_CLOCK_SECONDS) throw invalidArgument('the emulator clock cannot move past the year 9999');
  return c.json({ now: emu.clock.advance(seconds) });
};

function configView(emu: EmulatorParts) {
  return { ...emu.config.runtime, env_id: emu.config.envId, client_id: emu.config.clientId, region: emu.config.region };
}

export const getConfig: PublicHandler = (c, emu) => c.json(configView(emu));

const CONFIG_KEYS = ['anonymous_enabled', 'password_login_enabled', 'resend_interval_seconds', 'max_verify_attempts', 'captcha_required_operations', 'tolerate_unknown_fields', 'refresh_token_reuse_revokes_session'];

function wholeNumber(value: number | undefined, field: string, min: number): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) throw invalidArgument(`${field} must be an integer >= ${min}`);
  return value;
}

/** `PATCH /__emulator/config` with any of the runtime switches; answers the whole config. */
export const patchConfig: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const unknown = Object.keys(body).filter((key) => !CONFIG_KEYS.includes(key));
  if (unknown.length > 0) throw invalidArgument(`unknown config field(s): ${unknown.join(', ')}; known: ${CONFIG_KEYS.join(', ')}`);
  const anonymousEnabled = optionalBoolean(body, 'anonymous_enabled');
  const passwordLoginEnabled = optionalBoolean(body, 'password_login_enabled');
  const reuseRevokes = optionalBoolean(body, 'refresh_token_reuse_revokes_session');
  const resendInterval = wholeNumber(optionalNumber(body, 'resend_interval_seconds'), 'resend_interval_seconds', 0);
  const maxAttempts = wholeNumber(optionalNumber(body, 'max_verify_attempts'), 'max_verify_attempts', 1);
  const tolerateUnknownFields = optionalBoolean(body, 'tolerate_unknown_fields');
  const runtime = emu.config.runtime;
  if (anonymousEnabled !== undefined) runtime.anonymous_enabled = anonymousEnabled;
  if (passwordLoginEnabled !== undefined) runtime.password_login_enabled = passwordLoginEnabled;
  if (resendInterval !== undefined) runtime.resend_interval_seconds = resendInterval;
  if (maxAttempts !== undefined) runtime.max_verify_attempts = maxAttempts;
  if (tolerateUnknownFields !== undefined) runtime.tolerate_unknown_fields = tolerateUnknownFields;
  if (body.captcha_required_operations !== undefined) runtime.captcha_required_operations = Object.freeze(parseCaptchaOperations(body.captcha_required_operations));
  if (reuseRevokes !== undefined) runtime.refresh_token_reuse_revokes_session = reuseRevokes;
  return c.json(configView(emu));
};

/** `POST /__emulator/provider-tokens {provider_id, provider_user_id?}` -> a single-use provider token. */
export const createProviderToken: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const providerId = requiredString(body, 'provider_id', { maxLength: 64 });
  if (!isKnownProvider(providerId)) throw invalidArgument(`provider_id must be one of ${PROVIDERS.map((p) => p.id).join(', ')}`);
  const providerUserId = optionalString(body, 'provider_user_id', { maxLength: 256 }) || randomBytes(9).toString('base64url');
  const entry = emu.store.issueProviderToken(providerId, providerUserId);
  return c.json({ provider_token: entry.token, provider_id: providerId, provider_user_id: providerUserId, expires_in: LIFETIMES.providerToken });
};

/** `GET /__emulator/stats`: sizes of the store, for the load test (memory must stay bounded). */
export const stats: PublicHandler = (c, emu) =>
  c.json({ ...emu.store.stats(), ...captchaStore(emu).stats(), now: emu.clock.now(), heap_used_bytes: process.memoryUsage().heapUsed });
