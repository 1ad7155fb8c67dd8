import { beforeAll, describe, expect, it } from 'vitest';
import {
  authenticatedRole,
  authenticatedRolePolicy,
  evaluateAssumeRole,
  evaluateRequest,
  evaluateS3Request,
  type PolicyDocument,
  type PrincipalTags,
  resolveIntrinsics,
  type TemplateValues,
} from '../../scripts/local/role-policy';
import { type CfnTemplate, isRecord, propertiesOf, resourcesOfType } from './cfn-template';
import { PACKAGED_STAGES, readPackagedTemplate } from './packaged-templates';

/**
 * The Identity Pool of resources/identity-pool.yml as packaged, and its
 * authenticated role proven with an IAM policy simulator
 * (@cloud-copilot/iam-simulate, through scripts/local/role-policy.ts): only
 * tenant A's own cells allow, for tenant A's principal tags.
 */

const VALUES: TemplateValues = {
  bucket: 'tenantgate-dev-uploads-123456789012-eu-west-1',
  identityPoolId: 'eu-west-1:0f3c2b1a-0000-4000-8000-000000000001',
  region: 'eu-west-1',
  accountId: '123456789012',
};
const TENANT_A = '6c1f2a9e-3b7d-4e0a-9c55-0a1b2c3d4e5f';
const TENANT_B = '9d8e7f60-1a2b-4c3d-8e9f-a0b1c2d3e4f5';
const OWN_IDENTITY = 'eu-west-1:11111111-1111-4111-8111-111111111111';
const OTHER_IDENTITY = 'eu-west-1:22222222-2222-4222-8222-222222222222';

const ROLES = ['viewer', 'member', 'admin', 'owner'] as const;
type TagCase = { name: string; tags: PrincipalTags };
const TAG_CASES: TagCase[] = [
  ...ROLES.map((role) => ({ name: `tenant A ${role}`, tags: { tenant_id: TENANT_A, tenant_role: role } })),
  { name: 'no tags', tags: {} },
  { name: 'empty tenant_id, owner', tags: { tenant_id: '', tenant_role: 'owner' } },
];

type KeyKind = 'file' | 'own-inbox' | 'other-inbox' | 'other';
type KeyCase = { key: string; tenant: 'A' | 'B' | 'none'; kind: KeyKind };
const keysOf = (tenantId: string, tenant: 'A' | 'B'): KeyCase[] => [
  { key: `tenants/${tenantId}/files/x`, tenant, kind: 'file' },
  { key: `tenants/${tenantId}/inbox/${OWN_IDENTITY}/x`, tenant, kind: 'own-inbox' },
  { key: `tenants/${tenantId}/inbox/${OTHER_IDENTITY}/x`, tenant, kind: 'other-inbox' },
  { key: `tenants/${tenantId}/`, tenant, kind: 'other' },
  { key: `tenants/${tenantId}/files`, tenant, kind: 'other' },
  { key: `tenants/${tenantId}/inbox/${OWN_IDENTITY}`, tenant, kind: 'other' },
  { key: `tenants/${tenantId}/x`, tenant, kind: 'other' },
];
const KEY_CASES: KeyCase[] = [
  ...keysOf(TENANT_A, 'A'),
  ...keysOf(TENANT_B, 'B'),
  // A tenant id that merely starts with A's.
  { key: `tenants/${TENANT_A}-suffix/files/x`, tenant: 'none', kind: 'other' },
  { key: `tenants/${TENANT_A}-suffix/inbox/${OWN_IDENTITY}/x`, tenant: 'none', kind: 'other' },
  { key: 'public/x', tenant: 'none', kind: 'other' },
  { key: `tenants//files/x`, tenant: 'none', kind: 'other' },
];
const S3_ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  's3:ListBucket',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
] as const;
const OTHER_REQUESTS = [
  { action: 'dynamodb:GetItem', resource: `arn:aws:dynamodb:eu-west-1:${VALUES.accountId}:table/tenantgate-dev` },
  { action: 'cognito-idp:ListUsers', resource: `arn:aws:cognito-idp:eu-west-1:${VALUES.accountId}:userpool/eu-west-1_AbCdEfGhI` },
] as const;

