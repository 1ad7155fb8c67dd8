import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamodb } from '../../../src/lib/db/client';
import { auditPartitions } from '../../../src/lib/db/keys';
import { tenantProviderName } from '../../../src/lib/sso/provider-name';
import { publishTxt } from '../../integration/support/dns';
import {
  type Call,
  type Change,
  changesBetween,
  describeChanges,
  FAULT_KINDS,
  type FaultInjector,
  faultApplies,
  type Item,
  installFaultInjector,
  type Plan,
  readPartitions,
  restorePartitions,
  type Snapshot,
  sameShape,
  shapeOf,
} from '../../integration/support/faults';
import { pointHandlersAtStack } from '../../integration/support/in-process';
import { localIdpClient, uniqueDomain } from '../../integration/support/sso';
import { stack, uniqueEmail } from '../../integration/support/stack';
import { buildWorld, type Caller, type World } from '../../integration/support/world';
import { httpEvent, lambdaContext } from '../../unit/support/api-gateway';
import { writeSuiteReport } from '../support/report';

/**
 * SPEC §3: a store that throttles or is unavailable answers 503 with
 * Retry-After and leaves nothing half-written; a concurrent change answers 409.
 * The real handler and trigger modules run in this process against DynamoDB
 * Local, with real access tokens from the local Cognito. For each route, a
 * clean run counts its DynamoDB calls and records what a success writes; then
 * every call 1..N fails in turn with every fault DynamoDB can answer it with.
 * A route answers 409 or 503 (problem+json, Retry-After on 503), or retries on
 * its own and succeeds; a trigger fails (Cognito then fails the operation and
 * the user or Cognito tries again) or retries on its own. After each request
 * the partitions it touches must be exactly as before or exactly as a success
 * leaves them (a 503 after the commit is not a half write; the summary printed
 * at the end counts them), and are then put back, so every case starts from
 * the same table.
 *
 * The SSO routes (issue 14) also retry: after a 409 or 503, the same request
 * without a fault must succeed and leave exactly what a success leaves
 * (domain verification's transaction: claim, domain, audit; the SSO PUT's:
 * configuration, provider owner, audit, after Cognito's provider and the app
 * client were set, which the retry sets again, idempotently). The app
 * client's lease (`LOCK#app-client`) is held within the request: one left
 * behind by a failed release runs out on its own (8 s), so it is counted
 * apart, not as a half write.
 */

type HttpResult = { statusCode: number; headers?: Record<string, string>; body?: string };
type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>;
type TriggerHandler = (event: unknown, context: Context) => Promise<unknown>;

const loadHandlers = async () => ({
  createTenant: (await import('../../../src/handlers/tenants/create')).handler,
  updateTenant: (await import('../../../src/handlers/tenants/update')).handler,
  updateMemberRole: (await import('../../../src/handlers/members/update-role')).handler,
  removeMember: (await import('../../../src/handlers/members/remove')).handler,
  createInvite: (await import('../../../src/handlers/invites/create')).handler,
  revokeInvite: (await import('../../../src/handlers/invites/revoke')).handler,
  acceptInvite: (await import('../../../src/handlers/me/accept-invite')).handler,
  setActiveTenant: (await import('../../../src/handlers/me/set-active-tenant')).handler,
  createFile: (await import('../../../src/handlers/files/create')).handler,
  verifyDomain: (await import('../../../src/handlers/domains/verify')).handler,
  putSso: (await import('../../../src/handlers/sso/put')).handler,
  deleteFile: (await import('../../../src/handlers/files/delete')).handler,
  revokeSession: (await import('../../../src/handlers/sessions/revoke')).handler,
});
type HandlerName = keyof Awaited<ReturnType<typeof loadHandlers>>;

const loadTriggers = async () => ({
  preSignUp: (await import('../../../src/triggers/cognito/pre-sign-up')).handler,
  postConfirmation: (await import('../../../src/triggers/cognito/post-confirmation')).handler,
  postAuthentication: (await import('../../../src/triggers/cognito/post-authentication')).handler,
  preTokenGeneration: (await import('../../../src/triggers/cognito/pre-token-generation')).handler,
  cognitoGlobalSignOut: (await import('../../../src/triggers/events/cognito-global-sign-out')).handler,
});
type TriggerName = keyof Awaited<ReturnType<typeof loadTriggers>>;

