/**
 * Faults an SDK must survive, switched on from a test (`POST /__emulator/faults`, or `faults` in
 * `startEmulator`). Two kinds:
 *
 * - Request faults answer chosen operations (or all of them) differently, for the next `count`
 *   requests (default 1) and for at most `ttl_seconds` of emulator time (default 300), so a fault a
 *   test forgot can never leak far into the next one: `rate_limited` (429 resource_exhausted with
 *   Retry-After), `unavailable` (503), `latency` (answer late), `drop` (close the connection without an
 *   answer), `captcha_required`, `disabled` (501 unimplemented: a login method switched off), and
 *   `clock_skew` (the server's clock runs `skew_seconds` off, negative allowed, while the fault lives).
 * - Actions happen once, at once: `revoke_tokens` (end every session of a user: refresh tokens fail
 *   with invalid_grant, access tokens with 401), `expire_tokens` (the user's access tokens issued so far
 *   are expired: 401 until the client refreshes) and `rotate_signing_key` (a new key pair: every access
 *   token signed before fails with 401, the JWKS shows only the new key).
 *
 * `POST /__emulator/reset` and `DELETE /__emulator/faults` clear every request fault.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from './clock.ts';
import { captchaRequired, invalidArgument, notFound, resourceExhausted, unavailable, unimplemented, type ApiError } from './errors.ts';
import { contractOperations, FAULT_HEADER, operationOf } from './request-log.ts';
import type { Store, User } from './store.ts';
import type { AccessClaims, TokenService } from './tokens.ts';

export const REQUEST_FAULT_KINDS = ['rate_limited', 'unavailable', 'latency', 'drop', 'captcha_required', 'disabled', 'clock_skew'] as const;
export const ACTION_KINDS = ['revoke_tokens', 'expire_tokens', 'rotate_signing_key'] as const;
export type RequestFaultKind = (typeof REQUEST_FAULT_KINDS)[number];
export type ActionKind = (typeof ACTION_KINDS)[number];

export interface RequestFaultSpec {
  kind: RequestFaultKind;
  /** An operationId (`signIn`) or `METHOD /path/template` (`POST /auth/v1/signin`); absent = every API operation. */
  operation?: string;
  /** How many matching requests it affects (default 1). */
  count?: number;
  /** Emulator seconds it lives at most (default 300); `POST /__emulator/clock` ages it too. */
  ttl_seconds?: number;
  /** rate_limited: the Retry-After header (default 1). */
  retry_after_seconds?: number;
  /** latency: milliseconds to wait before answering (default 1000, at most 60000). */
  latency_ms?: number;
  /** clock_skew: seconds added to the server's clock (may be negative). */
  skew_seconds?: number;
}

export interface ActionSpec {
  kind: ActionKind;
  /** revoke_tokens, expire_tokens: the user's sub, username, phone number or email. */
  user?: string;
}

export type FaultSpec = RequestFaultSpec | ActionSpec;

export interface RequestFault extends Required<Pick<RequestFaultSpec, 'kind' | 'count'>> {
  id: string;
  operation?: string;
  /** Matching requests it will still affect. */
  remaining: number;
  /** Emulator epoch seconds after which it is gone. */
  expires_at: number;
  retry_after_seconds?: number;
  latency_ms?: number;
  skew_seconds?: number;
}

