import fs from 'node:fs';
import path from 'node:path';
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetObjectCommand, PutObjectCommand, S3Client, type S3ServiceException } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { anotherAppClient, cognito, decodeJwt, signIn } from '../support/cognito';
import { signAsEmulator, tamper } from '../support/forge';
import { stack, stateDir } from '../support/stack';
import { type Caller, inviteAndSignUp, tenantWithOwner } from '../support/world';

/**
 * The local Identity Pool (scripts/local/identity-server.ts) through the AWS
 * SDK's own Cognito Identity client, and the local S3 taking the credentials
 * it issues: the checks Cognito and S3 make, and their refusals.
 */
const identity = new CognitoIdentityClient({
  endpoint: stack.identityPool.endpoint,
  region: stack.region,
  // Cognito Identity's GetId and GetCredentialsForIdentity are unsigned; the SDK wants credentials regardless.
  credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
});
const providerName = `${stack.cognito.endpoint.replace(/^http:\/\//, '')}/${stack.cognito.userPoolId}`;
const logins = (idToken: string) => ({ [providerName]: idToken });
const identityIdOf = async (idToken: string) =>
  (await identity.send(new GetIdCommand({ IdentityPoolId: stack.identityPool.identityPoolId, Logins: logins(idToken) }))).IdentityId ?? '';
const credentialsOf = async (identityId: string, idToken: string) =>
  (await identity.send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins: logins(idToken) }))).Credentials;

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ name: 'resolved', message: '' }),
    (err: Error) => ({ name: err.name, message: err.message }),
  );

const s3As = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
  new S3Client({
    endpoint: stack.s3.endpoint,
    forcePathStyle: true,
    region: stack.region,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
const s3Error = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ code: 'none', status: 200 }),
    (err: S3ServiceException) => ({ code: err.name, status: err.$metadata.httpStatusCode }),
  );

