/**
 * Load: thousands of requests over 50 concurrent keep-alive connections on loopback, across every flow
 * (anonymous sign-in, sign-up with a code, sign-in, refresh, user/me, introspection, providers, sudo,
 * password change, sign-out, revocation, deletion), each answer the one its step expects, no transport
 * error. Then the emulator clock moves past every expiry and the store shrinks back to what must stay
 * (one anonymous user per device), and the heap after a second round is no bigger than after the first.
 *
 * Bounded in count (LOAD_REQUESTS per round, two rounds) and time (the test's timeout).
 */
import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { after, before, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startEmulator, type RunningEmulator } from '../../mock/emulator/server.ts';

const CONNECTIONS = 50;
const REQUESTS_PER_ROUND = Number(process.env.LOAD_REQUESTS ?? 1600);
const ROUNDS = 2;
/** Past the longest lifetime: refresh tokens and sessions, 31 days. */
const PAST_EVERY_EXPIRY = 32 * 24 * 3600;
const PASSWORD = 'Passw0rd!';
const NEW_PASSWORD = 'N3w-Passw0rd!';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

let running: RunningEmulator;
const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });

before(async () => {
  running = await startEmulator({ port: 0, resendIntervalSeconds: 0 });
});
after(async () => {
  agent.destroy();
  await running.close();
});

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** What a round saw: requests, answers per step and status, and every surprise. */
class Tally {
  requests = 0;
  readonly byStep = new Map<string, number>();
  readonly surprises: string[] = [];
  transportErrors = 0;

  surprise(text: string): void {
    if (this.surprises.length < 20) this.surprises.push(text);
  }
}

