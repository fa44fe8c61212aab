/**
 * Every method on the `@cloudbase/js-sdk` 3.7.0 auth object (the prototype of `app.auth()`, minus
 * `constructor`) and what our tests do with it: `covered` names the test file in tests/sdk/ that calls it
 * against the emulator; `leftOut` gives the reason it is not driven. `checkedIn` names a file that shows the
 * reason holds (for example that the Node build fails before sending the request).
 *
 * tests/sdk/inventory.test.ts keeps this table and the SDK in step: a method the SDK gains, a method it
 * loses, or a `covered` file that does not call the method fails the suite.
 *
 * Sources: js-sdk 3.7.0 auth build, `index.ts` in the `sourcesContent` of
 * node_modules/@cloudbase/js-sdk/auth/dist/index.js.map (the methods), and the oauth build's `apis.ts`
 * (which HTTP method each sends). The Node build's request class has get/post/upload/download only, so
 * every PATCH or DELETE call rejects with "invalid 【patch】 request method" (or 【delete】) before any
 * request leaves (tests/sdk/user.test.ts and tests/sdk/auth-methods.test.ts show it).
 */

export type MethodEntry = { covered: string } | { leftOut: string; checkedIn?: string };

const NODE_NO_PATCH = 'the Node build cannot send it: its request class has no PATCH, the call rejects with "invalid 【patch】 request method" before any request';
const NODE_NO_DELETE = 'the Node build cannot send it: its request class has no DELETE, the call rejects with "invalid 【delete】 request method" before any request';
const WX_MP = 'WeChat mini-program only: it calls wx.login / wx.getAccountInfoSync and throws "wx api undefined" elsewhere';
const INTERNAL = 'an internal helper, not an API call';

