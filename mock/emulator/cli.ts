/**
 * `npx cloudbase-auth-emulator` (bin/cloudbase-auth-emulator.mjs) and `npm run emulator`: the CloudBase
 * Auth emulator on a local port.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULTS } from './config.ts';
import { publicKeyOf, type CustomLoginCredentials } from './custom-tickets.ts';
import { readUsersFile, startEmulator, writeRequestReport, writeUsersFile } from './index.ts';
import { API_ROUTES, EMULATOR_ROUTES } from './routes.ts';
import { RemoteBindRefused } from './server.ts';

const HELP = `CloudBase Auth v2 emulator (stateful, in memory)

Usage: cloudbase-auth-emulator [options]      (in a checkout: npm run emulator -- [options])

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
      --tolerate-unknown-fields  answer requests whose only departure from the contract is an unknown
                        body field, like a lenient server; the request log still reports them
                        (EMULATOR_TOLERATE_UNKNOWN_FIELDS=1; default: 400 invalid_argument)
      --custom-login-key <file>  the custom-login private key file (tcb_custom_login.json:
                        {private_key_id, private_key, env_id}) that signs tickets for /auth/v1/signin/custom
                        (EMULATOR_CUSTOM_LOGIN_KEY, default: one generated at start; GET /__emulator/custom-login-key)
      --import <file>   start with the users of a JSON file (format: examples/users.json)
      --export-on-exit [file]  on exit, write the registered users there (default: the --import file);
                        passwords are written as salted hashes, which --import takes back
      --report <file>   on exit, write every API request received, redacted, with the ways it departs
                        from the contract (file ending .har: HAR 1.2; else JSON)
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
  GET   /__emulator/provider/authorize?provider_id&redirect_uri&state[&provider_user_id&name&email]
                                                               the fake provider: 302 to redirect_uri?code=&state=
  GET   /__emulator/custom-login-key, POST (rotate)            the custom-login key file
  POST  /__emulator/custom-tickets {uid}                       a ticket as @cloudbase/node-sdk createTicket makes it
  GET   /__emulator/faults, POST {kind, operation?, count?, ttl_seconds?, ...}, DELETE   faults
  GET   /__emulator/requests[?format=har], DELETE               the request log, with contract departures
  GET   /__emulator/users/export, POST /__emulator/users/import  users in and out
See docs/sdk-authors.md.
  The controls answer a loopback Host only, refuse cross-site browser requests, and need the control
  token when one is set (docs/security.md).
`;

function fail(problems: string[]): never {
  console.error(`emulator: ${problems.length === 1 ? 'a problem' : `${problems.length} problems`} with the options:`);
  for (const problem of problems) console.error(`  - ${problem}`);
  console.error('Run with --help for the options.');
  process.exit(2);
}

/** `--export-on-exit` with no file (last, or followed by another option) exports to the --import file. */
function withExportDefault(args: string[]): string[] {
  const at = args.indexOf('--export-on-exit');
  if (at < 0 || (args[at + 1] !== undefined && !args[at + 1]?.startsWith('-'))) return args;
  const importAt = args.indexOf('--import');
  const target = importAt >= 0 ? args[importAt + 1] : undefined;
  return [...args.slice(0, at + 1), target ?? '', ...args.slice(at + 1)];
}

