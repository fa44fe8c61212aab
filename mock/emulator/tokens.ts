/**
 * Access tokens: RS256 JWTs with a `kid`, signed with a key pair generated once at start-up and
 * published as a JWKS at `GET /auth/v1/certs`. Expiry is judged by the emulator clock. Header and claims
 * follow the decoded example tokens of the docs (docs/api-facts.md, "Tokens and JWT claims"); the SDK
 * hands them to apps as they are (`auth.getClaims()` in @cloudbase/js-sdk 3.7.0 decodes the token).
 */
import { generateKeyPairSync, randomBytes, randomUUID, sign as signAsync, type KeyObject } from 'node:crypto';
import { jwtVerify, type JWK } from 'jose';
import type { Clock } from './clock.ts';

export interface AccessClaims {
  iss: string;
  sub: string;
  /** The client id (docs example: the env id for the default client). */
  aud: string;
  iat: number;
  exp: number;
  /** "user sso" for a registered user, "anonymous" for an anonymous one (docs examples). */
  scope: string;
  project_id: string;
  /** How the user signs in, e.g. "email" (docs example); absent for anonymous users (INFERRED). */
  provider_type?: string;
  /** Always present in the docs examples, with empty WeChat ids outside WeChat. */
  meta: { wxOpenId: string; wxUnionId: string };
  /** "Anonymous" in the docs' anonymous example. */
  name?: string;
  user_type: string;
  /** Emulator only (the docs examples carry neither): the token id and the session it belongs to. */
  jti: string;
  sid: string;
}

export interface Jwks {
  keys: JWK[];
}

/** An opaque random token; `prefix` makes tokens of different kinds easy to tell apart in logs. */
export function opaqueToken(prefix: string, bytes = 32): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/** How many verified tokens are remembered (oldest forgotten first), so memory stays bounded. */
const VERIFIED_CACHE_SIZE = 10_000;

interface SigningKey {
  kid: string;
  /** The protected header, encoded once: every token carries the same one, `{alg, kid}` as in the docs example (no `typ`). */
  header: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwks: Jwks;
}

export class TokenService {
  /**
   * Made when first needed (the first token, or the first look at the JWKS): an RSA key costs a
   * quarter second, and many emulators (tests, a quick `startEmulator`) never sign anything.
   * Replaced by `rotate()` (the `rotate_signing_key` fault).
   */
  #key: SigningKey | undefined;
  readonly #verified = new Map<string, AccessClaims>();
  /** Told of every token signed (the `expire_tokens` fault exempts tokens issued after it). */
  onSigned?: (claims: AccessClaims) => void;

  constructor(private readonly clock: Clock) {}

  static #newKey(): SigningKey {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomUUID();
    const jwk = publicKey.export({ format: 'jwk' }) as JWK;
    return {
      kid,
      header: Buffer.from(JSON.stringify({ alg: 'RS256', kid })).toString('base64url'),
      privateKey,
      publicKey,
      jwks: { keys: [{ kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' }] },
    };
  }

  get #current(): SigningKey {
    this.#key ??= TokenService.#newKey();
    return this.#key;
  }

  /** The id of the key tokens are signed with now. */
  get kid(): string {
    return this.#current.kid;
  }

  /** What `GET /auth/v1/certs` publishes: the current key only. */
  get jwks(): Jwks {
    return this.#current.jwks;
  }

  /**
   * A new key pair and kid: tokens signed before fail verification (401, as after a key rotation of
   * the real service) and `GET /auth/v1/certs` publishes only the new key.
   */
  rotate(): string {
    this.#key = TokenService.#newKey();
    this.#verified.clear();
    return this.#key.kid;
  }

  /**
   * A compact RS256 JWS (the same form jose's SignJWT makes), signed by node:crypto in the libuv
   * thread pool: the RSA operation (about 1 ms, the cost of every sign-in and refresh) stays off the
   * event loop, without WebCrypto's per-call overhead (10-20 % more tokens per second than jose's
   * SignJWT on this project's 2-core machine; verification stays with jose).
   */
  sign(claims: AccessClaims): Promise<string> {
    this.onSigned?.(claims);
    const key = this.#current;
    const input = `${key.header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return new Promise((resolve, reject) => {
      signAsync('sha256', Buffer.from(input), key.privateKey, (error, signature) =>
        error ? reject(error) : resolve(`${input}.${signature.toString('base64url')}`),
      );
    });
  }

  /**
   * The claims of a token this emulator signed, or undefined (bad shape, foreign key, forged
   * signature, expired by the emulator clock unless `ignoreExpiry`). Never throws.
   */
  async verify(token: string, { ignoreExpiry = false } = {}): Promise<AccessClaims | undefined> {
    // A token whose signature was checked once needs only its expiry checked again (hot path: every Bearer call).
    const known = this.#verified.get(token);
    if (known) return ignoreExpiry || known.exp > this.clock.now() ? known : undefined;
    // Cheap pre-check: not three base64url segments means not a JWT (saves jose the work).
    if (token.length > 8192 || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return undefined;
    // No key yet: nothing was signed, so no token can be ours.
    const key = this.#key;
    if (!key) return undefined;
    try {
      const { payload, protectedHeader } = await jwtVerify(token, key.publicKey, {
        algorithms: ['RS256'],
        currentDate: new Date((ignoreExpiry ? 0 : this.clock.now()) * 1000),
        requiredClaims: ['sub', 'exp', 'iat', 'sid', 'jti'],
      });
      if (protectedHeader.kid !== key.kid) return undefined;
      if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string') return undefined;
      const claims = payload as unknown as AccessClaims;
      if (this.#verified.size >= VERIFIED_CACHE_SIZE) this.#verified.delete(this.#verified.keys().next().value as string);
      this.#verified.set(token, claims);
      return claims;
    } catch {
      return undefined;
    }
  }
}
