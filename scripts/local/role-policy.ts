import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

/**
 * The Identity Pool's authenticated role (resources/identity-pool.yml) taken
 * from the packaged CloudFormation template, and an IAM policy simulator
 * (@cloud-copilot/iam-simulate) deciding requests made with its credentials:
 * the template tests prove the policy offline with it, and the local S3
 * enforces the same policy with it.
 *
 * The simulator is AGPL-3.0: a devDependency for the tests and the local stack
 * only. Nothing under src/ may import it or this module
 * (test/unit/project/agpl-boundary.test.ts), so it never reaches a Lambda bundle.
 */

export interface PolicyDocument {
  Version?: string;
  Statement: unknown;
  [key: string]: unknown;
}

/** What the deployed stack would fill in for `Ref`, `Fn::GetAtt` and `Fn::Sub`. */
export interface TemplateValues {
  /** The uploads bucket's name (`Ref UploadsBucket`). */
  bucket: string;
  /** `Ref IdentityPool`, e.g. `eu-west-1:0f3c…`. */
  identityPoolId: string;
  region: string;
  accountId: string;
  partition?: string;
  /** Any other `Ref` (logical id or pseudo parameter) or `Fn::GetAtt` (`Id.Attribute`) the documents use. */
  refs?: Record<string, string>;
}

interface CfnTemplateLike {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; [attribute: string]: unknown }>;
}

export interface AuthenticatedRole {
  logicalId: string;
  /** The role's trust policy (AssumeRolePolicyDocument). */
  trustPolicy: PolicyDocument;
  /** Every permission policy of the role: its inline Policies and any AWS::IAM::Policy attached to it. */
  policies: PolicyDocument[];
}

/** The authenticated role of the template's Identity Pool, its documents resolved for `values`. */
export function authenticatedRole(template: CfnTemplateLike, values: TemplateValues): AuthenticatedRole {
  const attachments = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Cognito::IdentityPoolRoleAttachment');
  if (attachments.length !== 1) throw new Error(`expected one AWS::Cognito::IdentityPoolRoleAttachment, found ${attachments.length}`);
  const roles = attachments[0]?.Properties?.Roles as Record<string, unknown> | undefined;
  const logicalId = logicalIdOf(roles?.authenticated);
  const role = logicalId === undefined ? undefined : template.Resources[logicalId];
  if (logicalId === undefined || role?.Type !== 'AWS::IAM::Role') {
    throw new Error('the role attachment names no AWS::IAM::Role of this template as its authenticated role');
  }
  if (role.Properties?.ManagedPolicyArns !== undefined || role.Properties?.PermissionsBoundary !== undefined) {
    throw new Error(`${logicalId} has managed policies or a permissions boundary, which cannot be evaluated offline`);
  }
  const resolve = resolver(values);
  const inline = ((role.Properties?.Policies ?? []) as Array<{ PolicyDocument: unknown }>).map((policy) => policy.PolicyDocument);
  const attached = Object.values(template.Resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy')
    .filter((resource) => ((resource.Properties?.Roles ?? []) as unknown[]).some((ref) => logicalIdOf(ref) === logicalId))
    .map((resource) => resource.Properties?.PolicyDocument);
  return {
    logicalId,
    trustPolicy: resolve(role.Properties?.AssumeRolePolicyDocument) as PolicyDocument,
    policies: [...inline, ...attached].map((document) => resolve(document) as PolicyDocument),
  };
}

/** The authenticated role's permission policies, `Fn::Sub` / `Ref` / `Fn::GetAtt` resolved for `values`. */
export function authenticatedRolePolicy(template: CfnTemplateLike, values: TemplateValues): PolicyDocument[] {
  return authenticatedRole(template, values).policies;
}

function logicalIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string') return record.Ref;
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** A template value with `Ref`, `Fn::GetAtt`, `Fn::Sub` and `Fn::Join` resolved for `values` (another intrinsic throws). */
export function resolveIntrinsics(value: unknown, values: TemplateValues): unknown {
  return resolver(values)(value);
}

/** Resolves Ref, Fn::GetAtt, Fn::Sub and Fn::Join; anything else it cannot decide offline is an error. */
function resolver(values: TemplateValues): (value: unknown) => unknown {
  const known: Record<string, string> = {
    UploadsBucket: values.bucket,
    IdentityPool: values.identityPoolId,
    'AWS::Region': values.region,
    'AWS::AccountId': values.accountId,
    'AWS::Partition': values.partition ?? 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    ...values.refs,
  };
  const lookup = (name: string, locals: Record<string, unknown> = {}): string => {
    if (name in locals) return String(resolve(locals[name]));
    const value = known[name];
    if (value === undefined) throw new Error(`no value for ${name}: pass it in refs`);
    return value;
  };
  const sub = (text: string, locals: Record<string, unknown>): string =>
    // `${!Literal}` stays `${Literal}` (an IAM policy variable); `${Name}` is a Ref or GetAtt.
    text.replace(/\$\{([^}]*)\}/g, (_, name: string) => (name.startsWith('!') ? `\${${name.slice(1)}}` : lookup(name.trim(), locals)));
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value !== 'object' || value === null) return value;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    const intrinsic = keys.length === 1 && (keys[0] === 'Ref' || keys[0]?.startsWith('Fn::')) ? keys[0] : undefined;
    if (intrinsic === undefined) return Object.fromEntries(keys.map((key) => [key, resolve(record[key])]));
    const argument = record[intrinsic];
    switch (intrinsic) {
      case 'Ref':
        return lookup(String(argument));
      case 'Fn::GetAtt':
        return lookup(Array.isArray(argument) ? argument.join('.') : String(argument));
      case 'Fn::Sub':
        if (typeof argument === 'string') return sub(argument, {});
        if (Array.isArray(argument) && typeof argument[0] === 'string')
          return sub(argument[0], (argument[1] ?? {}) as Record<string, unknown>);
        break;
      case 'Fn::Join':
        if (Array.isArray(argument) && typeof argument[0] === 'string' && Array.isArray(argument[1])) {
          return argument[1].map((part) => String(resolve(part))).join(argument[0]);
        }
        break;
    }
    throw new Error(`cannot resolve ${JSON.stringify(value)} offline`);
  };
  return resolve;
}

