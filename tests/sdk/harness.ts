/**
 * The official web SDK (`@cloudbase/js-sdk` 3.7.0, its Node build, unmodified) as a client of the emulator.
 *
 * One emulator per test file, in process on a free loopback port, with no Prism in front (fast). Each
 * `harness.client()` is a fresh SDK app with its own env id, so its in-memory login state is its own (the
 * SDK's Node adapter keeps login state in memory, keyed by env id). `app.registerHost()` points every SDK
 * endpoint at the emulator.
 *
 * The SDK never reaches another host: while a harness runs, `fetch` to any origin but the emulator's fails
 * at once and is recorded in `harness.blocked` (the SDK's Node build probes a cloud metadata URL to detect
 * where it runs; it copes with the failure).
 *
 * The SDK writes hints for people to the console (in Chinese, several lines per failed call): while a harness
 * runs, console output is kept in `harness.consoleLines` instead, so test output stays readable.
 *
 * Usage (node:test):
 *   const harness = await startSdkHarness();   // in before()
 *   const { auth } = harness.client();
 *   await auth.signInAnonymously();
 *   const code = await harness.latestCode({ phone_number: '+86 13800000000' });
 *   await harness.close();                     // in after()
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { faker } from '@faker-js/faker';
import cloudbase from '@cloudbase/js-sdk';
import { ContractClient, ControlClient, type FetchLike, type Method } from '../../contract/index.ts';
import { startEmulator, type RunningEmulator, type StartOptions } from '../../mock/emulator/server.ts';

/** An initialised SDK app and its auth object. */
export interface SdkClient {
  app: ReturnType<typeof cloudbase.init>;
  auth: ReturnType<ReturnType<typeof cloudbase.init>['auth']>;
  /** The env id (= client id) this client sends. */
  env: string;
}

export interface SdkHarness {
  url: string;
  emulator: RunningEmulator;
  /** URLs the SDK tried to reach on another host (refused). */
  blocked: string[];
  /** What was written to the console while the harness ran (mostly the SDK's hints). */
  consoleLines: string[];
  /** Every request the SDK sent to the emulator: method, path and query (never headers or bodies). */
  sent: string[];
  client(): SdkClient;
  /** A request straight to the emulator, outside the SDK, to look at its state. */
  raw(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /** The newest code the emulator sent to a phone number or an email. */
  latestCode(to: { phone_number: string } | { email: string }): Promise<string>;
  close(): Promise<void>;
}

let clients = 0;

export async function startSdkHarness(options: StartOptions = {}): Promise<SdkHarness> {
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', resendIntervalSeconds: 0, ...options });
  const origin = new URL(emulator.url);
  const blocked: string[] = [];
  const sent: string[] = [];
  const realFetch = globalThis.fetch;
  const guardedFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.host !== origin.host) {
      blocked.push(url.href);
      return Promise.reject(new TypeError(`sdk harness: ${url.host} is not the emulator; the SDK may only reach ${origin.host}`));
    }
    sent.push(`${(init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()} ${url.pathname}${url.search}`);
    return realFetch(input, init);
  };
  globalThis.fetch = guardedFetch;
  const consoleLines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const originalConsole = Object.fromEntries(methods.map((m) => [m, console[m]])) as Record<(typeof methods)[number], (...args: unknown[]) => void>;
  for (const m of methods) console[m] = (...args: unknown[]) => void consoleLines.push(args.map(String).join(' '));

  // Outside the SDK the harness uses the suite's one client and the one control client, on the real fetch.
  const transport: FetchLike = (url, init) => realFetch(url, init);
  const api = new ContractClient({ baseURL: emulator.url, fetch: transport });
  const control = new ControlClient(emulator.url, { fetch: transport });
  const raw: SdkHarness['raw'] = async (method, path, body, token) => {
    const answer = await api.call(method as Method, path, { data: body, token });
    return { status: answer.status, body: (answer.body ?? {}) as Record<string, unknown> };
  };

  return {
    url: emulator.url,
    emulator,
    blocked,
    sent,
    consoleLines,
    client() {
      const env = `sdk-env-${++clients}`;
      const app = cloudbase.init({ env, region: 'ap-shanghai' });
      (app as unknown as { registerHost(host: string, protocol: 'http' | 'https'): void }).registerHost(origin.host, 'http');
      return { app, auth: app.auth(), env };
    },
    raw,
    async latestCode(to) {
      const [newest] = await control.codes(to);
      assert.ok(newest, `the emulator sent no code to ${JSON.stringify(to)}`);
      return newest.code;
    },
    async close() {
      if (globalThis.fetch === guardedFetch) globalThis.fetch = realFetch;
      for (const m of methods) console[m] = originalConsole[m];
      await emulator.close();
    },
  };
}

/** What an SDK call threw (the SDK rejects with its own error objects), or a failed assertion if it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  assert.fail('expected the SDK call to fail');
}

/**
 * One harness for the test file that calls it: started before its tests (Faker seeded from FAKER_SEED, so a
 * run can be replayed), closed after them. Use what it returns inside tests only.
 */
export function useSdkHarness(options: StartOptions = {}, seed = 20261203): SdkHarness {
  let current: SdkHarness | undefined;
  before(async () => {
    faker.seed(Number(process.env.FAKER_SEED ?? seed));
    current = await startSdkHarness(options);
  });
  after(() => current?.close());
  return new Proxy({} as SdkHarness, {
    get(_target, key) {
      if (!current) throw new Error('the SDK harness is used before it started: use it inside a test');
      return Reflect.get(current, key) as unknown;
    },
  });
}

/** Test data of the SDK tests: a +86 mobile number, a password the rules accept, an email, a username. */
export const sdkData = {
  phone: () => `+86 139${faker.string.numeric(8)}`,
  password: () => `Aa1!${faker.string.alphanumeric(10)}`,
  email: () => `sdk-${faker.string.alphanumeric({ length: 10, casing: 'lower' })}@example.com`,
  username: (prefix = 'sdk_') => `${prefix}${faker.string.alphanumeric({ length: 10, casing: 'lower' })}`,
};