export const sdkAuthMethods: Record<string, MethodEntry> = {
  // ---- v3 (Supabase-style) methods ----
  signInAnonymously: { covered: 'auth-core.test.ts' },
  signUp: { covered: 'auth-methods.test.ts' },
  signOut: { covered: 'auth-core.test.ts' },
  onAuthStateChange: { covered: 'auth-methods.test.ts' },
  signInWithPassword: { covered: 'auth-core.test.ts' },
  signInWithIdToken: { covered: 'provider.test.ts' },
  signInWithOtp: { covered: 'auth-core.test.ts' },
  verifyOAuth: {
    leftOut: 'needs a browser: it reads the provider state it saved in sessionStorage before the redirect (getBrowserSession) and history.replaceState; its HTTP steps (grantProviderToken, signInWithProvider/bindWithProvider) are driven one by one in provider.test.ts',
  },
  signInWithOAuth: { covered: 'provider.test.ts' },
  getClaims: { covered: 'auth-methods.test.ts' },
  resetPasswordForEmail: { covered: 'auth-methods.test.ts' },
  resetPasswordForOld: { leftOut: `sudo then setPassword: ${NODE_NO_PATCH} (the sudo POST does reach the emulator)`, checkedIn: 'auth-methods.test.ts' },
  verifyOtp: { covered: 'auth-core.test.ts' },
  getSession: { covered: 'auth-core.test.ts' },
  refreshSession: { covered: 'auth-core.test.ts' },
  getUser: { covered: 'auth-core.test.ts' },
  refreshUser: { covered: 'auth-methods.test.ts' },
  updateUser: { covered: 'user.test.ts' },
  getUserIdentities: { covered: 'provider.test.ts' },
  linkIdentity: {
    leftOut: 'needs a browser redirect: it calls signInWithOAuth with type bind_identity and no skipBrowserRedirect, so the provider URL goes to window.location and is not returned; the binding itself (bindWithProvider) is driven in provider.test.ts',
  },
  unlinkIdentity: { leftOut: `DELETE /auth/v1/user/provider/{id}: ${NODE_NO_DELETE}`, checkedIn: 'auth-methods.test.ts' },
  reauthenticate: { covered: 'auth-methods.test.ts' },
  resend: { covered: 'auth-methods.test.ts' },
  setSession: { covered: 'auth-methods.test.ts' },
  exchangeCodeForSession: { leftOut: 'an empty method in 3.7.0 (no body, no request)' },
  deleteUser: { leftOut: `sudo then DELETE /auth/v1/user/me: ${NODE_NO_DELETE} (the sudo POST does reach the emulator)`, checkedIn: 'auth-methods.test.ts' },
  toDefaultLoginPage: { leftOut: 'needs a browser redirect: it assigns window.location.href to the hosted /__auth/ login page (wx.navigateTo in a mini-program); no API call' },
  // ---- v2-compatible methods ----
  signInWithCustomTicket: { covered: 'provider.test.ts' },
  signInWithOpenId: { leftOut: WX_MP },
  signInWithPhoneAuth: { leftOut: WX_MP },
  bindPhoneNumber: { leftOut: `PATCH /auth/v1/user/contact: ${NODE_NO_PATCH}`, checkedIn: 'user.test.ts' },
  unbindProvider: { leftOut: `DELETE /auth/v1/user/provider/{id}: ${NODE_NO_DELETE}`, checkedIn: 'auth-methods.test.ts' },
  bindEmail: { leftOut: `PATCH /auth/v1/user/contact: ${NODE_NO_PATCH}`, checkedIn: 'user.test.ts' },
  verify: { covered: 'user.test.ts' },
  getVerification: { covered: 'user.test.ts' },
  currentUser: { covered: 'auth-methods.test.ts' },
  getCurrentUser: { covered: 'auth-methods.test.ts' },
  signInAnonymouslyInWx: { leftOut: WX_MP },
  bindOpenId: { leftOut: WX_MP },
  signInWithUnionId: { leftOut: WX_MP },
  signInWithSms: { covered: 'auth-methods.test.ts' },
  signInWithEmail: { covered: 'auth-methods.test.ts' },
  setCustomSignFunc: { covered: 'auth-methods.test.ts' },
  signIn: { covered: 'auth-methods.test.ts' },
  setPassword: { leftOut: `PATCH /auth/v1/user/password: ${NODE_NO_PATCH}`, checkedIn: 'auth-methods.test.ts' },
  isUsernameRegistered: { covered: 'user.test.ts' },
  hasLoginState: { covered: 'auth-methods.test.ts' },
  getLoginState: { covered: 'auth-methods.test.ts' },
  getUserInfo: { covered: 'auth-methods.test.ts' },
  getWedaUserInfo: { leftOut: 'WeDa (low-code platform) only: GET /auth/v1/plugin/weda/userinfo is not in the contract (docs/api-facts.md, URL table row 4)' },
  updateUserBasicInfo: { covered: 'auth-methods.test.ts' },
  getAuthHeader: { leftOut: 'returns {} in 3.7.0: no request, nothing to compare' },
  bindWithProvider: { covered: 'provider.test.ts' },
  queryUser: { covered: 'user.test.ts' },
  getAccessToken: { covered: 'auth-methods.test.ts' },
  grantProviderToken: { covered: 'provider.test.ts' },
  patchProviderToken: { leftOut: `PATCH /auth/v1/provider/token: ${NODE_NO_PATCH}`, checkedIn: 'provider.test.ts' },
  signInWithProvider: { covered: 'auth-methods.test.ts' },
  signInWithWechat: { leftOut: 'WeChat only: POST /auth/v1/signin/wechat/noauth is not in the contract (docs/api-facts.md, URL table row 13)' },
  grantToken: { covered: 'auth-methods.test.ts' },
  genProviderRedirectUri: { covered: 'provider.test.ts' },
  resetPassword: { covered: 'auth-methods.test.ts' },
  deviceAuthorize: { leftOut: 'the device-code flow (POST /auth/v1/device/code) has no docs page and is not in the contract (docs/api-facts.md, URL table row 6)' },
  sudo: { covered: 'auth-methods.test.ts' },
  deleteMe: { leftOut: `DELETE /auth/v1/user/me: ${NODE_NO_DELETE}`, checkedIn: 'auth-methods.test.ts' },
  getProviders: { covered: 'auth-methods.test.ts' },
  loginScope: { covered: 'auth-methods.test.ts' },
  loginGroups: { covered: 'auth-methods.test.ts' },
  onLoginStateChanged: { covered: 'auth-methods.test.ts' },
  refreshTokenForce: { covered: 'v2.test.ts' },
  getCredentials: { covered: 'auth-methods.test.ts' },
  setCredentials: { covered: 'auth-methods.test.ts' },
  getProviderSubType: { leftOut: 'WeDa only: POST /auth/v1/mgr/provider/providerSubType is not in the contract (docs/api-facts.md, URL table row 9)' },
  createCaptchaData: { covered: 'captcha.test.ts' },
  verifyCaptchaData: { covered: 'captcha.test.ts' },
  getMiniProgramQrCode: { leftOut: 'WeChat mini-program only: POST /auth/v1/qrcode/generate is not in the contract (docs/api-facts.md, URL table row 41)' },
  getMiniProgramQrCodeStatus: { leftOut: 'WeChat mini-program only: POST /auth/v1/qrcode/get/status is not in the contract (docs/api-facts.md, URL table row 42)' },
  modifyPassword: {
    leftOut: 'sends RSA-encrypted old and new passwords (encrypt_password, encrypt_new_password, public_key_thumbprint, with a key from POST /auth/v2/signin/publichkey) to POST /auth/v1/user/basic/edit; the emulator does not model that password change, only basic/edit\'s profile fields (docs/api-facts.md, "SDK methods and what tests/sdk/user.test.ts drives")',
  },
  modifyPasswordWithoutLogin: { covered: 'v2.test.ts' },
  getUserBehaviorLog: { leftOut: 'GET /auth/v1/user/security/history: an undocumented read-only log, not in the contract (docs/api-facts.md, URL table row 35)' },
  signInWithUsername: { covered: 'auth-methods.test.ts' },
  // ---- helpers on the prototype ----
  createLoginState: { leftOut: `${INTERNAL}: every sign-in method calls it after its request (it reads the user and fires the sign-in events), so every sign-in test runs it` },
  setAccessKey: { leftOut: `${INTERNAL}: installs a server-side accessKey / secretId session from init options; signOut calls it` },
  formatPhone: { leftOut: `${INTERNAL} (adds "+86 " or the space after the country code)` },
  notifyListeners: { leftOut: `${INTERNAL} (onAuthStateChange's fan-out)` },
  setupListeners: { leftOut: `${INTERNAL} (onAuthStateChange's event-bus hook)` },
  convertToUser: { leftOut: `${INTERNAL} (maps /user/me onto the Supabase-style user)` },
  validateParams: { leftOut: `${INTERNAL} (argument checks)` },
  validateAtLeastOne: { leftOut: `${INTERNAL} (argument checks)` },
  init: { leftOut: `${INTERNAL} (fires INITIAL_SESSION when stored credentials exist)` },
};
