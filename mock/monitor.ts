/**
 * The contract monitor for a live origin: `prism proxy` whose upstream is the redirect guard
 * (mock/redirect-guard.ts), never the origin itself, so Prism cannot follow a redirect with the
 * request's credentials. One process tree for Playwright's webServer: the guard runs here, Prism is
 * its child, and either going away stops both.
 *
 *   node --import tsx mock/monitor.ts --port <prism port> --upstream <live origin>
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startRedirectGuard } from './redirect-guard.ts';
import { prismProxyCommand } from './servers.ts';

const { values } = parseArgs({ options: { port: { type: 'string' }, upstream: { type: 'string' } }, strict: true });
const port = Number(values.port);
if (!values.upstream || !Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: mock/monitor.ts --port <prism port> --upstream <origin>');
  process.exit(2);
}

const guard = await startRedirectGuard({ upstream: values.upstream });
const prism = spawn('/bin/sh', ['-c', `exec ${prismProxyCommand(port, guard.url)}`], { stdio: 'inherit' });

let stopping = false;
const stop = (code: number) => {
  if (stopping) return;
  stopping = true;
  prism.kill('SIGTERM');
  void guard.close().then(() => process.exit(code));
  setTimeout(() => process.exit(code), 2000).unref();
};
prism.on('exit', (code) => stop(code ?? 1));
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));
