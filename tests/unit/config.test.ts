import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, liveBaseURL, parseConfig } from '../../fixtures/config.ts';

describe('configuration', () => {
  it('defaults to the prism target with a random seed', () => {
    const config = parseConfig({});
    assert.deepEqual(config.targets, ['prism']);
    assert.ok(Number.isInteger(config.fakerSeed));
    assert.equal(config.live.region, 'ap-shanghai');
    assert.equal(config.live.allowDestructive, false);
  });

  it('reads targets, seed and live values', () => {
    const config = parseConfig({
      CONTRACT_TARGET: 'emulator, live',
      FAKER_SEED: '42',
      CLOUDBASE_ENV_ID: 'my-env-1a2b',
      CLOUDBASE_TEST_PHONE: '+86 13800000000',
      CLOUDBASE_ALLOW_DESTRUCTIVE: '1',
    });
    assert.deepEqual(config.targets, ['emulator', 'live']);
    assert.equal(config.fakerSeed, 42);
    assert.equal(config.live.clientId, 'my-env-1a2b', 'the client id defaults to the env id');
    assert.equal(liveBaseURL(config.live), 'https://my-env-1a2b.ap-shanghai.tcb-api.tencentcloudapi.com');
    assert.equal(config.live.allowDestructive, true);
  });

  it('CLOUDBASE_BASE_URL overrides the derived origin', () => {
    const config = parseConfig({ CONTRACT_TARGET: 'live', CLOUDBASE_BASE_URL: 'http://127.0.0.1:8787/' });
    assert.equal(liveBaseURL(config.live), 'http://127.0.0.1:8787');
  });

  it('lists every problem at once, each with how to fix it', () => {
    assert.throws(
      () =>
        parseConfig({
          CONTRACT_TARGET: 'prism,staging',
          FAKER_SEED: 'abc',
          CLOUDBASE_REGION: 'Shanghai',
          CLOUDBASE_TEST_PHONE: '13800000000',
          EMULATOR_URL: 'localhost:8787',
          CLOUDBASE_ALLOW_DESTRUCTIVE: 'yes',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 6, error.message);
        for (const name of ['CONTRACT_TARGET', 'FAKER_SEED', 'CLOUDBASE_REGION', 'CLOUDBASE_TEST_PHONE', 'EMULATOR_URL', 'CLOUDBASE_ALLOW_DESTRUCTIVE']) {
          assert.match(error.message, new RegExp(name));
        }
        assert.match(error.message, /example: CLOUDBASE_TEST_PHONE="\+86 13800000000"/);
        assert.match(error.message, /\.env\.example/);
        return true;
      },
    );
  });

  it('the live target without an environment says what to set', () => {
    assert.throws(() => parseConfig({ CONTRACT_TARGET: 'live' }), /CLOUDBASE_ENV_ID .* or CLOUDBASE_BASE_URL/);
  });
});
