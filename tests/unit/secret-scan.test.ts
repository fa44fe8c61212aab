import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { crc32, deflateRawSync } from 'node:zlib';
import { scanForSecrets } from '../../scripts/secret-scan.ts';
import { readZip } from '../../scripts/zip-reader.ts';
import { ENCODINGS, TRICKY_SECRET } from './secret-encodings.ts';

/** A minimal zip writer (deflated entries), to build reports the way Playwright does. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const compressed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralDir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(centralDir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDir, end]);
}

const SECRET = 'Xy9!kq2@Lm4#Np7z';
const TOKEN = 'm.8f3a9c2e1b7d4f60a5c3e9b2d7f1a4c8';

function dir(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'scan-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, name), content);
  return root;
}

describe('secret scan', () => {
  it('reads back the zips it is given (stored through deflate)', () => {
    const entries = readZip(zip({ 'a.json': '{"a":1}', 'dir/b.txt': 'hello' }));
    assert.deepEqual(entries.map((e) => [e.name, e.data.toString()]), [['a.json', '{"a":1}'], ['dir/b.txt', 'hello']]);
  });

  it('finds a secret in plain text, URL-encoded in a URL, and JSON-escaped', () => {
    const root = dir({
      'console.txt': `sign-in with ${SECRET} failed`,
      'junit.xml': `<failure>GET /x?password=${encodeURIComponent(SECRET)}</failure>`,
      'quoted.json': JSON.stringify({ message: `said "${'a"b\\c-secret'}"` }),
    });
    const { findings } = scanForSecrets([root], [SECRET, 'a"b\\c-secret']);
    assert.deepEqual(findings.map((f) => f.file.split('/').pop()).sort(), ['console.txt', 'junit.xml', 'quoted.json']);
    assert.ok(findings.every((f) => !f.context.includes(SECRET)), 'a finding never prints the secret');
  });

  it('a finding never prints another secret that happens to be near it', () => {
    const { findings } = scanForSecrets([dir({ 'a.txt': `failing with ${TOKEN} and ${SECRET}` })], [TOKEN, SECRET]);
    assert.equal(findings.length, 2);
    for (const finding of findings) assert.ok(!finding.context.includes(TOKEN) && !finding.context.includes(SECRET), finding.context);
  });

  it('looks inside the HTML report: a base64 zip embedded in index.html, and inside base64 attachment bodies within it', () => {
    const attachment = Buffer.from(`{"request":{"headers":{"authorization":"Bearer ${TOKEN}"}}}`).toString('base64');
    const data = zip({ 'report.json': '{"stats":{}}', 'abc.json': JSON.stringify({ tests: [{ attachments: [{ name: 'POST /x', body: attachment }] }] }) });
    const html = `<html><script>var x=1;</script><script id="playwrightReportBase64" type="application/zip">data:application/zip;base64,${data.toString('base64')}</script></html>`;
    const { findings, stats } = scanForSecrets([dir({ 'index.html': html })], [TOKEN]);
    // Found decoded inside the attachment, and (now that base64 is an encoding it knows) as base64 too.
    assert.ok(findings.some((f) => /playwrightReportBase64 > abc\.json > base64@/.test(f.inside)), JSON.stringify(findings));
    assert.equal(stats.htmlReportData.length, 2, 'both data files of the report were decoded');
  });

  it('looks inside blob reports: zips holding JSON lines with base64 bodies', () => {
    const line = JSON.stringify({ method: 'onStdOut', params: { chunk: Buffer.from(`token ${TOKEN}\n`).toString('base64') } });
    const { findings } = scanForSecrets([dir({ 'report-1.zip': zip({ 'report.jsonl': `${line}\n` }) })], [TOKEN]);
    assert.ok(findings.some((f) => /^report\.jsonl > base64@/.test(f.inside)), JSON.stringify(findings));
  });

  it('matches a numeric code only as a whole number', () => {
    const root = dir({ 'a.txt': 'startTime 1764123456789, id a123456b', 'b.txt': '{"verification_code":"123456"}' });
    const { findings } = scanForSecrets([root], ['123456']);
    assert.deepEqual(findings.map((f) => f.file.split('/').pop()), ['b.txt']);
  });

  it('finds nothing where nothing is, and says how much it read', () => {
    const { findings, stats } = scanForSecrets([dir({ 'a.txt': 'all [redacted] here' })], [SECRET, TOKEN]);
    assert.equal(findings.length, 0);
    assert.equal(stats.files, 1);
  });
});

describe('secret scan: every encoding of a secret', () => {
  for (const [encoding, text] of Object.entries(ENCODINGS)) {
    it(`finds a secret ${encoding}`, () => {
      const root = dir({ 'report.txt': `some report text\n${text}\nmore text` });
      const { findings } = scanForSecrets([root], [TRICKY_SECRET]);
      assert.ok(findings.length > 0, `${encoding}: not found in ${JSON.stringify(text)}`);
      assert.ok(findings.every((f) => !f.context.includes(TRICKY_SECRET)), 'a finding never prints the secret');
    });
  }

  it('does not take a verification code inside a phone number for the code', () => {
    const root = dir({ 'report.txt': 'phone +86 13800000000 signed up' });
    assert.deepEqual(scanForSecrets([root], ['800000']).findings, []);
  });
});
