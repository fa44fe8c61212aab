/**
 * Sections 1 and 3: the same operations against the bare ceiling, the emulator, the emulator behind
 * `prism proxy --errors`, and the Prism mock, interleaved round-robin so that the machine's noise
 * falls on all of them alike; and, at one connection, what the proxy adds to each request.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { Request } from 'autocannon';
import { signIn, signUp, CLIENT_HEADERS, type Account, type Tokens } from './accounts.ts';
import { runLoad, type LoadResult, type LoadSpec } from './load.ts';
import { median, round, spread } from './stats.ts';

export const SERVERS = ['bare', 'emulator', 'proxy', 'prism'] as const;
export type ServerName = (typeof SERVERS)[number];

export const SERVER_LABELS: Record<ServerName, string> = {
  bare: 'bare node:http (ceiling)',
  emulator: 'emulator',
  proxy: 'emulator behind prism proxy --errors',
  prism: 'prism mock',
};

export const OPERATIONS = [
  { id: 'me', label: 'GET /auth/v1/user/me' },
  { id: 'signin', label: 'POST /auth/v1/signin' },
  { id: 'token', label: 'POST /auth/v1/token' },
] as const;
export type OperationId = (typeof OPERATIONS)[number]['id'];

/** How each operation is fed, in words (goes into the results). */
export const METHOD_NOTES: Record<OperationId, string> = {
  me: 'Authorization: Bearer <a live access token> (emulator: a real RS256 token of a signed-up account; its signature check is cached after the first call; Prism and bare: any Bearer value)',
  signin: '{"username","password"} of a real account (emulator: every call checks the password and signs a new RS256 access token; the account keeps at most 100 sessions, the oldest ends)',
  token:
    'refresh_token grant with a fresh, never-used refresh token per request (emulator: a pool of live sessions; each answer\'s new refresh token goes back into the pool, as a client that refreshes would do, so every request is an accepted rotation; Prism and bare: one fixed body)',
};

/** Where each server listens, and how to make real accounts on the emulator. */
export interface Targets {
  origins: Record<ServerName, string>;
  /** The emulator itself (accounts are made there directly, never through the proxy). */
  emulatorOrigin: string;
}

const json = { 'content-type': 'application/json' };
const SAMPLE_BEARER =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImJlbmNoIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxODQ5NzU1MTE5ODQwNDk3NjY0In0.c2lnbmF0dXJl';

/** The accounts and tokens the emulator side needs, made once. */
export class EmulatorAccounts {
  private me?: Tokens;
  private signinAccount?: Account;
  private readonly refreshAccounts: Account[] = [];

  constructor(private readonly origin: string) {}

  async prepare(): Promise<void> {
    this.me = await signUp(this.origin, 'bench_me');
    this.signinAccount = await signUp(this.origin, 'bench_signin');
  }

  get accessToken(): string {
    if (!this.me) throw new Error('accounts not prepared');
    return this.me.access_token;
  }

  get signinBody(): string {
    if (!this.signinAccount) throw new Error('accounts not prepared');
    return JSON.stringify({ username: this.signinAccount.username, password: this.signinAccount.password });
  }

  /**
   * `size` live refresh tokens of fresh sessions, made just before a run: sessions of earlier runs
   * may have ended (the per-user cap) or lost their current token to an answer cut off at the end.
   */
  async refreshPool(size: number): Promise<string[]> {
    const perAccount = 90; // under the emulator's 100 sessions per user
    while (this.refreshAccounts.length * perAccount < size) this.refreshAccounts.push(await signUp(this.origin, 'bench_refresh'));
    const pool: string[] = [];
    for (let i = 0; i < size; i++) pool.push((await signIn(this.origin, this.refreshAccounts[i % this.refreshAccounts.length] as Account)).refresh_token);
    return pool;
  }
}

/** Requests that take a live refresh token from the pool and put back the one each answer brings. */
function rotatingRefresh(pool: string[], stats: { starved: number }): Request[] {
  return [
    {
      method: 'POST',
      path: '/auth/v1/token',
      headers: { ...CLIENT_HEADERS, ...json },
      setupRequest: (request) => {
        const token = pool.pop();
        if (token === undefined) stats.starved++;
        return { ...request, body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: token ?? 'm.pool-was-empty' }) };
      },
      onResponse: (status, body) => {
        if (status !== 200) return;
        const match = /"refresh_token":"([^"]+)"/.exec(body);
        if (match?.[1]) pool.push(match[1]);
      },
    },
  ];
}

export async function loadSpec(
  op: OperationId,
  server: ServerName,
  targets: Targets,
  accounts: EmulatorAccounts,
  connections: number,
  duration: number,
  stats: { starved: number },
): Promise<LoadSpec> {
  const origin = targets.origins[server];
  const real = server === 'emulator' || server === 'proxy';
  const base = { origin, connections, duration };
  switch (op) {
    case 'me':
      return {
        ...base,
        method: 'GET',
        path: '/auth/v1/user/me',
        headers: { ...CLIENT_HEADERS, authorization: `Bearer ${real ? accounts.accessToken : SAMPLE_BEARER}` },
      };
    case 'signin':
      return {
        ...base,
        method: 'POST',
        path: '/auth/v1/signin',
        headers: { ...CLIENT_HEADERS, ...json },
        body: real ? accounts.signinBody : JSON.stringify({ username: 'ada_lovelace', password: 'Str0ng!Passw0rd' }),
      };
    case 'token':
      if (real) {
        const pool = await accounts.refreshPool(connections + 10);
        return { ...base, method: 'POST', path: '/auth/v1/token', headers: {}, requests: rotatingRefresh(pool, stats) };
      }
      return {
        ...base,
        method: 'POST',
        path: '/auth/v1/token',
        headers: { ...CLIENT_HEADERS, ...json },
        body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'm.Jcvq58iHAz14NIJ2oxrktdyGFj-cLU6PzOGWe6ZdWlU' }),
      };
  }
}

