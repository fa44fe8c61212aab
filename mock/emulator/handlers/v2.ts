/**
 * The `/auth/v2` calls of the SDK (`ApiUrlsV2` in @cloudbase/js-sdk 3.7.0 oauth/dist/index.js.map,
 * consts.ts). The SDK picks them when a call carries `version: 'v2'` (apis.ts `getParamsByVersion`),
 * and stores the credentials they answer with `version: 'v2'`, so that their refresh goes to
 * `/auth/v2/token` (oauth2client.ts `defaultRefreshTokenFunc`). Where the behaviour is v1's, the route
 * table points at the v1 handler; this file holds what differs:
 *
 *  - `POST /auth/v2/signin/publichkey` (sic): the RSA key the SDK encrypts passwords with.
 *  - `POST /auth/v2/signin/username`: v1 sign-in, or `{params, public_key_thumbprint}` when the SDK
 *    encrypts (`signInWithPassword({..., options: {is_encrypt: true}})`, apis.ts `getEncryptParams`).
 *  - `POST /auth/v2/signin/verificationcode`: a code check that signs in (apis.ts `verify`).
 *  - `POST /auth/v2/signin/password/update`: a password change without login (apis.ts
 *    `modifyPasswordWithoutLogin`).
 */
import { constants, createHash, generateKeyPairSync, privateDecrypt, type KeyObject } from 'node:crypto';
import type { EmulatorParts, PublicHandler } from '../context.ts';
import { invalidArgument, invalidPassword, notFound, unimplemented } from '../errors.ts';
import { optionalString, readJsonBody, requiredString, type JsonObject } from '../request.ts';
import type { Store } from '../store.ts';
import { signInAs } from './common.ts';
import { signIn, signInWithPassword } from './signin.ts';
import { redeemCode } from './verification.ts';

// ---- the password-encryption key ------------------------------------------------------------

/**
 * 1024 bits: the SDK's encryptor (its bundled `encryptlong`, `encryptLong`) cuts the text into
 * 117-character pieces and checks itself in 256-hex-digit blocks, i.e. a 128-byte modulus.
 */
const KEY_BITS = 1024;
const BLOCK_BYTES = KEY_BITS / 8;

interface EncryptionKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  thumbprint: string;
}

const keys = new WeakMap<Store, EncryptionKey>();

/** One key per emulator, made on first use and kept across resets (it holds no user data). */
function encryptionKey(emu: EmulatorParts): EncryptionKey {
  let key = keys.get(emu.store);
  if (!key) {
    const pair = generateKeyPairSync('rsa', { modulusLength: KEY_BITS });
    const der = pair.publicKey.export({ type: 'spki', format: 'der' });
    key = {
      privateKey: pair.privateKey,
      publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      // INFERRED: the real thumbprint's form is not documented; any id of the key serves the SDK.
      thumbprint: createHash('sha256').update(der).digest('base64url'),
    };
    keys.set(emu.store, key);
  }
  return key;
}

const notEncryptedForUs = () =>
  invalidArgument('params is not encrypted with the current key of POST /auth/v2/signin/publichkey');

/**
 * Undo the SDK's `encryptLong`: base64 of RSA PKCS#1 v1.5 blocks, one per 117 characters. Node refuses
 * PKCS#1 v1.5 decryption (CVE-2023-46809), so the padding is taken off here. The SDK writes each block
 * without its leading zero bytes; a lone short block is padded back (a short block among several cannot
 * be told apart and is refused).
 */
function decrypt(key: EncryptionKey, base64: string): string {
  let bytes = Buffer.from(base64, 'base64');
  if (bytes.length > 0 && bytes.length < BLOCK_BYTES) bytes = Buffer.concat([Buffer.alloc(BLOCK_BYTES - bytes.length), bytes]);
  if (bytes.length === 0 || bytes.length % BLOCK_BYTES !== 0) throw notEncryptedForUs();
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += BLOCK_BYTES) {
    let block: Buffer;
    try {
      block = privateDecrypt({ key: key.privateKey, padding: constants.RSA_NO_PADDING }, bytes.subarray(at, at + BLOCK_BYTES));
    } catch {
      throw notEncryptedForUs();
    }
    const end = block.indexOf(0, 2);
    if (block[0] !== 0 || block[1] !== 2 || end < 10) throw notEncryptedForUs();
    parts.push(block.subarray(end + 1));
  }
  return Buffer.concat(parts).toString('utf8');
}

