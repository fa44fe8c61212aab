/**
 * Search report output for secret values: every file under the given paths, and inside them every
 * zip (blob reports), every base64 payload (the HTML report's embedded zip, attachment bodies in the
 * JSON and blob reports, stdout chunks) and every data: URI, recursively. A secret is looked for in
 * every encoding redaction knows (contract/secret-forms.ts: raw, URL and form encoding, JSON and
 * `\u0026` escapes, HTML entities, base64, base64url, hex) and wrapped over two lines; a short
 * numeric secret (a verification code) only as a whole number, so "123456" does not match inside a
 * longer run of digits.
 *
 *   npm run check:redaction -- <dir or file>...     # secrets: CLOUDBASE_CLIENT_SECRET, CLOUDBASE_TEST_PASSWORD,
 *                                                   # CLOUDBASE_SMS_CODE, CLOUDBASE_EMAIL_CODE, and every file
 *                                                   # in CONTRACT_SECRETS_DUMP (a directory of JSON arrays)
 *
 * A finding never prints the secret: it names the file, the place inside it, the secret's number and
 * length, and the text around it with the secret replaced by <secret #n>.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FormTable, isShortNumber, secretForms, withoutLineBreaks } from '../contract/secret-forms.ts';
import { isZip, readZip } from './zip-reader.ts';

export interface Finding {
  file: string;
  /** Where inside the file: zip entries and decoded payloads, e.g. `base64@1234 > report.json`. */
  inside: string;
  secret: number;
  length: number;
  context: string;
}

export interface ScanStats {
  files: number;
  bytes: number;
  zipEntries: number;
  decodedPayloads: number;
  /** Text of every decoded HTML report data file, for callers that check the scan really looked inside. */
  htmlReportData: string[];
}

interface Needle {
  index: number;
  length: number;
  forms: string[];
  /** A code: only a whole number counts, or every timestamp would match. */
  wholeNumber: boolean;
}

export function buildNeedles(secrets: readonly string[]): Needle[] {
  const unique = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= 4))];
  return unique.map((secret, index) => ({ index: index + 1, length: secret.length, forms: secretForms(secret), wholeNumber: isShortNumber(secret) }));
}

/** Every form of every needle (FormTable): one pass over a text finds them all (thousands of secrets, megabytes of report). */
type FormIndex = FormTable<{ form: string; needle: Needle }>;
const indexes = new WeakMap<readonly Needle[], FormIndex>();

function formIndex(needles: readonly Needle[]): FormIndex {
  let index = indexes.get(needles);
  if (index) return index;
  index = new FormTable();
  for (const needle of needles) for (const form of needle.forms) index.add({ form, needle });
  indexes.set(needles, index);
  return index;
}

const isAlphanumeric = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

/** Replace every needle in a piece of text: a finding's context may hold other secrets too. */
function mask(text: string, needles: readonly Needle[]): string {
  const index = formIndex(needles);
  let out = '';
  for (let at = 0; at < text.length; at++) {
    const hit = index.at(text, at)?.find(({ form, needle }) => text.startsWith(form, at) && !(needle.wholeNumber && (isAlphanumeric(text[at - 1]) || isAlphanumeric(text[at + form.length]))));
    if (hit) {
      out += `<secret #${hit.needle.index}>`;
      at += hit.form.length - 1;
    } else out += text[at];
  }
  return out;
}

function scanText(text: string, needles: readonly Needle[], file: string, inside: string, findings: Finding[]): void {
  scanForms(text, needles, file, inside, findings);
  // A secret wrapped over two lines: searched again with the line breaks removed, kept only where it spans one.
  if (!text.includes('\n')) return;
  const flat = withoutLineBreaks(text);
  const wrapped: Finding[] = [];
  scanForms(flat.text, needles, file, inside, wrapped, (start, end) => text.slice(flat.original(start), flat.original(end - 1) + 1).includes('\n'));
  findings.push(...wrapped.map((f) => ({ ...f, inside: `${f.inside} (across lines)` })));
}

function scanForms(text: string, needles: readonly Needle[], file: string, inside: string, findings: Finding[], keep: (start: number, end: number) => boolean = () => true): void {
  if (needles.length === 0) return;
  const index = formIndex(needles);
  for (let at = 0; at + 4 <= text.length; at += 1) {
    const candidates = index.at(text, at);
    if (!candidates) continue;
    for (const { form, needle } of candidates) {
      if (!text.startsWith(form, at)) continue;
      const end = at + form.length;
      if (needle.wholeNumber && (isAlphanumeric(text[at - 1]) || isAlphanumeric(text[end]))) continue;
      if (!keep(at, end)) continue;
      const before = text.slice(Math.max(0, at - 60), at);
      const afterText = text.slice(end, end + 60);
      const context = `${mask(before, needles)}<secret #${needle.index}>${mask(afterText, needles)}`;
      findings.push({ file, inside, secret: needle.index, length: needle.length, context: context.replace(/\s+/g, ' ') });
      at = end - 1; // the longest form found here; the scan goes on after it
      break;
    }
  }
}

