/**
 * Flows that fail on purpose, run only by tests/e2e/live-reports.test.ts against the emulator posing
 * as a live environment (with the contract monitor on). They put secrets where Playwright itself
 * writes them (expect() messages, console output, thrown errors, step errors) and make the server
 * drift from the contract, so the redaction test covers failure output and the known-deviations
 * mechanism is seen deciding between "known" and "new drift". Not part of the contract suite.
 */
import { test, expect, ok, verificationRequest } from '../../../fixtures/index.ts';

// One test, many failures (soft assertions go on): each failing test restarts a worker, which is slow.
test('leaky: secrets in failure output', async ({ api, accounts }, testInfo) => {
  const account = await accounts.signedIn();
  const created = await accounts.signedUpByPhone();
  const sudoToken = await accounts.sudo(created);
  // Playwright writes both values into its message.
  expect.soft(account.tokens.refresh_token, 'the refresh token').toBe('not-the-refresh-token');
  // A secret as the expectation's own message (Playwright's step title).
  expect.soft(created.tokens.refresh_token, `refresh token ${created.tokens.refresh_token}`).toBe(sudoToken);
  console.log(`access token ${account.tokens.access_token}`);
  console.error(`password ${account.password}`);
  await testInfo.attach('raw tokens', { body: JSON.stringify(account.tokens), contentType: 'application/json' });
  await test.step('compare the sudo token', async () => {
    expect.soft(sudoToken).toBe(created.password);
  });
  await test.step(`a step titled with ${sudoToken}`, async () => {
    throw new Error(`thrown in a step with ${created.password}`);
  }).catch(() => undefined);
  const answer = await api.post('/auth/v1/signin', { data: { username: account.username, password: account.password } });
  await expect.soft(answer).toBeAuthError('invalid_password');
  throw new Error(`failing with ${account.tokens.access_token}, ${sudoToken} and ${account.password}`);
});

test.describe('leaky: known deviations and new drift', () => {
  test('known: expires_in comes back as a string', async ({ api, accounts }) => {
    const account = await accounts.signedIn();
    ok(await api.post('/auth/v1/signin', { data: { username: account.username, password: account.password }, headers: { 'x-e2e-drift': 'expires_in-as-string' }, direct: 'the suite judges the drifted body itself' }));
  });

  test('new drift: token_type comes back in lower case', async ({ api, accounts }) => {
    const account = await accounts.signedIn();
    ok(await api.post('/auth/v1/signin', { data: { username: account.username, password: account.password }, headers: { 'x-e2e-drift': 'token_type-lowercase' }, direct: 'the suite judges the drifted body itself' }));
  });

  test('the contract monitor reports a drift it sees', async ({ api, accounts }) => {
    const account = await accounts.signedIn();
    ok(await api.post('/auth/v1/signin', { data: { username: account.username, password: account.password }, headers: { 'x-e2e-drift': 'expires_in-as-string' } }));
  });
});

test.describe('leaky: live guards that pass', () => {
  test('the configured test account cannot be deleted or changed', async ({ api, accounts }) => {
    const account = await accounts.signedIn();
    await expect(api.delete('/auth/v1/user/me', { token: account.tokens.access_token, params: { sudo_token: 'whatever-sudo' } })).rejects.toThrow(/refused, this would change or delete the configured test account/);
    await expect(api.patch('/auth/v1/user/password', { token: account.tokens.access_token, data: { sudo_token: 'whatever-sudo', new_password: 'Nn1!nnnnnnnn' } })).rejects.toThrow(/refused/);
  });

  test('a rate-limited code send is retried after the back-off, not failed', async ({ api, accounts }, testInfo) => {
    const account = await accounts.signedUpByPhone();
    ok(await api.post('/auth/v1/verification', { data: verificationRequest(account.recipient, 'USER') }));
    // A second code at once: the emulator (resend interval 1 s) answers 429, the client waits and sends again.
    ok(await api.post('/auth/v1/verification', { data: verificationRequest(account.recipient, 'USER') }));
    expect(testInfo.annotations.map((a) => a.type)).toContain('rate-limited');
  });

  test('a code to a generated phone number is skipped on a live environment', async ({ api }) => {
    await api.post('/auth/v1/verification', { data: { phone_number: '+86 13800000042', target: 'ANY' } });
    expect('never reached').toBe('the client skips the test before sending');
  });
});
