import { AuthenticationDetails, CognitoUser, CognitoUserPool, type ICognitoStorage } from 'amazon-cognito-identity-js';

/** Where a client signs in: the same pool and app client ids as on AWS, only the endpoint differs. */
export type CognitoApp = { endpoint: string; userPoolId: string; clientId: string };
export type SignedIn = { accessToken: string; idToken: string; refreshToken: string };

/** A fresh store per sign-in: two sign-ins of one person are two devices, not one cached session. */
const memoryStorage = (): ICognitoStorage => {
  const items = new Map<string, string>();
  return {
    setItem: (key, value) => void items.set(key, value),
    getItem: (key) => items.get(key) ?? null,
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  };
};

export const cognitoUser = (app: CognitoApp, username: string): CognitoUser => {
  const Storage = memoryStorage();
  const pool = new CognitoUserPool({ UserPoolId: app.userPoolId, ClientId: app.clientId, endpoint: app.endpoint, Storage });
  return new CognitoUser({ Username: username, Pool: pool, Storage });
};

/**
 * Signs in as the web and mobile clients do: amazon-cognito-identity-js's
 * `authenticateUser`, whose default flow is USER_SRP_AUTH (the password never
 * leaves the client). Rejects with the library's error (`code`, `message`), and
 * on any further challenge (MFA, new password), which these callers never set up.
 */
export const signInWithSrp = (app: CognitoApp, username: string, password: string): Promise<SignedIn> =>
  new Promise((resolve, reject) => {
    const unexpected = (challenge: string) => () => reject(new Error(`sign-in asked for ${challenge}`));
    cognitoUser(app, username).authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) =>
        resolve({
          accessToken: session.getAccessToken().getJwtToken(),
          idToken: session.getIdToken().getJwtToken(),
          refreshToken: session.getRefreshToken().getToken(),
        }),
      onFailure: reject,
      newPasswordRequired: unexpected('a new password'),
      mfaRequired: unexpected('an SMS code'),
      totpRequired: unexpected('a TOTP code'),
      selectMFAType: unexpected('an MFA type'),
      mfaSetup: unexpected('MFA setup'),
      customChallenge: unexpected('a custom challenge'),
    });
  });
