/**
 * reports/junit.xml (reporters/junit.ts): every test name says its target, so a CI dashboard keeps
 * the prism and emulator results of one flow apart; a contract failure is a <failure>, a test that
 * could not reach a verdict (timeout, crash, server down) an <error>; a skip carries its reason.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { FullConfig, Suite } from '@playwright/test/reporter';
import JUnitReporter, { classify } from '../../reporters/junit.ts';

type Outcome = 'expected' | 'unexpected' | 'skipped' | 'flaky';
const root = '/repo/specs';
function fakeTest(project: string, title: string, outcome: Outcome, errors: string[] = [], skip?: string) {
  return {
    title,
    location: { file: `${root}/tokens.spec.ts`, line: 1, column: 1 },
    titlePath: () => ['', project, 'tokens.spec.ts', 'tokens', title],
    outcome: () => outcome,
    annotations: skip ? [{ type: 'skip', description: skip }] : [],
    results: [{ duration: 120, status: outcome === 'unexpected' ? 'failed' : 'passed', errors: errors.map((message) => ({ message })), stdout: [], stderr: [] }],
  };
}
function fakeSuite(projects: Record<string, ReturnType<typeof fakeTest>[]>): Suite {
  return {
    suites: Object.entries(projects).map(([title, tests]) => ({ title, allTests: () => tests, project: () => ({ name: title, use: { targetName: title.replace(/-serial$/, '') } }) })),
  } as unknown as Suite;
}

describe('the JUnit report', () => {
  const contract = 'POST /auth/v1/signin -> 200: body does not match TokenResponse\n  body.expires_in must be integer >= 1; found "7200"';
  const write = () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-'));
    const file = join(dir, 'junit.xml');
    const reporter = new JUnitReporter({ outputFile: file });
    reporter.onBegin({ rootDir: root, configFile: '/repo/playwright.config.ts' } as FullConfig, fakeSuite({
      prism: [fakeTest('prism', 'a token is issued', 'expected'), fakeTest('prism', 'a token rotates @stateful', 'skipped', [], 'needs a stateful target (prism answers with examples)')],
      emulator: [fakeTest('emulator', 'a token is issued', 'unexpected', [contract]), fakeTest('emulator', 'a token rotates @stateful', 'unexpected', ['Test timeout of 30000ms exceeded.'])],
      'emulator-serial': [fakeTest('emulator-serial', 'an expired token is refused @serial', 'expected')],
    }));
    const saved = process.env.PLAYWRIGHT_JUNIT_OUTPUT_FILE;
    delete process.env.PLAYWRIGHT_JUNIT_OUTPUT_FILE;
    try {
      reporter.onEnd();
    } finally {
      if (saved !== undefined) process.env.PLAYWRIGHT_JUNIT_OUTPUT_FILE = saved;
    }
    const xml = readFileSync(file, 'utf8');
    rmSync(dir, { recursive: true, force: true });
    return xml;
  };

  it('names every test with its target, so one flow on two targets is two tests', () => {
    const names = [...write().matchAll(/<testcase name="([^"]+)" classname="([^"]+)"/g)].map((m) => `${m[1]} | ${m[2]}`);
    assert.deepEqual(names, [
      '[prism] tokens.spec.ts › tokens › a token is issued | prism.tokens.spec.ts',
      '[prism] tokens.spec.ts › tokens › a token rotates @stateful | prism.tokens.spec.ts',
      '[emulator] tokens.spec.ts › tokens › a token is issued | emulator.tokens.spec.ts',
      '[emulator] tokens.spec.ts › tokens › a token rotates @stateful | emulator.tokens.spec.ts',
      '[emulator] tokens.spec.ts › tokens › an expired token is refused @serial | emulator.tokens.spec.ts',
    ]);
  });

  it('writes a contract failure as <failure>, a timeout as <error>, a skip with its reason', () => {
    const xml = write();
    assert.match(xml, /<failure message="POST \/auth\/v1\/signin -&gt; 200: body does not match TokenResponse" type="ContractFailure">/);
    assert.match(xml, /<error message="Test timeout of 30000ms exceeded\." type="NoVerdict">/);
    assert.match(xml, /<skipped message="needs a stateful target \(prism answers with examples\)"\/>/);
    assert.match(xml, /<testsuite name="emulator" hostname="emulator" [^>]*tests="2" failures="1" errors="1" skipped="0"/);
    assert.match(xml, /<testsuite name="emulator-serial" hostname="emulator" [^>]*tests="1" failures="0"/);
    assert.match(xml, /<testsuites name="contract" tests="5" failures="1" errors="1" skipped="1"/);
  });

  it('counts an assertion on behaviour and a server that is down apart', () => {
    assert.equal(classify([{ message: 'expected POST /auth/v1/token to answer the error invalid_grant: status 200 is not an error status' }]), 'failure');
    assert.equal(classify([{ message: 'Error: expect(received).toBe(expected)' }]), 'failure');
    assert.equal(classify([{ message: 'apiRequestContext.post: connect ECONNREFUSED 127.0.0.1:14011' }]), 'error');
    assert.equal(classify([{ message: 'Test timeout of 30000ms exceeded.' }, { message: contract }]), 'failure', 'a contract failure among them is a verdict');
  });
});