type Fixtures = {
  world: World;
  /** A member of tenant A (no Cognito account needed: nobody signs in as them). */
  target: { userId: string; email: string };
  /** A pending invite into tenant A for the owner of tenant B. */
  inviteToAccept: string;
  inviteToRevoke: { inviteId: string; email: string };
  /** Declared by the member of tenant A. */
  fileId: string;
  newOwnerEmail: string;
  newInviteeEmail: string;
  /** A pending invite and its code, for sign-up. */
  signUp: { email: string; code: string; sub: string };
  /** Added to tenant A, pending, its TXT record published: verify succeeds. */
  domainToVerify: string;
};

const tenantPartitions = (tenantId: string) => [`TENANT#${tenantId}`, ...auditPartitions(tenantId)];

type RouteSpec = {
  route: string;
  handler: HandlerName;
  success: number;
  request: (f: Fixtures) => { caller: Caller; path?: Record<string, string>; body?: unknown };
  /** Every partition the route may write; a clean run that writes any other fails the test. */
  partitions: (f: Fixtures) => string[];
  /** Creates a tenant: it writes partitions named after the new id, empty before. */
  createsTenant?: boolean;
  /** After a 409 or 503, the same request again without a fault must succeed and write what a success writes. */
  retry?: true;
  /** Partitions of leases the request holds and releases: an item left there runs out on its own (not a half write). */
  leases?: string[];
};

