/**
 * Custom-login tickets, made exactly the way `@cloudbase/node-sdk` makes them (npm
 * @cloudbase/node-sdk@3.18.3, src/auth/index.ts `createTicket`):
 *
 *   `<private_key_id>/@@/<JWT>`, the JWT signed RS256 with the env's custom-login private key
 *   (jsonwebtoken, header `{"alg":"RS256","typ":"JWT"}`), payload
 *   `{alg: "RS256", env, iat, exp: iat + 10 min, uid, refresh: 3600000, expire: iat + 7 days}`,
 *   every time in MILLISECONDS (node-sdk passes `new Date().getTime()`), `uid` matching
 *   `^[a-zA-Z0-9_\-#@~=*(){}[\]:.,<>+]{4,32}$`.
 *
 * The private key file the console hands out (docs: https://docs.cloudbase.net/authentication-v2/method/custom-login,
 * `tcb_custom_login.json`) holds `{private_key_id, private_key, env_id}`: the same shape here.
 * Tests may sign their own tickets with `createCustomTicket`.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';

/** The console's custom-login private key file (`tcb_custom_login.json`). */
export interface CustomLoginCredentials {
  private_key_id: string;
  /** PEM (PKCS#8 or PKCS#1). */
  private_key: string;
  env_id: string;
}

/** What the ticket's JWT carries (node-sdk createTicket). Times in milliseconds. */
export interface CustomTicketClaims {
  alg: 'RS256';
  env: string;
  iat: number;
  exp: number;
  uid: string;
  refresh: number;
  expire: number;
}

export const TICKET_SEPARATOR = '/@@/';
/** node-sdk: "ticket十分钟有效" (a ticket is valid for ten minutes). */
export const TICKET_LIFETIME_MS = 10 * 60 * 1000;
/** node-sdk validateUid. */
export const CUSTOM_UID_PATTERN = /^[a-zA-Z0-9_\-#@~=*(){}[\]:.,<>+]{4,32}$/;

/** A fresh key pair in the console file's shape (2048-bit RSA). */
export function generateCustomLoginCredentials(envId: string): CustomLoginCredentials {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    private_key_id: randomUUID(),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    env_id: envId,
  };
}

/** The public half of a credentials file's key; throws on a key that is not RSA. */
export function publicKeyOf(credentials: CustomLoginCredentials): KeyObject {
  const publicKey = createPublicKey(createPrivateKey(credentials.private_key));
  if (publicKey.asymmetricKeyType !== 'rsa') throw new Error('the custom-login key must be an RSA key');
  return publicKey;
}

export interface TicketOptions {
  /** The signing time in epoch milliseconds (node-sdk: `new Date().getTime()`). */
  nowMs?: number;
  /** node-sdk options.refresh (ms); default one hour. */
  refresh?: number;
  /** node-sdk options.expire (epoch ms); default now + 7 days. */
  expire?: number;
}

/** A ticket as `app.auth().createTicket(uid)` of @cloudbase/node-sdk makes it. */
export async function createCustomTicket(credentials: CustomLoginCredentials, uid: string, options: TicketOptions = {}): Promise<string> {
  if (!CUSTOM_UID_PATTERN.test(uid)) throw new Error(`Invalid uid: "${uid}" (node-sdk: 4-32 characters of letters, digits and _-#@~=*(){}[]:.,<>+)`);
  const iat = options.nowMs ?? Date.now();
  const claims: CustomTicketClaims = {
    alg: 'RS256',
    env: credentials.env_id,
    iat,
    exp: iat + TICKET_LIFETIME_MS,
    uid,
    refresh: options.refresh ?? 3600 * 1000,
    expire: options.expire ?? iat + 7 * 24 * 60 * 60 * 1000,
  };
  const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .sign(createPrivateKey(credentials.private_key));
  return `${credentials.private_key_id}${TICKET_SEPARATOR}${jwt}`;
}

/** Why a ticket was refused (the handler turns every reason into the same API error). */
export class TicketRefused extends Error {}

/**
 * The claims of a ticket whose key id names one of `keys` and whose signature that key proves.
 * Throws `TicketRefused` with the reason otherwise. Expiry and env are the caller's to judge.
 */
export async function verifyCustomTicket(ticket: string, keys: ReadonlyMap<string, KeyObject>): Promise<CustomTicketClaims> {
  const at = ticket.indexOf(TICKET_SEPARATOR);
  if (at <= 0) throw new TicketRefused('ticket is not <private_key_id>/@@/<jwt>');
  const keyId = ticket.slice(0, at);
  const jwt = ticket.slice(at + TICKET_SEPARATOR.length);
  const key = keys.get(keyId);
  if (!key) throw new TicketRefused('ticket was signed with an unknown or retired custom-login key');
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jwt, key, { algorithms: ['RS256'] }));
  } catch {
    throw new TicketRefused('ticket signature does not verify with the custom-login key');
  }
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    throw new TicketRefused('ticket payload is not JSON');
  }
  const c = claims as Partial<CustomTicketClaims> | null;
  if (!c || typeof c !== 'object' || typeof c.uid !== 'string' || typeof c.env !== 'string' || typeof c.exp !== 'number') {
    throw new TicketRefused('ticket payload lacks uid, env or exp');
  }
  if (!CUSTOM_UID_PATTERN.test(c.uid)) throw new TicketRefused('ticket uid is not a valid custom user id');
  return c as CustomTicketClaims;
}