function checkThumbprint(emu: EmulatorParts, body: JsonObject): EncryptionKey {
  const key = encryptionKey(emu);
  if (requiredString(body, 'public_key_thumbprint') !== key.thumbprint) {
    throw invalidArgument('public_key_thumbprint does not name the current key; ask POST /auth/v2/signin/publichkey again');
  }
  return key;
}

/**
 * For any operation that takes a field encrypted with this key next to `public_key_thumbprint` (the SDK's
 * `modifyPassword` sends `encrypt_password` / `encrypt_new_password` to POST /auth/v1/user/basic/edit):
 * the field's plain text, or 400 invalid_argument.
 */
export function decryptField(emu: EmulatorParts, body: JsonObject, field: string): string {
  return decrypt(checkThumbprint(emu, body), requiredString(body, field, { maxLength: 65_536 }));
}

/** `POST /auth/v2/signin/publichkey {}` -> `{public_key (PEM), public_key_thumbprint}` (apis.ts `getPublicKey`). */
export const getPublicKey: PublicHandler = async (c, emu) => {
  await readJsonBody(c);
  const key = encryptionKey(emu);
  return c.json({ public_key: key.publicKeyPem, public_key_thumbprint: key.thumbprint });
};

// ---- sign-in --------------------------------------------------------------------------------

/**
 * `POST /auth/v2/signin/username`: the body of v1 sign-in, or that body encrypted as
 * `{params, public_key_thumbprint}`. The SDK only encrypts username/password sign-in.
 */
export const signInV2: PublicHandler = async (c, emu) => {
  // The body is read once per request (Hono caches it), so v1's handler can read it again.
  const body = await readJsonBody(c);
  if (body.params === undefined) return signIn(c, emu);
  const key = checkThumbprint(emu, body);
  let inner: unknown;
  try {
    inner = JSON.parse(decrypt(key, requiredString(body, 'params', { maxLength: 65_536 })));
  } catch (err) {
    if (err instanceof SyntaxError) throw invalidArgument('params does not decrypt to a JSON object');
    throw err;
  }
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) throw invalidArgument('params does not decrypt to a JSON object');
  const params = inner as JsonObject;
  if (!emu.config.runtime.password_login_enabled) throw unimplemented('username and password login is not enabled for this environment');
  return signInWithPassword(c, emu, params, requiredString(params, 'username', { maxLength: 256 }));
};

/**
 * `POST /auth/v2/signin/verificationcode {verification_id, verification_code}` -> a token response: the
 * code is checked like v1's verify and signs in the account of its phone number or email. No account
 * there: 404 not_found, as v1 sign-in with a verification token (INFERRED).
 */
export const signInWithVerificationCode: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const verificationId = requiredString(body, 'verification_id', { maxLength: 1024 });
  const code = requiredString(body, 'verification_code', { maxLength: 64 });
  const token = redeemCode(emu, verificationId, code);
  emu.store.consumeVerificationToken(token.token);
  const user = emu.store.findUserByContact(token.contact);
  if (!user) throw notFound('no account uses this phone number or email');
  return signInAs(c, emu, user, body);
};

// ---- password change without login ----------------------------------------------------------

/** docs (update-password): 8-64 characters with a lowercase and an uppercase letter, a digit and a special character. */
function isStrongPassword(value: string): boolean {
  return value.length >= 8 && value.length <= 64 && /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value) && /[^A-Za-z0-9]/.test(value);
}

/**
 * `POST /auth/v2/signin/password/update {username, password, new_password, public_key_thumbprint}`,
 * both passwords encrypted (`password` may be `''`). INFERRED: the old password must match when the
 * account has one; the new one follows the password rule; every session of the account ends, like a
 * v1 password change.
 */
export const updatePasswordWithoutLogin: PublicHandler = async (c, emu) => {
  const body = await readJsonBody(c);
  const key = checkThumbprint(emu, body);
  const username = requiredString(body, 'username', { maxLength: 256 });
  const encryptedOld = optionalString(body, 'password', { maxLength: 65_536 }) ?? '';
  const newPassword = decrypt(key, requiredString(body, 'new_password', { maxLength: 65_536 }));
  if (!isStrongPassword(newPassword)) {
    throw invalidArgument('new_password must be 8-64 characters with a lowercase letter, an uppercase letter, a digit and a special character');
  }
  const user = emu.store.findUserByLogin(username);
  if (!user) throw notFound('user does not exist');
  if (user.passwordDigest !== undefined) {
    if (encryptedOld === '') throw invalidPassword('password (the current one) is required');
    if (!emu.store.passwordMatches(user, decrypt(key, encryptedOld))) throw invalidPassword();
  }
  emu.store.setPassword(user, newPassword);
  emu.store.endSessionsOf(user.sub);
  return c.json({});
};