/** The intended cells, written out: tenant A's files for any role, its own inbox for member and above. */
function expectedAllowed(tags: PrincipalTags, action: string, target: KeyCase): boolean {
  if (tags.tenant_id !== TENANT_A || target.tenant !== 'A') return false;
  if (action === 's3:GetObject') return target.kind === 'file';
  const writes = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
  const writer = tags.tenant_role === 'member' || tags.tenant_role === 'admin' || tags.tenant_role === 'owner';
  return writes.includes(action) && writer && target.kind === 'own-inbox';
}

type Cell = { tags: string; action: string; key: string; allowed: boolean };

async function s3Matrix(policies: PolicyDocument[]): Promise<{ actual: Cell[]; expected: Cell[] }> {
  const actual: Cell[] = [];
  const expected: Cell[] = [];
  for (const { name, tags } of TAG_CASES) {
    for (const action of S3_ACTIONS) {
      for (const target of KEY_CASES) {
        const { allowed } = await evaluateS3Request({
          policies,
          action,
          bucket: VALUES.bucket,
          key: target.key,
          principalTags: tags,
          identityId: OWN_IDENTITY,
          identityPoolId: VALUES.identityPoolId,
        });
        actual.push({ tags: name, action, key: target.key, allowed });
        expected.push({ tags: name, action, key: target.key, allowed: expectedAllowed(tags, action, target) });
      }
    }
  }
  return { actual, expected };
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable escaped for Fn::Sub, not a JS template.
const GET_OBJECT_RESOURCE_VARIABLE = '${!aws:PrincipalTag/tenant_id}';

/** The authenticated role's policy statements in the template itself (unresolved), for mutation. */
function templateStatements(template: CfnTemplate): Array<Record<string, unknown>> {
  const role = propertiesOf(template, authenticatedRole(template, VALUES).logicalId);
  const policies = role.Policies as Array<{ PolicyDocument: { Statement: Array<Record<string, unknown>> } }>;
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

function statementAllowing(template: CfnTemplate, action: string): Record<string, unknown> {
  const statement = templateStatements(template).find((candidate) => ([] as unknown[]).concat(candidate.Action).includes(action));
  if (!statement) throw new Error(`no statement allows ${action}`);
  return statement;
}

describe.each(PACKAGED_STAGES)('the %s template: Identity Pool', (stage) => {
  let template: CfnTemplate;
  beforeAll(() => {
    template = readPackagedTemplate(stage);
  });

  it('holds one identity pool for the user pool app client only, enhanced flow only, no guests', () => {
    // Act
    const pools = resourcesOfType(template, 'AWS::Cognito::IdentityPool');

    // Assess
    expect(pools).toHaveLength(1);
    const [, pool] = pools[0] ?? [];
    expect(pool?.CognitoIdentityProviders).toEqual([
      {
        ProviderName: { 'Fn::GetAtt': ['UserPool', 'ProviderName'] },
        ClientId: { Ref: 'UserPoolClient' },
        ServerSideTokenCheck: true,
      },
    ]);
    expect(pool?.AllowClassicFlow).toBe(false);
    expect(pool?.AllowUnauthenticatedIdentities).toEqual({ 'Fn::If': ['IdentityPoolGuestAccess', true, false] });
    expect(pool?.SupportedLoginProviders).toBeUndefined();
    expect(pool?.DeveloperProviderName).toBeUndefined();
    expect(pool?.OpenIdConnectProviderARNs).toBeUndefined();
    expect(pool?.SamlProviderARNs).toBeUndefined();
    // Guest access is a stage param, off by default: the condition compares two literals.
    expect((template.Conditions as Record<string, unknown>).IdentityPoolGuestAccess).toEqual({
      'Fn::Equals': ['guest-access-false', 'guest-access-true'],
    });
    expect(template.Resources.IdentityPoolGuestRole?.Condition).toBe('IdentityPoolGuestAccess');
  });

  it("maps the ID token's tenant_id and tenant_role claims to principal tags, no defaults", () => {
    // Act
    const tags = resourcesOfType(template, 'AWS::Cognito::IdentityPoolPrincipalTag');

    // Assess
    expect(tags).toEqual([
      [
        'IdentityPoolPrincipalTags',
        {
          IdentityPoolId: { Ref: 'IdentityPool' },
          IdentityProviderName: { 'Fn::GetAtt': ['UserPool', 'ProviderName'] },
          UseDefaults: false,
          PrincipalTags: { tenant_id: 'tenant_id', tenant_role: 'tenant_role' },
        },
      ],
    ]);
  });

  it('attaches the authenticated role as the default role, with no role mapping', () => {
    // Act
    const attachments = resourcesOfType(template, 'AWS::Cognito::IdentityPoolRoleAttachment');

    // Assess
    expect(attachments).toHaveLength(1);
    const [, attachment] = attachments[0] ?? [];
    expect(attachment?.IdentityPoolId).toEqual({ Ref: 'IdentityPool' });
    expect(attachment?.RoleMappings).toBeUndefined();
    expect(attachment?.Roles).toEqual({
      authenticated: { 'Fn::GetAtt': ['IdentityPoolAuthenticatedRole', 'Arn'] },
      unauthenticated: {
        'Fn::If': ['IdentityPoolGuestAccess', { 'Fn::GetAtt': ['IdentityPoolGuestRole', 'Arn'] }, { Ref: 'AWS::NoValue' }],
      },
    });
    expect(propertiesOf(template, 'IdentityPoolAuthenticatedRole').MaxSessionDuration).toBe(3600);
    expect((template.Outputs as Record<string, unknown>).IdentityPoolId).toEqual({ Value: { Ref: 'IdentityPool' } });
  });

  it("trusts only Cognito's authenticated identities of this pool, and lets it tag the session", async () => {
    // Prepare
    const { trustPolicy } = authenticatedRole(template, VALUES);
    const assume = (identityPoolId: string, amr: string[], action?: 'sts:TagSession') =>
      evaluateAssumeRole({ trustPolicy, identityPoolId, amr, ...(action ? { action } : {}) });
    const provider = `cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI:${'c'.repeat(26)}`;

    // Act
    const decisions = {
      authenticated: await assume(VALUES.identityPoolId, ['authenticated', 'cognito-idp.eu-west-1.amazonaws.com', provider]),
      tagSession: await assume(VALUES.identityPoolId, ['authenticated'], 'sts:TagSession'),
      otherPool: await assume('eu-west-1:0f3c2b1a-0000-4000-8000-000000000002', ['authenticated']),
      guest: await assume(VALUES.identityPoolId, ['unauthenticated']),
    };

    // Assess
    expect(Object.fromEntries(Object.entries(decisions).map(([name, decision]) => [name, decision.allowed]))).toEqual({
      authenticated: true,
      tagSession: true,
      otherPool: false,
      guest: false,
    });
    expect(trustPolicy.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': VALUES.identityPoolId },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
      },
    ]);
  });

  it("allows exactly tenant A's own cells to tenant A's principal tags (the simulator matrix)", async () => {
    // Prepare
    const policies = authenticatedRolePolicy(template, VALUES);

    // Act
    const { actual, expected } = await s3Matrix(policies);

    // Assess
    expect(actual).toHaveLength(TAG_CASES.length * S3_ACTIONS.length * KEY_CASES.length);
    expect(actual.filter((cell) => cell.allowed)).toEqual(expected.filter((cell) => cell.allowed));
    expect(actual).toEqual(expected);
  });

  it('allows no DynamoDB and no Cognito call, whatever the tags', async () => {
    // Prepare
    const policies = authenticatedRolePolicy(template, VALUES);

    // Act
    const decisions = [];
    for (const { tags } of TAG_CASES) {
      for (const { action, resource } of OTHER_REQUESTS) {
        const { allowed } = await evaluateRequest({ policies, action, resource, principalTags: tags, identityId: OWN_IDENTITY });
        decisions.push(allowed);
      }
    }

    // Assess
    expect(decisions).toHaveLength(TAG_CASES.length * OTHER_REQUESTS.length);
    expect(decisions.every((allowed) => !allowed)).toBe(true);
  });

  it('gives guests, when a stage turns them on, read-only access to public/ only', async () => {
    // Prepare
    const guest = template.Resources.IdentityPoolGuestRole;
    const policies = ((guest?.Properties?.Policies ?? []) as Array<{ PolicyDocument: unknown }>).map(
      (policy) => resolveIntrinsics(policy.PolicyDocument, VALUES) as PolicyDocument,
    );
    const trustPolicy = resolveIntrinsics(guest?.Properties?.AssumeRolePolicyDocument, VALUES) as PolicyDocument;
    const guestRequest = (action: string, key: string) =>
      evaluateS3Request({ policies, action, bucket: VALUES.bucket, key, principalTags: {}, identityId: OWN_IDENTITY });

    // Act
    const decisions = {
      readPublic: (await guestRequest('s3:GetObject', 'public/x')).allowed,
      writePublic: (await guestRequest('s3:PutObject', 'public/x')).allowed,
      readTenantFile: (await guestRequest('s3:GetObject', `tenants/${TENANT_A}/files/x`)).allowed,
      listBucket: (await guestRequest('s3:ListBucket', 'public/')).allowed,
      assumedByGuest: (await evaluateAssumeRole({ trustPolicy, identityPoolId: VALUES.identityPoolId, amr: ['unauthenticated'] })).allowed,
      assumedBySignedIn: (await evaluateAssumeRole({ trustPolicy, identityPoolId: VALUES.identityPoolId, amr: ['authenticated'] })).allowed,
    };

    // Assess
    expect(decisions).toEqual({
      readPublic: true,
      writePublic: false,
      readTenantFile: false,
      listBucket: false,
      assumedByGuest: true,
      assumedBySignedIn: false,
    });
  });

  it('lets the web origin make the multipart upload calls and read each part ETag (bucket CORS)', () => {
    // Act
    const cors = propertiesOf(template, 'UploadsBucket').CorsConfiguration;
    const rules = isRecord(cors) && Array.isArray(cors.CorsRules) ? (cors.CorsRules as Array<Record<string, unknown>>) : [];

    // Assess
    expect(rules).toHaveLength(1);
    expect(rules[0]?.AllowedMethods).toEqual(expect.arrayContaining(['PUT', 'POST', 'GET', 'DELETE', 'HEAD']));
    expect(rules[0]?.AllowedHeaders).toEqual(expect.arrayContaining(['authorization', 'x-amz-*', 'amz-sdk-*', 'content-type']));
    expect(rules[0]?.ExposedHeaders).toEqual(['ETag']);
  });
});

