/**
 * The package as an SDK author gets it: `npm pack`, then in an empty folder `npm install <tarball>`
 * (from the npm cache where it can: --prefer-offline), `npx cloudbase-auth-emulator --port 0` prints its
 * URL and serves, and a ten-line node:test file using `startEmulator` signs a user up with the code it
 * reads from the emulator.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { listeningURL, ROOT } from './harness.ts';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir: string;
let app: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-packed-'));
  app = join(dir, 'app');
  await run(npm, ['pack', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');
  await run('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'sdk-under-test', private: true, type: 'module' }));
  await run(npm, ['install', join(dir, tarball), '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, maxBuffer: 16 * 1024 * 1024 });
  assert.ok(existsSync(join(app, 'node_modules/cloudbase-auth-contract/types/index.d.ts')), 'the tarball carries the declarations (prepack)');
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('npx cloudbase-auth-emulator --port 0 prints its URL and serves', async () => {
  // Its own process group: npx runs the bin through a shell, and Ctrl+C reaches the whole group.
  const child = spawn('npx', ['--no-install', 'cloudbase-auth-emulator', '--port', '0'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid ?? 0), signal);
    } catch {
      // already gone
    }
  };
  const { url: listening, output } = listeningURL(child);
  try {
    const url = await listening;
    const certs = await fetch(`${url}/auth/v1/certs`);
    assert.equal(certs.status, 200);
    assert.equal(((await certs.json()) as { keys: unknown[] }).keys.length, 1);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup('SIGINT');
    await exited;
    assert.match(output(), /SIGINT: stopping the emulator/, 'Ctrl+C stops it');
  } finally {
    if (child.exitCode === null && child.signalCode === null) signalGroup('SIGKILL');
  }
});

test('a ten-line node:test file using startEmulator signs a user up and reads the code', async () => {
  writeFileSync(
    join(app, 'signup.test.mjs'),
    `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from 'cloudbase-auth-contract';
test('a user signs up with the code the emulator sent', async () => {
  const emu = await startEmulator({ port: 0 });
  const post = (path, body) => fetch(\`\${emu.url}/auth/v1/\${path}\`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
  const { verification_id } = await post('verification', { phone_number: '+86 13800000000', target: 'ANY' });
  const { verification_token } = await post('verification/verify', { verification_id, verification_code: await emu.control.latestCode({ phone_number: '+86 13800000000' }) });
  assert.ok((await post('signup', { phone_number: '+86 13800000000', verification_token })).access_token);
  await emu.close();
});
`,
  );
  // Without NODE_TEST_CONTEXT this runner's child reports as a top-level run (TAP with its counts).
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  const { stdout } = await run(process.execPath, ['--test', '--test-reporter=tap', 'signup.test.mjs'], { cwd: app, env });
  assert.match(stdout, /# pass 1/);
  assert.match(stdout, /# fail 0/);
});