const ROUTES: RouteSpec[] = [
  {
    route: 'POST /tenants',
    handler: 'createTenant',
    success: 201,
    request: (f) => ({ caller: f.world.callers.platformAdmin, body: { name: 'Faulty Co', ownerEmail: f.newOwnerEmail } }),
    partitions: (f) => ['TENANT_DIRECTORY', `EMAIL#${f.newOwnerEmail}`],
    createsTenant: true,
  },
  {
    route: 'PATCH /tenants/{tenantId}',
    handler: 'updateTenant',
    success: 200,
    request: (f) => ({ caller: f.world.callers.owner, path: { tenantId: f.world.tenantA }, body: { name: 'Tenant A renamed' } }),
    partitions: (f) => [...tenantPartitions(f.world.tenantA), 'TENANT_DIRECTORY'],
  },
  {
    route: 'PATCH /tenants/{tenantId}/members/{userId}',
    handler: 'updateMemberRole',
    success: 200,
    request: (f) => ({
      caller: f.world.callers.owner,
      path: { tenantId: f.world.tenantA, userId: f.target.userId },
      body: { role: 'admin' },
    }),
    partitions: (f) => [...tenantPartitions(f.world.tenantA), `USER#${f.target.userId}`],
  },
  {
    route: 'DELETE /tenants/{tenantId}/members/{userId}',
    handler: 'removeMember',
    success: 204,
    request: (f) => ({ caller: f.world.callers.owner, path: { tenantId: f.world.tenantA, userId: f.target.userId } }),
    partitions: (f) => [...tenantPartitions(f.world.tenantA), `USER#${f.target.userId}`, `EMAIL#${f.target.email}`],
  },
  {
    route: 'POST /tenants/{tenantId}/invites',
    handler: 'createInvite',
    success: 201,
    request: (f) => ({
      caller: f.world.callers.owner,
      path: { tenantId: f.world.tenantA },
      body: { email: f.newInviteeEmail, role: 'viewer' },
    }),
    partitions: (f) => [...tenantPartitions(f.world.tenantA), `EMAIL#${f.newInviteeEmail}`],
  },
  {
    route: 'DELETE /tenants/{tenantId}/invites/{inviteId}',
    handler: 'revokeInvite',
    success: 204,
    request: (f) => ({ caller: f.world.callers.owner, path: { tenantId: f.world.tenantA, inviteId: f.inviteToRevoke.inviteId } }),
    partitions: (f) => [...tenantPartitions(f.world.tenantA), `EMAIL#${f.inviteToRevoke.email}`],
  },
  {
    route: 'POST /me/invites/{inviteId}/accept',
    handler: 'acceptInvite',
    success: 201,
    request: (f) => ({ caller: f.world.callers.nonMember, path: { inviteId: f.inviteToAccept } }),
    partitions: (f) => [
      ...tenantPartitions(f.world.tenantA),
      `EMAIL#${f.world.callers.nonMember.email}`,
      `USER#${f.world.callers.nonMember.userId}`,
    ],
  },
  {
    route: 'PUT /me/active-tenant',
    handler: 'setActiveTenant',
    success: 200,
    request: (f) => ({ caller: f.world.callers.viewer, body: { tenantId: f.world.tenantB } }),
    partitions: (f) => [`USER#${f.world.callers.viewer.userId}`, `TENANT#${f.world.tenantB}`],
  },
  {
    route: 'POST /tenants/{tenantId}/files',
    handler: 'createFile',
    success: 201,
    request: (f) => ({
      caller: f.world.callers.member,
      path: { tenantId: f.world.tenantA },
      body: { name: 'faults.csv', contentType: 'text/csv', size: 64 },
    }),
    partitions: (f) => tenantPartitions(f.world.tenantA),
  },
  {
    route: 'DELETE /tenants/{tenantId}/files/{fileId}',
    handler: 'deleteFile',
    success: 204,
    request: (f) => ({ caller: f.world.callers.member, path: { tenantId: f.world.tenantA, fileId: f.fileId } }),
    partitions: (f) => tenantPartitions(f.world.tenantA),
  },
  {
    route: 'POST /tenants/{tenantId}/domains/{domain}/verify',
    handler: 'verifyDomain',
    success: 200,
    request: (f) => ({ caller: f.world.callers.owner, path: { tenantId: f.world.tenantA, domain: f.domainToVerify } }),
    partitions: (f) => [...tenantPartitions(f.world.tenantA), `DOMAIN#${f.domainToVerify}`],
    retry: true,
  },
  {
    route: 'PUT /tenants/{tenantId}/sso',
    handler: 'putSso',
    success: 201,
    request: (f) => {
      const client = localIdpClient(0);
      return {
        caller: f.world.callers.owner,
        path: { tenantId: f.world.tenantA },
        body: {
          type: 'oidc',
          issuer: stack.oidcIdp.issuer,
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          defaultRole: 'member',
          enforce: false,
        },
      };
    },
    partitions: (f) => [...tenantPartitions(f.world.tenantA), `IDP#${tenantProviderName(f.world.tenantA)}`, 'LOCK#app-client'],
    retry: true,
    leases: ['LOCK#app-client'],
  },
  {
    route: 'POST /sessions/revoke (scope session)',
    handler: 'revokeSession',
    success: 204,
    request: (f) => ({ caller: f.world.callers.admin, body: { scope: 'session' } }),
    partitions: (f) => [`USER#${f.world.callers.admin.userId}#SESSIONS`, ...auditPartitions(f.world.tenantA)],
  },
  {
    route: 'POST /sessions/revoke (scope all)',
    handler: 'revokeSession',
    success: 204,
    request: (f) => ({ caller: f.world.callers.admin, body: { scope: 'all' } }),
    partitions: (f) => [`USER#${f.world.callers.admin.userId}#SESSIONS`, ...auditPartitions(f.world.tenantA)],
  },
];

const cognitoBase = (userName: string) => ({
  region: stack.region,
  userPoolId: stack.cognito.userPoolId,
  userName,
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: stack.cognito.clientId },
});
const confirmedAttributes = (sub: string, email: string) => ({
  sub,
  email,
  email_verified: 'true',
  'cognito:user_status': 'CONFIRMED',
});

const added = (changes: Change[], match: (item: Item) => boolean) => changes.filter((c) => !c.before && c.after && match(c.after)).length;
const auditsAdded = (changes: Change[], type: string, actorId: string) =>
  added(changes, (i) => i.entity === 'audit' && i.type === type && i.actorId === actorId);

type TriggerSpec = {
  name: string;
  trigger: TriggerName;
  event: (f: Fixtures) => Record<string, unknown>;
  partitions: (f: Fixtures) => string[];
  /** What a delivery that succeeded must have left (and answered): exactly one of each write. */
  check: (f: Fixtures, changes: Change[], output: unknown) => void;
};

