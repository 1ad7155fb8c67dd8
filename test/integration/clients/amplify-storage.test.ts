import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { downloadData, list, remove, uploadData } from 'aws-amplify/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileBody } from '../files/file-support';
import { configureAmplifyStorage, provideFileReader, routeBucketEndpointToLocalS3 } from '../support/amplify-storage';
import { api } from '../support/api';
import { PASSWORD } from '../support/stack';
import { type Caller, inviteAndSignUp, tenantWithOwner, waitUntil } from '../support/world';

/**
 * aws-amplify v6 Storage as a mobile or desktop app uses it: signed in to the
 * user pool, temporary credentials from the Identity Pool (GetId,
 * GetCredentialsForIdentity), S3 straight from the app. The local S3 enforces
 * the authenticated role's policy for those credentials, as S3 does on AWS.
 */

type AppSession = { identityId: string; idToken: string; accessToken: string };

/** Signs in through Amplify, as the app does, and registers the identity with the API (PUT /me/storage-identity). */
const signInAsApp = async (caller: Caller): Promise<AppSession> => {
  await signOut();
  await signIn({ username: caller.email, password: PASSWORD });
  const session = await fetchAuthSession();
  const identityId = session.identityId ?? '';
  const idToken = session.tokens?.idToken?.toString() ?? '';
  const accessToken = session.tokens?.accessToken.toString() ?? '';
  const registered = await api('/me/storage-identity', { method: 'PUT', token: accessToken, body: { idToken } });
  if (registered.status !== 200) throw new Error(`PUT /me/storage-identity: ${registered.status} ${registered.text}`);
  expect(registered.body).toEqual({ identityId });
  return { identityId, idToken, accessToken };
};

/** A CSV of `rows` rows over Amplify's multipart threshold (5 MiB parts). */
const csvOf = (rows: number): string => {
  const lines = ['id,name,comment'];
  for (let i = 1; i <= rows; i++) lines.push(`${i},row ${i},${'x'.repeat(48)}`);
  return `${lines.join('\n')}\n`;
};

/** What Amplify Storage answers: the result, or the error's name (S3's error code for a refused request). */
const outcome = async (operation: { result: Promise<unknown> }) => {
  try {
    return { ok: true, value: await operation.result };
  } catch (err) {
    return { ok: false, name: (err as Error).name };
  }
};

