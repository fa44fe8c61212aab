/**
 * The quick starts of docs/sdk-authors.md, run as written (examples/*.mjs) against an emulator started
 * here on a free port: plain fetch, @cloudbase/oauth and the official web SDK in Node. Each must finish
 * without error, print what the docs say it prints, and send nothing the contract would refuse.
 * fetch is kept on this machine (tests/e2e/loopback-only.mjs).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, beforeEach, test } from 'node:test';
import { promisify } from 'node:util';
import { startEmulator, type StartedEmulator } from '../../mock/emulator/index.ts';
import { ROOT } from './harness.ts';

const run = promisify(execFile);
let emu: StartedEmulator;

before(async () => {
  emu = await startEmulator({ port: 0 });
});
after(() => emu.close());
beforeEach(() => emu.control.reset());

async function runExample(file: string) {
  const guard = new URL('./loopback-only.mjs', import.meta.url).href;
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  return run(process.execPath, ['--import', guard, file], { cwd: ROOT, env: { ...env, EMULATOR_URL: emu.url }, timeout: 60_000 });
}

test('examples/fetch.mjs signs up by SMS, reads the user, refreshes', async () => {
  const { stdout } = await runExample('examples/fetch.mjs');
  assert.match(stdout, /signed up: sub \d{19}, scope user/);
  assert.match(stdout, /user\/me: quickstart_fetch, \+86 13800000000/);
  assert.match(stdout, /the refresh token rotated: true/);
  assert.match(stdout, /request log: 5 requests, 0 departing from the contract/);
});

test('examples/oauth.mjs: @cloudbase/oauth signs up, reads the user, signs out and in', async () => {
  const { stdout } = await runExample('examples/oauth.mjs');
  assert.match(stdout, /signed up: sub \d{19}, scope user/);
  assert.match(stdout, /getUserInfo: quickstart_oauth/);
  assert.match(stdout, /signed out: has login state false/);
  assert.match(stdout, /signed in again: same user true/);
  assert.match(stdout, /0 departing from the contract/);
});

test('examples/js-sdk.mjs: @cloudbase/js-sdk 3.7.0 in Node signs in anonymously, reads the user, signs out', async () => {
  const { stdout, stderr } = await runExample('examples/js-sdk.mjs');
  assert.match(stdout, /signed in anonymously: user [\w-]{22}/);
  assert.match(stdout, /getUser: [\w-]{22}, roles anonymous/);
  assert.match(stdout, /signed out: user is gone/);
  assert.match(stdout, /0 departing from the contract/);
  const refused = new Set([...stderr.matchAll(/loopback-only: refused (\S+)/g)].map((m) => m[1]));
  assert.deepEqual([...refused], ['http://metadata.tencentyun.com'], 'the SDK reached for nothing but the emulator and its app-id lookup');
  const { requests } = await emu.control.requests.list();
  assert.ok(requests.some((r) => r.operation?.id === 'signInAnonymously'), 'the SDK talked to the emulator');
});
