/**
 * Amplify refreshes a token only within 5 s of its expiry, too close for a
 * request that is slow to reach the API: a token this close to `exp` is
 * refreshed first. Pure, so it is unit-tested without a browser.
 */
export const REFRESH_MARGIN_MS = 60_000;

export const expiresWithin = (expSeconds: number | undefined, nowMs: number, marginMs: number = REFRESH_MARGIN_MS): boolean =>
  expSeconds === undefined || expSeconds * 1000 - nowMs <= marginMs;
