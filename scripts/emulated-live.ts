/**
 * The emulator posing as a live environment, so the live code path runs without internet:
 *
 *   npm run contract:live-via-emulator [-- <playwright options>]
 *
 * starts the emulator on a free port with its own env id, creates the "existing test account" in it,
 * and runs the suite with CONTRACT_TARGET=live and only CLOUDBASE_* variables pointing at it, exactly
 * as a team would configure a real environment: CLOUDBASE_BASE_URL, a client secret, the test account,
 * a test phone and email whose codes a command reads (scripts/emulator-code.mjs, standing in for an
 * SMS gateway's API), CLOUDBASE_ALLOW_DESTRUCTIVE=1. tests/e2e use `startEmulatedLive()` the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { ContractClient, ControlClient, signUpWithCode } from '../contract/index.ts';
import { freePort } from '../fixtures/local-servers.ts';

export const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

export { freePort };

/** Every CLOUDBASE_* variable the suite reads: set them all, so a developer's .env cannot leak into a run. */
export const LIVE_VARIABLES = [
  'CLOUDBASE_ENV_ID',
  'CLOUDBASE_REGION',
  'CLOUDBASE_BASE_URL',
  'CLOUDBASE_CLIENT_ID',
  'CLOUDBASE_CLIENT_SECRET',
  'CLOUDBASE_TEST_USERNAME',
  'CLOUDBASE_TEST_PASSWORD',
  'CLOUDBASE_TEST_PHONE',
  'CLOUDBASE_SMS_CODE',
  'CLOUDBASE_SMS_CODE_COMMAND',
  'CLOUDBASE_TEST_EMAIL',
  'CLOUDBASE_EMAIL_CODE',
  'CLOUDBASE_EMAIL_CODE_COMMAND',
  'CLOUDBASE_ALLOW_DESTRUCTIVE',
  'CLOUDBASE_CODE_RESEND_SECONDS',
  'CONTRACT_MONITOR',
  'CONTRACT_MONITOR_PORT',
  'CONTRACT_DEVIATIONS',
  'CONTRACT_LEDGER',
  'CONTRACT_LOCK_DIR',
  'CONTRACT_SECRETS_DUMP',
  'EMULATOR_URL',
  'PRISM_URL',
] as const;

/** An environment with every suite variable empty: nothing from the shell or .env gets in. */
export function blankSuiteEnv(): Record<string, string> {
  return Object.fromEntries(LIVE_VARIABLES.map((name) => [name, '']));
}

export interface EmulatedLiveOptions {
  /** The emulator's own resend interval (seconds; 0 = none). */
  resendIntervalSeconds?: number;
  /** The suite's pacing of codes (CLOUDBASE_CODE_RESEND_SECONDS). */
  codeResendSeconds?: number;
  /** Where the run keeps its ledger and locks (default: a new temporary directory). */
  workDir?: string;
}

export interface EmulatedLive {
  /** The emulator itself (its /__emulator endpoints included). */
  emulatorURL: string;
  /** The variables a team would put in .env for a real environment, pointing at the emulator. */
  env: Record<string, string>;
  testAccount: { username: string; password: string };
  testPhone: string;
  testEmail: string;
  clientSecret: string;
  workDir: string;
  /** GET /__emulator/stats. */
  stats(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Sign up an account in the emulator through its API and its code endpoint (the shared sign-up flow). */
export async function signUpInEmulator(base: string, account: { phone_number?: string; email?: string; username: string; password: string }): Promise<void> {
  const recipient = account.phone_number ? { phone_number: account.phone_number } : { email: String(account.email) };
  await signUpWithCode(new ContractClient({ baseURL: base }), new ControlClient(base), recipient, { username: account.username, password: account.password, name: 'Contract Test' });
}

function strongPassword(): string {
  return `Aa1!${randomBytes(12).toString('base64url')}`;
}

export interface RunningEmulator {
  url: string;
  close(): Promise<void>;
}

/** The emulator through its CLI (`node --import tsx mock/emulator/cli.ts`), on a free port, ready when this resolves. */
export async function startEmulatorProcess(envId = 'emulator-env'): Promise<RunningEmulator> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'mock/emulator/cli.ts', '--host', '127.0.0.1', '--port', String(port), '--env-id', envId], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(3000).then(() => child.kill('SIGKILL'))]);
  };
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`the emulator exited (${child.exitCode}): ${stderr.trim()}`);
      const ready = await fetch(`${url}/auth/v1/certs`, { signal: AbortSignal.timeout(1000) }).then((r) => r.status === 200, () => false);
      if (ready) break;
      if (i > 200) throw new Error(`the emulator did not answer on ${url} within 20 s: ${stderr.trim()}`);
      await sleep(100);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { url, close };
}

