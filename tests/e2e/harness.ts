/**
 * Helpers for the end-to-end tests: Playwright runs in subprocesses, and a recording proxy.
 *
 * The recording proxy sits in front of an emulator and writes down every secret value that crosses
 * the wire (secret-named JSON fields and query parameters, Bearer credentials), both ways. It is a
 * witness independent of the suite's own bookkeeping (registerSecret), so the redaction test does not
 * only search for what the suite already knew it had to hide. For the deviations test it can also
 * make an answer drift from the contract on request (header `x-e2e-drift`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { freePort, ROOT } from '../../scripts/emulated-live.ts';

/**
 * What the issue calls secrets, by the names the API gives them. Deliberately not the suite's own
 * list (contract/redact.ts): the witness must not share the blind spots of what it checks.
 */
const SECRET_KEYS = new Set([
  'password',
  'new_password',
  'old_password',
  'client_secret',
  'access_token',
  'refresh_token',
  'id_token',
  'sudo_token',
  'verification_token',
  'verification_code',
  'provider_token',
  'token',
  'code',
]);

export { ROOT };

export interface Recorder {
  url: string;
  /** Every secret value seen in requests and answers. */
  secrets: Set<string>;
  /** Secret values by kind (the field or header they were in), for checks that every kind was seen. */
  byKind: Map<string, Set<string>>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'accept-encoding', 'content-encoding']);

/** Answers drifted on request, to produce real contract departures through the normal client path. */
const DRIFTS: Record<string, (body: Record<string, unknown>) => void> = {
  'expires_in-as-string': (body) => {
    if (body.expires_in !== undefined) body.expires_in = String(body.expires_in);
  },
  'token_type-lowercase': (body) => {
    if (body.token_type !== undefined) body.token_type = 'bearer';
  },
};

export async function startRecorder(upstream: string): Promise<Recorder> {
  const secrets = new Set<string>();
  const byKind = new Map<string, Set<string>>();
  const keep = (kind: string, value: unknown) => {
    if (typeof value !== 'string' || value.length < 4) return;
    secrets.add(value);
    if (!byKind.has(kind)) byKind.set(kind, new Set());
    byKind.get(kind)?.add(value);
  };
  const walk = (value: unknown, prefix: string) => {
    if (Array.isArray(value)) value.forEach((v) => walk(v, prefix));
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (SECRET_KEYS.has(key.toLowerCase())) keep(`${prefix}${key.toLowerCase()}`, inner);
        walk(inner, prefix);
      }
    }
  };
  const walkJson = (buffer: Buffer, prefix = '') => {
    try {
      walk(JSON.parse(buffer.toString('utf8')), prefix);
    } catch {
      // not JSON: nothing named to collect
    }
  };
  const walkHeaders = (headers: IncomingHttpHeaders) => {
    const auth = headers.authorization;
    const credential = typeof auth === 'string' ? /^(?:Bearer|Basic)\s+(\S+)/i.exec(auth)?.[1] : undefined;
    if (credential) keep('authorization', credential);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const url = new URL(req.url ?? '/', upstream);
        // The API's traffic only: an emulator-only listing of codes holds codes nobody used (each used
        // code crosses the wire again in POST /verification/verify).
        const witness = !url.pathname.startsWith('/__emulator/');
        if (witness) {
          for (const [name, value] of url.searchParams) if (SECRET_KEYS.has(name.toLowerCase())) keep(name.toLowerCase(), value);
          walkHeaders(req.headers);
          walkJson(body);
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && typeof value === 'string') headers[name] = value;
        try {
          const answer = await fetch(`${upstream}${req.url ?? '/'}`, { method: req.method, headers, body: body.length > 0 ? body : undefined, redirect: 'manual' });
          let out = Buffer.from(await answer.arrayBuffer());
          const drift = DRIFTS[String(req.headers['x-e2e-drift'] ?? '')];
          // A drifted answer may never reach the suite (the contract monitor replaces it): its kind says so.
          if (witness) walkJson(out, drift ? 'drifted ' : '');
          if (drift) {
            const parsed = JSON.parse(out.toString('utf8')) as Record<string, unknown>;
            drift(parsed);
            out = Buffer.from(JSON.stringify(parsed));
          }
          const outHeaders: Record<string, string> = {};
          answer.headers.forEach((value, name) => {
            if (!HOP_BY_HOP.has(name)) outHeaders[name] = value;
          });
          res.writeHead(answer.status, outHeaders);
          res.end(out);
        } catch (error) {
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'internal', error_code: 13, error_description: `recorder: ${(error as Error).message}` }));
        }
      })();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    secrets,
    byKind,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Assert that report or console text matches, without printing the text when it does not: the text
 * may hold the very secrets a failing check is about, and this test's output goes to the CI log.
 */