const TRIGGERS: TriggerSpec[] = [
  {
    name: 'PreSignUp (SignUp with the invite code)',
    trigger: 'preSignUp',
    event: (f) => ({
      version: '1',
      ...cognitoBase(f.signUp.sub),
      triggerSource: 'PreSignUp_SignUp',
      request: { userAttributes: { email: f.signUp.email }, validationData: { invite_code: f.signUp.code } },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    }),
    partitions: (f) => [`EMAIL#${f.signUp.email}`],
    check: (_f, changes) => expect(describeChanges(changes)).toBe('nothing'),
  },
  {
    name: 'PostConfirmation (ConfirmSignUp)',
    trigger: 'postConfirmation',
    event: (f) => ({
      version: '1',
      ...cognitoBase(f.signUp.sub),
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      request: { userAttributes: confirmedAttributes(f.signUp.sub, f.signUp.email) },
      response: {},
    }),
    partitions: (f) => [...tenantPartitions(f.world.tenantA), `EMAIL#${f.signUp.email}`, `USER#${f.signUp.sub}`],
    check: (f, changes) => {
      const { sub } = f.signUp;
      expect(added(changes, (i) => i.sk === `MEMBER#${sub}`)).toBe(1);
      expect(added(changes, (i) => i.sk === `MEMBERSHIP#${f.world.tenantA}` && i.pk === `USER#${sub}`)).toBe(1);
      expect(auditsAdded(changes, 'auth.signup', sub)).toBe(1);
      expect(auditsAdded(changes, 'invite.accepted', sub)).toBe(1);
    },
  },
  {
    name: 'PostConfirmation (ConfirmForgotPassword)',
    trigger: 'postConfirmation',
    event: (f) => ({
      version: '1',
      ...cognitoBase(f.world.callers.member.userId),
      triggerSource: 'PostConfirmation_ConfirmForgotPassword',
      request: { userAttributes: confirmedAttributes(f.world.callers.member.userId, f.world.callers.member.email) },
      response: {},
    }),
    partitions: (f) => [`USER#${f.world.callers.member.userId}#SESSIONS`, ...auditPartitions(f.world.tenantA)],
    check: (f, changes) => {
      const { userId } = f.world.callers.member;
      expect(added(changes, (i) => i.pk === `USER#${userId}#SESSIONS` && i.sk === 'ALL')).toBe(1);
      expect(auditsAdded(changes, 'session.revoked', userId)).toBe(1);
    },
  },
  {
    name: 'PostAuthentication',
    trigger: 'postAuthentication',
    event: (f) => ({
      version: '1',
      ...cognitoBase(f.world.callers.member.userId),
      triggerSource: 'PostAuthentication_Authentication',
      request: {
        userAttributes: confirmedAttributes(f.world.callers.member.userId, f.world.callers.member.email),
        newDeviceUsed: false,
        clientMetadata: { signInId: 'fault-injection' },
      },
      response: {},
    }),
    partitions: (f) => [`USER#${f.world.callers.member.userId}#LOGINS`, ...auditPartitions(f.world.tenantA)],
    check: (f, changes) => {
      const { userId } = f.world.callers.member;
      expect(added(changes, (i) => i.pk === `USER#${userId}#LOGINS`)).toBe(1);
      expect(auditsAdded(changes, 'auth.login', userId)).toBe(1);
    },
  },
  {
    name: "Cognito's GlobalSignOut (EventBridge, CloudTrail)",
    trigger: 'cognitoGlobalSignOut',
    event: (f) => ({
      version: '0',
      id: randomUUID(),
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.cognito-idp',
      account: '000000000000',
      time: new Date().toISOString(),
      region: stack.region,
      resources: [],
      detail: {
        eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        eventSource: 'cognito-idp.amazonaws.com',
        eventName: 'GlobalSignOut',
        errorCode: '',
        sourceIPAddress: '203.0.113.9',
        userAgent: 'fault-injection',
        additionalEventData: { sub: f.world.callers.member.userId },
        eventID: 'fault-injection-sign-out',
      },
    }),
    partitions: (f) => [`USER#${f.world.callers.member.userId}#SESSIONS`, ...auditPartitions(f.world.tenantA)],
    check: (f, changes) => {
      const { userId } = f.world.callers.member;
      expect(added(changes, (i) => i.pk === `USER#${userId}#SESSIONS` && i.sk === 'ALL')).toBe(1);
      expect(added(changes, (i) => i.pk === `USER#${userId}#SESSIONS` && String(i.sk).startsWith('ENDED_BY#'))).toBe(1);
      expect(auditsAdded(changes, 'session.revoked', userId)).toBe(1);
    },
  },
  {
    name: 'PreTokenGeneration',
    trigger: 'preTokenGeneration',
    event: (f) => ({
      version: '2',
      ...cognitoBase(f.world.callers.member.userId),
      triggerSource: 'TokenGeneration_Authentication',
      request: {
        userAttributes: { sub: f.world.callers.member.userId, email_verified: 'true' },
        groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] },
        scopes: ['aws.cognito.signin.user.admin'],
      },
      response: { claimsAndScopeOverrideDetails: null },
    }),
    partitions: (f) => [`USER#${f.world.callers.member.userId}`],
    check: (f, changes, output) => {
      expect(describeChanges(changes)).toBe('nothing');
      expect(output).toMatchObject({
        response: {
          claimsAndScopeOverrideDetails: {
            accessTokenGeneration: { claimsToAddOrOverride: { tenant_id: f.world.tenantA, tenant_role: 'member' } },
          },
        },
      });
    },
  },
];

