import { describe, expect, it } from 'vitest';
import { createS3Authorizer, localRolePolicies, type S3Request, s3Permissions } from '../../../../scripts/local/s3-authorizer';

/**
 * What the local S3 asks of a request made with Identity Pool credentials:
 * the IAM actions of each S3 operation, decided by the role's policy as
 * resources/identity-pool.yml has it.
 */
const BUCKET = 'tenantgate-local-uploads';
const POOL = 'eu-west-1:00000000-0000-4000-8000-000000000000';
const ME = 'eu-west-1:11111111-1111-4111-8111-111111111111';
const SOMEONE = 'eu-west-1:22222222-2222-4222-8222-222222222222';
const request = (
  method: string,
  key: string | undefined,
  query: Record<string, string> = {},
  headers: Record<string, string> = {},
): S3Request => ({
  method,
  bucket: BUCKET,
  key,
  query,
  headers,
});

describe('s3Permissions', () => {
  it('maps every step of a multipart upload to the actions S3 checks', () => {
    const key = 'tenants/t1/inbox/x/a.csv';

    const actions = [
      request('POST', key, { uploads: '' }),
      request('PUT', key, { partNumber: '1', uploadId: 'u' }),
      request('POST', key, { uploadId: 'u' }),
      request('DELETE', key, { uploadId: 'u' }),
      request('GET', key, { uploadId: 'u' }),
    ].map((r) => s3Permissions(r).map((p) => p.action));

    expect(actions).toEqual([
      ['s3:PutObject'],
      ['s3:PutObject'],
      ['s3:PutObject'],
      ['s3:AbortMultipartUpload'],
      ['s3:ListMultipartUploadParts'],
    ]);
  });

  it('maps reads, listing, deletes and a copy (both its ends)', () => {
    expect(s3Permissions(request('GET', 'k'))).toEqual([{ action: 's3:GetObject', bucket: BUCKET, key: 'k' }]);
    expect(s3Permissions(request('HEAD', 'k'))).toEqual([{ action: 's3:GetObject', bucket: BUCKET, key: 'k' }]);
    expect(s3Permissions(request('GET', undefined, { 'list-type': '2', prefix: 'tenants/' }))).toEqual([
      { action: 's3:ListBucket', bucket: BUCKET, key: 'tenants/' },
    ]);
    expect(s3Permissions(request('DELETE', 'k'))).toEqual([{ action: 's3:DeleteObject', bucket: BUCKET, key: 'k' }]);
    expect(s3Permissions(request('POST', undefined, { delete: '' }))).toEqual([{ action: 's3:DeleteObject', bucket: BUCKET }]);
    expect(s3Permissions(request('PUT', 'dest', {}, { 'x-amz-copy-source': `/${BUCKET}/tenants/t2/files/f%201` }))).toEqual([
      { action: 's3:PutObject', bucket: BUCKET, key: 'dest' },
      { action: 's3:GetObject', bucket: BUCKET, key: 'tenants/t2/files/f 1' },
    ]);
  });
});

describe('the local S3 authorizer with the role of resources/identity-pool.yml', () => {
  const authorize = createS3Authorizer(localRolePolicies({ bucket: BUCKET, identityPoolId: POOL, region: 'eu-west-1' }), POOL);
  const as = (tenant_role: string, identityId = ME) => ({ identityId, principalTags: { tenant_id: 't1', tenant_role } });
  const allowed = async (r: S3Request, session: ReturnType<typeof as>) => (await authorize(r, session)).allowed;

  it('lets a member write its own inbox of its tenant, and nothing else', async () => {
    const results = await Promise.all([
      allowed(request('PUT', `tenants/t1/inbox/${ME}/a.csv`), as('member')),
      allowed(request('PUT', `tenants/t2/inbox/${ME}/a.csv`), as('member')),
      allowed(request('PUT', `tenants/t1/inbox/${SOMEONE}/a.csv`), as('member')),
      allowed(request('PUT', 'tenants/t1/files/f'), as('member')),
      allowed(request('PUT', `tenants/t1/inbox/${ME}/a.csv`), as('viewer')),
    ]);

    expect(results).toEqual([true, false, false, false, false]);
  });

  it('lets any member read its tenant’s files, never another tenant’s, never list or delete', async () => {
    const results = await Promise.all([
      allowed(request('GET', 'tenants/t1/files/f'), as('viewer')),
      allowed(request('GET', 'tenants/t2/files/f'), as('owner')),
      allowed(request('GET', undefined, { prefix: 'tenants/t1/' }), as('owner')),
      allowed(request('DELETE', 'tenants/t1/files/f'), as('owner')),
      // a copy into its own inbox out of another tenant's files
      allowed(request('PUT', `tenants/t1/inbox/${ME}/c.csv`, {}, { 'x-amz-copy-source': `${BUCKET}/tenants/t2/files/f` }), as('owner')),
    ]);

    expect(results).toEqual([true, false, false, false, false]);
  });

  it('gives a session without tenant tags nothing', async () => {
    const untagged = { identityId: ME, principalTags: {} };

    const results = await Promise.all([
      authorize(request('GET', 'tenants//files/f'), untagged),
      authorize(request('PUT', `tenants//inbox/${ME}/a.csv`), untagged),
    ]);

    expect(results.map((r) => r.allowed)).toEqual([false, false]);
  });
});