const DEFAULT_TTL_SECONDS = 300;
const MAX_LATENCY_MS = 60_000;
const MAX_FAULTS = 100;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wholeNumber(body: Record<string, unknown>, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(`${field} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A clock that runs `skew()` seconds off the one it wraps (the `clock_skew` fault). */
export class SkewedClock implements Clock {
  constructor(
    readonly inner: Clock,
    private readonly skew: () => number,
  ) {}
  now(): number {
    return this.inner.now() + this.skew();
  }
  advance(seconds: number): number {
    this.inner.advance(seconds);
    return this.now();
  }
  reset(): void {
    this.inner.reset();
  }
}

export class Faults {
  #faults: RequestFault[] = [];
  #nextId = 1;
  /** sub -> the emulator time before which its access tokens count as expired, and the tokens issued since. */
  readonly #expired = new Map<string, { at: number; fresh: Set<string> }>();

  /** `baseClock` is the unskewed clock: fault lifetimes are judged by it. */
  constructor(private readonly baseClock: Clock) {}

  /** Wire the token service in (`expire_tokens` exempts the tokens issued after it). */
  attach(tokens: TokenService): void {
    tokens.onSigned = (claims) => this.#expired.get(claims.sub)?.fresh.add(claims.jti);
  }

  list(): RequestFault[] {
    this.#prune();
    return this.#faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.#faults = [];
    this.#expired.clear();
  }

  remove(id: string): void {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.id !== id);
    if (this.#faults.length === before) throw notFound(`no fault ${id}`);
  }

  /** Validate and add a request fault; answers what was added. */
  add(body: unknown): RequestFault {
    if (!isRecord(body)) throw invalidArgument('a fault is a JSON object with a "kind"');
    const kind = body.kind;
    if (typeof kind !== 'string' || !(REQUEST_FAULT_KINDS as readonly string[]).includes(kind)) {
      throw invalidArgument(`kind must be one of ${[...REQUEST_FAULT_KINDS, ...ACTION_KINDS].join(', ')}`);
    }
    const known = ['kind', 'operation', 'count', 'ttl_seconds', 'retry_after_seconds', 'latency_ms', 'skew_seconds'];
    const unknown = Object.keys(body).filter((key) => !known.includes(key));
    if (unknown.length > 0) throw invalidArgument(`unknown fault field(s): ${unknown.join(', ')}`);
    const operation = body.operation;
    if (operation !== undefined && (typeof operation !== 'string' || !knownOperation(operation))) {
      throw invalidArgument('operation must be an operationId (signIn) or METHOD /path/template (POST /auth/v1/signin) of the contract');
    }
    const count = wholeNumber(body, 'count', 1, 1_000_000) ?? 1;
    const ttl = wholeNumber(body, 'ttl_seconds', 1, 86_400) ?? DEFAULT_TTL_SECONDS;
    const skew = body.skew_seconds;
    if (kind === 'clock_skew' && (typeof skew !== 'number' || !Number.isInteger(skew) || Math.abs(skew) > 10 * 365 * 86_400)) {
      throw invalidArgument('clock_skew needs skew_seconds, a whole number of seconds (negative allowed)');
    }
    if (this.#faults.length >= MAX_FAULTS) throw invalidArgument(`at most ${MAX_FAULTS} faults at once; DELETE /__emulator/faults clears them`);
    const fault: RequestFault = {
      id: `f${this.#nextId++}`,
      kind: kind as RequestFaultKind,
      ...(operation === undefined ? {} : { operation: operation as string }),
      count,
      remaining: count,
      expires_at: this.baseClock.now() + ttl,
      ...(kind === 'rate_limited' ? { retry_after_seconds: wholeNumber(body, 'retry_after_seconds', 0, 86_400) ?? 1 } : {}),
      ...(kind === 'latency' ? { latency_ms: wholeNumber(body, 'latency_ms', 0, MAX_LATENCY_MS) ?? 1000 } : {}),
      ...(kind === 'clock_skew' ? { skew_seconds: skew as number } : {}),
    };
    this.#faults.push(fault);
    return { ...fault };
  }

  /** The clock skew in force (the newest live clock_skew fault), in seconds. */
  skewSeconds(): number {
    for (let i = this.#faults.length - 1; i >= 0; i--) {
      const fault = this.#faults[i];
      if (fault?.kind === 'clock_skew' && fault.remaining > 0 && fault.expires_at > this.baseClock.now()) return fault.skew_seconds ?? 0;
    }
    return 0;
  }

  /** `expire_tokens`: every access token of `user` signed until now is expired. */
  expireTokensOf(user: User): void {
    this.#expired.set(user.sub, { at: this.baseClock.now(), fresh: new Set() });
  }

  /** True for an access token an `expire_tokens` fault expired (checked on every Bearer call). */
  accessTokenExpired(claims: AccessClaims): boolean {
    const cutoff = this.#expired.get(claims.sub);
    return cutoff !== undefined && claims.iat <= cutoff.at && !cutoff.fresh.has(claims.jti);
  }

  /** The faults matching a request, the first non-skew one first; each one's count is used up. */
  take(method: string, path: string): { answer?: RequestFault; skews: RequestFault[] } {
    this.#prune();
    if (this.#faults.length === 0) return { skews: [] };
    const operation = operationOf(method, path);
    const matching = this.#faults.filter(
      (f) => f.operation === undefined || (operation !== undefined && (f.operation === operation.id || f.operation === operation.label)),
    );
    const answer = matching.find((f) => f.kind !== 'clock_skew');
    if (answer) answer.remaining--;
    return { answer, skews: matching.filter((f) => f.kind === 'clock_skew') };
  }

  /** A skew fault's count is used up after the request it skewed. */
  spend(faults: RequestFault[]): void {
    for (const fault of faults) fault.remaining--;
    this.#prune();
  }

  #prune(): void {
    const now = this.baseClock.now();
    this.#faults = this.#faults.filter((f) => f.remaining > 0 && f.expires_at > now);
    // An action's cutoff outlives no token it could still match: the longest access token lifetime is 2 h.
    for (const [sub, cutoff] of this.#expired) if (cutoff.at + 7200 < now) this.#expired.delete(sub);
  }
}

