/**
 * The CLI's state and report flags, end to end: `--import users.json` starts with those users,
 * Ctrl+C writes `--export-on-exit` (which imports back) and `--report` (the request log, with the
 * departure of a request the emulator answered anyway).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { listeningURL, ROOT } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Start the CLI, wait for its URL, run `use`, then Ctrl+C it and wait for it to exit. */
async function withCli(args: string[], use: (url: string) => Promise<void>): Promise<string> {
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  const child = spawn(process.execPath, [join(ROOT, 'bin/cloudbase-auth-emulator.mjs'), '--port', '0', ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(code === null ? `signal ${signal}` : `code ${code}`)));
  const { url, output } = listeningURL(child);
  try {
    await use(await url);
    child.kill('SIGINT');
    assert.equal(await exited, 'code 0', output());
    return output();
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

const signIn = (url: string, username: string, password: string) =>
  fetch(`${url}/auth/v1/signin`, { method: 'POST', body: JSON.stringify({ username, password }) }).then((r) => r.status);

test('--import, --export-on-exit and --report', async () => {
  copyFileSync(join(ROOT, 'examples/users.json'), join(dir, 'users.json'));
  const output = await withCli(['--import', 'users.json', '--export-on-exit', 'out.json', '--report', 'requests.json', '--tolerate-unknown-fields'], async (url) => {
    assert.equal(await signIn(url, 'alice', 'Alice!Passw0rd'), 200, 'an imported user signs in');
    // Lenient emulator (--tolerate-unknown-fields), strict contract: an unknown field is answered, and reported.
    const lenient = await fetch(`${url}/auth/v1/signin/anonymously`, { method: 'POST', headers: { 'x-device-id': 'cli-device' }, body: JSON.stringify({ favourite: 'tea' }) });
    assert.equal(lenient.status, 200);
  });
  assert.match(output, /Imported 3 users from users\.json/);
  assert.match(output, /request log: 2 requests, 1 departing from the contract, written to requests\.json/);

  const report = JSON.parse(readFileSync(join(dir, 'requests.json'), 'utf8')) as { requests: { operation?: { id: string }; departures: { details: string[] }[]; body?: Record<string, unknown> }[] };
  const [signedIn, anonymous] = report.requests;
  assert.equal(signedIn?.body?.password, '[redacted]');
  assert.deepEqual(signedIn?.departures, []);
  assert.equal(anonymous?.operation?.id, 'signInAnonymously');
  assert.match(anonymous?.departures[0]?.details.join('\n') ?? '', /body\.favourite is not allowed/);

  const exported = readFileSync(join(dir, 'out.json'), 'utf8');
  assert.ok(!exported.includes('Alice!Passw0rd'), 'no password in the export');
  await withCli(['--import', 'out.json'], async (url) => {
    assert.equal(await signIn(url, 'alice', 'Alice!Passw0rd'), 200, 'the export imports back with working passwords');
    assert.equal(await signIn(url, 'bob', 'Bob!Passw0rd1'), 200);
  });
});

test('--export-on-exit without a file writes back to the --import file', async () => {
  copyFileSync(join(ROOT, 'examples/users.json'), join(dir, 'seed.json'));
  await withCli(['--import', 'seed.json', '--export-on-exit'], async () => {});
  const written = JSON.parse(readFileSync(join(dir, 'seed.json'), 'utf8')) as { users: { sub?: string; password_hash?: unknown }[] };
  assert.equal(written.users.length, 3);
  assert.ok(written.users.every((u) => u.sub && u.password_hash), 'rewritten in the export format');
});
