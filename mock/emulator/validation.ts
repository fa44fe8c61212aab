/**
 * The value rules the emulator enforces (docs/contract-decisions.md "Shapes").
 */
import { invalidArgument } from './errors.ts';
import { canonicalIdentifier, foldAsciiCase } from './identifiers.ts';
import { optionalString, type JsonObject } from './request.ts';
import type { Contact } from './store.ts';

/** facts §D: `+<country code> <national number>`, e.g. `+86 13800000000`. */
const PHONE = /^\+(\d{1,3}) (\d{4,15})$/;
/** docs: "valid domestic mobile number" for +86: 11 digits starting with 1 (INFERRED). */
const CN_MOBILE = /^1\d{10}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** docs (authentication-v2 guide): 1..32 letters, digits, `-`, `_`; not all digits; no `-`/`_` first or last. */
const USERNAME = /^(?![-_])(?!\d+$)[A-Za-z0-9_-]{1,32}(?<![-_])$/;

export function checkPhoneNumber(value: string, field = 'phone_number'): string {
  const match = PHONE.exec(value);
  if (!match || (match[1] === '86' && !CN_MOBILE.test(match[2] ?? ''))) {
    throw invalidArgument(`${field} must look like "+86 13800000000" (country code, one space, number)`);
  }
  return value;
}

export function checkEmail(value: string, field = 'email'): string {
  if (value.length > 254 || !EMAIL.test(value) || canonicalIdentifier(value) === undefined) throw invalidArgument(`${field} is not a valid email address`);
  return foldAsciiCase(value);
}

export function checkUsername(value: string): string {
  if (!USERNAME.test(value)) {
    throw invalidArgument(
      'username must be 1-32 letters, digits, "-" or "_", not all digits, and must not start or end with "-" or "_"',
    );
  }
  return value;
}

/** docs (update-password): 8-64 characters with a lowercase and an uppercase letter, a digit and a special character. */
export function checkPassword(value: string, field = 'password'): string {
  const ok =
    value.length >= 8 &&
    value.length <= 64 &&
    /[a-z]/.test(value) &&
    /[A-Z]/.test(value) &&
    /\d/.test(value) &&
    /[^A-Za-z0-9]/.test(value);
  if (!ok) {
    throw invalidArgument(`${field} must be 8-64 characters with a lowercase letter, an uppercase letter, a digit and a special character`);
  }
  return value;
}

/** Exactly one of `phone_number` / `email` (docs: "cannot be provided simultaneously"), validated. */
export function requiredContact(body: JsonObject): Contact {
  const contact = optionalContact(body);
  if (!contact) throw invalidArgument('phone_number or email is required');
  return contact;
}

export function optionalContact(body: JsonObject): Contact | undefined {
  const phone = optionalString(body, 'phone_number', { maxLength: 32 });
  const email = optionalString(body, 'email', { maxLength: 254 });
  if (phone && email) throw invalidArgument('give phone_number or email, not both');
  if (phone) return { kind: 'phone', value: checkPhoneNumber(phone) };
  if (email) return { kind: 'email', value: checkEmail(email) };
  return undefined;
}

export function sameContact(a: Contact, b: Contact): boolean {
  return a.kind === b.kind && a.value === b.value;
}
