/**
 * Image captchas (docs auth-get-captcha-data, auth-verify-captcha-data) and the one place that makes an
 * operation demand one.
 *
 *  - `POST /auth/v1/captcha/data` issues a challenge: an image of a 4-character answer and a data token.
 *  - `POST /auth/v1/captcha/data/verify {token, key}` trades a right answer for a `captcha_token`.
 *  - The operations listed in the runtime switch `captcha_required_operations` (`PATCH /__emulator/config`)
 *    answer `captcha_required` until the request carries a live captcha token: in the `x-captcha-token`
 *    header (docs auth-send-verification, auth-get-captcha-data) or the `captcha_token` query parameter
 *    (what the SDK sends: @cloudbase/js-sdk 3.7.0 oauth/dist/index.js.map, captcha.ts
 *    `appendCaptchaTokenToURL`). A token that is unknown or expired answers `captcha_invalid`, on which
 *    the SDK fetches a new one.
 *  - Tests read the answers at `GET /__emulator/captchas`, like verification codes.
 *
 * The state lives here, beside the Store (one per Store), and `POST /__emulator/reset` clears it.
 */
import { randomInt } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Clock } from './clock.ts';
import { LIFETIMES } from './config.ts';
import type { EmulatorParts } from './context.ts';
import { captchaInvalid, captchaRequired, invalidArgument } from './errors.ts';
import type { Store } from './store.ts';
import { opaqueToken } from './tokens.ts';

/** The SDK's captcha dialog takes at most 4 characters (captcha-dom.ts `input.maxLength = 4`). */
const ANSWER_LENGTH = 4;
/** No 0/O, 1/I/L: a person reading the image should not have to guess. */
const ANSWER_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** Bounds memory: the oldest challenge or token is forgotten first. */
const MAX_ENTRIES = 10_000;
/** Expired challenges and tokens are dropped at most this often (on the next new challenge). */
const SWEEP_EVERY_SECONDS = 60;

export interface CaptchaChallenge {
  token: string;
  answer: string;
  state: string;
  createdAt: number;
  expiresAt: number;
  /** `solved` after a right answer, `failed` after a wrong one: either way the challenge is spent. */
  outcome?: 'solved' | 'failed';
}

export interface CaptchaTokenEntry {
  token: string;
  state: string;
  expiresAt: number;
}

export class CaptchaStore {
  readonly #challenges = new Map<string, CaptchaChallenge>();
  readonly #tokens = new Map<string, CaptchaTokenEntry>();
  #lastSweep = 0;

  constructor(private readonly clock: Clock) {}