/** The partitions to compare: those declared, and any other a call tried to write (a new tenant's). */
const partitionsOf = (declared: string[], ...runs: { calls: Call[] }[]) => [
  ...new Set([...declared, ...runs.flatMap((r) => r.calls.flatMap((c) => c.writes))]),
];

/** Every fault DynamoDB can answer each call of a clean run with, at that call. */
const plansFor = (calls: Call[]): Plan[] =>
  calls.flatMap((call, i) => FAULT_KINDS.filter((kind) => faultApplies(kind, call.op)).map((kind) => ({ at: i + 1, kind, op: call.op })));

const label = (plan: Plan, calls: Call[]) =>
  `call ${plan.at}/${calls.length} ${plan.op}${calls[plan.at - 1]?.auth ? ' (auth)' : ''} × ${plan.kind}`;

/** One line per route or trigger for the summary printed at the end. */
const summary: string[] = [];
/** Every outcome of an injected fault, for the suite's report (SECURITY.md). */
const allOutcomes: string[] = [];
/** What followed some faults: a client's retry that converged, a lease left to run out. */
const allNotes: string[] = [];
const tally = (outcomes: string[]) =>
  Object.entries(outcomes.reduce<Record<string, number>>((n, o) => Object.assign(n, { [o]: (n[o] ?? 0) + 1 }), {}))
    .map(([o, n]) => `${o} ×${n}`)
    .join(', ');

let handlers: Awaited<ReturnType<typeof loadHandlers>>;
let triggers: Awaited<ReturnType<typeof loadTriggers>>;
let injector: FaultInjector;
let f: Fixtures;
const context = lambdaContext();

const eventFor = (spec: RouteSpec, req: ReturnType<RouteSpec['request']>): APIGatewayProxyEventV2 => {
  const [method = 'GET', template = '/'] = spec.route.split(' ');
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => req.path?.[name] ?? 'missing');
  return httpEvent({
    method,
    path,
    headers: {
      authorization: `Bearer ${req.caller.accessToken}`,
      ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(req.path ? { pathParameters: req.path } : {}),
    ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
  });
};

/** Puts the table back and shows it is back: every case starts from the same state. */
const putBack = async (before: Snapshot, changes: Change[], pks: string[]) => {
  if (changes.length === 0) return;
  await restorePartitions(before, changes);
  const again = changesBetween(before, await readPartitions(pks));
  if (again.length > 0) throw new Error(`could not restore the table: ${describeChanges(again)}`);
};