function send(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<Answer & { contentType: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(`${running.url}${path}`, { method, agent, headers: { ...headers, ...(payload && { 'content-type': 'application/json' }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, contentType: String(res.headers['content-type'] ?? '') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** One virtual user: its device, its counter, and a step that checks the answer it gets. */
class VirtualUser {
  private flows = 0;

  constructor(
    private readonly round: number,
    private readonly index: number,
    private readonly tally: Tally,
  ) {}

  get deviceId(): string {
    return `load-device-${this.index}`;
  }

  async step(name: string, expected: number, method: string, path: string, options: { body?: unknown; token?: string } = {}): Promise<Answer> {
    this.tally.requests += 1;
    const headers: Record<string, string> = { 'x-device-id': this.deviceId };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let answer: Answer & { contentType: string };
    try {
      answer = await send(method, path, options.body, headers);
    } catch (error) {
      this.tally.transportErrors += 1;
      this.tally.surprise(`${name}: ${(error as Error).message}`);
      throw error;
    }
    const key = `${name} -> ${answer.status}`;
    this.tally.byStep.set(key, (this.tally.byStep.get(key) ?? 0) + 1);
    if (answer.status !== expected || !answer.contentType.startsWith('application/json') || answer.body === undefined) {
      this.tally.surprise(`${name}: expected ${expected}, got ${answer.status} ${answer.contentType} ${JSON.stringify(answer.body)?.slice(0, 200)}`);
      throw new Error(`unexpected answer at ${name}`);
    }
    return answer;
  }

  /** Anonymous: sign in twice (the second session is left to expire), read, refresh, introspect, revoke. */
  async anonymous(): Promise<void> {
    await this.step('anonymous sign-in (left to expire)', 200, 'POST', '/auth/v1/signin/anonymously', { body: {} });
    const signedIn = (await this.step('anonymous sign-in', 200, 'POST', '/auth/v1/signin/anonymously', { body: {} })).body;
    await this.step('user/me', 200, 'GET', '/auth/v1/user/me', { token: signedIn.access_token });
    const refreshed = (await this.step('refresh', 200, 'POST', '/auth/v1/token', { body: { grant_type: 'refresh_token', refresh_token: signedIn.refresh_token } })).body;
    await this.step('refresh with the rotated token', 400, 'POST', '/auth/v1/token', { body: { grant_type: 'refresh_token', refresh_token: signedIn.refresh_token } });
    await this.step('introspect', 200, 'GET', '/auth/v1/token/introspect', { token: refreshed.access_token });
    await this.step('revoke', 200, 'POST', '/auth/v1/revoke', { body: { token: refreshed.access_token } });
    await this.step('user/me after revoke', 401, 'GET', '/auth/v1/user/me', { token: refreshed.access_token });
    await this.step('certs', 200, 'GET', '/auth/v1/certs');
    await this.step('unused provider token', 200, 'POST', '/__emulator/provider-tokens', { body: { provider_id: 'google' } });
  }

  /** Registered: code, sign-up, sign-in, refresh, providers, sudo, password change, sign-out, deletion. */
  async registered(): Promise<void> {
    this.flows += 1;
    const phone = `+86 13${5 + this.round}${String(this.index).padStart(2, '0')}${String(this.flows).padStart(6, '0')}`;
    const email = `load-${this.round}-${this.index}-${this.flows}@example.com`;
    const username = `load_${this.round}_${this.index}_${this.flows}`;
    const query = `phone_number=${encodeURIComponent(phone)}`;

    const sent = (await this.step('send code', 200, 'POST', '/auth/v1/verification', { body: { phone_number: phone, target: 'NOT_USER' } })).body;
    const code: string = (await this.step('read code', 200, 'GET', `/__emulator/verification-codes?${query}`)).body.codes[0].code;
    const wrong = code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
    await this.step('verify a wrong code', 400, 'POST', '/auth/v1/verification/verify', { body: { verification_id: sent.verification_id, verification_code: wrong } });
    const verified = (await this.step('verify', 200, 'POST', '/auth/v1/verification/verify', { body: { verification_id: sent.verification_id, verification_code: code } })).body;
    const signedUp = (await this.step('sign up', 200, 'POST', '/auth/v1/signup', { body: { phone_number: phone, verification_token: verified.verification_token, username, password: PASSWORD } })).body;
    await this.step('user/me', 200, 'GET', '/auth/v1/user/me', { token: signedUp.access_token });

    // An email code verified and never used: its verification token is left to expire.
    const emailSent = (await this.step('send email code', 200, 'POST', '/auth/v1/verification', { body: { email, target: 'ANY' } })).body;
    const emailCode: string = (await this.step('read email code', 200, 'GET', `/__emulator/verification-codes?email=${encodeURIComponent(email)}`)).body.codes[0].code;
    await this.step('verify email code', 200, 'POST', '/auth/v1/verification/verify', { body: { verification_id: emailSent.verification_id, verification_code: emailCode } });

    const other = (await this.step('sign in', 200, 'POST', '/auth/v1/signin', { body: { username, password: PASSWORD } })).body;
    await this.step('sign in with a wrong password', 400, 'POST', '/auth/v1/signin', { body: { username, password: `${PASSWORD}x` } });
    const refreshed = (await this.step('refresh', 200, 'POST', '/auth/v1/token', { body: { grant_type: 'refresh_token', refresh_token: other.refresh_token } })).body;
    await this.step('introspect', 200, 'GET', '/auth/v1/token/introspect', { token: refreshed.access_token });
    await this.step('list providers', 200, 'GET', '/auth/v1/user/provider', { token: refreshed.access_token });
    const providerToken = (await this.step('provider token', 200, 'POST', '/__emulator/provider-tokens', { body: { provider_id: 'github' } })).body.provider_token;
    await this.step('bind provider', 200, 'POST', '/auth/v1/user/provider/bind', { token: refreshed.access_token, body: { provider_token: providerToken } });
    const sudo = (await this.step('sudo', 200, 'POST', '/auth/v1/user/sudo', { token: signedUp.access_token, body: { password: PASSWORD } })).body;
    await this.step('change password', 200, 'PATCH', '/auth/v1/user/password', { token: signedUp.access_token, body: { sudo_token: sudo.sudo_token, new_password: NEW_PASSWORD } });
    await this.step('other session ended', 401, 'GET', '/auth/v1/user/me', { token: refreshed.access_token });
    await this.step('sign out', 200, 'POST', '/auth/v1/user/signout', { token: signedUp.access_token, body: {} });
    const again = (await this.step('sign in with the new password', 200, 'POST', '/auth/v1/signin', { body: { username, password: NEW_PASSWORD } })).body;
    const sudoAgain = (await this.step('sudo again', 200, 'POST', '/auth/v1/user/sudo', { token: again.access_token, body: { password: NEW_PASSWORD } })).body;
    await this.step('delete the account', 200, 'DELETE', `/auth/v1/user/me?sudo_token=${encodeURIComponent(sudoAgain.sudo_token)}`, { token: again.access_token });
  }
}

async function runRound(round: number): Promise<{ tally: Tally; ms: number }> {
  const tally = new Tally();
  const started = performance.now();
  const users = Array.from({ length: CONNECTIONS }, (_, i) => new VirtualUser(round, i, tally));
  await Promise.all(
    users.map(async (user) => {
      for (let flow = 0; tally.requests < REQUESTS_PER_ROUND; flow++) {
        try {
          await (flow % 2 === 0 ? user.anonymous() : user.registered());
        } catch {
          return; // counted in the tally; this virtual user stops
        }
      }
    }),
  );
  return { tally, ms: performance.now() - started };
}

async function control(method: string, path: string, body?: unknown) {
  const answer = await send(method, path, body, { 'x-device-id': 'load-device-0' });
  assert.equal(answer.status, 200, `${method} ${path}: ${JSON.stringify(answer.body)}`);
  return answer.body as Record<string, number>;
}

/** Move past every expiry, make one write (the store sweeps on writes), and read the store's sizes. */
async function expireAndSweep(): Promise<Record<string, number>> {
  await control('POST', '/__emulator/clock', { advance_seconds: PAST_EVERY_EXPIRY });
  await control('POST', '/auth/v1/signin/anonymously', {});
  return control('GET', '/__emulator/stats');
}

function heapAfterGc(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

const MB = 1024 * 1024;

test(`${ROUNDS} rounds of ${REQUESTS_PER_ROUND} requests over ${CONNECTIONS} connections: every answer expected, expired state swept, heap stable`, { timeout: 90_000 }, async (t) => {
  const heaps: number[] = [];
  const heapBefore = heapAfterGc();
  const started = performance.now();
  for (let round = 1; round <= ROUNDS; round++) {
    const { tally, ms } = await runRound(round);
    t.diagnostic(`round ${round}: ${tally.requests} requests in ${(ms / 1000).toFixed(1)} s (${Math.round((tally.requests / ms) * 1000)} req/s)`);
    assert.equal(tally.transportErrors, 0, `transport errors:\n${tally.surprises.join('\n')}`);
    assert.deepEqual(tally.surprises, [], 'every answer is the one its step expects');
    assert.ok(tally.requests >= REQUESTS_PER_ROUND, `only ${tally.requests} requests were made`);

    const loaded = await control('GET', '/__emulator/stats');
    t.diagnostic(`round ${round} store before expiry: ${JSON.stringify(loaded)}`);
    assert.ok((loaded.sessions ?? 0) >= CONNECTIONS, 'sessions were left to expire');
    assert.ok((loaded.verifications ?? 0) > 0 && (loaded.verification_tokens ?? 0) > 0 && (loaded.provider_tokens ?? 0) > 0, 'codes and tokens were left to expire');

    const swept = await expireAndSweep();
    t.diagnostic(`round ${round} store after expiry: ${JSON.stringify(swept)}`);
    // What must stay: the one write that triggered the sweep (device 0 signing in again: a new anonymous
    // user, its session). Anonymous users idle past a refresh-token lifetime with no session are
    // forgotten (store.ts sweep); registered users deleted themselves.
    assert.deepEqual(
      { users: swept.users, anonymous_users: swept.anonymous_users, anonymous_devices: swept.anonymous_devices, sessions: swept.sessions, refresh_tokens: swept.refresh_tokens, verifications: swept.verifications, verification_tokens: swept.verification_tokens, sudo_tokens: swept.sudo_tokens, provider_tokens: swept.provider_tokens, spent_refresh_tokens: swept.spent_refresh_tokens },
      { users: 1, anonymous_users: 1, anonymous_devices: 1, sessions: 1, refresh_tokens: 1, verifications: 0, verification_tokens: 0, sudo_tokens: 0, provider_tokens: 0, spent_refresh_tokens: 0 },
    );
    heaps.push(heapAfterGc());
  }
  t.diagnostic(`heap after a GC: before ${(heapBefore / MB).toFixed(1)} MB, after each round ${heaps.map((h) => `${(h / MB).toFixed(1)} MB`).join(', ')}; total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const [first = 0, last = 0] = [heaps[0], heaps.at(-1)];
  // The token cache of verified JWTs (bounded at 10 000) may still grow a little between rounds.
  assert.ok(last - first < 16 * MB, `the heap grew by ${((last - first) / MB).toFixed(1)} MB from round 1 to round ${ROUNDS}`);
});