export interface Sample extends LoadResult {
  op: OperationId;
  server: ServerName;
  connections: number;
  run: number;
  /** Requests of a dynamic run that found the refresh-token pool empty (should be 0). */
  starved: number;
}

export interface MatrixOptions {
  ops: readonly OperationId[];
  servers: readonly ServerName[];
  runs: number;
  duration: number;
  connections: number;
  /** Seconds of unrecorded load per (operation, server) before the first run; 0 for none. */
  warmup: number;
  /** Seconds of in-process RS256 signing measured at the start of each run (0: none). */
  signingSeconds?: number;
  log: (line: string) => void;
}

export interface Matrix {
  samples: Sample[];
  /** RS256 signatures per second on one core, one figure per run. */
  signing: number[];
}

/** Round-robin: run 1 of every (operation, server), then run 2..., the server order rotated each run. */
export async function measureMatrix(targets: Targets, accounts: EmulatorAccounts, options: MatrixOptions): Promise<Matrix> {
  const { ops, servers, runs, duration, connections, warmup, log, signingSeconds = 0 } = options;
  if (warmup > 0) {
    for (const op of ops) {
      for (const server of servers) {
        const stats = { starved: 0 };
        await runLoad(await loadSpec(op, server, targets, accounts, connections, warmup, stats));
      }
    }
  }
  const samples: Sample[] = [];
  const signing: number[] = [];
  for (let run = 0; run < runs; run++) {
    if (signingSeconds > 0) {
      signing.push(rs256SignaturesPerSecond(signingSeconds));
      log(`  run ${run + 1}/${runs} RS256 signing (2048-bit, one core): ${round(signing.at(-1) as number, 0)} signatures/s`);
    }
    const order = servers.map((_, i) => servers[(i + run) % servers.length] as ServerName);
    for (const op of ops) {
      for (const server of order) {
        const stats = { starved: 0 };
        const result = await runLoad(await loadSpec(op, server, targets, accounts, connections, duration, stats));
        samples.push({ ...result, op, server, connections, run, starved: stats.starved });
        log(
          `  run ${run + 1}/${runs} c=${connections} ${op.padEnd(6)} ${server.padEnd(8)} ${round(result.rps, 0)} req/s  p50 ${round(result.p50)} ms  p99 ${round(result.p99)} ms` +
            (result.non2xx || result.errors ? `  non-2xx ${result.non2xx} errors ${result.errors} ${JSON.stringify(result.statuses)}` : ''),
        );
      }
    }
  }
  return { samples, signing };
}

export interface Summary {
  op: OperationId;
  server: ServerName;
  connections: number;
  runs: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  /** (max - min) / median of the runs' req/s. */
  rpsSpread: number;
  non2xx: number;
  errors: number;
  starved: number;
  statuses: Record<string, number>;
}

/** Median of the runs for each (operation, server). */
export function summarize(samples: Sample[]): Summary[] {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = `${s.op}|${s.server}|${s.connections}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as Sample;
    const statuses: Record<string, number> = {};
    for (const s of group) for (const [k, v] of Object.entries(s.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
    return {
      op: first.op,
      server: first.server,
      connections: first.connections,
      runs: group.length,
      rps: round(median(group.map((s) => s.rps)), 0),
      p50: round(median(group.map((s) => s.p50)), 2),
      p99: round(median(group.map((s) => s.p99)), 2),
      mean: round(median(group.map((s) => s.mean)), 3),
      rpsSpread: round(spread(group.map((s) => s.rps)), 3),
      non2xx: group.reduce((n, s) => n + s.non2xx, 0),
      errors: group.reduce((n, s) => n + s.errors, 0),
      starved: group.reduce((n, s) => n + s.starved, 0),
      statuses,
    };
  });
}

/** Per run, the ratio of two servers' req/s measured side by side; the median of those. */
export function pairedRatio(samples: Sample[], op: OperationId, a: ServerName, b: ServerName, field: 'rps' | 'mean' = 'rps'): number {
  const ratios: number[] = [];
  for (const sa of samples) {
    if (sa.op !== op || sa.server !== a) continue;
    const sb = samples.find((s) => s.op === op && s.server === b && s.run === sa.run && s.connections === sa.connections);
    if (sb && sb[field] > 0) ratios.push(sa[field] / sb[field]);
  }
  return round(median(ratios), 3);
}

/** Per run, mean latency through the proxy minus direct; the median of those (ms). */
export function pairedDifference(samples: Sample[], op: OperationId, a: ServerName, b: ServerName): number {
  const diffs: number[] = [];
  for (const sa of samples) {
    if (sa.op !== op || sa.server !== a) continue;
    const sb = samples.find((s) => s.op === op && s.server === b && s.run === sa.run && s.connections === sa.connections);
    if (sb) diffs.push(sa.mean - sb.mean);
  }
  return round(median(diffs), 3);
}

/**
 * The cost of a real token: RS256 signatures per second with a 2048-bit key on one core (node:crypto,
 * synchronous, a token-sized payload). Sign-in and refresh each sign one access token, so this bounds
 * them the way the bare server bounds everything.
 */
export function rs256SignaturesPerSecond(seconds: number): number {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const payload = Buffer.from(`eyJhbGciOiJSUzI1NiJ9.${'x'.repeat(400)}`);
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    sign('sha256', payload, privateKey);
    n++;
  }
  return n / ((performance.now() - started) / 1000);
}