beforeAll(async () => {
  // Every request reads its session state: the auth context's read is one of the calls that fail.
  pointHandlersAtStack({
    AUTH_CACHE_SECONDS: '0',
    // Domain verification asks the stack's DNS; the SSO PUT's modules read the hosted login's settings at load.
    DNS_SERVERS: stack.dns.server,
    HOSTED_LOGIN_URL: stack.cognito.endpoint,
    OAUTH_REDIRECT_URI: 'http://localhost:5173/auth/callback',
  });
  handlers = await loadHandlers();
  triggers = await loadTriggers();
  const { logger } = await import('../../../src/lib/logger');
  logger.setLogLevel('ERROR');
  const { operatorInTenant } = await import('../../../src/lib/auth/caller');
  const { createInvite } = await import('../../../src/lib/invites/create-invite');
  const { acceptInviteOnSignUp } = await import('../../../src/lib/invites/accept-on-sign-up');
  const { acceptInviteForUser } = await import('../../../src/lib/invites/accept-invite');
  const { addDomain } = await import('../../../src/lib/domains/add-domain');

  const world = await buildWorld();
  const inA = operatorInTenant('operator:faults', world.tenantA);
  const { viewer, nonMember, member } = world.callers;

  const target = { userId: randomUUID(), email: uniqueEmail('fault-target') };
  await createInvite(inA, { email: target.email, role: 'member' });
  await acceptInviteOnSignUp(target);
  const inviteToAccept = (await createInvite(inA, { email: nonMember.email, role: 'viewer' })).invite.inviteId;
  const revokeEmail = uniqueEmail('fault-revoke');
  const toRevoke = (await createInvite(inA, { email: revokeEmail, role: 'viewer' })).invite.inviteId;
  // The viewer of A belongs to B too, so the active tenant can change.
  const intoB = await createInvite(operatorInTenant('operator:faults', world.tenantB), { email: viewer.email, role: 'viewer' });
  await acceptInviteForUser(
    { userId: viewer.userId, sessionId: 'setup', clientId: 'setup', isPlatformAdmin: false },
    intoB.invite.inviteId,
  );
  const signUpEmail = uniqueEmail('fault-signup');
  const signUpInvite = await createInvite(inA, { email: signUpEmail, role: 'member' });
  const domainToVerify = uniqueDomain('faults');
  const added = await addDomain(inA, domainToVerify);
  publishTxt(added.txtRecord.name, added.txtRecord.value);
  const declared = await handlers.createFile(
    eventFor(ROUTES.find((r) => r.handler === 'createFile') as RouteSpec, {
      caller: member,
      path: { tenantId: world.tenantA },
      body: { name: 'to-delete.csv', contentType: 'text/csv', size: 64 },
    }),
    context,
  );
  if (declared.statusCode !== 201) throw new Error(`setup: file declaration answered ${declared.statusCode} ${declared.body}`);

  f = {
    world,
    target,
    inviteToAccept,
    inviteToRevoke: { inviteId: toRevoke, email: revokeEmail },
    fileId: String((JSON.parse(declared.body ?? '{}') as { file?: { fileId?: string } }).file?.fileId),
    newOwnerEmail: uniqueEmail('fault-owner'),
    newInviteeEmail: uniqueEmail('fault-invitee'),
    signUp: { email: signUpEmail, code: signUpInvite.code, sub: randomUUID() },
    domainToVerify,
  };
  injector = installFaultInjector(dynamodb);
}, 180_000);

afterAll(() => {
  injector?.uninstall();
  if (summary.length > 0) console.log(`[faults]\n${summary.join('\n')}`);
  const count = (test: (outcome: string) => boolean) => allOutcomes.filter(test).length;
  writeSuiteReport({
    suite: 'faults',
    title: 'DynamoDB conflicts, throttling and outages injected at every call of every mutating route and Cognito trigger',
    cases: allOutcomes.length,
    refused: count((o) => /^(409|503|threw) /.test(o)),
    accepted: 0,
    serverErrors: count((o) => /^5\d\d /.test(o) && !o.startsWith('503 ')),
    leaks: count((o) => o.endsWith(' half-written')),
    breakdown: {
      'answered 409 or 503, nothing written': count((o) => /^(409|503) unchanged$/.test(o)),
      'trigger failed (Cognito retries), nothing written': count((o) => o === 'threw unchanged'),
      'retried by the SDK or the code, written once': count((o) => o.endsWith(' as-success')),
      'half writes': count((o) => o.endsWith(' half-written')),
      'retried by the client after 409 or 503, converged': allNotes.filter((n) => n === 'retry converged').length,
      'lease left behind by a failed release, run out on its own': allNotes.filter((n) => n === 'lease left').length,
    },
  });
});

