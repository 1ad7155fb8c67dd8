import { authorizeRequest, randomToken, s256Challenge } from './pkce';
import { adoptTokens, clientId } from './session';

/**
 * "Sign in with your company account": the authorization-code flow with PKCE
 * against Cognito's hosted login, run by the app itself. Amplify's
 * signInWithRedirect builds `https://<domain>` URLs from its config, which
 * cannot reach the local emulator over http, and the API's discovery hands out
 * the exact authorize URL (with the organization's `identity_provider`) anyway.
 *
 * The flow leaves the page, so what it must find again on return — the PKCE
 * verifier, the state, where to exchange the code, where to go next — is kept
 * in sessionStorage for the round trip: memory does not survive the
 * navigation, sessionStorage is this tab's only and is cleared when it
 * closes, and the item is removed as soon as the callback reads it. Neither
 * value is a credential on its own: the verifier is useless without the code,
 * which only the hosted login's redirect to this tab carries. The tokens
 * themselves go to Amplify's in-memory store, never to storage.
 */
const PENDING = 'tenantgate.company-sign-in';
/** A flow left unfinished longer than this (the person walked away at their provider) is not resumed. */
const PENDING_TTL_MS = 15 * 60_000;

type Pending = { state: string; verifier: string; tokenUrl: string; redirectUri: string; next: string; startedAt: number };

export const callbackUrl = (): string => `${location.origin}/auth/callback`;

/** Sends the browser to the organization's identity provider (through the hosted login); `next` is where to land after. */
export const startCompanySignIn = async (authorizeUrl: string, next: string): Promise<void> => {
  const verifier = randomToken(32);
  const state = randomToken(32);
  const request = authorizeRequest(
    authorizeUrl,
    { clientId: clientId(), redirectUri: callbackUrl() },
    { challenge: await s256Challenge(verifier), state },
  );
  const pending: Pending = { state, verifier, tokenUrl: request.tokenUrl, redirectUri: request.redirectUri, next, startedAt: Date.now() };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  location.assign(request.url);
};

/** The flow this tab started, taken out of storage (one use): undefined if none, or not for this `state`. */
const takePending = (state: string | null): Pending | undefined => {
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (!raw || !state) return undefined;
  try {
    const pending = JSON.parse(raw) as Pending;
    if (pending.state !== state || Date.now() - pending.startedAt > PENDING_TTL_MS) return undefined;
    return pending;
  } catch {
    return undefined;
  }
};

/** A failure at the callback, with words for the person: the provider's own only when this tab started the flow. */
export class CompanySignInError extends Error {
  override name = 'CompanySignInError';
}

const NOT_STARTED_HERE =
  'This sign-in was not started in this browser tab, or it took too long. Please start again with your company account.';

type TokenAnswer = { access_token?: string; id_token?: string; refresh_token?: string; error?: string; error_description?: string };

/**
 * The hosted login's redirect back: `?code&state`, or `?error&error_description&state`.
 * Checks the state against the flow this tab started (a link someone else made
 * starts nothing), exchanges the code with the verifier, hands the tokens to
 * Amplify and answers where to go next.
 */
export const completeCompanySignIn = async (query: URLSearchParams): Promise<{ next: string }> => {
  const pending = takePending(query.get('state'));
  const error = query.get('error');
  if (error) {
    // Words from the address bar are shown only for a flow this tab started; a crafted link gets a fixed text.
    throw new CompanySignInError(
      pending ? `Your organization's sign-in did not complete: ${query.get('error_description') || error}` : NOT_STARTED_HERE,
    );
  }
  const code = query.get('code');
  if (!pending || !code) throw new CompanySignInError(NOT_STARTED_HERE);
  let answer: TokenAnswer;
  try {
    const res = await fetch(pending.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId(),
        code,
        redirect_uri: pending.redirectUri,
        code_verifier: pending.verifier,
      }),
    });
    answer = (await res.json().catch(() => ({}))) as TokenAnswer;
    if (!res.ok) answer.error ??= `status ${res.status}`;
  } catch {
    throw new CompanySignInError('The sign-in service could not be reached. Please try again.');
  }
  if (answer.error || !answer.access_token || !answer.id_token || !answer.refresh_token) {
    throw new CompanySignInError(`The sign-in could not be completed: ${answer.error_description ?? answer.error ?? 'no tokens'}.`);
  }
  await adoptTokens({ accessToken: answer.access_token, idToken: answer.id_token, refreshToken: answer.refresh_token });
  return { next: pending.next };
};
