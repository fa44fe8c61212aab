/**
 * The coverage reporter's aggregation (reporters/coverage.ts), as a pure function over observations.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { operationById, operations } from '../../fixtures/contract/index.ts';
import { COVERAGE_EXEMPTIONS } from '../../reporters/coverage-exemptions.ts';
import { buildCoverage, formatMarkdown, formatTable, parseExchange, targetOfProject, type CoverageMatrix } from '../../reporters/coverage.ts';

const signIn = operationById('signIn'); // 200, 400, 401, 501, 4XX
const getCerts = operationById('getCerts'); // 200, 4XX

function cell(matrix: CoverageMatrix, operation: string, status: string, target: string) {
  const row = matrix.operations.find((o) => o.operation === operation)?.statuses[status];
  assert.ok(row, `${operation} documents ${status}`);
  return row[target];
}

describe('coverage aggregation', () => {
  test('exchange names and project names are read the way the client and the config write them', () => {
    assert.deepEqual(parseExchange('DELETE /auth/v1/user/provider/{provider_id} -> 404'), { operation: 'DELETE /auth/v1/user/provider/{provider_id}', status: 404 });
    assert.equal(parseExchange('faker-seed'), undefined);
    assert.equal(parseExchange('POST /auth/v1/signin -> 20'), undefined);
    assert.equal(targetOfProject('emulator-serial'), 'emulator');
    assert.equal(targetOfProject('prism'), 'prism');
  });

  test('a status counts under its exact key first, then its range; serial projects count for their target', () => {
    const matrix = buildCoverage({
      operations: [signIn],
      targets: ['emulator'],
      observations: [
        { target: 'emulator', exchanges: ['POST /auth/v1/signin -> 200', 'POST /auth/v1/signin -> 400', 'faker-seed'] },
        { target: targetOfProject('emulator-serial'), exchanges: ['POST /auth/v1/signin -> 501', 'POST /auth/v1/signin -> 404', 'POST /auth/v1/signin -> 413', 'POST /auth/v1/signin -> 404'] },
      ],
    });
    assert.deepEqual(cell(matrix, 'POST /auth/v1/signin', '400', 'emulator'), { state: 'exercised', count: 1 });
    assert.deepEqual(cell(matrix, 'POST /auth/v1/signin', '501', 'emulator'), { state: 'exercised', count: 1 });
    assert.deepEqual(cell(matrix, 'POST /auth/v1/signin', '4XX', 'emulator'), { state: 'exercised', count: 3, seen: [404, 413] });
    assert.deepEqual(cell(matrix, 'POST /auth/v1/signin', '401', 'emulator'), { state: 'missing', count: 0 });
    assert.deepEqual(matrix.missing.emulator, ['POST /auth/v1/signin 401']);
    assert.deepEqual(matrix.summary.emulator, { documented: 5, exercised: 4, exempt: 0, missing: 1 });
  });

  test('targets are kept apart; a target that did not run an operation shows it missing', () => {
    const matrix = buildCoverage({
      operations: [getCerts],
      targets: ['prism', 'emulator'],
      observations: [{ target: 'prism', exchanges: ['GET /auth/v1/certs -> 200'] }],
    });
    assert.equal(cell(matrix, 'GET /auth/v1/certs', '200', 'prism')?.state, 'exercised');
    assert.equal(cell(matrix, 'GET /auth/v1/certs', '200', 'emulator')?.state, 'missing');
    assert.deepEqual(matrix.missing.emulator, ['GET /auth/v1/certs 200', 'GET /auth/v1/certs 4XX']);
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
    assert.equal(cell(matrix, 'POST /auth/v1/signin', '401', 'prism')?.state, 'missing');
    assert.equal(cell(matrix, 'POST /auth/v1/signin', '4XX', 'prism')?.state, 'exempt');
    assert.equal(cell(matrix, 'GET /auth/v1/certs', '4XX', 'prism')?.state, 'exempt');
    assert.equal(cell(matrix, 'GET /auth/v1/certs', '4XX', 'emulator')?.state, 'missing');
    assert.deepEqual(matrix.summary.prism, { documented: 7, exercised: 0, exempt: 2, missing: 5 });
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
      observations: [{ target: 'emulator', exchanges: ['POST /auth/v1/signin -> 401'] }],
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
      observations: [{ target: 'emulator', exchanges: ['PUT /auth/v1/user/me -> 405', 'PUT /auth/v1/user/me -> 405', 'POST /auth/v1/signin -> 503'] }],
    });
    assert.deepEqual(matrix.outsideContract, { emulator: { 'PUT /auth/v1/user/me -> 405': 2 } });
    assert.deepEqual(matrix.undocumented, { emulator: { 'POST /auth/v1/signin -> 503': 1 } });
    assert.equal(matrix.summary.emulator?.exercised, 0);
  });

  test('the table has one line per operation and the markdown one row per documented status, with the reasons', () => {
    const matrix = buildCoverage({
      operations,
      targets: ['prism', 'emulator'],
      observations: [{ target: 'emulator', exchanges: ['POST /auth/v1/signin -> 200'] }],
      exemptions: COVERAGE_EXEMPTIONS,
    });
    const table = formatTable(matrix).split('\n');
    for (const operation of operations) {
      assert.ok(table.some((line) => line.startsWith(`${operation.method} ${operation.pathTemplate} `)), `${operation.operationId} has a line`);
    }
    assert.match(table.find((line) => line.startsWith('POST /auth/v1/signin ')) ?? '', /200✗ 400✗ 401✗ 501✗ 4XX~ +200✓ 400✗ 401~ 501~ 4XX✗$/);
    const markdown = formatMarkdown(matrix, 'now');
    const rows = markdown.split('\n').filter((line) => line.startsWith('| `'));
    assert.equal(rows.length, operations.reduce((n, o) => n + Object.keys(o.responses).length, 0));
    assert.match(markdown, /\| `POST \/auth\/v1\/signin` \| 401 \| ✗ missing \| ~ exempt \[\d\] \|/);
    assert.match(markdown, /## Why a status is exempt\n\n1\. /);
    assert.deepEqual(matrix.staleExemptions, [], 'every exemption in reporters/coverage-exemptions.ts names a documented status');
  });
});