describe('the simulator catches a broken role policy', () => {
  it("allows tenant A's tags to read tenant B's file once the tag variable is missing from the resource", async () => {
    // Prepare
    const template = readPackagedTemplate('dev');
    const read = statementAllowing(template, 's3:GetObject');
    const resource = read.Resource as { 'Fn::Sub': string };
    expect(resource['Fn::Sub']).toContain(GET_OBJECT_RESOURCE_VARIABLE);
    resource['Fn::Sub'] = resource['Fn::Sub'].replace(GET_OBJECT_RESOURCE_VARIABLE, '*');
    const request = (policies: PolicyDocument[]) =>
      evaluateS3Request({
        policies,
        action: 's3:GetObject',
        bucket: VALUES.bucket,
        key: `tenants/${TENANT_B}/files/x`,
        principalTags: { tenant_id: TENANT_A, tenant_role: 'viewer' },
        identityId: OWN_IDENTITY,
      });

    // Act
    const intact = await request(authenticatedRolePolicy(readPackagedTemplate('dev'), VALUES));
    const broken = await request(authenticatedRolePolicy(template, VALUES));

    // Assess
    expect(intact.allowed).toBe(false);
    expect(broken.allowed).toBe(true);
  });

  it('lets a viewer write into its inbox once the role condition is gone', async () => {
    // Prepare
    const template = readPackagedTemplate('dev');
    const write = statementAllowing(template, 's3:PutObject');
    delete (write.Condition as Record<string, unknown>).StringEquals;
    const key = `tenants/${TENANT_A}/inbox/${OWN_IDENTITY}/x`;

    // Act
    const decision = await evaluateS3Request({
      policies: authenticatedRolePolicy(template, VALUES),
      action: 's3:PutObject',
      bucket: VALUES.bucket,
      key,
      principalTags: { tenant_id: TENANT_A, tenant_role: 'viewer' },
      identityId: OWN_IDENTITY,
    });

    // Assess
    expect(decision.allowed).toBe(true);
  });

  it("lets another identity pool's tokens assume the role once the aud condition is gone", async () => {
    // Prepare
    const template = readPackagedTemplate('dev');
    const trust = propertiesOf(template, 'IdentityPoolAuthenticatedRole').AssumeRolePolicyDocument as {
      Statement: Array<{ Condition: Record<string, unknown> }>;
    };
    for (const statement of trust.Statement) delete statement.Condition.StringEquals;

    // Act
    const decision = await evaluateAssumeRole({
      trustPolicy: authenticatedRole(template, VALUES).trustPolicy,
      identityPoolId: 'eu-west-1:0f3c2b1a-0000-4000-8000-000000000002',
      amr: ['authenticated'],
    });

    // Assess
    expect(decision.allowed).toBe(true);
  });
});
