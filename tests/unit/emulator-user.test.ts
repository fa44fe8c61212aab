/**
 * The user family's emulator behaviour (docs/api-facts.md "User profile, contact, account look-ups,
 * sessions and devices"), in-process through `app.request()`: profile edits, contact binding, look-ups,
 * sign-out everywhere and per device, and codes sent to the signed-in user (target CUR_USER).
 */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, test } from 'node:test';
import { assertError, assertEveryAnswerWellFormed, testEmulator } from './emulator-helpers.ts';

const api = testEmulator({ resendIntervalSeconds: 0 });
beforeEach(() => api.emu.reset());
after(() => assertEveryAnswerWellFormed(api));

const me = async (token: string) => {
  const res = await api.call('GET', '/auth/v1/user/me', { token });
  assert.equal(res.status, 200, res.text);
  return res.body;
};

describe('POST /auth/v1/user/basic/edit', () => {
  test('nickname, avatar, gender and description show in the profile', async () => {
    const user = await api.signUpByPhone();
    const res = await api.call('POST', '/auth/v1/user/basic/edit', {
      token: user.access_token,
      json: { nickname: 'Ada L', avatar_url: 'https://example.com/a.png', gender: 'FEMALE', description: 'first programmer' },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {});
    const profile = await me(user.access_token);
    assert.equal(profile.name, 'Ada L');
    assert.equal(profile.picture, 'https://example.com/a.png');
    assert.equal(profile.gender, 'FEMALE');
    assert.equal(profile.user_desc, 'first programmer');
  });

  test('a new username signs in; one another account holds is refused with 400 failed_precondition', async () => {
    await api.signUpByPhone({ username: 'taken_name' });
    const user = await api.signUpByPhone({ username: 'old_name' });
    assertError(await api.call('POST', '/auth/v1/user/basic/edit', { token: user.access_token, json: { username: 'taken_name' } }), 400, 'failed_precondition', 9);
    const res = await api.call('POST', '/auth/v1/user/basic/edit', { token: user.access_token, json: { username: 'new_name' } });
    assert.equal(res.status, 200, res.text);
    const signIn = await api.call('POST', '/auth/v1/signin', { json: { username: 'new_name', password: user.password } });
    assert.equal(signIn.status, 200, signIn.text);
    assertError(await api.call('POST', '/auth/v1/signin', { json: { username: 'old_name', password: user.password } }), 404, 'not_found');
  });

  test('an email change needs a verified code for the new address, which it uses up', async () => {
    const user = await api.signUpByPhone();
    assertError(await api.call('POST', '/auth/v1/user/basic/edit', { token: user.access_token, json: { email: 'ada@example.com' } }), 400, 'invalid_argument', 3);
    await api.verificationToken({ email: 'ada@example.com' });
    const res = await api.call('POST', '/auth/v1/user/basic/edit', { token: user.access_token, json: { email: 'ada@example.com' } });
    assert.equal(res.status, 200, res.text);
    assert.equal((await me(user.access_token)).email, 'ada@example.com');
    // The verified code was spent on this change: a second account cannot take the address with it.
    const other = await api.signUpByPhone();
    assertError(await api.call('POST', '/auth/v1/user/basic/edit', { token: other.access_token, json: { email: 'ada@example.com' } }), 400, 'failed_precondition');
  });

  test('a phone change after a verified code moves the sign-in number', async () => {
    const user = await api.signUpByPhone();
    const phone = api.nextPhone();
    await api.verificationToken({ phone_number: phone });
    const res = await api.call('POST', '/auth/v1/user/basic/edit', { token: user.access_token, json: { phone } });
    assert.equal(res.status, 200, res.text);
    assert.equal((await me(user.access_token)).phone_number, phone);
    const byNew = await api.call('POST', '/auth/v1/signin', { json: { username: phone, password: user.password } });
    assert.equal(byNew.status, 200, byNew.text);
    assertError(await api.call('POST', '/auth/v1/signin', { json: { username: user.phone_number, password: user.password } }), 404, 'not_found');
  });

  test('another user\'s id is refused with permission_denied; the caller\'s own is fine', async () => {
    const other = await api.signUpByPhone();
    const user = await api.signUpByPhone();
    assertError(await api.call('POST', '/auth/v1/user/basic/edit', { token: user.access_token, json: { user_id: other.sub, nickname: 'Mallory' } }), 403, 'permission_denied', 7);
    assert.notEqual((await me(other.access_token)).name, 'Mallory');
    const own = await api.call('POST', '/auth/v1/user/basic/edit', { token: user.access_token, json: { user_id: user.sub, nickname: 'Me Myself' } });
    assert.equal(own.status, 200, own.text);
  });

  test('a password change needs the old password and ends the other sessions', async () => {
    const user = await api.signUpByPhone();
    const other = await api.call('POST', '/auth/v1/signin', { json: { username: user.phone_number, password: user.password } });
    assertError(await api.call('POST', '/auth/v1/user/basic/edit', { token: user.access_token, json: { password: 'Wr0ng!Passw0rd', new_password: 'N3w!Passw0rd' } }), 400, 'invalid_password');
    const res = await api.call('POST', '/auth/v1/user/basic/edit', { token: user.access_token, json: { password: user.password, new_password: 'N3w!Passw0rd' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(await api.isLive(user.access_token), true);
    assert.equal(await api.isLive(other.body.access_token), false);
  });

  test('nothing changes when one field is refused', async () => {
    await api.signUpByPhone({ username: 'taken_name' });
    const user = await api.signUpByPhone();
    assertError(await api.call('POST', '/auth/v1/user/basic/edit', { token: user.access_token, json: { nickname: 'Changed', username: 'taken_name' } }), 400, 'failed_precondition');
    assert.notEqual((await me(user.access_token)).name, 'Changed');
  });
});

describe('PATCH /auth/v1/user/profile', () => {
  test('answers the updated profile', async () => {
    const user = await api.signUpByPhone();
    const res = await api.call('PATCH', '/auth/v1/user/profile', { token: user.access_token, json: { name: 'Ada', picture: 'https://example.com/p.png', username: 'ada_l' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.sub, user.sub);
    assert.equal(res.body.name, 'Ada');
    assert.equal(res.body.username, 'ada_l');
    assert.equal((await me(user.access_token)).picture, 'https://example.com/p.png');
  });

  test('does not change the phone number or email', async () => {
    const user = await api.signUpByPhone();
    assertError(await api.call('PATCH', '/auth/v1/user/profile', { token: user.access_token, json: { email: 'ada@example.com' } }), 400, 'invalid_argument');
    // The current value is no change.
    const same = await api.call('PATCH', '/auth/v1/user/profile', { token: user.access_token, json: { phone_number: user.phone_number, name: 'Same' } });
    assert.equal(same.status, 200, same.text);
  });
});

describe('PATCH /auth/v1/user/contact', () => {
  test('binds an email with a sudo token and a verification token for it', async () => {
    const user = await api.signUpByPhone();
    const sudo = await api.sudoToken(user.access_token);
    const vt = await api.verificationToken({ email: 'bind@example.com' });
    const res = await api.call('PATCH', '/auth/v1/user/contact', { token: user.access_token, json: { email: 'bind@example.com', sudo_token: sudo, verification_token: vt } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {});
    assert.equal((await me(user.access_token)).email, 'bind@example.com');
    // The sudo token and the verification token are both single-use.
    assertError(await api.call('PATCH', '/auth/v1/user/contact', { token: user.access_token, json: { email: 'bind@example.com', sudo_token: sudo, verification_token: vt } }), 403, 'permission_denied');
    const again = await api.sudoToken(user.access_token);
    assertError(await api.call('PATCH', '/auth/v1/user/contact', { token: user.access_token, json: { email: 'bind@example.com', sudo_token: again, verification_token: vt } }), 400, 'invalid_argument');
  });

  test('without a valid sudo token it is refused with 403 permission_denied', async () => {
    const user = await api.signUpByPhone();
    const vt = await api.verificationToken({ email: 'bind@example.com' });
    assertError(await api.call('PATCH', '/auth/v1/user/contact', { token: user.access_token, json: { email: 'bind@example.com', sudo_token: 'sudo.nope', verification_token: vt } }), 403, 'permission_denied', 7);
  });

  test('a verification token for another address is refused', async () => {
    const user = await api.signUpByPhone();
    const sudo = await api.sudoToken(user.access_token);
    const vt = await api.verificationToken({ email: 'other@example.com' });
    assertError(await api.call('PATCH', '/auth/v1/user/contact', { token: user.access_token, json: { email: 'bind@example.com', sudo_token: sudo, verification_token: vt } }), 400, 'invalid_argument');
  });

  test('a phone number another account holds: 400 failed_precondition by default, moved with DELETE_ACCOUNT_TRANSFER (the other account is deleted)', async () => {
    const holder = await api.signUpByPhone();
    const user = await api.signUpByPhone();
    const sudo = await api.sudoToken(user.access_token);
    const vt1 = await api.verificationToken({ phone_number: holder.phone_number });
    assertError(await api.call('PATCH', '/auth/v1/user/contact', { token: user.access_token, json: { phone_number: holder.phone_number, sudo_token: sudo, verification_token: vt1 } }), 400, 'failed_precondition', 9);
    // The refused request did not spend the token.
    const moved = await api.call('PATCH', '/auth/v1/user/contact', {
      token: user.access_token,
      json: { phone_number: holder.phone_number, sudo_token: sudo, verification_token: vt1, conflict_resolution: 'DELETE_ACCOUNT_TRANSFER' },
    });
    assert.equal(moved.status, 200, moved.text);
    assert.equal((await me(user.access_token)).phone_number, holder.phone_number);
    assert.equal(await api.isLive(holder.access_token), false, 'the other account is gone');
  });

  test('TRANSFER moves the value and keeps the other account while it can still sign in', async () => {
    const holder = await api.signUpByPhone({ username: 'holder_name' });
    const user = await api.signUpByPhone();
    const sudo = await api.sudoToken(user.access_token);
    const vt = await api.verificationToken({ phone_number: holder.phone_number });
    const moved = await api.call('PATCH', '/auth/v1/user/contact', {
      token: user.access_token,
      json: { phone_number: holder.phone_number, sudo_token: sudo, verification_token: vt, conflict_resolution: 'TRANSFER' },
    });
    assert.equal(moved.status, 200, moved.text);
    const holderProfile = await me(holder.access_token);
    assert.equal(holderProfile.phone_number, undefined);
    const signIn = await api.call('POST', '/auth/v1/signin', { json: { username: 'holder_name', password: holder.password } });
    assert.equal(signIn.status, 200, signIn.text);
  });
});

describe('look-ups', () => {
  test('GET /user/query finds users by username, phone number and a comma-separated id list', async () => {
    const a = await api.signUpByPhone({ username: 'query_a' });
    const b = await api.signUpByPhone({ username: 'query_b' });
    const byName = await api.call('GET', '/auth/v1/user/query?username=query_b', { token: a.access_token });
    assert.equal(byName.status, 200, byName.text);
    assert.equal(byName.body.total, 1);
    assert.equal(byName.body.data[0].sub, b.sub);
    const byPhone = await api.call('GET', `/auth/v1/user/query?phone_number=${encodeURIComponent(a.phone_number)}`, { token: a.access_token });
    assert.deepEqual(byPhone.body.data.map((u: { sub: string }) => u.sub), [a.sub]);
    const byIds = await api.call('GET', `/auth/v1/user/query?id=${encodeURIComponent(`${a.sub},${b.sub},1000000000000000000`)}`, { token: a.access_token });
    assert.deepEqual(byIds.body.data.map((u: { sub: string }) => u.sub).sort(), [a.sub, b.sub].sort());
    const mismatch = await api.call('GET', `/auth/v1/user/query?username=query_a&phone_number=${encodeURIComponent(b.phone_number)}`, { token: a.access_token });
    assert.deepEqual(mismatch.body, { total: 0, data: [] });
    assertError(await api.call('GET', '/auth/v1/user/query', { token: a.access_token }), 400, 'invalid_argument');
    assertError(await api.call('GET', '/auth/v1/user/query?username=query_a'), 401, 'unauthenticated');
  });

  test('GET /checkIfUserExist answers {exist} without a sign-in', async () => {
    await api.signUpByPhone({ username: 'exists_yes' });
    assert.deepEqual((await api.call('GET', '/auth/v1/checkIfUserExist?username=exists_yes')).body, { exist: true });
    assert.deepEqual((await api.call('GET', '/auth/v1/checkIfUserExist?username=exists_no')).body, { exist: false });
    assertError(await api.call('GET', '/auth/v1/checkIfUserExist'), 400, 'invalid_argument');
  });

  test('GET /checkUsername: {} for a free name or the caller\'s own, 409 for another account\'s', async () => {
    await api.signUpByPhone({ username: 'someone_else' });
    const user = await api.signUpByPhone({ username: 'mine_already' });
    assert.deepEqual((await api.call('GET', '/auth/v1/checkUsername?username=free_name', { token: user.access_token })).body, {});
    assert.equal((await api.call('GET', '/auth/v1/checkUsername?username=mine_already', { token: user.access_token })).status, 200);
    assertError(await api.call('GET', '/auth/v1/checkUsername?username=someone_else', { token: user.access_token }), 400, 'failed_precondition');
  });
});

describe('sessions and devices', () => {
  test('DELETE /user/revoke/all ends every session of the user, this one too, and no one else\'s', async () => {
    const user = await api.signUpByPhone();
    const second = await api.call('POST', '/auth/v1/signin', { json: { username: user.phone_number, password: user.password } });
    const stranger = await api.signUpByPhone();
    const res = await api.call('DELETE', '/auth/v1/user/revoke/all', { token: user.access_token });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {});
    assert.equal(await api.isLive(user.access_token), false);
    assert.equal(await api.isLive(second.body.access_token), false);
    assertError(await api.call('POST', '/auth/v1/token', { json: { grant_type: 'refresh_token', refresh_token: second.body.refresh_token } }), 400, 'invalid_grant');
    assert.equal(await api.isLive(stranger.access_token), true);
    assertError(await api.call('DELETE', '/auth/v1/user/revoke/all', { token: user.access_token }), 401, 'unauthenticated');
  });

  test('DELETE /user/authorized/devices/{id} ends the sessions of that device only', async () => {
    const user = await api.signUpByPhone();
    const signInFrom = async (deviceId: string) => {
      const res = await api.call('POST', '/auth/v1/signin', { json: { username: user.phone_number, password: user.password }, headers: { 'x-device-id': deviceId } });
      assert.equal(res.status, 200, res.text);
      return res.body as { access_token: string };
    };
    const laptop = await signInFrom('laptop-0123456789abcdef');
    const phone = await signInFrom('phone-0123456789abcdef');
    const res = await api.call('DELETE', '/auth/v1/user/authorized/devices/laptop-0123456789abcdef', { token: phone.access_token });
    assert.equal(res.status, 200, res.text);
    assert.equal(await api.isLive(laptop.access_token), false);
    assert.equal(await api.isLive(phone.access_token), true);
    assertError(await api.call('DELETE', '/auth/v1/user/authorized/devices/laptop-0123456789abcdef', { token: phone.access_token }), 404, 'not_found', 5);
  });

  test('another user\'s device is not found', async () => {
    const other = await api.signUpByPhone();
    await api.call('POST', '/auth/v1/signin', { json: { username: other.phone_number, password: other.password }, headers: { 'x-device-id': 'others-device-000000' } });
    const user = await api.signUpByPhone();
    assertError(await api.call('DELETE', '/auth/v1/user/authorized/devices/others-device-000000', { token: user.access_token }), 404, 'not_found');
  });
});

describe('POST /auth/v1/verification with target CUR_USER', () => {
  test('sends the code to the signed-in user\'s own phone number', async () => {
    const user = await api.signUpByPhone();
    const res = await api.call('POST', '/auth/v1/verification', { token: user.access_token, json: { target: 'CUR_USER' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.is_user, true);
    const code = await api.latestCode({ phone_number: user.phone_number });
    const verified = await api.call('POST', '/auth/v1/verification/verify', { json: { verification_id: res.body.verification_id, verification_code: code } });
    assert.equal(verified.status, 200, verified.text);
    // The token proves the user's own phone: sudo accepts it.
    const sudo = await api.call('POST', '/auth/v1/user/sudo', { token: user.access_token, json: { verification_token: verified.body.verification_token } });
    assert.equal(sudo.status, 200, sudo.text);
  });

  test('without a live access token it is refused with 401 unauthenticated', async () => {
    assertError(await api.call('POST', '/auth/v1/verification', { json: { target: 'CUR_USER' } }), 401, 'unauthenticated', 16);
  });

  test('a phone number that is not the user\'s own is refused', async () => {
    const user = await api.signUpByPhone();
    assertError(await api.call('POST', '/auth/v1/verification', { token: user.access_token, json: { target: 'CUR_USER', phone_number: api.nextPhone() } }), 400, 'invalid_argument');
  });

  test('a user with no phone number or email gets failed_precondition', async () => {
    const anon = await api.signInAnonymously();
    assertError(await api.call('POST', '/auth/v1/verification', { token: anon.access_token, json: { target: 'CUR_USER' } }), 400, 'failed_precondition', 9);
  });
});