function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      args: withExportDefault(process.argv.slice(2)),
      options: {
        import: { type: 'string' },
        'export-on-exit': { type: 'string' },
        report: { type: 'string' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'allow-remote': { type: 'boolean' },
        'control-token': { type: 'string' },
        'env-id': { type: 'string' },
        'client-id': { type: 'string' },
        region: { type: 'string' },
        'resend-interval': { type: 'string' },
        'tolerate-unknown-fields': { type: 'boolean' },
        'custom-login-key': { type: 'string' },
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
  const keyFile = parsed['custom-login-key'] ?? env.EMULATOR_CUSTOM_LOGIN_KEY;
  const customLoginKey = keyFile === undefined ? undefined : readCustomLoginKey(keyFile, envId, problems);

  const importFile = parsed.import;
  if (importFile !== undefined && !existsSync(importFile)) problems.push(`--import: no file ${importFile}`);
  const exportFile = parsed['export-on-exit'];
  if (exportFile === '') problems.push('--export-on-exit needs a file (or --import, whose file it then writes)');
  if (parsed.report === '') problems.push('--report needs a file');
  const allowRemote = parsed['allow-remote'] === true || env.EMULATOR_ALLOW_REMOTE === '1';
  const controlToken = parsed['control-token'] ?? env.EMULATOR_CONTROL_TOKEN;
  if (controlToken !== undefined && controlToken.length < 16) problems.push('the control token must be at least 16 characters (--control-token or EMULATOR_CONTROL_TOKEN)');
  if (problems.length > 0) fail(problems);
  return {
    port, host, envId, clientId, region, resendIntervalSeconds, customLoginKey, allowRemote, controlToken,
    tolerateUnknownFields: parsed['tolerate-unknown-fields'] === true || env.EMULATOR_TOLERATE_UNKNOWN_FIELDS === '1',
    verbose: parsed.verbose === true, importFile, exportFile, reportFile: parsed.report,
  };
}

/** The console's key file, checked: the three fields, an RSA private key, the emulator's env. */
function readCustomLoginKey(file: string, envId: string, problems: string[]): CustomLoginCredentials | undefined {
  const where = `custom-login key file "${file}" (--custom-login-key or EMULATOR_CUSTOM_LOGIN_KEY)`;
  let key: Partial<CustomLoginCredentials>;
  try {
    key = JSON.parse(readFileSync(file, 'utf8')) as Partial<CustomLoginCredentials>;
  } catch (error) {
    problems.push(`${where} cannot be read as JSON: ${(error as Error).message}`);
    return undefined;
  }
  const missing = (['private_key_id', 'private_key', 'env_id'] as const).filter((field) => typeof key[field] !== 'string' || key[field] === '');
  if (missing.length > 0) {
    problems.push(`${where} lacks ${missing.join(', ')}`);
    return undefined;
  }
  const credentials = key as CustomLoginCredentials;
  try {
    publicKeyOf(credentials);
  } catch {
    problems.push(`${where}: private_key is not an RSA private key in PEM`);
    return undefined;
  }
  if (credentials.env_id !== envId) problems.push(`${where} belongs to env "${credentials.env_id}", the emulator is env "${envId}" (--env-id)`);
  return credentials;
}

async function main(): Promise<void> {
  const options = parseOptions();
  // The emulator must outlive a bug in one request: report it and keep serving.
  process.on('unhandledRejection', (reason) => console.error('[emulator] unhandled rejection:', reason));
  // Whoever reads our output may go away first (`| head`): losing the log must not stop the server.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

  let running;
  let importUsers;
  if (options.importFile !== undefined) {
    try {
      importUsers = readUsersFile(options.importFile);
    } catch (error) {
      fail([(error as Error).message]);
    }
  }
  try {
    running = await startEmulator({ ...options, importUsers, log: options.verbose ? (line) => console.log(line) : undefined });
  } catch (error) {
    if (error instanceof RemoteBindRefused) fail([error.message]);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail([`port ${options.port} on ${options.host} is already in use; pick another with --port or EMULATOR_PORT`]);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') fail([`cannot bind host "${options.host}" (--host or EMULATOR_HOST)`]);
    if (importUsers !== undefined && error instanceof Error && error.message.startsWith('emulator: ')) fail([`--import ${options.importFile}: ${error.message.slice(10)}`]);
    throw error;
  }

  // Ready for Ctrl+C before the URL is out: whoever reads it may stop us at once.
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: stopping the emulator`);
    try {
      const { total, departing } = running.emulator.requests.summary();
      if (options.reportFile) {
        writeRequestReport(running, options.reportFile);
        console.log(`request log: ${total} requests, ${departing} departing from the contract, written to ${options.reportFile}`);
      } else if (departing > 0) {
        console.log(`request log: ${departing} of ${total} requests depart from the contract (GET /__emulator/requests, or --report <file>)`);
      }
      if (options.exportFile) {
        writeUsersFile(running, options.exportFile);
        console.log(`users exported to ${options.exportFile}`);
      }
    } catch (error) {
      console.error(`emulator: could not write on exit: ${(error as Error).message}`);
    }
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    // Never hang on shutdown.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

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
    ...(importUsers ? [`Imported ${importUsers.users.length} users from ${options.importFile}.`] : []),
    ...(options.reportFile ? [`On exit: the request log goes to ${options.reportFile}.`] : []),
    ...(options.exportFile ? [`On exit: the users go to ${options.exportFile}.`] : []),
    'Press Ctrl+C to stop.',
  ];
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error('emulator: failed to start:', error);
  process.exit(1);
});
