/**
 * `npm run emulator`: the CloudBase Auth emulator on a local port.
 */
import { parseArgs } from 'node:util';
import { DEFAULTS } from './config.ts';
import { API_ROUTES, EMULATOR_ROUTES } from './routes.ts';
import { RemoteBindRefused, startEmulator } from './server.ts';

const HELP = `CloudBase Auth v2 emulator (stateful, in memory)

Usage: tsx mock/emulator/cli.ts [options]

Options:
  -p, --port <n>        port to listen on, 0 = any free port   (EMULATOR_PORT, default ${DEFAULTS.port})
      --host <host>     interface to bind                       (EMULATOR_HOST, default ${DEFAULTS.host})
      --allow-remote    allow --host to be a non-loopback address (EMULATOR_ALLOW_REMOTE=1); prints a warning
      --control-token <t>  /__emulator/* then needs x-emulator-token: <t> or Authorization: Bearer <t>
                        (EMULATOR_CONTROL_TOKEN; recommended with --allow-remote)
      --env-id <id>     environment id (JWT project_id)         (EMULATOR_ENV_ID, default ${DEFAULTS.envId})
      --client-id <id>  default client id (JWT aud)             (EMULATOR_CLIENT_ID, default: the env id)
      --region <name>   region                                  (EMULATOR_REGION, default ${DEFAULTS.region})
      --resend-interval <s>  seconds before a second code to the same phone or email
                        (EMULATOR_RESEND_INTERVAL, default ${DEFAULTS.resendIntervalSeconds}; the test suite uses 0)
  -v, --verbose         log every request: method, path (no query) and status
  -h, --help            show this help

Emulator-only endpoints (not part of the API contract):
  GET   /__emulator/verification-codes?phone_number=|email=   codes sent, newest first
  POST  /__emulator/reset                                      forget all state; clock and config back to start-up
  GET   /__emulator/clock, POST {advance_seconds}              emulator time (epoch seconds), forward only
  GET   /__emulator/config, PATCH {anonymous_enabled, password_login_enabled, resend_interval_seconds, max_verify_attempts,
                               refresh_token_reuse_revokes_session}
  POST  /__emulator/provider-tokens {provider_id, provider_user_id?}   a provider token (wx_open, google, github)
  GET   /__emulator/stats                                      store sizes
  The controls answer a loopback Host only, refuse cross-site browser requests, and need the control
  token when one is set (docs/security.md).
`;

function fail(problems: string[]): never {
  console.error(`emulator: ${problems.length === 1 ? 'a problem' : `${problems.length} problems`} with the options:`);
  for (const problem of problems) console.error(`  - ${problem}`);
  console.error('Run with --help for the options.');
  process.exit(2);
}

function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'allow-remote': { type: 'boolean' },
        'control-token': { type: 'string' },
        'env-id': { type: 'string' },
        'client-id': { type: 'string' },
        region: { type: 'string' },
        'resend-interval': { type: 'string' },
        verbose: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    fail([(error as Error).message]);
  }
  if (parsed.help) {
    console.log(HELP);
    process.exit(0);
  }
  const env = process.env;
  const problems: string[] = [];
  const portText = parsed.port ?? env.EMULATOR_PORT ?? String(DEFAULTS.port);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) problems.push(`port "${portText}" must be a whole number from 0 to 65535 (--port or EMULATOR_PORT)`);
  const envId = parsed['env-id'] ?? env.EMULATOR_ENV_ID ?? DEFAULTS.envId;
  if (!/^[A-Za-z0-9-]{1,64}$/.test(envId)) problems.push(`env id "${envId}" may hold only letters, digits and '-' (--env-id or EMULATOR_ENV_ID)`);
  const clientId = parsed['client-id'] ?? env.EMULATOR_CLIENT_ID ?? envId;
  if (!/^[\w.-]{1,128}$/.test(clientId)) problems.push(`client id "${clientId}" may hold only letters, digits, '.', '_' and '-' (--client-id or EMULATOR_CLIENT_ID)`);
  const host = parsed.host ?? env.EMULATOR_HOST ?? DEFAULTS.host;
  const region = parsed.region ?? env.EMULATOR_REGION ?? DEFAULTS.region;
  const resendText = parsed['resend-interval'] ?? env.EMULATOR_RESEND_INTERVAL ?? String(DEFAULTS.resendIntervalSeconds);
  const resendIntervalSeconds = Number(resendText);
  if (!/^\d+$/.test(resendText)) problems.push(`resend interval "${resendText}" must be a whole number of seconds (--resend-interval or EMULATOR_RESEND_INTERVAL)`);
  const allowRemote = parsed['allow-remote'] === true || env.EMULATOR_ALLOW_REMOTE === '1';
  const controlToken = parsed['control-token'] ?? env.EMULATOR_CONTROL_TOKEN;
  if (controlToken !== undefined && controlToken.length < 16) problems.push('the control token must be at least 16 characters (--control-token or EMULATOR_CONTROL_TOKEN)');
  if (problems.length > 0) fail(problems);
  return { port, host, envId, clientId, region, resendIntervalSeconds, allowRemote, controlToken, verbose: parsed.verbose === true };
}

async function main(): Promise<void> {
  const options = parseOptions();
  // The emulator must outlive a bug in one request: report it and keep serving.
  process.on('unhandledRejection', (reason) => console.error('[emulator] unhandled rejection:', reason));
  // Whoever reads our output may go away first (`| head`): losing the log must not stop the server.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

  let running;
  try {
    running = await startEmulator({ ...options, log: options.verbose ? (line) => console.log(line) : undefined });
  } catch (error) {
    if (error instanceof RemoteBindRefused) fail([error.message]);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail([`port ${options.port} on ${options.host} is already in use; pick another with --port or EMULATOR_PORT`]);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') fail([`cannot bind host "${options.host}" (--host or EMULATOR_HOST)`]);
    throw error;
  }

  const { url } = running;
  if (running.remote) {
    console.warn(
      `WARNING: the emulator listens on ${running.boundAddress}, not loopback: anyone who can reach it can read verification codes and reset its state.` +
        (options.controlToken ? ' The controls (/__emulator/*) need the control token.' : ' Set --control-token to protect the controls (/__emulator/*).'),
    );
  }
  const lines = [
    `CloudBase Auth emulator listening on http://${running.boundAddress}${url === `http://${running.boundAddress}` ? '' : ` (from this machine: ${url})`}`,
    `  env id ${options.envId}, client id ${options.clientId}, region ${options.region}`,
    '',
    'API:',
    ...API_ROUTES.map((r) => `  ${r.method.padEnd(6)} ${url}${r.path}${r.auth === 'bearer' ? '  (Bearer)' : ''}`),
    '',
    'Emulator-only:',
    ...EMULATOR_ROUTES.map((r) => `  ${r.method.padEnd(6)} ${url}${r.path}`),
    '',
    'Press Ctrl+C to stop.',
  ];
  console.log(lines.join('\n'));

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: stopping the emulator`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    // Never hang on shutdown.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('emulator: failed to start:', error);
  process.exit(1);
});