/** The session's tags, as Cognito sets them from the ID token's claims (IdentityPoolPrincipalTag). */
export interface PrincipalTags {
  tenant_id?: string;
  tenant_role?: string;
}

export interface RequestInput {
  policies: readonly PolicyDocument[];
  /** `service:Action`, e.g. `s3:GetObject`. */
  action: string;
  /** The resource's ARN. */
  resource: string;
  principalTags: PrincipalTags;
  /** The Cognito identity id (`cognito-identity.amazonaws.com:sub`), e.g. `eu-west-1:0f3c…`. */
  identityId: string;
  /** The pool (`cognito-identity.amazonaws.com:aud`); set on every real session, optional here. */
  identityPoolId?: string;
  accountId?: string;
  /** Extra request context, e.g. `s3:prefix` for ListBucket. */
  context?: Record<string, string | string[]>;
}

export interface S3RequestInput extends Omit<RequestInput, 'resource'> {
  bucket: string;
  /** The object key; for a bucket action (ListBucket…), the listed prefix (`s3:prefix`), if any. */
  key?: string;
}

export interface Decision {
  allowed: boolean;
  /** The simulator's result and what was asked, for logs. */
  explain?: string;
}

const DEFAULT_ACCOUNT = '123456789012';
/** S3 actions on the bucket itself rather than on an object. */
const BUCKET_ACTION = /^s3:(?:ListBucket|GetBucket|PutBucket|DeleteBucket|GetLifecycle|PutLifecycle|GetEncryption|PutEncryption)/i;

/**
 * Decides an S3 request made with the role's credentials: the object's ARN
 * (the bucket's for a bucket action, the key then being the `s3:prefix`).
 */
export function evaluateS3Request(input: S3RequestInput): Promise<Decision> {
  const { bucket, key, ...rest } = input;
  const bucketAction = BUCKET_ACTION.test(input.action);
  const resource = bucketAction || key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
  const context = bucketAction && key !== undefined ? { 's3:prefix': key, ...input.context } : input.context;
  return evaluateRequest({ ...rest, resource, ...(context ? { context } : {}) });
}

/**
 * Decides any request made with the role's credentials: the identity policies
 * alone (no bucket policy, SCP or session policy), with the context STS gives
 * a Cognito web-identity session: its principal tags, and the
 * `cognito-identity.amazonaws.com` sub, aud and amr.
 *
 * The policies are validated once (runSimulation); each request then runs the
 * simulator's unvalidated path, because the validated one drops context keys
 * the service's action does not list, and with them the
 * `${cognito-identity.amazonaws.com:sub}` policy variable that IAM does resolve
 * for such sessions.
 */
