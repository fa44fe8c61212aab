/**
 * Every form a secret value can take in a report, for redaction (contract/redact.ts) and for the
 * report scan (scripts/secret-scan.ts), so both look for the same things:
 *
 *  - as is;
 *  - URL-encoded: `%XX` in upper and lower case, and form-encoded (`+` for a space, every reserved
 *    character escaped, as URLSearchParams writes it);
 *  - JSON-escaped: `\"` and `\\`, and `\u0026`-style escapes of every non-alphanumeric character;
 *  - HTML entities: named (`&amp;`), decimal (`&#38;`) and hexadecimal (`&#x26;`);
 *  - base64 and base64url at each of the three byte alignments (a secret inside a longer encoded text
 *    starts at any byte), without the characters it shares with its neighbours;
 *  - hex, lower and upper case.
 *
 * A secret split across lines is found by searching the text with its line breaks removed
 * (`withoutLineBreaks`).
 */

/** Shorter forms would match by chance. */
export const MIN_FORM_LENGTH = 4;

const HTML_NAMED: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function htmlForms(secret: string): string[] {
  if (!/[&<>"']/.test(secret)) return [];
  const each = (encode: (c: string) => string) => secret.replace(/[&<>"']/g, encode);
  return [
    each((c) => HTML_NAMED[c] ?? c),
    each((c) => `&#${c.charCodeAt(0)};`),
    each((c) => `&#x${c.charCodeAt(0).toString(16)};`),
    each((c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`),
  ];
}

function urlForms(secret: string): string[] {
  const uri = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const lower = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  return [uri, lower(uri), uri.replace(/%20/g, '+'), form, lower(form)];
}

function jsonForms(secret: string): string[] {
  const unicode = (pattern: RegExp) => secret.replace(pattern, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [JSON.stringify(secret).slice(1, -1), unicode(/[^A-Za-z0-9]/g), unicode(/[<>&'"]/g)];
}

/**
 * base64 of the secret starting at byte `offset` of a group of three, without the characters that
 * also encode its neighbours: those are the same wherever the secret sits.
 */
function base64Core(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  const start = offset === 0 ? 0 : offset === 1 ? 2 : 3;
  const total = offset + bytes.length;
  const tail = total % 3;
  // A partial last group ends in `=` padding and one character mixed with whatever follows.
  const end = tail === 0 ? encoded.length : encoded.length - (tail === 1 ? 3 : 2);
  return encoded.slice(start, end);
}

function binaryForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out = [bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
  for (const offset of [0, 1, 2]) {
    const core = base64Core(bytes, offset);
    if (core.length < 8) continue;
    out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/** Every form of one secret (distinct, long enough to mean something), longest first. */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret, ...urlForms(secret), ...jsonForms(secret), ...htmlForms(secret), ...binaryForms(secret)]);
  return [...forms].filter((f) => f.length >= MIN_FORM_LENGTH).sort((a, b) => b.length - a.length);
}

/** A short all-digit secret (a verification code) counts only as a whole number, not inside a phone number or a timestamp. */
export function isShortNumber(value: string): boolean {
  return value.length <= 8 && /^\d+$/.test(value);
}

/**
 * The text with its line breaks (and the indentation after them) removed, and for each character of
 * that text its index in the original: a secret wrapped over two lines is found in it.
 */
export function withoutLineBreaks(text: string): { text: string; index: number[] } {
  let out = '';
  const index: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n' || c === '\r') {
      while (i + 1 < text.length && (text[i + 1] === ' ' || text[i + 1] === '\t' || text[i + 1] === '\r' || text[i + 1] === '\n')) i++;
      continue;
    }
    out += c;
    index.push(i);
  }
  return { text: out, index };
}