function knownOperation(operation: string): boolean {
  return contractOperations().some((o) => o.id === operation || o.label === operation);
}

/** The user a fault names: sub, username, phone number or email. */
export function userFor(store: Store, name: unknown): User {
  if (typeof name !== 'string' || name === '') throw invalidArgument('user is required: a sub, username, phone number or email');
  const user = store.getUser(name) ?? store.findUserByLogin(name);
  if (!user) throw notFound(`no user "${name}"`);
  return user;
}

function tagged(error: ApiError, kind: string): ApiError {
  error.headers[FAULT_HEADER] = kind;
  return error;
}

/** Answers API requests that a request fault matches; registered once in app.ts. */
export interface FaultHooks {
  /** Whether the request carries a live captcha token (mock/emulator/captcha.ts): a solved captcha answers the captcha fault. */
  captchaSolved?: (c: Context) => boolean;
}

export function faultsMiddleware(faults: Faults, hooks: FaultHooks = {}): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    if (path.startsWith('/__emulator') || c.req.method === 'OPTIONS') return next();
    const { answer, skews } = faults.take(c.req.method, path);
    try {
      if (answer) {
        switch (answer.kind) {
          case 'rate_limited':
          {
            const error = tagged(resourceExhausted('too many requests (emulator fault)'), 'rate_limited');
            error.headers['Retry-After'] = String(answer.retry_after_seconds ?? 1);
            throw error;
          }
          case 'unavailable':
            throw tagged(unavailable(), 'unavailable');
          case 'captcha_required':
            // The real captcha flow answers it: a request that carries a solved captcha's token goes through
            // (the SDK's retry after POST /auth/v1/captcha/data/verify), one without is refused.
            if (hooks.captchaSolved?.(c)) {
              await next();
              return;
            }
            throw tagged(captchaRequired(), 'captcha_required');
          case 'disabled':
            throw tagged(unimplemented('this login method is not enabled for this environment (emulator fault)'), 'disabled');
          case 'latency':
            await delay(answer.latency_ms ?? 0);
            await next();
            c.res.headers.set(FAULT_HEADER, 'latency');
            return;
          case 'drop': {
            const socket = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket;
            if (!socket) throw tagged(unavailable('connection dropped (emulator fault; in-process there is no connection to drop)'), 'drop');
            socket.destroy();
            return c.body(null, 503, { [FAULT_HEADER]: 'drop' });
          }
        }
      }
      await next();
    } finally {
      if (skews.length > 0) faults.spend(skews);
    }
  };
}
