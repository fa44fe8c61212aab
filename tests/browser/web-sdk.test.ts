/**
 * The official web SDK (`@cloudbase/js-sdk` 3.7.0, its browser build bundled by esbuild as the SDK's users'
 * bundlers do) in a real Chromium page, talking to the emulator on ANOTHER origin: the page is served from
 * `http://localhost:<port>`, the emulator listens on `http://127.0.0.1:<port>`. So every SDK call is a
 * cross-origin request with the SDK's custom headers: the browser sends a CORS preflight and enforces the
 * emulator's answer, as it would against the real API.
 *
 * Chromium comes from the system (Debian's `chromium` package; `.ci/run` installs it), never downloaded:
 * CHROMIUM_PATH, else /usr/bin/chromium. Without one, the test is skipped and says why.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { createEmulator } from '../../mock/emulator/app.ts';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
const SKIP = CHROMIUM
  ? false
  : 'no system Chromium: install Debian\'s package (`apt-get install chromium`, as .ci/run does) or set CHROMIUM_PATH; the browser check never downloads a browser';

/** Flags for a headless Chromium on a machine without outside network (no background calls home). */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** What the page script holds on `window` (the SDK is untyped there). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bundled SDK has no types in the page
type PageGlobals = Record<string, any>;

interface Preflight {
  path: string;
  requestHeaders: string[];
  allowOrigin: string | null;
  status: number;
}

describe('the web SDK in Chromium, cross-origin to the emulator', { skip: SKIP }, () => {
  let emulatorServer: ServerType;
  let pageServer: Server;
  let browser: Browser;
  let page: Page;
  let emulatorOrigin = '';
  let pageOrigin = '';
  const emulator = createEmulator({ resendIntervalSeconds: 0 });
  const preflights: Preflight[] = [];
  const foreignRequests: string[] = [];

  before(async () => {
    emulatorServer = serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: async (request) => {
        const response = await emulator.app.fetch(request);
        if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
          preflights.push({
            path: new URL(request.url).pathname,
            requestHeaders: (request.headers.get('access-control-request-headers') ?? '').toLowerCase().split(',').map((h) => h.trim()),
            allowOrigin: response.headers.get('access-control-allow-origin'),
            status: response.status,
          });
        }
        return response;
      },
    });
    await new Promise<void>((resolve) => emulatorServer.once('listening', () => resolve()));
    emulatorOrigin = `http://127.0.0.1:${(emulatorServer.address() as AddressInfo).port}`;

    const bundle = await build({
      stdin: { contents: "import cloudbase from '@cloudbase/js-sdk'; window.cloudbase = cloudbase;", resolveDir: process.cwd(), loader: 'js' },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      write: false,
      logLevel: 'error',
    });
    const script = bundle.outputFiles[0]?.contents ?? new Uint8Array();
    pageServer = createServer((req, res) => {
      if (req.url === '/cloudbase.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      } else {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>web sdk</title><script src="/cloudbase.js"></script>');
      }
    });
    await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
    pageOrigin = `http://localhost:${(pageServer.address() as AddressInfo).port}`;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext();
    // Watched, not intercepted: with any route registered, Playwright answers CORS preflights itself and the
    // browser's own CORS check would not be exercised.
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin !== pageOrigin && url.origin !== emulatorOrigin) foreignRequests.push(url.href);
    });
    page = await context.newPage();
    await page.goto(pageOrigin);
    await page.evaluate((host) => {
      const w = window as unknown as PageGlobals;
      const app = w.cloudbase.init({ env: 'browser-env', region: 'ap-shanghai' });
      app.registerHost(host, 'http');
      w.auth = app.auth();
    }, new URL(emulatorOrigin).host);
  });

  after(async () => {
    await browser?.close();
    pageServer?.close();
    emulatorServer?.close();
  });

  test('signInAnonymously and getUser work from another origin', async () => {
    const user = await page.evaluate(async () => {
      const auth = (window as unknown as PageGlobals).auth;
      const signedIn = await auth.signInAnonymously();
      if (signedIn?.error) throw new Error(JSON.stringify(signedIn.error));
      return (await auth.getUser()).data.user;
    });
    assert.ok(user?.id, 'no user after signInAnonymously');
    assert.ok(emulator.store.stats().users >= 1, 'the emulator holds no user');
  });

  test('an SMS sign-up completes in the page (code read from the emulator)', async () => {
    const phone = '+86 13912345678';
    const sent = await page.evaluate(async (to) => {
      const w = window as unknown as PageGlobals;
      const result = await w.auth.signInWithOtp({ phone: to.replace(' ', '') });
      w.pendingOtp = result.data;
      return result.error ? JSON.stringify(result.error) : null;
    }, phone);
    assert.equal(sent, null);
    const code = emulator.store.listVerifications({ kind: 'phone', value: phone })[0]?.code;
    assert.ok(code, 'the emulator sent no code');
    const session = await page.evaluate(async (token) => {
      const w = window as unknown as PageGlobals;
      const result = await w.pendingOtp.verifyOtp({ token });
      if (result.error) throw new Error(JSON.stringify(result.error));
      return result.data.session;
    }, code);
    assert.ok(session?.access_token, 'no session after verifyOtp');
  });

  test('the browser sent CORS preflights with the SDK\'s custom headers, and the emulator allowed this origin', () => {
    assert.ok(preflights.length > 0, 'no preflight reached the emulator: the calls were not cross-origin');
    for (const preflight of preflights) {
      assert.ok(preflight.status < 300, `preflight of ${preflight.path} answered ${preflight.status}`);
      assert.ok(preflight.allowOrigin === pageOrigin || preflight.allowOrigin === '*', `preflight of ${preflight.path} allowed ${preflight.allowOrigin}`);
    }
    const asked = new Set(preflights.flatMap((p) => p.requestHeaders));
    for (const header of ['x-device-id', 'x-request-id', 'x-sdk-version']) assert.ok(asked.has(header), `no preflight asked for ${header}: ${[...asked].join(', ')}`);
  });

  test('the page reached no origin but its own and the emulator\'s', () => {
    assert.deepEqual(foreignRequests, []);
  });
});