export function holds(text: string, pattern: RegExp, what = 'expected text'): void {
  if (!pattern.test(text)) throw new Error(`${what}: /${pattern.source}/ not found (the outputs are kept; see the path printed at the end)`);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Run the Playwright CLI in a subprocess; stdout and stderr are also written to `<logPrefix>.stdout.txt`
 * / `.stderr.txt` (the console output is report output too: the redaction test searches it).
 * Its reports go to a temporary folder of its own unless `env` says where (CONTRACT_REPORTS_DIR):
 * `reports/` holds the contract run of `npm test`, never an end-to-end sub-run.
 */
export async function runPlaywright(args: string[], env: Record<string, string>, logPrefix?: string): Promise<RunResult> {
  const started = Date.now();
  const reportsDir = env.CONTRACT_REPORTS_DIR || mkdtempSync(join(tmpdir(), 'contract-e2e-reports-'));
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/@playwright/test/cli.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, CONTRACT_REPORTS_DIR: reportsDir, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 128 : 0))));
  if (!env.CONTRACT_REPORTS_DIR) rmSync(reportsDir, { recursive: true, force: true });
  if (logPrefix) {
    mkdirSync(join(logPrefix, '..'), { recursive: true });
    writeFileSync(`${logPrefix}.stdout.txt`, stdout);
    writeFileSync(`${logPrefix}.stderr.txt`, stderr);
  }
  return { code, stdout, stderr, ms: Date.now() - started };
}

/** Run a node script of the repository (e.g. scripts/cleanup-live.ts) the way npm does. */
export async function runScript(script: string, args: string[], env: Record<string, string>, logPrefix?: string): Promise<RunResult> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  if (logPrefix) {
    writeFileSync(`${logPrefix}.stdout.txt`, stdout);
    writeFileSync(`${logPrefix}.stderr.txt`, stderr);
  }
  return { code, stdout, stderr, ms: Date.now() - started };
}

/** One test of a JSON report: its project, its title path, and its results. */
export interface ReportedTest {
  id: string;
  project: string;
  title: string;
  status: string;
  expectedStatus: string;
  annotations: { type: string; description?: string }[];
  errors: string[];
  /** Where each error happened (file:line), as the report places it. */
  errorLocations: string[];
  /** The names of the last result's attachments. */
  attachments: string[];
}

interface JsonSuite {
  title: string;
  specs?: { title: string; file: string; tests: { projectName: string; expectedStatus: string; status: string; annotations: { type: string; description?: string }[]; results: { status: string; attachments?: { name: string }[]; errors?: { message?: string; location?: { file: string; line: number } }[]; annotations?: { type: string; description?: string }[] }[] }[] }[];
  suites?: JsonSuite[];
}

/** Flatten Playwright's JSON report (also the output of `--list --reporter=json`). */
export function reportedTests(report: { suites: JsonSuite[] }): ReportedTest[] {
  const out: ReportedTest[] = [];
  const visit = (suite: JsonSuite, path: string[]) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const last = test.results[test.results.length - 1];
        const title = [...path, spec.title].join(' > ');
        out.push({
          id: `${test.projectName} > ${spec.file} > ${title}`,
          project: test.projectName,
          title,
          status: last?.status ?? 'not run',
          expectedStatus: test.expectedStatus,
          annotations: [...test.annotations, ...(last?.annotations ?? [])],
          errors: (last?.errors ?? []).map((e) => e.message ?? ''),
          errorLocations: (last?.errors ?? []).map((e) => (e.location ? `${e.location.file}:${e.location.line}` : '')),
          attachments: (last?.attachments ?? []).map((a) => a.name),
        });
      }
    }
    for (const child of suite.suites ?? []) visit(child, [...path, child.title]);
  };
  for (const suite of report.suites) visit(suite, []);
  return out;
}

/**
 * The URL a started emulator CLI prints (`listening on http://...`), within 20 s; rejects with what it
 * printed when it exits first or says nothing. `output()` gives everything printed so far.
 */
export function listeningURL(child: ChildProcess): { url: Promise<string>; output: () => string } {
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 20 s; output:\n${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code === null ? `signal ${signal}` : `code ${code}`}) before listening:\n${output}`));
    });
  });
  return { url, output: () => output };
}
