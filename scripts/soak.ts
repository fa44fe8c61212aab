/**
 * Soak: many mixed requests in-process (`app.request()`), the emulator clock moving a simulated
 * 6 hours every 500 requests (100 000 requests = 50 days, past every lifetime), and the heap measured
 * after a GC before, at each quarter and at the end. Memory must stay flat: expired state is swept and
 * every store is capped (issue 13.5). Stated bound: under 48 MB of growth over the run, under 8 MB
 * over its last quarter (by then the store is in its steady state); exit code 1 beyond it.
 *
 *   npm run soak                      100 000 requests (about a minute on 2 cores)
 *   node --import tsx scripts/soak.ts 20000
 *
 * The unit test tests/unit/emulator-soak.test.ts runs the same mix, shorter.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { createEmulator, type Emulator } from '../mock/emulator/app.ts';

export const MB = 1024 * 1024;
const CLOCK_STEP_EVERY = 500;
const CLOCK_STEP_SECONDS = 6 * 3600;
const PASSWORD = 'Passw0rd!';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * The heap after a GC. The event loop turns between collections: undici's Request registers a
 * FinalizationRegistry entry per request whose cleanup only runs as a task, so a measurement taken
 * without one would count garbage that is merely waiting to be finalised.
 */
export async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
  }
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** mulberry32: the same mix on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SoakReport {
  requests: number;
  ms: number;
  /** Heap after a GC: before any request, then at each quarter. */
  heapMB: number[];
  statuses: Record<string, number>;
  store: Record<string, number>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

export async function runSoak(
  total: number,
  emulator: Emulator = createEmulator({ resendIntervalSeconds: 0, onInternalError: () => {} }),
  { clockStepSeconds = CLOCK_STEP_SECONDS }: { clockStepSeconds?: number } = {},
): Promise<SoakReport> {
  const random = prng(13);
  const statuses: Record<string, number> = {};
  let requests = 0;
  let serial = 0;

  const call = async (method: string, path: string, { json, token, device }: { json?: unknown; token?: string; device?: string } = {}): Promise<{ status: number; body: Body }> => {
    requests += 1;
    if (requests % CLOCK_STEP_EVERY === 0) emulator.clock.advance(clockStepSeconds);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (device) headers['x-device-id'] = device;
    const res = await emulator.app.request(path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
    const body = (await res.json()) as Body;
    const key = `${res.status}`;
    statuses[key] = (statuses[key] ?? 0) + 1;
    if (res.status >= 500) throw new Error(`${method} ${path} -> ${res.status}: ${JSON.stringify(body)}`);
    return { status: res.status, body };
  };

  /** A one-off device: sign in, read, refresh, sometimes revoke; the rest is left to expire. */
  const anonymous = async () => {
    const device = `soak-device-${++serial}`;
    const signedIn = (await call('POST', '/auth/v1/signin/anonymously', { json: {}, device })).body;
    if (!signedIn.access_token) return;
    await call('GET', '/auth/v1/user/me', { token: signedIn.access_token });
    const refreshed = (await call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: signedIn.refresh_token } })).body;
    await call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: signedIn.refresh_token } }); // reuse: refused
    if (random() < 0.5 && refreshed.access_token) await call('POST', '/auth/v1/revoke', { json: { token: refreshed.access_token } });
  };

  /** Code, sign-up, sign-in, sudo; most accounts delete themselves, some stay. */
  const registered = async () => {
    const n = ++serial;
    const phone = `+86 139${String(n % 100_000_000).padStart(8, '0')}`;
    const sent = (await call('POST', '/auth/v1/verification', { json: { phone_number: phone, target: 'ANY' } })).body;
    if (!sent.verification_id) return;
    const codes = (await call('GET', `/__emulator/verification-codes?phone_number=${encodeURIComponent(phone)}`)).body.codes;
    const verified = (await call('POST', '/auth/v1/verification/verify', { json: { verification_id: sent.verification_id, verification_code: codes[0].code } })).body;
    const signedUp = (await call('POST', '/auth/v1/signup', { json: { phone_number: phone, verification_token: verified.verification_token, password: PASSWORD } })).body;
    if (!signedUp.access_token) return;
    const signedIn = (await call('POST', '/auth/v1/signin', { json: { username: phone, password: PASSWORD } })).body;
    const sudo = (await call('POST', '/auth/v1/user/sudo', { token: signedIn.access_token, json: { password: PASSWORD } })).body;
    if (random() < 0.8) await call('DELETE', `/auth/v1/user/me?sudo_token=${encodeURIComponent(sudo.sudo_token)}`, { token: signedIn.access_token });
  };

  /** Codes to a small pool of phones: resends supersede, wrong codes count. */
  const codeSpam = async () => {
    const phone = `+86 138${String(Math.floor(random() * 500)).padStart(8, '0')}`;
    const sent = (await call('POST', '/auth/v1/verification', { json: { phone_number: phone } })).body;
    if (sent.verification_id) await call('POST', '/auth/v1/verification/verify', { json: { verification_id: sent.verification_id, verification_code: '000000' } });
  };

  /** What an attacker or a broken client sends. */
  const garbage = async () => {
    await call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: `m.${'x'.repeat(43)}` } });
    await call('GET', '/auth/v1/user/me', { token: 'a.b.c' });
    await call('GET', '/auth/v1/no-such-path');
    await call('POST', '/__emulator/provider-tokens', { json: { provider_id: 'google' } }); // left to expire
  };

  const heapMB = [(await heapAfterGc()) / MB];
  const started = performance.now();
  let quarter = 1;
  while (requests < total) {
    const pick = random();
    await (pick < 0.4 ? anonymous() : pick < 0.65 ? registered() : pick < 0.85 ? codeSpam() : garbage());
    // A server turns its event loop between requests; in-process calls must too (see heapAfterGc).
    if (requests % 200 < 5) await new Promise((resolve) => setImmediate(resolve));
    if (requests >= (total * quarter) / 4) {
      heapMB.push((await heapAfterGc()) / MB);
      if (process.env.SOAK_VERBOSE === '1') console.log(`  ${requests}: heap ${(heapMB.at(-1) ?? 0).toFixed(1)} MB, store ${JSON.stringify(emulator.store.stats())}`);
      quarter += 1;
    }
  }
  const ms = performance.now() - started;
  while (heapMB.length < 5) heapMB.push((await heapAfterGc()) / MB);
  return { requests, ms, heapMB, statuses, store: { ...emulator.store.stats() } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const total = Number(process.argv[2] ?? 100_000);
  const report = await runSoak(total);
  const [before = 0, , , threeQuarters = 0, end = 0] = report.heapMB;
  console.log(`soak: ${report.requests} mixed requests in ${(report.ms / 1000).toFixed(1)} s (${Math.round((report.requests / report.ms) * 1000)} req/s)`);
  console.log(`heap after GC: before ${before.toFixed(1)} MB; at each quarter ${report.heapMB.slice(1).map((h) => `${h.toFixed(1)} MB`).join(', ')}`);
  // The stated bound (docs/security.md): under 48 MB over the run, under 8 MB over its last quarter (past every lifetime: steady state).
  const ok = end - before < 48 && end - threeQuarters < 8;
  console.log(`bound: growth ${(end - before).toFixed(1)} MB (< 48), last quarter ${(end - threeQuarters).toFixed(1)} MB (< 8): ${ok ? 'within' : 'EXCEEDED'}`);
  if (!ok) process.exitCode = 1;
  console.log(`statuses: ${JSON.stringify(report.statuses)}`);
  console.log(`store at the end: ${JSON.stringify(report.store)}`);
}
