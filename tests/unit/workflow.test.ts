/**
 * The CI example (.github/workflows/contract.yml), issue 14 item 11: it tests on both current Node LTS
 * lines (never a line past its end of life), and its live job is safe unless someone asks otherwise.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../fixtures/config.ts';

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  strategy?: { matrix?: { node?: string[] } };
  env?: Record<string, string>;
  steps: Step[];
}
const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/contract.yml'), 'utf8')) as {
  on: { workflow_dispatch: { inputs: { destructive: { default: boolean } } } };
  jobs: Record<string, Job>;
};
const nodeVersions = (job: Job) => job.steps.filter((s) => s.uses?.startsWith('actions/setup-node')).map((s) => String(s.with?.['node-version']));

describe('the CI example', () => {
  it('runs npm test on both current LTS lines, and nothing on a fixed old line', () => {
    const local = workflow.jobs.local as Job;
    assert.deepEqual(local.strategy?.matrix?.node, ['lts/*', 'lts/-1']);
    assert.deepEqual(nodeVersions(local), ['${{ matrix.node }}']);
    for (const job of Object.values(workflow.jobs)) for (const version of nodeVersions(job)) assert.doesNotMatch(version, /^\d/, 'an LTS alias, not a fixed major version');
  });

  it('does not create, change or delete accounts on the live environment unless asked', () => {
    assert.equal(workflow.on.workflow_dispatch.inputs.destructive.default, false);
    const expression = workflow.jobs.live?.env?.CLOUDBASE_ALLOW_DESTRUCTIVE ?? '';
    // The nightly run is destructive only with an explicit repository variable; a manual one only when ticked.
    assert.match(expression, /github\.event_name == 'schedule' && vars\.CONTRACT_LIVE_DESTRUCTIVE == '1'/);
    assert.match(expression, /github\.event_name == 'workflow_dispatch' && inputs\.destructive/);
    assert.match(expression, /&& '1' \|\| '0'/);
  });
});
