import { test, expect, ok } from '../fixtures/index.ts';

test.describe('binding an email (PATCH /auth/v1/user/contact), as the SDK\'s bindEmail does: sudo, a code to the new address, then the change', () => {
  test('a user binds an email with a sudo token and a verification token for it', { tag: ['@destructive', '@sms', '@email'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();
    const recipient = (await accounts.freeRecipient('email')) as { email: string };
    const sudoToken = await accounts.sudo(account);
    const verificationToken = await accounts.verificationToken(recipient, 'ANY');

    const bound = ok(await api.patch('/auth/v1/user/contact', { token: account.tokens.access_token, data: { email: recipient.email, sudo_token: sudoToken, verification_token: verificationToken } }));

    expect(bound).toEqual(expect.any(Object));
  });

  test('after binding, the profile has the email and it signs in', { tag: ['@stateful', '@destructive', '@sms', '@email'] }, async ({ api, accounts }) => {
    const account = await accounts.signedUpByPhone();
    const recipient = (await accounts.freeRecipient('email')) as { email: string };
    const sudoToken = await accounts.sudo(account);
    const verificationToken = await accounts.verificationToken(recipient, 'ANY');

    ok(await api.patch('/auth/v1/user/contact', { token: account.tokens.access_token, data: { email: recipient.email, sudo_token: sudoToken, verification_token: verificationToken } }));

    const me = ok(await api.get('/auth/v1/user/me', { token: account.tokens.access_token }));
    expect(me.email).toBe(recipient.email.toLowerCase());
    const tokens = ok(await api.post('/auth/v1/signin', { data: { username: recipient.email, password: account.password } }));
    expect(tokens.sub).toBe(account.tokens.sub);
  });

  test('without a valid sudo token the change is refused with permission_denied', { tag: ['@stateful', '@destructive', '@sms', '@email'] }, async ({ api, accounts, faker }) => {
    const account = await accounts.signedUpByPhone();
    const recipient = (await accounts.freeRecipient('email')) as { email: string };
    const verificationToken = await accounts.verificationToken(recipient, 'ANY');

    const refused = await api.patch('/auth/v1/user/contact', {
      token: account.tokens.access_token,
      data: { email: recipient.email, sudo_token: faker.string.alphanumeric(32), verification_token: verificationToken },
    });

    await expect(refused).toBeAuthError('permission_denied', { status: 403, error_code: 7 });
  });

  test('an email another account holds is refused with failed_precondition (conflict_resolution DEFAULT)', { tag: ['@stateful', '@destructive', '@sms', '@email'] }, async ({ api, accounts }) => {
    const holder = await accounts.signedUpByEmail();
    const account = await accounts.signedUpByPhone();
    const sudoToken = await accounts.sudo(account);
    const verificationToken = await accounts.verificationToken(holder.recipient, 'ANY');

    const refused = await api.patch('/auth/v1/user/contact', {
      token: account.tokens.access_token,
      data: { email: String(holder.email), sudo_token: sudoToken, verification_token: verificationToken, conflict_resolution: 'DEFAULT' },
    });

    await expect(refused).toBeAuthError('failed_precondition');
  });
});
