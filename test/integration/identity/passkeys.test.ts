import {
  CompleteWebAuthnRegistrationCommand,
  DeleteWebAuthnCredentialCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { api } from '../support/api';
import { cognito, decodeJwt } from '../support/cognito';
import { SoftwarePasskey } from '../support/software-passkey';
import { stack } from '../support/stack';
import { setUpTotp } from '../support/totp';
import { type Caller, tenantWithOwner } from '../support/world';

/**
 * Passkeys on the local Cognito as on a pool of the Essentials plan: the
 * user registers one with their access token, then signs in with it as the
 * WEB_AUTHN first factor of choice-based sign-in. The authenticator is a
 * software one answering as a browser at the web app's origin would.
 */

const WEB_APP_ORIGIN = 'http://localhost:5173';

type Options = { challenge: string; rp: { id?: string }; user: { id: string } };

const register = async (caller: Caller, passkey: SoftwarePasskey, rpId?: string) => {
  const started = await cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: caller.accessToken }));
  const options = started.CredentialCreationOptions as unknown as Options;
  await cognito.send(
    new CompleteWebAuthnRegistrationCommand({ AccessToken: caller.accessToken, Credential: passkey.create(options, rpId) as never }),
  );
  return options;
};

/** InitiateAuth USER_AUTH with WEB_AUTHN preferred: the challenge's request options and Session. */
const passkeyChallenge = async (email: string) => {
  const out = await cognito.send(
    new InitiateAuthCommand({
      ClientId: stack.cognito.clientId,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'WEB_AUTHN' },
    }),
  );
  return {
    name: out.ChallengeName,
    options: JSON.parse(out.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}') as { challenge: string; rpId: string },
    session: out.Session,
  };
};

const answer = (email: string, session: string | undefined, credential: unknown) =>
  cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: stack.cognito.clientId,
      ChallengeName: 'WEB_AUTHN',
      Session: session,
      ChallengeResponses: { USERNAME: email, CREDENTIAL: JSON.stringify(credential) },
    }),
  );

describe('passkeys', () => {
  it('registers a passkey with the access token and signs in with it: tokens with the tenant claims, the API accepts them', async () => {
    // Prepare
    const { tenantId, owner } = await tenantWithOwner('Passkey');
    const passkey = new SoftwarePasskey(WEB_APP_ORIGIN);

    // Act
    const options = await register(owner, passkey);
    const listed = await cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: owner.accessToken }));
    const challenge = await passkeyChallenge(owner.email);
    const signedIn = await answer(owner.email, challenge.session, passkey.get(challenge.options));

    // Assess
    expect(options.rp.id).toBe('localhost');
    expect(listed.Credentials).toEqual([expect.objectContaining({ CredentialId: passkey.id, RelyingPartyId: 'localhost' })]);
    expect(challenge.name).toBe('WEB_AUTHN');
    const token = signedIn.AuthenticationResult?.AccessToken ?? '';
    expect(decodeJwt(token)).toMatchObject({ sub: owner.userId, tenant_id: tenantId, tenant_role: 'owner' });
    expect((await api('/me', { token })).status).toBe(200);
  });

  it('refuses a replayed, a tampered and an unregistered assertion, and a deleted passkey', async () => {
    // Prepare: a registered passkey and one sign-in's assertion
    const { owner } = await tenantWithOwner('Passkey refused');
    const passkey = new SoftwarePasskey(WEB_APP_ORIGIN);
    await register(owner, passkey);
    const first = await passkeyChallenge(owner.email);
    const used = passkey.get(first.options);
    await answer(owner.email, first.session, used);
    const refused = { name: 'NotAuthorizedException' };

    // Act + Assess: the earlier assertion on a new challenge
    const replay = await passkeyChallenge(owner.email);
    await expect(answer(owner.email, replay.session, used)).rejects.toMatchObject(refused);

    // a flipped signature bit
    const tamperedChallenge = await passkeyChallenge(owner.email);
    const good = passkey.get(tamperedChallenge.options);
    const signature = Buffer.from(good.response.signature, 'base64url');
    signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 1;
    const tampered = { ...good, response: { ...good.response, signature: signature.toString('base64url') } };
    await expect(answer(owner.email, tamperedChallenge.session, tampered)).rejects.toMatchObject(refused);

    // a passkey the user never registered
    const stranger = new SoftwarePasskey(WEB_APP_ORIGIN);
    const strangerChallenge = await passkeyChallenge(owner.email);
    await expect(answer(owner.email, strangerChallenge.session, stranger.get(strangerChallenge.options))).rejects.toMatchObject(refused);

    // the registered one, once deleted
    await cognito.send(new DeleteWebAuthnCredentialCommand({ AccessToken: owner.accessToken, CredentialId: passkey.id }));
    const afterDelete = await cognito.send(
      new InitiateAuthCommand({ ClientId: stack.cognito.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: owner.email } }),
    );
    expect(afterDelete.AvailableChallenges).not.toContain('WEB_AUTHN');
  });

  it('refuses to register a passkey made for another relying party (a look-alike site)', async () => {
    // Prepare
    const { owner } = await tenantWithOwner('Passkey phished');
    const passkey = new SoftwarePasskey('https://tenantgate.example.evil');

    // Act
    const registering = register(owner, passkey, 'tenantgate.example.evil');

    // Assess
    await expect(registering).rejects.toMatchObject({ name: 'WebAuthnCredentialNotSupportedException' });
    expect((await cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: owner.accessToken }))).Credentials).toEqual([]);
  });
});

describe('passkey MFA', () => {
  const offered = async (email: string) =>
    (
      await cognito.send(
        new InitiateAuthCommand({ ClientId: stack.cognito.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: email } }),
      )
    ).AvailableChallenges;

  it('offers a person with TOTP the passkey only once they turn passkey MFA on; then the passkey alone signs them in', async () => {
    // Prepare: TOTP, and a passkey registered
    const { tenantId, owner } = await tenantWithOwner('Passkey MFA');
    await setUpTotp(owner.accessToken);
    const passkey = new SoftwarePasskey(WEB_APP_ORIGIN);
    await register(owner, passkey);
    const before = await offered(owner.email);

    // Act
    await cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: owner.accessToken, WebAuthnMfaSettings: { Enabled: true } }));
    const after = await offered(owner.email);
    const challenge = await passkeyChallenge(owner.email);
    const signedIn = await answer(owner.email, challenge.session, passkey.get(challenge.options));

    // Assess
    expect(before).toEqual(['PASSWORD_SRP', 'PASSWORD']);
    expect(after).toContain('WEB_AUTHN');
    expect(decodeJwt(signedIn.AuthenticationResult?.AccessToken ?? '')).toMatchObject({ sub: owner.userId, tenant_id: tenantId });
  });

  it('refuses passkey MFA to a person with no other MFA method', async () => {
    // Prepare
    const { owner } = await tenantWithOwner('Passkey MFA alone');

    // Act
    const turningOn = cognito.send(
      new SetUserMFAPreferenceCommand({ AccessToken: owner.accessToken, WebAuthnMfaSettings: { Enabled: true } }),
    );

    // Assess
    await expect(turningOn).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});