  createChallenge(state: string): CaptchaChallenge {
    const now = this.clock.now();
    if (now - this.#lastSweep >= SWEEP_EVERY_SECONDS) this.sweep();
    let answer = '';
    for (let i = 0; i < ANSWER_LENGTH; i++) answer += ANSWER_ALPHABET[randomInt(ANSWER_ALPHABET.length)];
    const challenge: CaptchaChallenge = { token: opaqueToken('cd.', 24), answer, state, createdAt: now, expiresAt: now + LIFETIMES.captchaData };
    remember(this.#challenges, challenge.token, challenge);
    return challenge;
  }

  /** A challenge that can still be answered (known, not expired, not answered yet). */
  openChallenge(token: string): CaptchaChallenge | undefined {
    const challenge = this.#challenges.get(token);
    if (!challenge || challenge.outcome || challenge.expiresAt <= this.clock.now()) return undefined;
    return challenge;
  }

  /** One answer per challenge (INFERRED): a wrong one spends it too, and the client asks for a new image. */
  answer(challenge: CaptchaChallenge, key: string): CaptchaTokenEntry | undefined {
    const right = key.trim().toUpperCase() === challenge.answer;
    challenge.outcome = right ? 'solved' : 'failed';
    if (!right) return undefined;
    const entry: CaptchaTokenEntry = { token: opaqueToken('v1.', 48), state: challenge.state, expiresAt: this.clock.now() + LIFETIMES.captchaToken };
    remember(this.#tokens, entry.token, entry);
    return entry;
  }

  /**
   * A captcha token is good for its whole lifetime and any number of requests (INFERRED): the SDK
   * keeps it in storage and sends it again until it expires (captcha.ts `findCaptchaToken`).
   */
  isLiveToken(token: string): boolean {
    const entry = this.#tokens.get(token);
    return entry !== undefined && entry.expiresAt > this.clock.now();
  }

  /** Challenges, newest first; only the one with `token` when given. */
  listChallenges(token?: string): CaptchaChallenge[] {
    const all = token === undefined ? [...this.#challenges.values()] : [this.#challenges.get(token)].filter((c) => c !== undefined);
    return all.reverse();
  }

  stats(): { captcha_challenges: number; captcha_tokens: number } {
    return { captcha_challenges: this.#challenges.size, captcha_tokens: this.#tokens.size };
  }

  reset(): void {
    this.#challenges.clear();
    this.#tokens.clear();
  }

  sweep(): void {
    const now = this.clock.now();
    this.#lastSweep = now;
    for (const [token, c] of this.#challenges) if (c.expiresAt <= now) this.#challenges.delete(token);
    for (const [token, t] of this.#tokens) if (t.expiresAt <= now) this.#tokens.delete(token);
  }
}

function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.set(key, value);
  if (map.size > MAX_ENTRIES) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

const stores = new WeakMap<Store, CaptchaStore>();

/** The captcha state of this emulator (one per Store). */
export function captchaStore(emu: Pick<EmulatorParts, 'store' | 'clock'>): CaptchaStore {
  let captcha = stores.get(emu.store);
  if (!captcha) {
    captcha = new CaptchaStore(emu.clock);
    stores.set(emu.store, captcha);
  }
  return captcha;
}

/** An SVG of the answer as an RFC 2397 data URI (the docs' example is a GIF; any image renders in `<img src>`). */
export function captchaImage(answer: string): string {
  const letters = [...answer]
    .map((ch, i) => `<text x="${14 + i * 26}" y="${30 + (i % 2 === 0 ? -3 : 3)}" transform="rotate(${i % 2 === 0 ? -8 : 8} ${14 + i * 26} 26)">${ch}</text>`)
    .join('');
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="44" viewBox="0 0 120 44">' +
    '<rect width="120" height="44" fill="#f3f4f6"/><path d="M4 30 C30 8, 70 40, 116 14" stroke="#9ca3af" fill="none"/>' +
    `<g font-family="monospace" font-size="26" font-weight="bold" fill="#1f2937">${letters}</g></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

// ---- the demand: one check in front of every API route ------------------------------------------

const OPERATION = /^(GET|POST|PATCH|DELETE) (\/auth\/\S+)$/;

/** `captcha_required_operations` from `PATCH /__emulator/config`: a list of `METHOD /auth/...` strings. */
export function parseCaptchaOperations(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && OPERATION.test(v))) {
    throw invalidArgument('captcha_required_operations must be a list of "METHOD /auth/..." strings, e.g. ["POST /auth/v1/verification"]');
  }
  return [...new Set(value as string[])];
}

/** `POST /auth/v1/user/provider/:provider_id` and `{provider_id}` both match one path segment. */
function operationPattern(operation: string): { method: string; path: RegExp } {
  const [, method = '', path = ''] = OPERATION.exec(operation) ?? [];
  const source = path
    .split('/')
    .map((segment) => (/^(:\w+|\{\w+\})$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return { method, path: new RegExp(`^${source}$`) };
}

const compiled = new WeakMap<readonly string[], { method: string; path: RegExp }[]>();

function demands(operations: readonly string[], method: string, path: string): boolean {
  let patterns = compiled.get(operations);
  if (!patterns) {
    patterns = operations.map(operationPattern);
    compiled.set(operations, patterns);
  }
  return patterns.some((p) => p.method === method && p.path.test(path));
}

/** The captcha token of a request: the docs' header, or the SDK's query parameter. */
export function captchaTokenOf(c: { req: { header(name: string): string | undefined; query(name: string): string | undefined } }): string | undefined {
  return c.req.header('x-captcha-token') || c.req.query('captcha_token') || undefined;
}

/**
 * Middleware: an operation listed in `captcha_required_operations` answers `captcha_required` without a
 * captcha token and `captcha_invalid` with a dead one; with a live one the request goes on.
 */
export function captchaGate(emu: EmulatorParts): MiddlewareHandler {
  return async (c, next) => {
    const operations = emu.config.runtime.captcha_required_operations;
    if (operations.length > 0 && demands(operations, c.req.method, c.req.path)) {
      const token = captchaTokenOf(c);
      if (token === undefined) throw captchaRequired();
      if (!captchaStore(emu).isLiveToken(token)) throw captchaInvalid();
    }
    await next();
  };
}
