/**
 * What a run checks before its first test (issue 14 items 9 and 10, issue 13 item 3), without Playwright:
 *  - the live pre-flight accepts only an origin that serves the auth API (a JWKS, the JSON error body);
 *  - an emulator named by EMULATOR_URL gets the settings the suite needs, and gets its own back;
 *    anything else named EMULATOR_URL is refused with what to do;
 *  - a server is recognised as ours only when the process we started holds its listening socket.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { prepareExternalEmulator } from '../../fixtures/global-setup.ts';
import { checkOriginServesAuthApi } from '../../fixtures/live-setup.ts';
import { freePort, listenerIsOurs } from '../../fixtures/local-servers.ts';
import { startEmulator, type RunningEmulator } from '../../mock/emulator/server.ts';

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; port: number; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, port, server };
}
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('the live pre-flight', () => {
  let emulator: RunningEmulator;
  let html: Awaited<ReturnType<typeof serve>>;
  let jwksOnly: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    emulator = await startEmulator({ port: 0 });
    html = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Welcome</title>');
    });
    // Serves a JWKS, but answers everything else with a 200 page: not the auth API either.
    jwksOnly = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url === '/auth/v1/certs' ? '{"keys":[]}' : '{"ok":true}');
    });
  });
  after(async () => {
    await emulator.close();
    await close(html.server);
    await close(jwksOnly.server);
  });

  it('accepts an origin that serves the auth API', async () => {
    await checkOriginServesAuthApi(emulator.url, 5000);
  });

  it('stops at an HTML server with one message naming the origin and what it answered', async () => {
    await assert.rejects(checkOriginServesAuthApi(html.url, 5000), (error: Error) => {
      assert.match(error.message, new RegExp(`^live target: ${html.url} does not serve the CloudBase Auth API: GET /auth/v1/certs answered 200 text/html, not a JWKS`));
      assert.match(error.message, /Check CLOUDBASE_BASE_URL/);
      assert.equal(error.stack, error.message, 'no stack trace under the message');
      return true;
    });
  });

  it('stops at a server without the JSON error body', async () => {
    await assert.rejects(checkOriginServesAuthApi(jwksOnly.url, 5000), /GET \/auth\/v1\/user\/me without a token answered 200 application\/json, not the API's JSON error body/);
  });

  it('stops at a closed port, naming it', async () => {
    const port = await freePort();
    await assert.rejects(checkOriginServesAuthApi(`http://127.0.0.1:${port}`, 5000), /live target: no answer from http:\/\/127\.0\.0\.1:\d+ \(GET .*ECONNREFUSED/);
  });
});

describe('an emulator named by EMULATOR_URL', () => {
  it('gets a zero resend interval for the run and its own setting back afterwards', async () => {
    // What `npm run emulator` runs with: one code a minute per recipient.
    const emulator = await startEmulator({ port: 0, resendIntervalSeconds: 60 });
    try {
      const setting = async () => ((await (await fetch(`${emulator.url}/__emulator/config`)).json()) as { resend_interval_seconds: number }).resend_interval_seconds;
      assert.equal(await setting(), 60);
      const restore = await prepareExternalEmulator(emulator.url);
      assert.equal(await setting(), 0, 'a flow may send a second code at once');
      await restore();
      assert.equal(await setting(), 60, 'put back as it was');
    } finally {
      await emulator.close();
    }
  });

  it('is refused with what to do when it is not the emulator', async () => {
    const html = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>not here</h1>');
    });
    try {
      await assert.rejects(prepareExternalEmulator(html.url), /EMULATOR_URL=http:\/\/127\.0\.0\.1:\d+: GET \/__emulator\/config answered 404 without the emulator's settings\. .*`npm run emulator`.*unset EMULATOR_URL/);
    } finally {
      await close(html.server);
    }
  });
});

describe('whose server answers on a port', () => {
  it('is ours when this process holds the listening socket, not when another process does', async (t) => {
    const mine = await serve((_req, res) => res.end());
    try {
      const ours = listenerIsOurs(process.pid, mine.port);
      if (ours === undefined) return t.skip('this system has no /proc to tell');
      assert.equal(ours, true);
      assert.equal(listenerIsOurs(process.ppid, mine.port), false, 'the parent process does not hold it');
      assert.equal(listenerIsOurs(process.pid, await freePort()), false, 'nobody listens on a free port');
    } finally {
      await close(mine.server);
    }
  });
});
