/**
 * The one client of the emulator-only endpoints (`/__emulator/*`), typed, over `fetch` (or any
 * transport: an in-process Hono app passes `app.request`): it works against an emulator started
 * in-process (`startEmulator().control`) or by the CLI (`createControlClient('http://127.0.0.1:8787')`).
 * Every non-200 answer throws with its error body. A redirect is never followed. Every code, token,
 * ticket or key it reads is registered with the redaction (contract/redact.ts), so a report never shows it.
 */
import type { RequestFault, RequestFaultSpec } from '../mock/emulator/faults.ts';
import type { LoggedRequest } from '../mock/emulator/request-log.ts';
import type { UsersFile } from '../mock/emulator/state.ts';
import { registerSecret } from './redact.ts';

export interface VerificationCode {
  phone_number?: string;
  email?: string;
  code: string;
  verification_id: string;
  expires_at: number;
  status: 'pending' | 'used' | 'locked' | 'expired';
}

export interface EmulatorRuntimeConfig {
  anonymous_enabled: boolean;
  password_login_enabled: boolean;
  resend_interval_seconds: number;
  max_verify_attempts: number;
  /** Operations that answer captcha_required until the request carries a captcha token (`METHOD /path`). */
  captcha_required_operations: string[];
  /** Answer requests whose only departure is an unknown body field (the request log still shows it). */
  tolerate_unknown_fields: boolean;
  env_id: string;
  client_id: string;
  region: string;
}

export interface RequestLogSummary {
  total: number;
  departing: number;
  dropped_from_log: number;
  requests: LoggedRequest[];
}

export type Recipient = { phone_number: string } | { email: string };

export class EmulatorControlError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'EmulatorControlError';
  }
}

export interface ControlClientOptions {
  /** Sent with every control request (e.g. a control token, when the emulator is started with one). */
  headers?: Record<string, string>;
  /** The transport; default the global fetch (an in-process Hono app passes `app.request`). */
  fetch?: (url: string, init: RequestInit) => Response | Promise<Response>;
  /** Per request, default 10 s. */
  timeoutMs?: number;
}

/** The parts of a verification code a caller needs, whatever the emulator's version adds. */
export type EmulatorCode = Omit<VerificationCode, 'status'> & { status?: VerificationCode['status'] };

export class ControlClient {
  readonly url: string;
  readonly #headers: Record<string, string>;
  readonly #fetch: NonNullable<ControlClientOptions['fetch']>;
  readonly #timeoutMs: number;

