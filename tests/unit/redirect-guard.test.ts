/**
 * Issue 13.1: no part of the suite follows a redirect with credentials.
 *
 * An "API" answers 307/308 pointing at a second local server (the attacker's), which records whether
 * the secret reached it. Prism's forwarder (node-fetch 2, redirect: 'follow') does resend it: that is
 * the hole, shown first. Through the redirect guard nothing reaches the second server and the answer is
 * a 502 whose body names the Location; end to end through a real `prism proxy --errors` too.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { describeLocation, REDIRECT_HEADER, startRedirectGuard, type RedirectGuard } from '../../mock/redirect-guard.ts';
import { prismProxyCommand } from '../../mock/servers.ts';

/** node-fetch 2, the client @stoplight/prism-http's forwarder uses (it ships no types). */
type NodeFetch = (url: string, init?: { method?: string; body?: string; headers?: Record<string, string> }) => Promise<{
  status: number;
  json(): Promise<unknown>;
  headers: { get(name: string): string | null };
}>;
const nodeFetch = createRequire(import.meta.url)('node-fetch') as NodeFetch;

const SECRET = 'client-secret-that-must-stay-home';

interface Recorded {
  method: string;
  url: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function recordingServer(answer: (req: Recorded) => { status: number; headers?: Record<string, string>; body?: string }) {
  const seen: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
      seen.push(recorded);
      const { status, headers, body } = answer(recorded);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body ?? '{}');
    });
  });
  return { server, seen };
}

const collector = recordingServer(() => ({ status: 200, body: '{"token_type":"Bearer"}' }));
let collectorURL = '';
let redirectStatus = 307;
const api = recordingServer((req) =>
  req.url.startsWith('/auth/v1/certs')
    ? { status: 200, body: '{"keys":[]}' }
    : { status: redirectStatus, headers: { location: `${collectorURL}/steal?code=123456` }, body: '' },
);
let apiURL = '';
let guard: RedirectGuard;
const guardLog: string[] = [];

const refreshBody = JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'm.abcdefghijklmnopqrstuvwxyz', client_id: 'env', client_secret: SECRET });

before(async () => {
  collectorURL = await listen(collector.server);
  apiURL = await listen(api.server);
  guard = await startRedirectGuard({ upstream: apiURL, log: (line) => guardLog.push(line) });
});
after(async () => {
  await guard.close();
  for (const server of [collector.server, api.server]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('the redirect guard', () => {
  test('without it, Prism\'s forwarder (node-fetch, redirect: follow) resends the secret to the redirect target', async () => {
    collector.seen.length = 0;
    redirectStatus = 307;
    // Called the way @stoplight/prism-http's forwarder calls it.
    const res = await nodeFetch(`${apiURL}/auth/v1/token`, { method: 'POST', body: refreshBody, headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 200);
    assert.equal(collector.seen.length, 1, 'the hole this guard closes: the request was resent to the other host');
    assert.ok(collector.seen[0]?.body.includes(SECRET));
  });

  for (const status of [301, 302, 303, 307, 308]) {
    test(`a ${status} from the API is never followed: 502 naming the Location, the secret stays home`, async () => {
      collector.seen.length = 0;
      redirectStatus = status;
      const res = await nodeFetch(`${guard.url}/auth/v1/token`, { method: 'POST', body: refreshBody, headers: { 'content-type': 'application/json' } });
      const body = (await res.json()) as { error: string; error_description: string };
      assert.equal(res.status, 502);
      assert.equal(collector.seen.length, 0, 'nothing reached the redirect target');
      assert.equal(body.error, 'redirect_refused');
      assert.match(body.error_description, new RegExp(`POST /auth/v1/token answered ${status} redirecting to ${collectorURL}/steal\\?\\[query not shown\\]`));
      assert.ok(!body.error_description.includes('123456'), 'the Location\'s query (it may hold a code) is not repeated');
      assert.equal(res.headers.get(REDIRECT_HEADER), `${collectorURL}/steal?[query not shown]`);
      assert.match(guardLog.at(-1) ?? '', /contract failure: POST \/auth\/v1\/token answered/);
    });
  }

  test('other answers pass through unchanged; the request reaches the origin with its body and the origin\'s Host', async () => {
    api.seen.length = 0;
    const res = await nodeFetch(`${guard.url}/auth/v1/certs?client_id=env`, { headers: { 'x-device-id': 'dev-1' } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { keys: [] });
    const seen = api.seen[0];
    assert.equal(seen?.url, '/auth/v1/certs?client_id=env');
    assert.equal(seen?.headers.host, new URL(apiURL).host);
    assert.equal(seen?.headers['x-device-id'], 'dev-1');
  });

  test('describeLocation resolves a relative Location and hides any query', () => {
    const base = new URL('https://env.ap-shanghai.tcb-api.tencentcloudapi.com/auth/v1/token');
    assert.equal(describeLocation('/elsewhere?sudo_token=x', base), 'https://env.ap-shanghai.tcb-api.tencentcloudapi.com/elsewhere?[query not shown]');
    assert.equal(describeLocation(undefined, base), '(no Location header)');
  });
});

describe('the contract monitor (prism proxy --errors) behind the guard', () => {
  let prism: ChildProcess | undefined;
  let prismURL = '';

  before(async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    prismURL = `http://127.0.0.1:${port}`;
    prism = spawn('/bin/sh', ['-c', `exec ${prismProxyCommand(port, guard.url)}`], { stdio: 'ignore' });
    // Ready once it answers (Prism takes a few seconds to load the document).
    for (let i = 0; i < 300; i++) {
      const ok = await fetch(`${prismURL}/auth/v1/certs`).then(
        (r) => r.status > 0,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100)); // polling a child process's readiness, not a test sleep
    }
    throw new Error('prism proxy did not start');
  });
  after(() => {
    prism?.kill('SIGTERM');
  });

  test('a 307 from the API reaches the suite as a contract failure naming the Location; the secret never leaves', async () => {
    collector.seen.length = 0;
    redirectStatus = 307;
    const res = await fetch(`${prismURL}/auth/v1/token`, { method: 'POST', body: refreshBody, headers: { 'content-type': 'application/json' }, redirect: 'manual' });
    const text = await res.text();
    assert.equal(collector.seen.length, 0, 'Prism did not resend the request to the redirect target');
    assert.equal(res.status, 502, text);
    assert.match(text, new RegExp(`redirecting to ${collectorURL}/steal`));
    assert.ok(res.headers.get('sl-violations'), 'Prism reports the undocumented status too');
  });
});
