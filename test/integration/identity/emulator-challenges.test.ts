import {
  GetUserCommand,
  GlobalSignOutCommand,
  RespondToAuthChallengeCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails } from 'amazon-cognito-identity-js';
import { describe, expect, it } from 'vitest';
import { cognitoUser } from '../../../scripts/local/sign-in';
import { cognito, decodeJwt, signIn } from '../support/cognito';
import { PASSWORD, stack } from '../support/stack';
import { setUpTotp, totpCode } from '../support/totp';
import { tenantWithOwner } from '../support/world';

/**
 * The local Cognito refuses what Cognito refuses where a sign-in or an
 * account is at stake: a challenge is answered only with the Session it was
 * issued with (for that user, once), and the user's own operations run only
 * for a genuine, current access token.
 */

const INVALID_SESSION = { name: 'NotAuthorizedException', message: 'Invalid session for the user.' };

/** The SOFTWARE_TOKEN_MFA challenge's Session after the right password (amazon-cognito-identity-js's SRP). */
const totpChallengeSession = (email: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const user = cognitoUser(stack.cognito, email);
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: PASSWORD }), {
      onSuccess: () => reject(new Error('signed in without the TOTP code')),
      onFailure: reject,
      totpRequired: () => resolve((user as unknown as { Session: string }).Session),
    });
  });

const answerTotp = (email: string, session: string, code: string) =>
  cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: stack.cognito.clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: session,
      ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code },
    }),
  );

describe('challenge sessions', () => {
  it('takes a TOTP answer only with the Session issued to that user after the password, and only once', async () => {
    // Prepare: two people with TOTP; one of them has passed the password step
    const { owner: alice } = await tenantWithOwner('Challenge A');
    const { owner: bob } = await tenantWithOwner('Challenge B');
    const aliceSecret = await setUpTotp(alice.accessToken);
    const bobSecret = await setUpTotp(bob.accessToken);
    const aliceSession = await totpChallengeSession(alice.email);
    const bobCode = totpCode(bobSecret, 1);

    // Act + Assess: Bob's code without Bob's password, with a made-up Session or Alice's
    await expect(answerTotp(bob.email, Buffer.alloc(64, 7).toString('base64'), bobCode)).rejects.toMatchObject(INVALID_SESSION);
    await expect(answerTotp(bob.email, aliceSession, bobCode)).rejects.toMatchObject(INVALID_SESSION);

    // Alice's own answer works once
    const signedIn = await answerTotp(alice.email, aliceSession, totpCode(aliceSecret, 1));
    expect(decodeJwt(signedIn.AuthenticationResult?.AccessToken ?? '').sub).toBe(alice.userId);
    await expect(answerTotp(alice.email, aliceSession, totpCode(aliceSecret, 1))).rejects.toMatchObject(INVALID_SESSION);
  });

  it('ends a challenge Session after three wrong answers', async () => {
    // Prepare
    const { owner } = await tenantWithOwner('Challenge wrong');
    const secret = await setUpTotp(owner.accessToken);
    const session = await totpChallengeSession(owner.email);
    const right = totpCode(secret, 1);
    const wrong = right === '000000' ? '111111' : '000000';

    // Act
    for (let i = 0; i < 3; i++)
      await expect(answerTotp(owner.email, session, wrong)).rejects.toMatchObject({ name: 'CodeMismatchException' });

    // Assess
    await expect(answerTotp(owner.email, session, right)).rejects.toMatchObject(INVALID_SESSION);
  });
});

describe("the user's own operations", () => {
  it('refuse an access token whose payload was changed, and change nothing', async () => {
    // Prepare: Mallory's token, edited to speak for Alice
    const { owner: alice } = await tenantWithOwner('Own ops A');
    const { owner: mallory } = await tenantWithOwner('Own ops M');
    const [header, , signature] = mallory.accessToken.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(mallory.accessToken), sub: alice.userId, username: alice.userId })).toString(
      'base64url',
    );
    const forged = `${header}.${payload}.${signature}`;

    // Act + Assess
    await expect(
      cognito.send(
        new UpdateUserAttributesCommand({ AccessToken: forged, UserAttributes: [{ Name: 'email', Value: 'mallory@example.test' }] }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(cognito.send(new GetUserCommand({ AccessToken: forged }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(cognito.send(new GetUserCommand({ AccessToken: alice.idToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    const { UserAttributes } = await cognito.send(new GetUserCommand({ AccessToken: alice.accessToken }));
    expect(UserAttributes?.find((a) => a.Name === 'email')?.Value).toBe(alice.email);
  });

  it('refuse every access token issued before GlobalSignOut, and take the ones of a new sign-in', async () => {
    // Prepare
    const { owner } = await tenantWithOwner('Own ops out');
    const other = await signIn(owner.email);

    // Act
    await cognito.send(new GlobalSignOutCommand({ AccessToken: other.accessToken }));

    // Assess
    for (const AccessToken of [owner.accessToken, other.accessToken]) {
      await expect(cognito.send(new GetUserCommand({ AccessToken }))).rejects.toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Access Token has been revoked',
      });
    }
    await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
    const fresh = await signIn(owner.email);
    expect((await cognito.send(new GetUserCommand({ AccessToken: fresh.accessToken }))).Username).toBeDefined();
  });
});