describe('a DynamoDB conflict, throttling or outage on a mutating route', () => {
  it.each(ROUTES.map((r) => [r.route, r] as const))(
    '%s answers 409 or 503 (or retries), never 500, and half-writes nothing',
    async (_, spec) => {
      // Prepare: a clean run counts the calls and records what a success writes
      const started = Date.now();
      const handler = handlers[spec.handler] as HttpHandler;
      const req = spec.request(f);
      const declared = spec.partitions(f);
      const before = await readPartitions(declared);

      const clean = await injector.during(undefined, () => handler(eventFor(spec, req), context));
      if (!clean.ok) throw clean.error;
      expect(clean.value.statusCode, clean.value.body).toBe(spec.success);
      const cleanPks = partitionsOf(declared, clean);
      const undeclared = cleanPks.filter((pk) => !declared.includes(pk));
      if (spec.createsTenant) {
        const { tenantId } = (JSON.parse(clean.value.body ?? '{}') as { tenant: { tenantId: string } }).tenant;
        expect(undeclared).toContain(`TENANT#${tenantId}`);
        expect(undeclared.filter((pk) => !tenantPartitions(tenantId).includes(pk))).toEqual([]);
      } else {
        expect(undeclared).toEqual([]);
      }
      expect(clean.calls.filter((c) => c.auth)).toHaveLength(1);
      // Every call reached DynamoDB: the counter the injected calls are checked against (0 attempts) works.
      expect(clean.calls.filter((c) => c.attempts === 0)).toEqual([]);
      const cleanChanges = changesBetween(before, await readPartitions(cleanPks));
      const inLease = (c: Change) => (spec.leases ?? []).includes(c.pk);
      const data = (changes: Change[]) => changes.filter((c) => !inLease(c));
      expect(data(cleanChanges).length).toBeGreaterThan(0);
      expect(describeChanges(cleanChanges.filter(inLease)), 'a clean run left its lease').toBe('nothing');
      const success = shapeOf(cleanChanges);
      await putBack(before, cleanChanges, cleanPks);

      // Act and Assess: every call of the clean run fails in turn, with every fault it can meet
      const problems: string[] = [];
      const outcomes: string[] = [];
      const notes: string[] = [];
      for (const plan of plansFor(clean.calls)) {
        const run = await injector.during(plan, () => handler(eventFor(spec, req), context));
        let pks = partitionsOf(declared, run);
        let changes = changesBetween(before, await readPartitions(pks));
        const written = data(changes);
        const state = written.length === 0 ? 'unchanged' : sameShape(shapeOf(written), success) ? 'as-success' : 'half-written';
        const where = `${spec.route}: ${label(plan, clean.calls)}`;
        if (changes.some(inLease)) notes.push('lease left');

        // The client's retry after a 409 or 503, from the table the fault left (a lease left behind, waited out)
        const status = run.ok ? run.value.statusCode : 0;
        if (spec.retry && (status === 409 || status === 503)) {
          await restorePartitions(before, changes.filter(inLease));
          const retried = await injector.during(undefined, () => handler(eventFor(spec, req), context));
          pks = partitionsOf(declared, run, retried);
          changes = changesBetween(before, await readPartitions(pks));
          if (!retried.ok) problems.push(`${where}: the retry threw ${String(retried.error)}`);
          else if (retried.value.statusCode !== spec.success)
            problems.push(`${where}: the retry answered ${retried.value.statusCode} ${retried.value.body ?? ''}`);
          else if (!sameShape(shapeOf(data(changes)), success))
            problems.push(`${where}: after the retry the table holds ${describeChanges(changes)}`);
          else notes.push('retry converged');
        }
        await putBack(before, changes, pks);

        if (!run.ok) {
          problems.push(`${where}: the handler threw ${String(run.error)} instead of answering`);
          continue;
        }
        const { statusCode, headers = {}, body } = run.value;
        outcomes.push(`${statusCode} ${state}`);
        if (run.calls[plan.at - 1]?.attempts !== 0) problems.push(`${where}: the injected call reached DynamoDB`);
        if (state === 'half-written') problems.push(`${where}: answered ${statusCode} and left a half write: ${describeChanges(changes)}`);
        if (statusCode === 409 || statusCode === 503) {
          if (headers['content-type'] !== 'application/problem+json') problems.push(`${where}: ${statusCode} without problem+json`);
          if ((JSON.parse(body ?? '{}') as { status?: unknown }).status !== statusCode)
            problems.push(`${where}: problem status ≠ ${statusCode}`);
          if (statusCode === 503 && !/^[1-9]\d*$/.test(headers['retry-after'] ?? '')) problems.push(`${where}: 503 without Retry-After`);
        } else if (statusCode === spec.success) {
          // The route retried on its own: it must then have written exactly what a success writes.
          if (state !== 'as-success') problems.push(`${where}: answered ${statusCode} but wrote ${state}`);
        } else {
          problems.push(`${where}: answered ${statusCode} ${body ?? ''}`);
        }
      }

      allOutcomes.push(...outcomes);
      allNotes.push(...notes);
      const ops = clean.calls.map((c) => `${c.op}${c.auth ? '(auth)' : ''}`).join(', ');
      const then = notes.length > 0 ? `; then ${tally(notes)}` : '';
      summary.push(
        `${spec.route}: ${clean.calls.length} calls [${ops}], ${outcomes.length} faults → ${tally(outcomes)}${then} (${Date.now() - started} ms)`,
      );
      expect(problems, problems.join('\n')).toEqual([]);
    },
  );
});