  constructor(url: string, options: ControlClientOptions = {}) {
    this.url = url.replace(/\/+$/, '');
    // An emulator started with --control-token (docs/security.md) needs it on every control request.
    const token = process.env.EMULATOR_CONTROL_TOKEN;
    this.#headers = { ...(token ? { 'x-emulator-token': token } : {}), ...options.headers };
    this.#fetch = options.fetch ?? fetch;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  async #send<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await this.#fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? this.#headers : { ...this.#headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    if (response.status !== 200) {
      const description = (parsed as { error_description?: string } | undefined)?.error_description ?? text.slice(0, 200);
      throw new EmulatorControlError(response.status, parsed, `emulator ${method} ${path.split('?')[0]} answered ${response.status}: ${description}`);
    }
    return parsed as T;
  }

  /** Codes sent to a phone number or email (all codes without one), newest first. */
  async codes(recipient?: Recipient): Promise<VerificationCode[]> {
    const query = recipient ? `?${new URLSearchParams(recipient as Record<string, string>)}` : '';
    const { codes } = await this.#send<{ codes: VerificationCode[] }>('GET', `/__emulator/verification-codes${query}`);
    for (const c of codes) registerSecret(c.code);
    return codes;
  }

  /** The code of one verification (what a test phone would receive). */
  async codeFor(recipient: Recipient, verificationId: string): Promise<string> {
    const codes = await this.codes(recipient);
    const match = codes.find((c) => c.verification_id === verificationId);
    if (!match) throw new Error(`the emulator holds no code for verification ${verificationId} (${codes.length} other codes for this recipient)`);
    return match.code;
  }

  /** The newest code sent to a phone number or email; throws when none was sent. */
  async latestCode(recipient: Recipient): Promise<string> {
    const [newest] = await this.codes(recipient);
    if (!newest) throw new Error(`the emulator sent no code to ${Object.values(recipient)[0]}`);
    return newest.code;
  }

  /** Forget every user, session, code, fault and logged request; clock and config back to start-up. */
  async reset(): Promise<void> {
    await this.#send('POST', '/__emulator/reset');
  }

  /** The emulator's time, epoch seconds. */
  async now(): Promise<number> {
    return (await this.#send<{ now: number }>('GET', '/__emulator/clock')).now;
  }

  /** Move the emulator's clock forward: tokens and codes expire without waiting. */
  async advanceClock(seconds: number): Promise<number> {
    return (await this.#send<{ now: number }>('POST', '/__emulator/clock', { advance_seconds: seconds })).now;
  }

  async config(): Promise<EmulatorRuntimeConfig> {
    return this.#send('GET', '/__emulator/config');
  }

  async setConfig(patch: Partial<Pick<EmulatorRuntimeConfig, 'anonymous_enabled' | 'password_login_enabled' | 'resend_interval_seconds' | 'max_verify_attempts' | 'captcha_required_operations' | 'tolerate_unknown_fields'>>): Promise<EmulatorRuntimeConfig> {
    return this.#send('PATCH', '/__emulator/config', patch);
  }

  /** A single-use provider token (wx_open, google, github) for provider sign-in and binding. */
  async providerToken(providerId: string, providerUserId?: string): Promise<string> {
    const answer = await this.#send<{ provider_token: string }>('POST', '/__emulator/provider-tokens', { provider_id: providerId, provider_user_id: providerUserId });
    registerSecret(answer.provider_token);
    return answer.provider_token;
  }

  /**
   * Follow an authorize URL of the emulator's fake provider (from GET /auth/v1/provider/uri) as the
   * user's browser would, choosing the provider user; answers what it redirects back with. The URL is
   * sent to the emulator itself (whatever origin it names) and the redirect is not followed.
   */
  async authorize(uri: string, identity: { provider_user_id?: string; name?: string; email?: string; error?: 'access_denied' } = {}) {
    const given = new URL(uri);
    const url = new URL(`${this.url}${given.pathname}${given.search}`);
    for (const [name, value] of Object.entries(identity)) if (value !== undefined) url.searchParams.set(name, value);
    const response = await this.#fetch(url.toString(), { method: 'GET', headers: this.#headers, redirect: 'manual', signal: AbortSignal.timeout(this.#timeoutMs) });
    const location = response.headers.get('location');
    if (response.status !== 302 || !location) {
      throw new EmulatorControlError(response.status, await response.text(), `emulator GET ${given.pathname} answered ${response.status} instead of a redirect`);
    }
    const back = new URL(location);
    const code = back.searchParams.get('code') ?? undefined;
    if (code) registerSecret(code);
    return {
      redirectedTo: `${back.origin}${back.pathname}`,
      code,
      state: back.searchParams.get('state') ?? undefined,
      error: back.searchParams.get('error') ?? undefined,
    };
  }

  /** The emulator's custom-login key file `{private_key_id, private_key, env_id}`. */
  async customLoginKey(): Promise<{ private_key_id: string; private_key: string; env_id: string }> {
    const key = await this.#send<{ private_key_id: string; private_key: string; env_id: string }>('GET', '/__emulator/custom-login-key');
    registerSecret(key.private_key);
    return key;
  }

  /** A custom-login ticket for `uid`, signed now (emulator time) as @cloudbase/node-sdk createTicket signs it. */
  async customTicket(uid: string): Promise<string> {
    const { ticket } = await this.#send<{ ticket: string }>('POST', '/__emulator/custom-tickets', { uid });
    registerSecret(ticket);
    return ticket;
  }

  async stats(): Promise<Record<string, number>> {
    return this.#send('GET', '/__emulator/stats');
  }

  readonly faults = {
    /** Switch a request fault on for the next `count` matching requests (default 1). */
    add: async (fault: RequestFaultSpec): Promise<RequestFault> => (await this.#send<{ fault: RequestFault }>('POST', '/__emulator/faults', fault)).fault,
    list: async (): Promise<RequestFault[]> => (await this.#send<{ faults: RequestFault[] }>('GET', '/__emulator/faults')).faults,
    remove: async (id: string): Promise<void> => {
      await this.#send('DELETE', `/__emulator/faults/${encodeURIComponent(id)}`);
    },
    clear: async (): Promise<void> => {
      await this.#send('DELETE', '/__emulator/faults');
    },
    /** End every session of a user (sub, username, phone number or email): refresh and access tokens die. */
    revokeTokens: async (user: string): Promise<string> => (await this.#send<{ sub: string }>('POST', '/__emulator/faults', { kind: 'revoke_tokens', user })).sub,
    /** Expire every access token of a user issued so far: 401 until the client refreshes. */
    expireTokens: async (user: string): Promise<string> => (await this.#send<{ sub: string }>('POST', '/__emulator/faults', { kind: 'expire_tokens', user })).sub,
    /** A new signing key: earlier access tokens fail with 401; the JWKS shows the new kid (returned). */
    rotateSigningKey: async (): Promise<string> => (await this.#send<{ kid: string }>('POST', '/__emulator/faults', { kind: 'rotate_signing_key' })).kid,
  };

  readonly requests = {
    /** Every API request received (redacted), each with its departures from the contract. */
    list: async (): Promise<RequestLogSummary> => this.#send('GET', '/__emulator/requests'),
    /** Only the requests a real server could refuse. */
    departing: async (): Promise<LoggedRequest[]> => (await this.#send<RequestLogSummary>('GET', '/__emulator/requests')).requests.filter((r) => r.departures.length > 0),
    /** The log as HAR 1.2. */
    har: async (): Promise<unknown> => this.#send('GET', '/__emulator/requests?format=har'),
    clear: async (): Promise<void> => {
      await this.#send('DELETE', '/__emulator/requests');
    },
  };

  readonly users = {
    export: async (): Promise<UsersFile> => this.#send('GET', '/__emulator/users/export'),
    import: async (file: UsersFile): Promise<string[]> => (await this.#send<{ subs: string[] }>('POST', '/__emulator/users/import', file)).subs,
  };
}

export function createControlClient(url: string, options?: ControlClientOptions): ControlClient {
  return new ControlClient(url, options);
}
