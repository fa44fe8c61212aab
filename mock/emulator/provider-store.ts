/**
 * State of the provider family (provider sign-in and custom tickets), kept apart from the main Store:
 *
 *  - the fake identity provider's authorization codes (issued by `GET /__emulator/provider/authorize`,
 *    exchanged once at `POST /auth/v1/provider/token`), in the spirit of navikt/mock-oauth2-server:
 *    no UI, the test picks the provider user through the authorize URL's query;
 *  - the profile each provider identity last showed (answered as `provider_profile`);
 *  - the custom-login keys (the current one, and a rotated one for its 2-hour grace) and which
 *    CloudBase user each custom uid is.
 *
 * One state per emulator, found through its Store; `POST /__emulator/reset` clears it
 * (handlers/emulator.ts resetEmulator) and puts the start-up custom-login key back.
 */
import type { KeyObject } from 'node:crypto';
import type { Clock } from './clock.ts';
import type { EmulatorParts } from './context.ts';
import { generateCustomLoginCredentials, publicKeyOf, type CustomLoginCredentials } from './custom-tickets.ts';
import type { Store } from './store.ts';
import { opaqueToken } from './tokens.ts';

/** Lifetimes of the family, seconds. */
export const PROVIDER_LIFETIMES = {
  /** INFERRED (OAuth2 practice, RFC 6749 §4.1.2 "maximum lifetime of 10 minutes"). */
  authorizationCode: 600,
  /** docs (custom login guide): a replaced private key stops working 2 hours later. */
  retiredCustomKeyGrace: 2 * 3600,
} as const;

export interface ProviderProfile {
  provider_id: string;
  sub: string;
  name?: string;
  email?: string;
  picture?: string;
  phone_number?: string;
}

export interface AuthorizationCode {
  code: string;
  providerId: string;
  redirectUri: string;
  clientId?: string;
  profile: ProviderProfile;
  expiresAt: number;
}

interface CustomKey {
  credentials: CustomLoginCredentials;
  publicKey: KeyObject;
}

/** Keeps the code table bounded under load: expired codes are swept when it grows past this. */
const SWEEP_CODES_ABOVE = 1000;

export class ProviderSignInState {
  readonly #codes = new Map<string, AuthorizationCode>();
  readonly #profiles = new Map<string, ProviderProfile>();
  readonly #subByCustomUid = new Map<string, string>();
  #customKey: CustomKey;
  #retiredKey: (CustomKey & { validUntil: number }) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly startupKey: CustomLoginCredentials,
  ) {
    this.#customKey = { credentials: startupKey, publicKey: publicKeyOf(startupKey) };
  }

  // ---- the fake provider ---------------------------------------------------------------------

  issueCode(input: Omit<AuthorizationCode, 'code' | 'expiresAt'>): AuthorizationCode {
    if (this.#codes.size > SWEEP_CODES_ABOVE) this.sweep();
    const entry: AuthorizationCode = { ...input, code: opaqueToken('pc.', 24), expiresAt: this.clock.now() + PROVIDER_LIFETIMES.authorizationCode };
    this.#codes.set(entry.code, entry);
    return entry;
  }

  /** Takes a code out for good (single use, OAuth2): undefined when unknown, used or expired. */
  redeemCode(code: string): AuthorizationCode | undefined {
    const entry = this.#codes.get(code);
    this.#codes.delete(code);
    return entry && entry.expiresAt > this.clock.now() ? entry : undefined;
  }

  rememberProfile(profile: ProviderProfile): void {
    this.#profiles.set(`${profile.provider_id}:${profile.sub}`, profile);
  }

  profileOf(providerId: string, providerUserId: string): ProviderProfile {
    return this.#profiles.get(`${providerId}:${providerUserId}`) ?? { provider_id: providerId, sub: providerUserId };
  }

  // ---- custom login ----------------------------------------------------------------------------

  get customLoginCredentials(): CustomLoginCredentials {
    return this.#customKey.credentials;
  }

  /** Key id -> public key of every key a ticket may be signed with now. */
  customLoginKeys(): Map<string, KeyObject> {
    const keys = new Map([[this.#customKey.credentials.private_key_id, this.#customKey.publicKey]]);
    const retired = this.#retiredKey;
    if (retired && retired.validUntil > this.clock.now()) keys.set(retired.credentials.private_key_id, retired.publicKey);
    return keys;
  }

  /** A new key, as the console's "download private key" does; the old one keeps working for 2 hours (docs). */
  rotateCustomLoginKey(next: CustomLoginCredentials): CustomLoginCredentials {
    this.#retiredKey = { ...this.#customKey, validUntil: this.clock.now() + PROVIDER_LIFETIMES.retiredCustomKeyGrace };
    this.#customKey = { credentials: next, publicKey: publicKeyOf(next) };
    return next;
  }

  subOfCustomUid(uid: string): string | undefined {
    return this.#subByCustomUid.get(uid);
  }

  linkCustomUid(uid: string, sub: string): void {
    this.#subByCustomUid.set(uid, sub);
  }

  // ---- housekeeping ----------------------------------------------------------------------------

  sweep(): void {
    const now = this.clock.now();
    for (const [code, entry] of this.#codes) if (entry.expiresAt <= now) this.#codes.delete(code);
  }

  reset(): void {
    this.#codes.clear();
    this.#profiles.clear();
    this.#subByCustomUid.clear();
    this.#customKey = { credentials: this.startupKey, publicKey: publicKeyOf(this.startupKey) };
    this.#retiredKey = undefined;
  }

  stats(): { authorization_codes: number; custom_users: number } {
    return { authorization_codes: this.#codes.size, custom_users: this.#subByCustomUid.size };
  }
}

const states = new WeakMap<Store, ProviderSignInState>();

/**
 * The provider family's state of this emulator, made on first use. The custom-login key is the one
 * configured (`--custom-login-key`), else one generated now and kept for the emulator's life.
 */
export function providerState(emu: EmulatorParts): ProviderSignInState {
  let state = states.get(emu.store);
  if (!state) {
    const key = emu.config.customLoginKey ?? generateCustomLoginCredentials(emu.config.envId);
    state = new ProviderSignInState(emu.clock, key);
    states.set(emu.store, state);
  }
  return state;
}

/** `POST /__emulator/reset`: forget codes, profiles and custom users; the start-up key again. */
export function resetProviderState(emu: EmulatorParts): void {
  states.get(emu.store)?.reset();
}
