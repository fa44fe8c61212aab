/**
 * Verification codes (facts §A2, §A3, §D): 6 digits, 600 s, bounded wrong attempts, a resend
 * interval per phone number or email. The codes are readable at `GET /__emulator/verification-codes`.
 */
import { LIFETIMES } from '../config.ts';
import type { PublicHandler } from '../context.ts';
import { alreadyExists, invalidArgument, notFound, resourceExhausted } from '../errors.ts';
import { optionalString, readJsonBody, requiredString } from '../request.ts';
import { requiredContact } from '../validation.ts';

const TARGETS = ['ANY', 'USER', 'NOT_USER'];

export const sendVerification: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const contact = requiredContact(body);
  // contract-decisions: ANY when absent (the SDK may omit it).
  const target = optionalString(body, 'target', { maxLength: 32 }) || 'ANY';
  if (!TARGETS.includes(target)) throw invalidArgument(`target must be one of ${TARGETS.join(', ')}`);
  optionalString(body, 'usage', { maxLength: 64 });

  const isUser = emu.store.findUserByContact(contact) !== undefined;
  if (target === 'USER' && !isUser) throw notFound('no account uses this phone number or email');
  if (target === 'NOT_USER' && isUser) throw alreadyExists('an account already uses this phone number or email');

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
  const token = emu.store.redeemVerification(verification);
  return c.json({ verification_token: token.token, expires_in: LIFETIMES.verificationToken });
};
