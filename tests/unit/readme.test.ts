/**
 * The README reads in the order a newcomer needs it (issue 14 item 12), with the performance detail in
 * docs/performance.md; and the npm scripts it documents behave as it says (items 8 and 10).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../../fixtures/config.ts';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1] ?? '');
const scripts = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('the README', () => {
  it('reads in a newcomer\'s order: what it is, two commands, targets, a failure, configuration, live, SDK authors, reports, CI', () => {
    const order = ['The two commands', 'Targets', 'Reading a failure', 'Configuration', 'Running against a live environment', 'Emulator for SDK authors', 'Reports', 'CI and sharding'];
    const at = order.map((title) => headings.indexOf(title));
    assert.ok(at.every((i) => i >= 0), `missing: ${order.filter((_, i) => (at[i] ?? -1) < 0).join(', ')}`);
    assert.deepEqual([...at].sort((a, b) => a - b), at, `in this order: ${order.join(' > ')}; found ${headings.join(' > ')}`);
    assert.ok(readme.indexOf('## The two commands') > readme.indexOf('End-to-end **contract tests'), 'what it is comes first');
    for (const place of ['Security', 'Differences from the skill document', 'Layout', 'Performance']) assert.ok(headings.includes(place), `a place for "${place}"`);
  });

  it('keeps a short performance summary; the detail is in docs/performance.md', () => {
    const section = readme.slice(readme.indexOf('## Performance'), readme.indexOf('\n## ', readme.indexOf('## Performance') + 3));
    assert.ok(section.split('\n').length <= 15, `${section.split('\n').length} lines`);
    assert.match(section, /docs\/performance\.md/);
    assert.ok(existsSync(join(REPO_ROOT, 'docs/performance.md')));
    assert.ok(headings.indexOf('Performance') > headings.indexOf('CI and sharding'), 'after what a newcomer needs');
  });
});

describe('the npm scripts', () => {
  it('unit and end-to-end tests print a compact report, not a TAP line per test', () => {
    assert.match(scripts['test:unit'] ?? '', /--test-reporter=dot/);
    assert.match(scripts['test:e2e'] ?? '', /--test-reporter=dot/);
  });

  it('npm run mock takes its port from the command line (no port in the script)', () => {
    assert.doesNotMatch(scripts.mock ?? '', /--port/);
    assert.match(scripts.mock ?? '', /scripts\/mock\.ts/);
  });
});
