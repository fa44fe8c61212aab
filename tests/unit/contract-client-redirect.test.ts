/**
 * The one fetch-based client never follows a redirect: a 3xx from the API is a failure that names where
 * it pointed, and nothing is sent there (a followed 307/308 would resend the password).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContractClient, ContractDepartureError, type FetchLike } from '../../contract/index.ts';

test('a 307 from the API is refused, named, and not followed', async () => {
  const seen: { url: string; redirect?: RequestRedirect }[] = [];
  const transport: FetchLike = (url, init) => {
    seen.push({ url, redirect: init.redirect });
    return new Response(null, { status: 307, headers: { location: 'https://elsewhere.example/collect?password=x' } });
  };
  const client = new ContractClient({ baseURL: 'http://127.0.0.1:9', fetch: transport });
  await assert.rejects(
    client.post('/auth/v1/signin', { data: { username: 'ada', password: 'Secret-1x' } }),
    (error: unknown) => error instanceof ContractDepartureError && /redirecting to https:\/\/elsewhere\.example\/collect\?\[query not shown\]/.test(error.message),
  );
  assert.equal(seen.length, 1, 'the redirect was followed');
  assert.equal(seen[0]?.redirect, 'manual');
});
