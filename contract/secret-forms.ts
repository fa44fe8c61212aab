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
 * The text with its line breaks (and the indentation after them) removed, and a map from each position
 * of that text back to the original: a secret wrapped over two lines is found in it. Built from the
 * line breaks only (a report is megabytes: no array entry per character).
 */
export function withoutLineBreaks(text: string): { text: string; original: (flatIndex: number) => number } {
  const BREAK = /[\r\n][ \t\r\n]*/g;
  const pieces: string[] = [];
  /** Where each kept piece starts, in the flat text and in the original. */
  const flatStarts: number[] = [];
  const originalStarts: number[] = [];
  let last = 0;
  let flatLength = 0;
  for (const match of text.matchAll(BREAK)) {
    pieces.push(text.slice(last, match.index));
    flatStarts.push(flatLength);
    originalStarts.push(last);
    flatLength += match.index - last;
    last = match.index + match[0].length;
  }
  pieces.push(text.slice(last));
  flatStarts.push(flatLength);
  originalStarts.push(last);
  const original = (flatIndex: number): number => {
    // The last piece that starts at or before flatIndex (binary search).
    let lo = 0;
    let hi = flatStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((flatStarts[mid] as number) <= flatIndex) lo = mid;
      else hi = mid - 1;
    }
    return (originalStarts[lo] as number) + flatIndex - (flatStarts[lo] as number);
  };
  return { text: pieces.join(''), original };
}

/**
 * Forms to look for at every position of a text, by their first three characters: redaction and the
 * secret scan search megabytes with thousands of forms, one position at a time. A bit per hash of
 * three characters rules out almost every position before any lookup; the entries of a key are kept
 * longest first (a form that contains another is found whole).
 */
export class FormTable<T extends { form: string }> {
  private readonly byKey = new Map<number, T[]>();
  private readonly seen = new Uint8Array(1 << 20);

  private static key(text: string, i: number): number {
    return text.charCodeAt(i) * 0x1_0000_0000 + text.charCodeAt(i + 1) * 0x1_0000 + text.charCodeAt(i + 2);
  }

  private static hash(text: string, i: number): number {
    return (text.charCodeAt(i) * 961 + text.charCodeAt(i + 1) * 31 + text.charCodeAt(i + 2)) & 0xfffff;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Add an entry (its form at least three characters long). */
  add(entry: T): void {
    const key = FormTable.key(entry.form, 0);
    const list = this.byKey.get(key) ?? [];
    const at = list.findIndex((other) => other.form.length < entry.form.length);
    list.splice(at === -1 ? list.length : at, 0, entry);
    this.byKey.set(key, list);
    this.seen[FormTable.hash(entry.form, 0)] = 1;
  }

  /** The entries whose form may start at `i` (longest first), or undefined; the caller checks with startsWith. */
  at(text: string, i: number): readonly T[] | undefined {
    if (i + 3 > text.length || this.seen[FormTable.hash(text, i)] === 0) return undefined;
    return this.byKey.get(FormTable.key(text, i));
  }
}
