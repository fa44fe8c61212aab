/**
 * How each local server is started: the one place that knows the command lines, shared by the
 * Playwright config (webServer), `npm run mock` / `npm run emulator`, and the benchmarks.
 */
export const OPENAPI = 'schemas/openapi.yaml';
const prism = 'node_modules/.bin/prism';

/** `prism mock`: the stateless target. */
export function prismMockCommand(port: number): string {
  return `${prism} mock ${OPENAPI} --host 127.0.0.1 --port ${port} --verboseLevel warn`;
}

/**
 * `prism proxy` in front of an upstream: every request and answer is checked against the contract and
 * the violations reported in the `sl-violations` header, which fails the suite's step. Not `--errors`:
 * with it Prism replaces a violating answer with its own 500 problem and the upstream's real answer is
 * lost; without it the step shows the upstream's status and body first and Prism's verdict second.
 */
export function prismProxyCommand(port: number, upstream: string): string {
  return `${prism} proxy ${OPENAPI} ${upstream} --host 127.0.0.1 --port ${port} --verboseLevel warn`;
}

/**
 * The contract monitor for a live origin: `prism proxy --errors` behind the redirect guard
 * (mock/monitor.ts), so no redirect from the origin is ever followed with the request's credentials.
 */
export function contractMonitorCommand(port: number, upstream: string): string {
  // Split on spaces with no shell (fixtures/local-servers.ts): no quotes, they would reach the URL parser.
  return `node --import tsx mock/monitor.ts --port ${port} --upstream ${upstream}`;
}

/**
 * The stateful emulator. The suite runs it without a resend interval (flows send a second code to
 * the same phone at once); the rate-limit flow switches the interval on through /__emulator/config.
 */
export function emulatorCommand(port: number, { resendIntervalSeconds = 0 }: { resendIntervalSeconds?: number } = {}): string {
  return `node --import tsx mock/emulator/cli.ts --host 127.0.0.1 --port ${port} --resend-interval ${resendIntervalSeconds}`;
}

/** A documented endpoint every local server answers with 200 once it is ready (not `/`: Prism has no route there). */
export const READY_PATH = '/auth/v1/certs';