export async function evaluateRequest(input: RequestInput): Promise<Decision> {
  await validated(input.policies);
  const accountId = input.accountId ?? DEFAULT_ACCOUNT;
  const contextVariables: Record<string, string | string[]> = {
    'cognito-identity.amazonaws.com:sub': input.identityId,
    'cognito-identity.amazonaws.com:amr': ['authenticated'],
    ...(input.identityPoolId ? { 'cognito-identity.amazonaws.com:aud': input.identityPoolId } : {}),
    ...(input.principalTags.tenant_id !== undefined ? { 'aws:PrincipalTag/tenant_id': input.principalTags.tenant_id } : {}),
    ...(input.principalTags.tenant_role !== undefined ? { 'aws:PrincipalTag/tenant_role': input.principalTags.tenant_role } : {}),
    ...input.context,
  };
  const result = runUnsafeSimulation(
    {
      request: {
        principal: `arn:aws:sts::${accountId}:assumed-role/identity-pool-authenticated/CognitoIdentityCredentials`,
        action: input.action,
        resource: { resource: input.resource, accountId },
        contextVariables,
      },
      identityPolicies: input.policies.map((policy, index) => ({ name: `policy-${index}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  return { allowed: result === 'Allowed', explain: `${result}: ${input.action} on ${input.resource}` };
}

const validations = new WeakMap<readonly PolicyDocument[], Promise<void>>();

/** Throws once per policy set that IAM would refuse (the simulator's own validation). */
function validated(policies: readonly PolicyDocument[]): Promise<void> {
  let validation = validations.get(policies);
  if (!validation) {
    validation = runSimulation(
      {
        request: {
          principal: `arn:aws:iam::${DEFAULT_ACCOUNT}:role/validation`,
          action: 's3:GetObject',
          resource: { resource: 'arn:aws:s3:::validation/key', accountId: DEFAULT_ACCOUNT },
          contextVariables: {},
        },
        identityPolicies: policies.map((policy, index) => ({ name: `policy-${index}`, policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    ).then((outcome) => {
      if (outcome.resultType === 'error') throw new Error(`the role's policies are invalid: ${JSON.stringify(outcome.errors)}`);
    });
    validations.set(policies, validation);
  }
  return validation;
}

export interface AssumeRoleInput {
  trustPolicy: PolicyDocument;
  /** The pool the Cognito OpenID token is for (`aud`). */
  identityPoolId: string;
  /** The token's `amr`: `authenticated` or `unauthenticated`, and the provider. */
  amr: string[];
  action?: 'sts:AssumeRoleWithWebIdentity' | 'sts:TagSession';
  roleArn?: string;
}

/**
 * Whether Cognito may assume the role (and tag its session) for a token of
 * this pool and `amr`: the role's trust policy, validated by the simulator,
 * then evaluated on its unvalidated path, which keeps the token's `aud` and
 * `amr` for `sts:TagSession` too (the validated one keeps them for
 * AssumeRoleWithWebIdentity only, though STS checks both with them).
 */
export async function evaluateAssumeRole(input: AssumeRoleInput): Promise<Decision> {
  const action = input.action ?? 'sts:AssumeRoleWithWebIdentity';
  const request = (action: string): Simulation['request'] => ({
    principal: 'cognito-identity.amazonaws.com',
    action,
    resource: { resource: input.roleArn ?? `arn:aws:iam::${DEFAULT_ACCOUNT}:role/identity-pool-authenticated`, accountId: DEFAULT_ACCOUNT },
    contextVariables: { 'cognito-identity.amazonaws.com:aud': input.identityPoolId, 'cognito-identity.amazonaws.com:amr': input.amr },
  });
  const policies = { identityPolicies: [], serviceControlPolicies: [], resourceControlPolicies: [] };
  const validation = await runSimulation(
    { request: request('sts:AssumeRoleWithWebIdentity'), ...policies, resourcePolicy: input.trustPolicy },
    {},
  );
  if (validation.resultType === 'error') throw new Error(`the trust policy cannot be evaluated: ${JSON.stringify(validation.errors)}`);
  // The simulator's plain-data form of an already validated policy, which carries the name its unvalidated path needs.
  const trustPolicy = { __validated: true, policyDocument: input.trustPolicy, metadata: { name: 'trust-policy' }, errors: [] };
  const result = runUnsafeSimulation({ request: request(action), ...policies, resourcePolicy: trustPolicy }, {});
  return { allowed: result === 'Allowed', explain: `${result}: ${action}` };
}
