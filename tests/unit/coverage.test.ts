/**
 * The coverage reporter's aggregation (reporters/coverage.ts), as a pure function over observations.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { operationById, operations } from '../../contract/index.ts';
import { COVERAGE_EXEMPTIONS } from '../../reporters/coverage-exemptions.ts';
import type { ExchangeSeen } from '../../fixtures/attachments.ts';
import { buildCoverage, formatMarkdown, formatTable, targetOfProject, type CoverageMatrix } from '../../reporters/coverage.ts';

/** One exchange of a test, as the client attaches it. */
const ex = (operation: string, status: number, inContract = true): ExchangeSeen => ({ operation, status, inContract });

const signIn = operationById('signIn'); // 200, 400, 401, 501, 4XX
const getCerts = operationById('getCerts'); // 200, 4XX

function cell(matrix: CoverageMatrix, operation: string, status: string, target: string) {
  const row = matrix.operations.find((o) => o.operation === operation)?.statuses[status];
  assert.ok(row, `${operation} documents ${status}`);
  return row[target];
}

describe('coverage aggregation', () => {
  test('project names are read the way the config writes them', () => {
    assert.equal(targetOfProject('emulator-serial'), 'emulator');
    assert.equal(targetOfProject('prism'), 'prism');
  });

  test('a status counts under its exact key first, then its range; serial projects count for their target', () => {
    const matrix = buildCoverage({
      operations: [signIn],
      targets: ['emulator'],
      observations: [
        { target: 'emulator', exchanges: [ex('POST /auth/v1/signin', 200), ex('POST /auth/v1/signin', 400)] },
        { target: targetOfProject('emulator-serial'), exchanges: [ex('POST /auth/v1/signin', 501), ex('POST /auth/v1/signin', 404), ex('POST /auth/v1/signin', 413), ex('POST /auth/v1/signin', 404)] },
      ],
    });
    assert.deepEqual(cell(matrix, 'POST /auth/v1/signin', '400', 'emulator'), { state: 'exercised', count: 1 });
    assert.deepEqual(cell(matrix, 'POST /auth/v1/signin', '501', 'emulator'), { state: 'exercised', count: 1 });
    assert.deepEqual(cell(matrix, 'POST /auth/v1/signin', '4XX', 'emulator'), { state: 'exercised', count: 3, seen: [404, 413] });
    assert.deepEqual(cell(matrix, 'POST /auth/v1/signin', '401', 'emulator'), { state: 'missing', count: 0 });
    assert.deepEqual(matrix.missing.emulator, ['POST /auth/v1/signin 401']);
    assert.deepEqual(matrix.summary.emulator, { documented: 5, exercised: 4, exempt: 0, missing: 1, notRun: 0 });
  });

  test('targets are kept apart; an operation no test of the run called on a target is not run there, not a gap', () => {
    const matrix = buildCoverage({
      operations: [getCerts],
      targets: ['prism', 'emulator'],
      observations: [{ target: 'prism', exchanges: [ex('GET /auth/v1/certs', 200)] }],
    });
    assert.equal(cell(matrix, 'GET /auth/v1/certs', '200', 'prism')?.state, 'exercised');
    assert.deepEqual(matrix.missing.prism, ['GET /auth/v1/certs 4XX']);
    assert.equal(cell(matrix, 'GET /auth/v1/certs', '200', 'emulator')?.state, 'not-run');
    assert.deepEqual(matrix.missing.emulator, []);
    assert.deepEqual(matrix.notRun.emulator, ['GET /auth/v1/certs']);
  });

  test('a failed test puts its operations in scope but exercises nothing; a cell names the tests that exercised it', () => {
    const passing = { title: 'certs > the keys are published', file: '/repo/specs/tokens.spec.ts', line: 12 };
    const matrix = buildCoverage({
      operations: [getCerts, signIn],
      targets: ['emulator'],
      observations: [
        { target: 'emulator', test: passing, exchanges: [ex('GET /auth/v1/certs', 200), ex('GET /auth/v1/certs', 200)] },
        { target: 'emulator', passed: false, test: { title: 'sign-in > fails', file: '/repo/specs/x.spec.ts', line: 3 }, exchanges: [ex('POST /auth/v1/signin', 200)] },
      ],
    });
    assert.deepEqual(cell(matrix, 'GET /auth/v1/certs', '200', 'emulator'), { state: 'exercised', count: 2, tests: [passing] });
    assert.equal(cell(matrix, 'POST /auth/v1/signin', '200', 'emulator')?.state, 'missing');
    assert.deepEqual(matrix.notRun.emulator, []);
    const markdown = formatMarkdown(matrix, 'now', (t) => `../specs/${t.file.split('/').pop()}#L${t.line}`);
    assert.ok(markdown.includes('| `GET /auth/v1/certs` | 200 | ✓ 2: [certs > the keys are published](../specs/tokens.spec.ts#L12) |'), markdown);
  });

  test('exemptions mark a status exempt with its reason, per target and for every operation with `*`', () => {
    const matrix = buildCoverage({
      operations: [signIn, getCerts],
      targets: ['emulator', 'prism'],
      observations: [],
      exemptions: [
        { target: 'emulator', operation: 'POST /auth/v1/signin', status: '401', why: 'no condition' },
        { target: 'prism', operation: '*', status: '4XX', why: 'ranges' },
      ],
    });
    assert.deepEqual(cell(matrix, 'POST /auth/v1/signin', '401', 'emulator'), { state: 'exempt', count: 0, why: 'no condition' });
    assert.equal(cell(matrix, 'POST /auth/v1/signin', '401', 'prism')?.state, 'not-run');
    assert.equal(cell(matrix, 'POST /auth/v1/signin', '4XX', 'prism')?.state, 'exempt');
    assert.equal(cell(matrix, 'GET /auth/v1/certs', '4XX', 'prism')?.state, 'exempt');
    assert.equal(cell(matrix, 'GET /auth/v1/certs', '4XX', 'emulator')?.state, 'not-run');
    assert.deepEqual(matrix.summary.prism, { documented: 7, exercised: 0, exempt: 2, missing: 0, notRun: 5 });
    assert.deepEqual(matrix.staleExemptions, []);
  });

  test('an exemption that no longer applies is reported: exercised after all, unknown operation, undocumented status', () => {
    const exercised = { target: 'emulator', operation: 'POST /auth/v1/signin', status: '401', why: 'x' };
    const unknownOperation = { target: 'emulator', operation: 'POST /auth/v1/nowhere', status: '400', why: 'x' };
    const undocumentedStatus = { target: 'emulator', operation: '*', status: '418', why: 'x' };
    const otherTarget = { target: 'live', operation: 'POST /auth/v1/nowhere', status: '400', why: 'not in this run' };
    const matrix = buildCoverage({
      operations: [signIn],
      targets: ['emulator'],
      observations: [{ target: 'emulator', exchanges: [ex('POST /auth/v1/signin', 401)] }],
      exemptions: [exercised, unknownOperation, undocumentedStatus, otherTarget],
    });
    assert.equal(cell(matrix, 'POST /auth/v1/signin', '401', 'emulator')?.state, 'exercised');
    assert.deepEqual(
      matrix.staleExemptions.map((s) => [s.exemption, s.problem]),
      [
        [exercised, 'POST /auth/v1/signin 401 was exercised on emulator after all'],
        [unknownOperation, 'the contract has no operation POST /auth/v1/nowhere'],
        [undocumentedStatus, 'no operation documents 418'],
      ],
    );
  });

  test('exchanges outside the contract and undocumented statuses are counted, not matched to an operation', () => {
    const matrix = buildCoverage({
      operations: [signIn],
      targets: ['emulator'],
      observations: [{ target: 'emulator', exchanges: [ex('PUT /auth/v1/user/me', 405, false), ex('PUT /auth/v1/user/me', 405, false), ex('POST /auth/v1/signin', 503)] }],
    });
    assert.deepEqual(matrix.outsideContract, { emulator: { 'PUT /auth/v1/user/me -> 405': 2 } });
    assert.deepEqual(matrix.undocumented, { emulator: { 'POST /auth/v1/signin -> 503': 1 } });
    assert.equal(matrix.summary.emulator?.exercised, 0);
  });

  test('the table has one line per operation and the markdown one row per documented status, with the reasons', () => {
    const matrix = buildCoverage({
      operations,
      targets: ['prism', 'emulator'],
      observations: [{ target: 'emulator', exchanges: [ex('POST /auth/v1/signin', 200)] }],
      exemptions: COVERAGE_EXEMPTIONS,
    });
    const table = formatTable(matrix).split('\n');
    for (const operation of operations) {
      assert.ok(table.some((line) => line.startsWith(`${operation.method} ${operation.pathTemplate} `)), `${operation.operationId} has a line`);
    }
    assert.match(table.find((line) => line.startsWith('POST /auth/v1/signin ')) ?? '', /200· 400· 401· 501· 4XX~ +200✓ 400✗ 401~ 501~ 4XX✗$/);
    const markdown = formatMarkdown(matrix, 'now');
    const rows = markdown.split('\n').filter((line) => line.startsWith('| `'));
    assert.equal(rows.length, operations.reduce((n, o) => n + Object.keys(o.responses).length, 0));
    assert.match(markdown, /\| `POST \/auth\/v1\/signin` \| 401 \| · not run \| ~ exempt \[\d\] \|/);
    assert.match(markdown, /## Not called by this run/);
    assert.match(markdown, /## Why a status is exempt\n\n1\. /);
    assert.deepEqual(matrix.staleExemptions, [], 'every exemption in reporters/coverage-exemptions.ts names a documented status');
  });
});
