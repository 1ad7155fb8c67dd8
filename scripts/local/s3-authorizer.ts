import fs from 'node:fs';
import path from 'node:path';
import { type CollectionTag, parse, type ScalarTag } from 'yaml';
import { authenticatedRolePolicy, evaluateS3Request, type PolicyDocument, type PrincipalTags } from './role-policy';

/**
 * What the local S3 (scripts/local/s3-server.cjs) asks of a request signed
 * with the Identity Pool's temporary credentials: the IAM actions the S3
 * operation needs, each decided by the authenticated role's policy with the
 * same simulator as the template tests (role-policy.ts). The policy comes from
 * resources/identity-pool.yml itself, read at start-up (a few milliseconds;
 * packaging the template would take the better part of a minute), so an edit
 * to it applies at the next `npm start`.
 */

export type S3Request = {
  method: string;
  /** Absent for the service (ListBuckets). */
  bucket?: string;
  key?: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
};

/** One IAM action on one resource: the object key, or none for a bucket action. */
export type S3Permission = { action: string; bucket: string; key?: string };

const ROOT = path.resolve(__dirname, '../..');

const has = (query: Record<string, unknown>, name: string) => Object.hasOwn(query, name);

/** `bucket/key` of x-amz-copy-source (URL-encoded, optional leading slash and ?versionId). */
const copySource = (header: string): S3Permission | undefined => {
  const [source = ''] = decodeURIComponent(header.replace(/^\//, '')).split('?');
  const slash = source.indexOf('/');
  return slash > 0 ? { action: 's3:GetObject', bucket: source.slice(0, slash), key: source.slice(slash + 1) } : undefined;
};

const bucketRead: Record<string, string> = {
  uploads: 's3:ListBucketMultipartUploads',
  versions: 's3:ListBucketVersions',
  location: 's3:GetBucketLocation',
  cors: 's3:GetBucketCORS',
  website: 's3:GetBucketWebsite',
  policy: 's3:GetBucketPolicy',
  acl: 's3:GetBucketAcl',
  tagging: 's3:GetBucketTagging',
};

/**
 * The IAM actions an S3 request needs, as S3 authorizes it: GetObject and
 * HeadObject need s3:GetObject; PutObject and every step of a multipart upload
 * but its abort and listing s3:PutObject; CopyObject s3:PutObject on the copy and
 * s3:GetObject on its source; listing s3:ListBucket; one or many deletes
 * s3:DeleteObject. A browser form POST or a multi-object delete names its keys
 * in the body, which is not read here: it is decided on the bucket, which the
 * role never allows.
 */
export const s3Permissions = (request: S3Request): S3Permission[] => {
  const { bucket, key, query } = request;
  const method = request.method.toUpperCase();
  if (!bucket) return [{ action: 's3:ListAllMyBuckets', bucket: '' }];
  if (key === undefined || key === '') {
    const onBucket = (action: string): S3Permission[] => [{ action, bucket }];
    if (method === 'GET' || method === 'HEAD') {
      const sub = Object.keys(bucketRead).find((name) => has(query, name));
      if (sub) return onBucket(bucketRead[sub] as string);
      return method === 'HEAD'
        ? onBucket('s3:ListBucket')
        : [{ action: 's3:ListBucket', bucket, ...(typeof query.prefix === 'string' ? { key: query.prefix } : {}) }];
    }
    if (method === 'POST') return onBucket(has(query, 'delete') ? 's3:DeleteObject' : 's3:PutObject');
    if (method === 'PUT')
      return onBucket(has(query, 'cors') ? 's3:PutBucketCORS' : has(query, 'website') ? 's3:PutBucketWebsite' : 's3:CreateBucket');
    if (method === 'DELETE') return onBucket(has(query, 'cors') ? 's3:PutBucketCORS' : 's3:DeleteBucket');
    return onBucket(`s3:${method}`);
  }
  const onObject = (action: string): S3Permission => ({ action, bucket, key });
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (has(query, 'uploadId')) return [onObject('s3:ListMultipartUploadParts')];
      if (has(query, 'acl')) return [onObject('s3:GetObjectAcl')];
      if (has(query, 'tagging')) return [onObject('s3:GetObjectTagging')];
      return [onObject('s3:GetObject')];
    case 'PUT': {
      if (has(query, 'tagging')) return [onObject('s3:PutObjectTagging')];
      if (has(query, 'acl')) return [onObject('s3:PutObjectAcl')];
      const source = request.headers['x-amz-copy-source'];
      const copied = typeof source === 'string' ? copySource(source) : undefined;
      return copied ? [onObject('s3:PutObject'), copied] : [onObject('s3:PutObject')];
    }
    case 'POST':
      // CreateMultipartUpload (?uploads) and CompleteMultipartUpload (?uploadId); SelectObjectContent reads.
      return [onObject(has(query, 'select') ? 's3:GetObject' : 's3:PutObject')];
    case 'DELETE':
      if (has(query, 'uploadId')) return [onObject('s3:AbortMultipartUpload')];
      if (has(query, 'tagging')) return [onObject('s3:DeleteObjectTagging')];
      return [onObject('s3:DeleteObject')];
    default:
      return [onObject(`s3:${method}`)];
  }
};

/** CloudFormation's short-form tags, read as the long form (`!Sub x` → `{ "Fn::Sub": "x" }`). */
const cloudFormationTags = (): Array<ScalarTag | CollectionTag> => {
  const names = [
    'Ref',
    'Sub',
    'GetAtt',
    'If',
    'Equals',
    'Join',
    'Split',
    'Select',
    'Not',
    'And',
    'Or',
    'FindInMap',
    'ImportValue',
    'Base64',
    'Condition',
    'GetAZs',
    'Cidr',
  ];
  const key = (name: string) => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);
  return names.flatMap((name) => [
    {
      tag: `!${name}`,
      resolve: (value: string) => ({ [key(name)]: name === 'GetAtt' ? value.split('.') : value }),
    } as ScalarTag,
    {
      tag: `!${name}`,
      collection: 'seq',
      resolve: (value: { toJSON: () => unknown }) => ({ [key(name)]: value.toJSON() }),
    } as unknown as CollectionTag,
    {
      tag: `!${name}`,
      collection: 'map',
      resolve: (value: { toJSON: () => unknown }) => ({ [key(name)]: value.toJSON() }),
    } as unknown as CollectionTag,
  ]);
};

/** The authenticated role's permission policies, from resources/identity-pool.yml, for the local bucket and pool. */
export const localRolePolicies = (values: { bucket: string; identityPoolId: string; region: string }): PolicyDocument[] => {
  const file = path.join(ROOT, 'resources', 'identity-pool.yml');
  const template = parse(fs.readFileSync(file, 'utf8'), { customTags: cloudFormationTags() }) as {
    Resources: Record<string, { Type: string }>;
  };
  return authenticatedRolePolicy(template, { ...values, accountId: '000000000000' });
};

export type Session = { identityId: string; principalTags: PrincipalTags };

/** Decides a request of a session: every action it needs must be allowed. */
export const createS3Authorizer = (policies: PolicyDocument[], identityPoolId: string) => async (request: S3Request, session: Session) => {
  for (const permission of s3Permissions(request)) {
    const { allowed, explain } = await evaluateS3Request({
      policies,
      action: permission.action,
      bucket: permission.bucket,
      ...(permission.key !== undefined ? { key: permission.key } : {}),
      principalTags: session.principalTags,
      identityId: session.identityId,
      identityPoolId,
    });
    if (!allowed) return { allowed: false, explain };
  }
  return { allowed: true };
};
