/**
 * Verification codes (docs auth-send-verification, auth-verify-verification; docs/api-facts.md, "Verification codes, phone numbers, usernames and passwords"): 6 digits, 600 s, bounded wrong attempts, a resend
 * interval per phone number or email. The codes are readable at `GET /__emulator/verification-codes`.
 */
import { LIFETIMES } from '../config.ts';
import type { Context } from 'hono';
import type { EmulatorParts, PublicHandler } from '../context.ts';
import { failedPrecondition, invalidArgument, resourceExhausted } from '../errors.ts';
import { bearerToken, contactOf, optionalString, readJsonBody, requiredString } from '../request.ts';
import type { VerificationToken } from '../store.ts';
import { currentUserContact } from './account.ts';
import { liveAccessToken } from './common.ts';

/** The caller of a live Bearer token, if the request carries one. */
async function callerOf(c: Context, emu: EmulatorParts) {
  const token = bearerToken(c);
  return token === undefined ? undefined : liveAccessToken(emu, token);
}

export const sendVerification: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  // contract-decisions: ANY when absent (the SDK may omit it); its values are the request schema's.
  const target = optionalString(body, 'target') || 'ANY';
  // User family: CUR_USER sends to the signed-in user's own phone number or email (handlers/account.ts).
  const contact = target === 'CUR_USER' ? currentUserContact(await callerOf(c, emu), body) : contactOf(body);
  optionalString(body, 'usage', { maxLength: 64 });

  const isUser = emu.store.findUserByContact(contact) !== undefined;
  // SDK 3.7 (AuthErrorCode.FAILED_PRECONDITION): getVerification answers 9 for "account exists / does not exist".
  if (target === 'USER' && !isUser) throw failedPrecondition('user not found: no account uses this phone number or email');
  if (target === 'NOT_USER' && isUser) throw failedPrecondition('an account already uses this phone number or email');

  const last = emu.store.latestVerificationFor(contact);
  const wait = last ? last.createdAt + emu.config.runtime.resend_interval_seconds - emu.clock.now() : 0;
  if (wait > 0) throw resourceExhausted(`a code was sent recently; try again in ${wait} s`);

  const verification = emu.store.createVerification(contact);
  return c.json({ verification_id: verification.id, expires_in: LIFETIMES.verificationCode, is_user: isUser });
};

export const verifyVerification: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const verificationId = requiredString(body, 'verification_id', { maxLength: 1024 });
  const code = requiredString(body, 'verification_code', { maxLength: 64 });
  const token = redeemCode(emu, verificationId, code);
  return c.json({ verification_token: token.token, expires_in: LIFETIMES.verificationToken });
};

/** Check a code against its verification and spend it: the verification token it earns. Also /auth/v2/signin/verificationcode. */
export function redeemCode(emu: EmulatorParts, verificationId: string, code: string): VerificationToken {
  const verification = emu.store.getVerification(verificationId);
  if (!verification) throw invalidArgument('verification_id is unknown or expired');
  if (verification.wrongAttempts >= emu.config.runtime.max_verify_attempts) {
    throw resourceExhausted('too many wrong codes for this verification; ask for a new code');
  }
  if (verification.used) throw invalidArgument('verification code has already been used');
  if (verification.superseded) throw invalidArgument('a newer code was sent to this phone number or email; only the newest one verifies');
  if (verification.expiresAt <= emu.clock.now()) throw invalidArgument('verification code has expired');
  if (code !== verification.code) {
    emu.store.recordWrongCode(verification);
    throw invalidArgument('verification code does not match');
  }
  return emu.store.redeemVerification(verification);
}