describe('aws-amplify v6 Storage with Identity Pool credentials', () => {
  let restoreRouting: () => void;
  let removeFileReader: () => void;
  const s3Requests: string[] = [];
  let tenantA: string;
  let tenantB: string;
  let member: Caller;
  let viewer: Caller;
  let ownerB: Caller;
  let fileOfA: FileBody;
  let fileOfB: string;
  const csv = csvOf(100_000);

  beforeAll(async () => {
    configureAmplifyStorage();
    removeFileReader = provideFileReader();
    restoreRouting = await routeBucketEndpointToLocalS3((request) => s3Requests.push(request));
    const a = await tenantWithOwner('Storage A');
    const b = await tenantWithOwner('Storage B');
    tenantA = a.tenantId;
    tenantB = b.tenantId;
    ownerB = b.owner;
    member = await inviteAndSignUp(tenantA, a.owner, 'member');
    viewer = await inviteAndSignUp(tenantA, a.owner, 'viewer');
  });
  afterAll(async () => {
    await signOut().catch(() => undefined);
    restoreRouting?.();
    removeFileReader?.();
  });

  it('uploads a multi-megabyte CSV into the member’s inbox (multipart), which becomes a ready file of tenant A', async () => {
    const app = await signInAsApp(member);
    const name = `export-${Date.now()}.csv`;
    const key = `tenants/${tenantA}/inbox/${app.identityId}/${name}`;
    s3Requests.length = 0;

    const uploaded = await uploadData({
      path: key,
      data: csv,
      options: {
        contentType: 'text/csv',
        // A full-object CRC32 that S3 checks on completion. Without it Amplify checks the size
        // with a HEAD of the uploaded key, which needs s3:GetObject on the inbox, and the role
        // grants that on files/ only: the upload would complete, then report AccessDenied.
        checksumAlgorithm: 'crc-32',
      },
    }).result;

    expect(uploaded.path).toBe(key);
    // Multipart: CreateMultipartUpload, two parts (5 MiB and the rest), CompleteMultipartUpload.
    expect(Buffer.byteLength(csv)).toBeGreaterThan(5 * 1024 * 1024);
    const count = (pattern: RegExp) => s3Requests.filter((request) => pattern.test(request)).length;
    expect(count(/^POST [^?]*\?(.*&)?uploads(=|&|$)/)).toBe(1);
    expect(count(/^PUT [^?]*\?(.*&)?partNumber=/)).toBe(2);
    expect(count(/^POST [^?]*\?(.*&)?uploadId=/)).toBe(1);
    const readyFile = async () => {
      const listed = await api(`/tenants/${tenantA}/files`, { token: member.accessToken });
      return (listed.body as { items: FileBody[] }).items.find((file) => file.name === name);
    };
    await waitUntil(async () => (await readyFile())?.status === 'ready', 45_000, 250);
    const file = await readyFile();
    expect(file).toMatchObject({
      name,
      status: 'ready',
      rowCount: 100_000,
      columns: ['id', 'name', 'comment'],
      size: Buffer.byteLength(csv),
    });
    fileOfA = file as FileBody;
  });

  it('downloads a file of tenant A with the member’s credentials', async () => {
    await signInAsApp(member);

    const downloaded = await downloadData({ path: `tenants/${tenantA}/files/${fileOfA.fileId}` }).result;

    expect(await downloaded.body.text()).toBe(csv);
  });

  it('lets a viewer of tenant A download its files too', async () => {
    await signInAsApp(viewer);

    const downloaded = await outcome(
      downloadData({ path: `tenants/${tenantA}/files/${fileOfA.fileId}`, options: { bytesRange: { start: 0, end: 9 } } }),
    );

    expect(downloaded.ok).toBe(true);
  });

  it('refuses a member of A tenant B’s file, tenant B’s inbox, another identity’s inbox, listing and deleting', async () => {
    // Prepare: a file of tenant B, uploaded by its owner through the same path
    const appB = await signInAsApp(ownerB);
    const nameB = `b-${Date.now()}.csv`;
    await uploadData({
      path: `tenants/${tenantB}/inbox/${appB.identityId}/${nameB}`,
      data: 'id\n1\n',
      options: { contentType: 'text/csv' },
    }).result;
    await waitUntil(
      async () =>
        ((await api(`/tenants/${tenantB}/files`, { token: ownerB.accessToken })).body as { items: FileBody[] }).items.some(
          (file) => file.name === nameB && file.status === 'ready',
        ),
      30_000,
      250,
    );
    fileOfB = (
      ((await api(`/tenants/${tenantB}/files`, { token: ownerB.accessToken })).body as { items: FileBody[] }).items.find(
        (file) => file.name === nameB,
      ) as FileBody
    ).fileId;
    const app = await signInAsApp(member);

    const readB = await outcome(downloadData({ path: `tenants/${tenantB}/files/${fileOfB}` }));
    const writeInboxB = await outcome(uploadData({ path: `tenants/${tenantB}/inbox/${app.identityId}/planted.csv`, data: 'id\n1\n' }));
    const writeOthersInbox = await outcome(
      uploadData({ path: `tenants/${tenantA}/inbox/${appB.identityId}/planted.csv`, data: 'id\n1\n' }),
    );
    const writeFiles = await outcome(uploadData({ path: `tenants/${tenantA}/files/${fileOfA.fileId}`, data: 'id\n1\n' }));
    const listed = await outcome({ result: list({ path: `tenants/${tenantA}/` }) });
    const removed = await outcome(remove({ path: `tenants/${tenantA}/files/${fileOfA.fileId}` }));

    expect([readB, writeInboxB, writeOthersInbox, writeFiles, listed, removed]).toEqual(
      Array.from({ length: 6 }, () => ({ ok: false, name: 'AccessDenied' })),
    );
    // Still there, unchanged: downloaded again as the member
    expect(await (await downloadData({ path: `tenants/${tenantA}/files/${fileOfA.fileId}` }).result).body.text()).toBe(csv);
  });

  it('refuses a viewer writing into its own inbox', async () => {
    const app = await signInAsApp(viewer);

    const written = await outcome(uploadData({ path: `tenants/${tenantA}/inbox/${app.identityId}/viewer.csv`, data: 'id\n1\n' }));

    expect(written).toEqual({ ok: false, name: 'AccessDenied' });
  });
});
