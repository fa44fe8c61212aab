/**
 * Helpers for the emulator's unit tests: in-process calls through `app.request()`, every answer
 * recorded so a test file can check at the end that every one of them was well-formed JSON.
 */
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { ContractClient, ControlClient, signUpWithCode, verificationToken, type FetchLike } from '../../contract/index.ts';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../mock/emulator/app.ts';
import { startEmulator, type RunningEmulator, type StartOptions } from '../../mock/emulator/server.ts';

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export interface CallOptions {
  /** Sent as JSON text with `content-type: text/plain;charset=UTF-8`, like the SDK in a browser. */
  json?: unknown;
  /** Sent verbatim. */
  raw?: string;
  token?: string;
  headers?: Record<string, string>;
}

export class EmulatorClient {
  readonly answers: { method: string; path: string; answer: Answer }[] = [];
  #phones = 0;
  /** The shared client and flows (contract/), sending in-process; their answers are recorded too. */
  readonly api: ContractClient;
  readonly control: ControlClient;

  constructor(readonly emu: Emulator) {
    const inProcess: FetchLike = (url, init) => emu.app.request(url, init);
    this.api = new ContractClient({
      baseURL: 'http://127.0.0.1',
      fetch: inProcess,
      onAnswer: (answer) => {
        const [method = '', path = ''] = answer.operation.split(' ');
        this.answers.push({ method, path, answer: { status: answer.status, headers: new Headers(answer.headers), body: answer.body, text: answer.text } });
      },
    });
    this.control = new ControlClient('http://127.0.0.1', { fetch: inProcess });
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined = options.raw;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'text/plain;charset=UTF-8';
    }
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const res = await this.emu.app.request(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const answer: Answer = { status: res.status, headers: res.headers, body: parsed, text };
    this.answers.push({ method, path: path.split('?')[0] ?? path, answer });
    return answer;
  }

  /** A fresh, valid, unique `+86` mobile number. */
  nextPhone(): string {
    this.#phones += 1;
    return `+86 139${String(this.#phones).padStart(8, '0')}`;
  }

  /** The newest code the emulator sent to a phone number or email. */
  async latestCode(contact: { phone_number?: string; email?: string }): Promise<string> {
    const query = contact.phone_number ? `phone_number=${encodeURIComponent(contact.phone_number)}` : `email=${encodeURIComponent(contact.email ?? '')}`;
    const res = await this.call('GET', `/__emulator/verification-codes?${query}`);
    assert.equal(res.status, 200);
    const code = res.body.codes[0]?.code;
    assert.ok(typeof code === 'string', `no code was sent to ${JSON.stringify(contact)}`);
    return code;
  }

  /** Send a code, read it, verify it: a verification token for that contact. */
  verificationToken(contact: { phone_number: string } | { email: string }, target: 'ANY' | 'USER' | 'NOT_USER' = 'ANY'): Promise<string> {
    return verificationToken(this.api, this.control, contact, target);
  }

  /** A registered user signed up by phone; answers the sign-up token response plus what was used. */
  async signUpByPhone(extra: { username?: string; password?: string; phone_number?: string } = {}) {
    const phone_number = extra.phone_number ?? this.nextPhone();
    const password = extra.password ?? 'Passw0rd!';
    const tokens = await signUpWithCode(this.api, this.control, { phone_number }, { password, ...(extra.username && { username: extra.username }) });
    return { ...tokens, phone_number, password } as {
      access_token: string;
      refresh_token: string;
      sub: string;
      scope: string;
      phone_number: string;
      password: string;
    };
  }

  async signInAnonymously(deviceId = 'device-0123456789abcdef') {
    const res = await this.call('POST', '/auth/v1/signin/anonymously', { json: {}, headers: { 'x-device-id': deviceId } });
    assert.equal(res.status, 200, res.text);
    return res.body as { access_token: string; refresh_token: string; sub: string; scope: string };
  }

  async sudoToken(accessToken: string, password = 'Passw0rd!'): Promise<string> {
    const res = await this.call('POST', '/auth/v1/user/sudo', { token: accessToken, json: { password } });
    assert.equal(res.status, 200, res.text);
    return res.body.sudo_token;
  }

  /** True when the access token is live (introspection says so). */
  async isLive(accessToken: string): Promise<boolean> {
    const res = await this.call('GET', '/auth/v1/token/introspect', { token: accessToken });
    assert.equal(res.status, 200);
    return typeof res.body.sub === 'string';
  }

  advance(seconds: number): void {
    this.emu.clock.advance(seconds);
  }
}

/** An emulator for one test file; quiet about the 500s a test provokes on purpose. */
export function testEmulator(options: EmulatorOptions = {}): EmulatorClient {
  return new EmulatorClient(createEmulator({ onInternalError: () => {}, ...options }));
}

/**
 * An emulator on a free port for tests at the HTTP level, quiet about provoked 500s. Closed after the
 * test that started it, or after the file when started at its top level (not in a `before` hook:
 * it would be closed when the hook ends).
 */
export async function startTestEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const running = await startEmulator({ port: 0, resendIntervalSeconds: 0, onInternalError: () => {}, ...options });
  after(() => running.close());
  return running;
}

/** The API error body: `error` non-empty string, `error_code` non-zero integer, `error_description` string. */
export function assertErrorBody(answer: Answer, context = ''): void {
  const b = answer.body;
  assert.ok(b && typeof b === 'object', `${context} error answer is not a JSON object: ${answer.text}`);
  assert.equal(typeof b.error, 'string', `${context} error must be a string: ${answer.text}`);
  assert.ok(b.error.length > 0, `${context} error must not be empty`);
  assert.ok(Number.isInteger(b.error_code) && b.error_code !== 0, `${context} error_code must be a non-zero integer: ${answer.text}`);
  assert.equal(typeof b.error_description, 'string', `${context} error_description must be a string: ${answer.text}`);
}

/** Status, `error` and `error_code` of an error answer, plus the body shape. */
export function assertError(answer: Answer, status: number, error: string, errorCode?: number): void {
  assert.equal(answer.status, status, `expected ${status} ${error}, got ${answer.status}: ${answer.text}`);
  assertErrorBody(answer);
  assert.equal(answer.body.error, error, answer.text);
  if (errorCode !== undefined) assert.equal(answer.body.error_code, errorCode, answer.text);
}

/** Every recorded answer: JSON content type, a JSON object body, and the error shape for 4xx/5xx. */
export function assertEveryAnswerWellFormed(client: EmulatorClient): void {
  assert.ok(client.answers.length > 0);
  for (const { method, path, answer } of client.answers) {
    const where = `${method} ${path} -> ${answer.status}`;
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json/, `${where}: content-type`);
    assert.ok(answer.body !== null && typeof answer.body === 'object' && !Array.isArray(answer.body), `${where}: body is not a JSON object: ${answer.text}`);
    if (answer.status >= 400) assertErrorBody(answer, where);
  }
}

/** Decode a JWT's header and payload without verifying it. */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token.split('.');
  const decode = (part: string | undefined) => JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: decode(header), payload: decode(payload) };
}
