/**
 * The operations table of docs/sdk-authors.md is generated from the route table: it fails when a
 * route or a contract operation changed and `npm run docs:operations` was not run.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DOC, renderTable, withCurrentTable } from '../../scripts/operations-table.ts';
import { API_ROUTES, EMULATOR_ROUTES } from '../../mock/emulator/routes.ts';

test('the committed operations table is current (npm run docs:operations)', () => {
  const doc = readFileSync(DOC, 'utf8');
  assert.ok(withCurrentTable(doc) === doc, 'docs/sdk-authors.md: the operations table is stale; run npm run docs:operations');
});

test('the table has a row for every route', () => {
  const table = renderTable();
  for (const route of [...API_ROUTES, ...EMULATOR_ROUTES]) {
    assert.ok(table.includes(`| ${route.method} | \`${route.path.replace(/:([^/]+)/g, '{$1}')}\` |`), `${route.method} ${route.path}`);
  }
});
