/**
 * Redirects from the API are never followed anywhere in the suite (a client that follows a 307/308
 * resends the body, client secret and password included, to wherever it points): a redirect is a
 * contract failure that names where it pointed (docs/security.md).
 */
/** The response header that carries the refused Location (also named in the body). */
export const REDIRECT_HEADER = 'x-contract-redirect-location';

/** 3xx that send the client elsewhere (304 Not Modified is an answer, not a redirect). */
export const isRedirect = (status: number) => status >= 300 && status < 400 && status !== 304;

/** A Location resolved against the request URL, without its query or fragment (they can carry codes or tokens). */
export function describeLocation(location: string | undefined, requestURL: URL): string {
  if (location === undefined || location === '') return '(no Location header)';
  try {
    const target = new URL(location, requestURL);
    return `${target.origin}${target.pathname}${target.search ? '?[query not shown]' : ''}`;
  } catch {
    return '(a Location that is not a URL)';
  }
}

/** The contract failure for a redirect from the API: one sentence that names where it pointed. */
export function redirectFailureMessage(refused: { method: string; path: string; status: number; location: string }): string {
  return (
    `${refused.method} ${refused.path} answered ${refused.status} redirecting to ${refused.location}: ` +
    'the API must not redirect, and the suite never follows a redirect (it would resend the credentials in the request)'
  );
}
