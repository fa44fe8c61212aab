#!/usr/bin/env node
/* global URLSearchParams, fetch, AbortSignal */
/**
 * A code command for the emulator posing as a live environment (CLOUDBASE_SMS_CODE_COMMAND /
 * CLOUDBASE_EMAIL_CODE_COMMAND): prints the code the emulator "sent" for CODE_VERIFICATION_ID to
 * CODE_RECIPIENT, read from GET /__emulator/verification-codes. It is what a team whose SMS gateway
 * has an API writes for their own gateway.
 *
 * Env: CODE_RECIPIENT, CODE_VERIFICATION_ID (set by the suite), EMULATOR_CONTROL_URL (default
 * CLOUDBASE_BASE_URL). Plain JavaScript: it runs once per code and must start fast.
 */
const recipient = process.env.CODE_RECIPIENT;
const verificationId = process.env.CODE_VERIFICATION_ID;
const base = process.env.EMULATOR_CONTROL_URL || process.env.CLOUDBASE_BASE_URL;

function fail(message) {
  process.stderr.write(`emulator-code: ${message}\n`);
  process.exit(1);
}

if (!recipient || !verificationId) fail('CODE_RECIPIENT and CODE_VERIFICATION_ID must be set (the suite sets them)');
if (!base) fail('set EMULATOR_CONTROL_URL (or CLOUDBASE_BASE_URL) to the emulator');

const query = new URLSearchParams(recipient.includes('@') ? { email: recipient } : { phone_number: recipient });
const response = await fetch(`${base}/__emulator/verification-codes?${query}`, { signal: AbortSignal.timeout(10_000) }).catch((error) =>
  fail(`no answer from ${base}: ${error.cause?.code ?? error.message}`),
);
if (response.status !== 200) fail(`GET /__emulator/verification-codes answered ${response.status}`);
const { codes } = await response.json();
const match = (codes ?? []).find((c) => c.verification_id === verificationId);
if (!match) fail(`no code for verification ${verificationId} (${(codes ?? []).length} other codes for this recipient)`);
process.stdout.write(`${match.code}\n`);
