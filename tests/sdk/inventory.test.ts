/**
 * The table in tests/sdk/methods.ts against the SDK itself: every method on the js-sdk auth object is in
 * the table, the table names no method the SDK lacks, and a `covered` (or `checkedIn`) file really calls
 * the method, so an SDK upgrade cannot add an untested method unnoticed.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { startSdkHarness, type SdkHarness } from './harness.ts';
import { sdkAuthMethods } from './methods.ts';

let harness: SdkHarness;
let prototype: object;
before(async () => {
  harness = await startSdkHarness();
  prototype = Object.getPrototypeOf(harness.client().auth) as object;
});
after(() => harness.close());

const sdkMethods = () => Object.getOwnPropertyNames(prototype).filter((name) => name !== 'constructor');

/** `.name(` for a method; for a getter (currentUser) `.name` not followed by more of an identifier. */
function callPattern(name: string): RegExp {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
  return descriptor?.get ? new RegExp(`\\.${name}(?![\\w$])`) : new RegExp(`\\.${name}\\(`);
}

describe('the SDK auth methods table (tests/sdk/methods.ts)', () => {
  test('lists every method the SDK auth object has', () => {
    const missing = sdkMethods().filter((name) => !(name in sdkAuthMethods));
    assert.deepEqual(missing, [], 'the SDK has methods the table does not list: add each with covered or leftOut');
  });

  test('lists no method the SDK auth object lacks', () => {
    const present = new Set(sdkMethods());
    const stale = Object.keys(sdkAuthMethods).filter((name) => !present.has(name));
    assert.deepEqual(stale, [], 'the table lists methods the SDK no longer has');
  });

  test('every leftOut entry gives a reason', () => {
    const bare = Object.entries(sdkAuthMethods).filter(([, entry]) => 'leftOut' in entry && entry.leftOut.trim().length < 20).map(([name]) => name);
    assert.deepEqual(bare, []);
  });

  test('every covered (and checkedIn) file calls its method', async () => {
    const texts = new Map<string, string>();
    const uncalled: string[] = [];
    for (const [name, entry] of Object.entries(sdkAuthMethods)) {
      const file = 'covered' in entry ? entry.covered : entry.checkedIn;
      if (!file) continue;
      if (!texts.has(file)) texts.set(file, await readFile(new URL(file, import.meta.url), 'utf8'));
      if (!callPattern(name).test(texts.get(file) ?? '')) uncalled.push(`${name} (${file})`);
    }
    assert.deepEqual(uncalled, [], 'these files do not call the method the table says they cover');
  });
});