const BASE64_RUN = /(?:data:[\w/+.-]+;base64,)?([A-Za-z0-9+/]{24,}={0,2})/g;

/** Decode a base64 run if it looks like something worth scanning: a zip or mostly printable text. */
function decodePayload(run: string): Buffer | undefined {
  if (run.length % 4 === 1) return undefined;
  const data = Buffer.from(run, 'base64');
  if (isZip(data)) return data;
  let printable = 0;
  const sample = data.subarray(0, 512);
  for (const byte of sample) if (byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127) || byte >= 0xc2) printable++;
  return sample.length > 0 && printable / sample.length > 0.9 ? data : undefined;
}

function scanBuffer(buffer: Buffer, needles: readonly Needle[], file: string, inside: string, stats: ScanStats, findings: Finding[], depth: number): void {
  if (depth > 4) return;
  if (isZip(buffer)) {
    let entries;
    try {
      entries = readZip(buffer);
    } catch {
      entries = undefined;
    }
    if (entries) {
      for (const entry of entries) {
        stats.zipEntries++;
        if (inside.includes('playwrightReportBase64')) stats.htmlReportData.push(entry.data.toString('utf8'));
        scanBuffer(entry.data, needles, file, `${inside}${inside ? ' > ' : ''}${entry.name}`, stats, findings, depth + 1);
      }
      return;
    }
  }
  const text = buffer.toString('utf8');
  scanText(text, needles, file, inside || '(file)', findings);
  // A fresh expression per call: this function recurses, and a shared `g` expression would share its position.
  for (const match of [...text.matchAll(new RegExp(BASE64_RUN))]) {
    const decoded = decodePayload(match[1] ?? '');
    if (!decoded) continue;
    stats.decodedPayloads++;
    const label = /id="playwrightReportBase64"[^>]*>\s*$/.test(text.slice(Math.max(0, match.index - 80), match.index)) ? 'playwrightReportBase64' : `base64@${match.index}`;
    scanBuffer(decoded, needles, file, `${inside}${inside ? ' > ' : ''}${label}`, stats, findings, depth + 1);
  }
}

function* filesUnder(path: string): Generator<string> {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isFile()) {
    yield path;
    return;
  }
  if (!stat.isDirectory()) return;
  for (const name of readdirSync(path).sort()) yield* filesUnder(join(path, name));
}

/** Scan every file under `paths` for `secrets`. */
export function scanForSecrets(paths: readonly string[], secrets: readonly string[]): { findings: Finding[]; stats: ScanStats } {
  const needles = buildNeedles(secrets);
  const stats: ScanStats = { files: 0, bytes: 0, zipEntries: 0, decodedPayloads: 0, htmlReportData: [] };
  const findings: Finding[] = [];
  for (const path of paths) {
    for (const file of filesUnder(path)) {
      const buffer = readFileSync(file);
      stats.files++;
      stats.bytes += buffer.length;
      scanBuffer(buffer, needles, file, '', stats, findings, 0);
    }
  }
  return { findings, stats };
}

/** Secrets from a CONTRACT_SECRETS_DUMP directory (one JSON array of strings per worker). */
export function readSecretsDump(dir: string): string[] {
  const secrets: string[] = [];
  for (const file of filesUnder(dir)) {
    const values = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (Array.isArray(values)) secrets.push(...values.filter((v): v is string => typeof v === 'string'));
  }
  return secrets;
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings
    .slice(0, 50)
    .map((f) => `  ${f.file} [${f.inside}]: secret #${f.secret} (${f.length} characters): ...${f.context}...`)
    .join('\n');
}

function main(): number {
  const paths = process.argv.slice(2);
  if (paths.length === 0) {
    console.error('usage: npm run check:redaction -- <report dir or file>...');
    return 2;
  }
  const env = process.env;
  const secrets = [env.CLOUDBASE_CLIENT_SECRET, env.CLOUDBASE_TEST_PASSWORD, env.CLOUDBASE_SMS_CODE, env.CLOUDBASE_EMAIL_CODE].filter((s): s is string => Boolean(s?.trim()));
  if (env.CONTRACT_SECRETS_DUMP) secrets.push(...readSecretsDump(env.CONTRACT_SECRETS_DUMP));
  const { findings, stats } = scanForSecrets(paths, secrets);
  console.log(`check:redaction: ${new Set(secrets).size} secret values, ${stats.files} files (${stats.bytes} bytes), ${stats.zipEntries} zip entries, ${stats.decodedPayloads} base64 payloads searched`);
  if (findings.length === 0) {
    console.log('check:redaction: no secret found');
    return 0;
  }
  console.error(`check:redaction: ${findings.length} secret value(s) found:\n${formatFindings(findings)}`);
  return 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exit(main());
