/**
 * One secret in every encoding a report could hold it in, each inside some surrounding text: the
 * redaction and the report scan must both find every one (tests/unit/redact.test.ts,
 * tests/unit/secret-scan.test.ts).
 */

/** A secret with every character class an encoding treats specially: space, &, <, quote, slash, plus, non-ASCII. */
export const TRICKY_SECRET = 'Pw d&<"/+é~9x';
const TRICKY = TRICKY_SECRET;
const bytes = Buffer.from(TRICKY, 'utf8');
/** Every encoding of TRICKY a report could hold, each inside some surrounding text. */
export const ENCODINGS: Record<string, string> = {
  raw: TRICKY,
  base64: Buffer.concat([Buffer.from('xy'), bytes, Buffer.from('tail')]).toString('base64'),
  'base64 (other alignment)': Buffer.concat([Buffer.from('x'), bytes, Buffer.from('tail')]).toString('base64'),
  base64url: Buffer.concat([bytes, Buffer.from('!!')]).toString('base64url'),
  hex: Buffer.from(`id=${TRICKY};`).toString('hex'),
  'URL %XX': `q=${encodeURIComponent(TRICKY)}&z=1`,
  'URL %xx (lower case)': `q=${encodeURIComponent(TRICKY).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`,
  'form (+ for space)': new URLSearchParams({ q: TRICKY, z: '1' }).toString(),
  'HTML &amp;': `<td>${TRICKY.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;')}</td>`,
  'HTML &#x26;': `<td>${TRICKY.replace(/[&<"]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`)}</td>`,
  'HTML &#38;': `<td>${TRICKY.replace(/[&<"]/g, (c) => `&#${c.charCodeAt(0)};`)}</td>`,
  'JSON escapes': JSON.stringify({ v: TRICKY }),
  '\\u0026-style escapes': `{"v":"${TRICKY.replace(/[^A-Za-z0-9]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"}`,
  'split across lines': `value: ${TRICKY.slice(0, 5)}\n    ${TRICKY.slice(5)} end`,
};

