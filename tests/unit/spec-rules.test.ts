/**
 * Rules the specs keep, checked on their source (issue 14 item 13): responses may grow, so no spec
 * compares a whole body with an object literal (`toEqual({})`, `toStrictEqual({...})`); a spec asserts
 * the fields that matter (`toMatchObject`, `not.toHaveProperty`) and lets unknown fields pass.
 * And every @serial test needs the emulator's control endpoints, so only that target holds them back.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../../fixtures/config.ts';

function specFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? specFiles(path) : name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('the specs', () => {
  it('never compare a whole response body with an object literal', () => {
    const whole = /\.(?:toEqual|toStrictEqual)\(\s*\{/;
    const offenders = specFiles(join(REPO_ROOT, 'specs')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (whole.test(line) ? [`${relative(REPO_ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    assert.deepEqual(offenders, [], 'assert the fields that matter (toMatchObject, not.toHaveProperty) instead');
  });

  it('tag every @serial test @emulator-control too (only the emulator target holds serial tests back)', () => {
    const offenders = specFiles(join(REPO_ROOT, 'specs')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (line.includes("'@serial'") && !line.includes("'@emulator-control'") ? [`${relative(REPO_ROOT, file)}:${i + 1}`] : [])),
    );
    assert.deepEqual(offenders, [], 'playwright.config.ts runs @serial tests one at a time on the emulator only');
  });
});