describe('the local Identity Pool', () => {
  let tenantId: string;
  let owner: Caller;
  let member: Caller;
  let other: Caller;
  beforeAll(async () => {
    const a = await tenantWithOwner('Identity pool A');
    tenantId = a.tenantId;
    owner = a.owner;
    member = await inviteAndSignUp(tenantId, a.owner, 'member');
    other = (await tenantWithOwner('Identity pool B')).owner;
  });

  it('gives a user one identity id of the pool region, the same on every GetId', async () => {
    const first = await identityIdOf(member.idToken);
    const again = await identityIdOf((await signIn(member.email)).idToken);

    expect(first).toMatch(new RegExp(`^${stack.region}:[0-9a-f-]{36}$`));
    expect(again).toBe(first);
    expect(await identityIdOf(other.idToken)).not.toBe(first);
  });

  it('issues one-hour temporary credentials for the identity of the token’s user', async () => {
    const identityId = await identityIdOf(member.idToken);

    const credentials = await credentialsOf(identityId, member.idToken);

    expect(credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(credentials?.SecretKey).toEqual(expect.any(String));
    expect(credentials?.SessionToken).toEqual(expect.any(String));
    const lifetimeMs = (credentials?.Expiration?.getTime() ?? 0) - Date.now();
    expect(lifetimeMs).toBeGreaterThan(59 * 60_000);
    expect(lifetimeMs).toBeLessThanOrEqual(60 * 60_000);
  });

  it('refuses a forged ID token, an access token, a token of another app client and no token at all', async () => {
    const client = await anotherAppClient('identity-pool-other');
    const [forged, selfSigned, access, foreignClient, none] = await Promise.all([
      refusal(identityIdOf(tamper(member.idToken, (claims) => ({ ...claims, sub: decodeJwt(other.idToken).sub })))),
      refusal(identityIdOf(signAsEmulator({ ...decodeJwt(member.idToken), iss: 'http://127.0.0.1:1/eu-west-1_forged' }))),
      refusal(identityIdOf(member.accessToken)),
      refusal(identityIdOf((await signIn(member.email, client)).idToken)),
      refusal(identity.send(new GetIdCommand({ IdentityPoolId: stack.identityPool.identityPoolId }))),
    ]);

    for (const refused of [forged, selfSigned, access, foreignClient, none]) expect(refused.name).toBe('NotAuthorizedException');
    expect(access.message).toMatch(/Not a valid OpenId Connect identity token/);
    expect(foreignClient.message).toMatch(/audience/);
  });

  it('refuses the credentials of another user’s identity', async () => {
    const othersIdentity = await identityIdOf(other.idToken);

    const refused = await refusal(credentialsOf(othersIdentity, member.idToken));

    expect(refused).toEqual({ name: 'NotAuthorizedException', message: expect.stringMatching(/Logins don't match/) });
  });

  it('refuses an unknown pool, an unknown identity and a malformed identity id', async () => {
    const [pool, unknown, malformed] = await Promise.all([
      refusal(
        identity.send(
          new GetIdCommand({ IdentityPoolId: `${stack.region}:00000000-0000-0000-0000-000000000000`, Logins: logins(member.idToken) }),
        ),
      ),
      refusal(credentialsOf(`${stack.region}:00000000-0000-0000-0000-000000000000`, member.idToken)),
      refusal(credentialsOf('not an identity', member.idToken)),
    ]);

    expect(pool.name).toBe('ResourceNotFoundException');
    expect(unknown.name).toBe('ResourceNotFoundException');
    expect(malformed.name).toBe('InvalidParameterException');
  });

  it('refuses the ID token of a session signed out everywhere (ServerSideTokenCheck)', async () => {
    const person = await inviteAndSignUp(tenantId, owner, 'member', 'signed-out');
    const identityId = await identityIdOf(person.idToken);

    await cognito.send(new GlobalSignOutCommand({ AccessToken: person.accessToken }));
    const refused = await refusal(credentialsOf(identityId, person.idToken));

    expect(refused.name).toBe('NotAuthorizedException');
  });
});

describe('the local S3 with Identity Pool credentials', () => {
  let tenantId: string;
  let identityId: string;
  let credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  beforeAll(async () => {
    const a = await tenantWithOwner('Identity S3 A');
    tenantId = a.tenantId;
    const member = await inviteAndSignUp(tenantId, a.owner, 'member');
    identityId = await identityIdOf(member.idToken);
    const issued = await credentialsOf(identityId, member.idToken);
    credentials = {
      accessKeyId: issued?.AccessKeyId ?? '',
      secretAccessKey: issued?.SecretKey ?? '',
      sessionToken: issued?.SessionToken ?? '',
    };
  });
  const put = (client: S3Client, key: string) =>
    client.send(new PutObjectCommand({ Bucket: stack.s3.bucket, Key: key, Body: 'a,b\n1,2\n' }));

  it('authorizes by the role: its own inbox yes, a file of the tenant by key yes (absent: 404), its files prefix no', async () => {
    const s3 = s3As(credentials);

    const [ownInbox, readFiles, writeFiles] = await Promise.all([
      s3Error(put(s3, `tenants/${tenantId}/inbox/${identityId}/probe.txt`)),
      s3Error(s3.send(new GetObjectCommand({ Bucket: stack.s3.bucket, Key: `tenants/${tenantId}/files/absent` }))),
      s3Error(put(s3, `tenants/${tenantId}/files/planted`)),
    ]);

    expect(ownInbox.status).toBe(200);
    expect(readFiles).toEqual({ code: 'NoSuchKey', status: 404 });
    expect(writeFiles).toEqual({ code: 'AccessDenied', status: 403 });
  });

  it('refuses a request without the session token, with another token, or signed with another secret', async () => {
    const key = `tenants/${tenantId}/inbox/${identityId}/probe.txt`;

    const [noToken, wrongToken, wrongSecret] = await Promise.all([
      s3Error(put(s3As({ accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey }), key)),
      s3Error(put(s3As({ ...credentials, sessionToken: `${credentials.sessionToken.slice(0, -4)}AAAA` }), key)),
      s3Error(put(s3As({ ...credentials, secretAccessKey: `x${credentials.secretAccessKey.slice(1)}` }), key)),
    ]);

    expect(noToken).toEqual({ code: 'InvalidAccessKeyId', status: 403 });
    expect(wrongToken).toEqual({ code: 'InvalidToken', status: 400 });
    expect(wrongSecret).toEqual({ code: 'SignatureDoesNotMatch', status: 403 });
  });

  it('refuses credentials past their expiry with ExpiredToken', async () => {
    // Prepare: the registry's entry for these credentials aged past its hour (what the local S3 reads)
    const file = path.join(stateDir, 'identity-pool', 'credentials.json');
    const issued = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { expiresAt: number }>;
    const entry = issued[credentials.accessKeyId];
    if (!entry) throw new Error('the credentials are not in the registry');
    entry.expiresAt = Date.now() - 1000;
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(issued));
    fs.renameSync(`${file}.tmp`, file);

    const expired = await s3Error(put(s3As(credentials), `tenants/${tenantId}/inbox/${identityId}/late.txt`));

    expect(expired).toEqual({ code: 'ExpiredToken', status: 400 });
  });
});
