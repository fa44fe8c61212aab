/**
 * Request bodies of the API's operations, built the way the official SDK builds them. Pure values:
 * test data comes from fixtures/data.ts (Faker), scripts bring their own.
 */

export type VerificationTarget = 'ANY' | 'USER' | 'NOT_USER';
export type Recipient = { phone_number: string } | { email: string };

/** What a new account is made of, besides its phone number or email. */
export interface NewAccount {
  username: string;
  password: string;
  name: string;
}

export function verificationRequest(recipient: Recipient, target: VerificationTarget = 'ANY') {
  return { ...recipient, target };
}

export function verifyRequest(verificationId: string, code: string) {
  return { verification_id: verificationId, verification_code: code };
}

export function signUpRequest(recipient: Recipient, verificationToken: string, account: Partial<NewAccount> = {}) {
  return { ...recipient, verification_token: verificationToken, ...account };
}

export function refreshRequest(refreshToken: string) {
  return { grant_type: 'refresh_token', refresh_token: refreshToken };
}

/** The phone number or email of a recipient, as the API's `username` accepts it. */
export function recipientValue(recipient: Recipient): string {
  return 'phone_number' in recipient ? recipient.phone_number : recipient.email;
}
