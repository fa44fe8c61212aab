import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { ConfigError, parseConfig, REPO_ROOT } from '../../fixtures/config.ts';
import { skipReason } from '../../fixtures/index.ts';
import { resolveTarget } from '../../fixtures/targets.ts';

const base = { CONTRACT_TARGET: 'live', CLOUDBASE_ENV_ID: 'my-env-1a2b' };

describe('live configuration', () => {
  it('a live target without an environment is refused, with how to fix it', () => {
    assert.throws(() => parseConfig({ CONTRACT_TARGET: 'live' }), (e: Error) => e instanceof ConfigError && /CLOUDBASE_ENV_ID/.test(e.message) && /CLOUDBASE_BASE_URL/.test(e.message));
  });

  it('the test account needs both its username and its password', () => {
    assert.throws(() => parseConfig({ ...base, CLOUDBASE_TEST_USERNAME: 'qa' }), /CLOUDBASE_TEST_PASSWORD is missing/);
    assert.throws(() => parseConfig({ ...base, CLOUDBASE_TEST_PASSWORD: 'x' }), /CLOUDBASE_TEST_USERNAME is missing/);
  });

  it('reads the code pacing, the monitor and the run files', () => {
    const config = parseConfig({ ...base, CLOUDBASE_CODE_RESEND_SECONDS: '0.5', CONTRACT_MONITOR: '1', CONTRACT_MONITOR_PORT: '15000', CONTRACT_LEDGER: 'l.jsonl' });
    assert.equal(config.live.codeResendSeconds, 0.5);
    assert.equal(config.monitor, true);
    assert.equal(config.monitorPort, 15000);
    assert.equal(config.ledgerPath, join(REPO_ROOT, 'l.jsonl'), 'relative to the repository, wherever the run starts');
    assert.equal(parseConfig(base).live.codeResendSeconds, 60, 'one code a minute by default');
  });

  it('refuses a secrets dump inside the repository, where reports are uploaded from', () => {
    assert.throws(() => parseConfig({ CONTRACT_SECRETS_DUMP: 'reports/secrets' }), /CONTRACT_SECRETS_DUMP="reports\/secrets" must be outside the repository/);
    assert.equal(parseConfig({ CONTRACT_SECRETS_DUMP: '/tmp/contract-secrets' }).secretsDump, '/tmp/contract-secrets');
  });

  it('refuses malformed values, all at once', () => {
    assert.throws(
      () => parseConfig({ ...base, CLOUDBASE_CODE_RESEND_SECONDS: 'soon', CONTRACT_MONITOR: 'yes', CONTRACT_MONITOR_PORT: '70000', CLOUDBASE_TEST_EMAIL: 'nobody' }),
      (e: Error) => e instanceof ConfigError && (e as ConfigError).problems.length === 4,
    );
  });
});

describe('live target', () => {
  it('goes through the contract monitor when asked; negative tests still go direct', () => {
    const target = resolveTarget('live', parseConfig({ ...base, CONTRACT_MONITOR: '1' }), { monitor: 'http://127.0.0.1:14012' });
    assert.equal(target.baseURL, 'http://127.0.0.1:14012');
    assert.equal(target.directURL, 'https://my-env-1a2b.ap-shanghai.tcb-api.tencentcloudapi.com');
    assert.equal(target.proxied, true);
    assert.equal(target.real, true);
    assert.equal(resolveTarget('emulator', parseConfig({})).real, false);
  });
});

describe('skip reasons on live', () => {
  const live = (env: Record<string, string>) => {
    const config = parseConfig({ ...base, ...env });
    return (tags: string[]) => skipReason(tags, resolveTarget('live', config), config);
  };
  const codes = { CLOUDBASE_TEST_PHONE: '+86 13900000001', CLOUDBASE_SMS_CODE_COMMAND: './sms.sh' };

  it('@account runs with the configured test account, or with a created one, and says how otherwise', () => {
    assert.equal(live({ CLOUDBASE_TEST_USERNAME: 'qa', CLOUDBASE_TEST_PASSWORD: 'pw' })(['@account']), undefined);
    assert.equal(live({ ...codes, CLOUDBASE_ALLOW_DESTRUCTIVE: '1' })(['@account']), undefined);
    assert.match(live(codes)(['@account']) ?? '', /CLOUDBASE_TEST_USERNAME and CLOUDBASE_TEST_PASSWORD/);
  });

  it('@sms needs the test phone as well as a code source', () => {
    assert.match(live({ CLOUDBASE_SMS_CODE: '123456' })(['@sms']) ?? '', /CLOUDBASE_TEST_PHONE/);
    assert.equal(live(codes)(['@sms']), undefined);
  });

  it('@destructive needs the opt-in', () => {
    assert.match(live(codes)(['@destructive', '@sms']) ?? '', /CLOUDBASE_ALLOW_DESTRUCTIVE=1/);
    assert.equal(live({ ...codes, CLOUDBASE_ALLOW_DESTRUCTIVE: '1' })(['@destructive', '@sms']), undefined);
  });

  it('@account is not skipped on the emulator', () => {
    const config = parseConfig({ CONTRACT_TARGET: 'emulator' });
    assert.equal(skipReason(['@account'], resolveTarget('emulator', config), config), undefined);
  });
});