describe('a DynamoDB conflict, throttling or outage in a Cognito trigger', () => {
  it.each(TRIGGERS.map((t) => [t.name, t] as const))(
    '%s fails (so Cognito retries) or retries itself; the retry writes everything once',
    async (_, spec) => {
      // Prepare: a clean delivery counts the calls and records what a success writes
      const started = Date.now();
      const trigger = triggers[spec.trigger] as TriggerHandler;
      const declared = spec.partitions(f);
      const before = await readPartitions(declared);

      const clean = await injector.during(undefined, () => trigger(spec.event(f), context));
      if (!clean.ok) throw clean.error;
      expect(partitionsOf(declared, clean)).toEqual(declared);
      const cleanChanges = changesBetween(before, await readPartitions(declared));
      spec.check(f, cleanChanges, clean.value);
      const success = shapeOf(cleanChanges);
      await putBack(before, cleanChanges, declared);

      // Act and Assess: a faulty delivery, then Cognito's delivery of the same event again
      const problems: string[] = [];
      const outcomes: string[] = [];
      for (const plan of plansFor(clean.calls)) {
        const where = `${spec.name}: ${label(plan, clean.calls)}`;
        const faulty = await injector.during(plan, () => trigger(spec.event(f), context));
        const pks = partitionsOf(declared, faulty);
        const afterFault = changesBetween(before, await readPartitions(pks));
        const state = afterFault.length === 0 ? 'unchanged' : sameShape(shapeOf(afterFault), success) ? 'as-success' : 'half-written';
        outcomes.push(`${faulty.ok ? 'succeeded' : 'threw'} ${state}`);
        if (faulty.calls[plan.at - 1]?.attempts !== 0) problems.push(`${where}: the injected call reached DynamoDB`);
        if (state === 'half-written') problems.push(`${where}: left a half write: ${describeChanges(afterFault)}`);
        if (faulty.ok && success.length === 0) problems.push(`${where}: succeeded despite the fault (it must fail, never guess)`);
        else if (faulty.ok && state !== 'as-success') problems.push(`${where}: succeeded but wrote ${state}`);

        const retried = await injector.during(undefined, () => trigger(spec.event(f), context));
        const retriedPks = partitionsOf(declared, faulty, retried);
        const afterRetry = changesBetween(before, await readPartitions(retriedPks));
        await putBack(before, afterRetry, retriedPks);
        if (!retried.ok) {
          problems.push(`${where}: the retry without a fault threw ${String(retried.error)}`);
          continue;
        }
        if (!sameShape(shapeOf(afterRetry), success))
          problems.push(`${where}: after the retry the table holds ${describeChanges(afterRetry)}`);
        try {
          spec.check(f, afterRetry, retried.value);
        } catch (err) {
          problems.push(`${where}: after the retry: ${(err as Error).message}`);
        }
      }

      allOutcomes.push(...outcomes);
      summary.push(
        `${spec.name}: ${clean.calls.length} calls, ${outcomes.length} faults → ${tally(outcomes)} (${Date.now() - started} ms)`,
      );
      expect(problems, problems.join('\n')).toEqual([]);
    },
  );
});
