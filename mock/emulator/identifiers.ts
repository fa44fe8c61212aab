/**
 * How login identifiers (usernames, email addresses, phone numbers) are compared.
 *
 * `String.prototype.toLowerCase` folds more than ASCII: the Kelvin sign U+212A becomes `k`, so
 * `"\u212Aelly@example.com".toLowerCase() === "kelly@example.com"` and a look-alike reaches another
 * account. Every stored identifier is ASCII-cased and NFKC-stable, so: an identifier that NFKC
 * normalisation would change (compatibility characters: the Kelvin sign, fullwidth letters, ligatures)
 * names no account, and only ASCII letters are case-folded.
 */

/** The identifier to look up, or undefined when it holds compatibility characters (it can match nothing). */
export function canonicalIdentifier(value: string): string | undefined {
  return value.normalize('NFKC') === value ? value : undefined;
}

/** Lower-case A-Z only; every other character is left as it is. */
export function foldAsciiCase(value: string): string {
  return value.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