/** Change the emulator's run-time settings (PATCH /__emulator/config). */
export async function configureEmulator(url: string, settings: Parameters<ControlClient['setConfig']>[0]): Promise<void> {
  await new ControlClient(url).setConfig(settings);
}

export async function startEmulatedLive(options: EmulatedLiveOptions = {}): Promise<EmulatedLive> {
  const envId = 'emulated-live-env';
  const emulator = await startEmulatorProcess(envId);
  const emulatorURL = emulator.url;
  const close = emulator.close;
  try {
    const control = new ControlClient(emulatorURL);
    await control.setConfig({ resend_interval_seconds: options.resendIntervalSeconds ?? 1 });

    const testAccount = { username: 'contract-test-user', password: strongPassword() };
    const testPhone = '+86 13900000001';
    const testEmail = 'contract-test@example.com';
    const clientSecret = `cs-${randomBytes(18).toString('base64url')}`;
    // The existing account lives on another number: the test phone must stay free for the accounts the run creates.
    await signUpInEmulator(emulatorURL, { phone_number: '+86 13900000000', ...testAccount });

    const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'emulated-live-'));
    const codeCommand = `node ${join(ROOT, 'scripts/emulator-code.mjs')}`;
    const env: Record<string, string> = {
      ...blankSuiteEnv(),
      CONTRACT_TARGET: 'live',
      CLOUDBASE_ENV_ID: envId,
      CLOUDBASE_BASE_URL: emulatorURL,
      CLOUDBASE_CLIENT_ID: envId,
      CLOUDBASE_CLIENT_SECRET: clientSecret,
      CLOUDBASE_TEST_USERNAME: testAccount.username,
      CLOUDBASE_TEST_PASSWORD: testAccount.password,
      CLOUDBASE_TEST_PHONE: testPhone,
      CLOUDBASE_SMS_CODE_COMMAND: codeCommand,
      CLOUDBASE_TEST_EMAIL: testEmail,
      CLOUDBASE_EMAIL_CODE_COMMAND: codeCommand,
      CLOUDBASE_ALLOW_DESTRUCTIVE: '1',
      CLOUDBASE_CODE_RESEND_SECONDS: String(options.codeResendSeconds ?? 1),
      CONTRACT_LEDGER: join(workDir, 'created-accounts.jsonl'),
      CONTRACT_LOCK_DIR: join(workDir, 'locks'),
      // For scripts/emulator-code.mjs: where the codes are (the emulator itself, whatever is in front of it).
      EMULATOR_CONTROL_URL: emulatorURL,
    };
    return {
      emulatorURL,
      env,
      testAccount,
      testPhone,
      testEmail,
      clientSecret,
      workDir,
      stats: () => control.stats(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** `npm run contract:live-via-emulator -- <playwright options>`: the live target against the emulator. */
async function main(): Promise<void> {
  const live = await startEmulatedLive();
  console.log(`emulated live environment: ${live.emulatorURL} (ledger and locks in ${live.workDir})`);
  const runner = spawn(process.execPath, [join(ROOT, 'node_modules/.bin/playwright'), 'test', ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...live.env },
  });
  const stop = () => runner.kill('SIGINT');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await new Promise<number>((resolve) => runner.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  await live.close();
  process.exit(code);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
