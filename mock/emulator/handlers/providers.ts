/**
 * Third-party providers (docs https://docs.cloudbase.net/http-api/auth/user-providers): a fixed catalogue; provider tokens come from
 * `POST /__emulator/provider-tokens`.
 */
import type { BearerHandler, EmulatorParts } from '../context.ts';
import { failedPrecondition, invalidGrant, notFound } from '../errors.ts';
import { optionalBoolean, readJsonBody, requiredString } from '../request.ts';
import type { User } from '../store.ts';

export const PROVIDERS: readonly { id: string; name: string }[] = [
  { id: 'wx_open', name: 'WeChat' },
  { id: 'google', name: 'Google' },
  { id: 'github', name: 'GitHub' },
];

export const isKnownProvider = (id: string) => PROVIDERS.some((p) => p.id === id);
export const providerName = (id: string) => PROVIDERS.find((p) => p.id === id)?.name ?? id;

/** Binds the provider identity behind `providerToken` to `user`; the token is used up on success. */
export function bindProviderToken(emu: EmulatorParts, user: User, providerToken: string): void {
  const entry = emu.store.getProviderToken(providerToken);
  if (!entry) throw invalidGrant('provider token is invalid or expired');
  if (user.providers.has(entry.providerId)) throw failedPrecondition(`provider ${entry.providerId} is already bound`); // SDK 3.7: "账号已绑定" is 9
  const owner = emu.store.providerIdentityOwner(entry.providerId, entry.providerUserId);
  if (owner !== undefined && owner !== user.sub) throw failedPrecondition(`this ${entry.providerId} account is bound to another user`);
  emu.store.consumeProviderToken(providerToken);
  emu.store.bindProvider(user, entry.providerId, entry.providerUserId);
}

export const listProviders: BearerHandler = (c, _emu, { user }) => {
  const data = PROVIDERS.map((p) => {
    const providerUserId = user.providers.get(p.id);
    return { id: p.id, name: p.name, bind: providerUserId !== undefined, ...(providerUserId !== undefined && { provider_user_id: providerUserId }) };
  });
  return c.json({ total: data.length, data });
};

export const bindProvider: BearerHandler = async (c, emu, { user }) => {
  const body = await readJsonBody(c);
  const providerToken = requiredString(body, 'provider_token', { maxLength: 8192 });
  optionalBoolean(body, 'with_user_center');
  bindProviderToken(emu, user, providerToken);
  return c.json({});
};

export const unbindProvider: BearerHandler = (c, emu, { user }) => {
  const providerId = c.req.param('provider_id') ?? '';
  if (!emu.store.unbindProvider(user, providerId)) throw notFound(`provider ${providerId} is not bound`);
  return c.json({});
};
