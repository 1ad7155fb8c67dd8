/**
 * Measure: what one sign-in and one cold auth context read and write, taken
 * from the real code. The Cognito triggers (their Lambda handlers) and the
 * auth context's session-state read run in this process against an in-memory
 * table behind a mocked DynamoDB document client; every item they touch is
 * recorded with its key and its size as DynamoDB counts it. The member is
 * made by the real membership writes (an invite accepted at sign-up).
 */
import { randomUUID } from 'node:crypto';
import { itemBytes } from './capacity';

export type Phase = 'postAuthentication' | 'preTokenGeneration' | 'authContext';
export type Key = { pk: string; sk: string };
/** One item one call touched: how it was read or written, and its size. */
export type Op = {
  phase: Phase;
  /** The DynamoDB call (its operation, and its number in the capture: the items of one transaction share it). */
  call: string;
  callNo: number;
  key: Key;
  access: 'read' | 'write';
  mode: 'eventual' | 'strong' | 'transactional';
  bytes: number;
};
export type Capture = { tenantId: string; userId: string; ops: Op[]; bytesAt: (key: Key) => number };

type Item = Record<string, unknown>;
type Write = { Put?: { Item?: Item }; Update?: { Key?: Item; ExpressionAttributeValues?: Item }; ConditionCheck?: unknown };

const keyOf = (k: { pk?: unknown; sk?: unknown }): Key => ({ pk: String(k.pk), sk: String(k.sk) });
const id = (k: Key) => `${k.pk}|${k.sk}`;

export const captureSignIn = async (): Promise<Capture> => {
  // src/lib reads its configuration at load: a stage of its own, with no endpoint (nothing leaves this process).
  Object.assign(process.env, {
    STAGE: 'storm',
    TABLE_NAME: 'tenantgate-storm',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'STORM',
    AWS_SECRET_ACCESS_KEY: 'STORM',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const ddb = await import('@aws-sdk/lib-dynamodb');
  const { mockClient } = await import('aws-sdk-client-mock');
  const { newMembershipWrites } = await import('../../../src/lib/members/membership');
  const { handler: postAuthentication } = await import('../../../src/triggers/cognito/post-authentication');
  const { handler: preTokenGeneration } = await import('../../../src/triggers/cognito/pre-token-generation');
  const { readSessionState } = await import('../../../src/lib/auth/session-state');
  const { lambdaContext } = await import('../lib/lambda-context');

  const table = new Map<string, Item>();
  const ops: Op[] = [];
  let phase: Phase = 'postAuthentication';
  let callNo = 0;
  const read = (call: string, k: Key, mode: Op['mode']) => {
    const item = table.get(id(k));
    ops.push({ phase, call, callNo, key: k, access: 'read', mode, bytes: item ? itemBytes(item) : 0 });
    return item;
  };
  const apply = (w: Write) => {
    if (w.Put?.Item) table.set(id(keyOf(w.Put.Item)), w.Put.Item);
    // The one Update of a new membership: the user's profile, with its active tenant.
    if (w.Update?.Key && w.Update.ExpressionAttributeValues?.[':entity'] === 'user') {
      const v = w.Update.ExpressionAttributeValues;
      const profile = { ...w.Update.Key, entity: v[':entity'], userId: v[':userId'], email: v[':email'] };
      table.set(id(keyOf(w.Update.Key)), { ...profile, activeTenantId: v[':tenantId'], createdAt: v[':now'] });
    }
  };

  const mock = mockClient(ddb.DynamoDBDocumentClient);
  mock.on(ddb.GetCommand).callsFake(async (input) => {
    callNo += 1;
    return { Item: read('GetItem', keyOf(input.Key), input.ConsistentRead ? 'strong' : 'eventual') };
  });
  mock.on(ddb.TransactGetCommand).callsFake(async (input) => {
    callNo += 1;
    const gets = (input.TransactItems ?? []) as { Get?: { Key?: Item } }[];
    return { Responses: gets.map((t) => ({ Item: read('TransactGetItems', keyOf(t.Get?.Key ?? {}), 'transactional') })) };
  });
  mock.on(ddb.TransactWriteCommand).callsFake(async (input) => {
    callNo += 1;
    for (const w of (input.TransactItems ?? []) as Write[]) {
      if (!w.Put?.Item) throw new Error('the storm model knows the Puts of a sign-in only');
      ops.push({
        phase,
        call: 'TransactWriteItems',
        callNo,
        key: keyOf(w.Put.Item),
        access: 'write',
        mode: 'transactional',
        bytes: itemBytes(w.Put.Item),
      });
      apply(w);
    }
    return {};
  });
  mock.on(ddb.QueryCommand).rejects(new Error('a sign-in of a member of its active tenant needs no Query'));

  try {
    // A member of a big tenant, as an accepted invite made them (ids as Cognito and the code make them).
    const tenantId = randomUUID();
    const userId = randomUUID();
    const email = 'firstname.lastname@bigcustomer-example.com';
    for (const w of newMembershipWrites({ tenantId, userId, email, role: 'member' }, new Date()) as Write[]) apply(w);

    const base = { version: '1', region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEfGhI', userName: userId };
    const callerContext = { awsSdkVersion: 'aws-sdk-js-3.0.0', clientId: '1example23456789abcdefghij' };
    const userAttributes = { sub: userId, email, email_verified: 'true' };
    const context = lambdaContext();
    phase = 'postAuthentication';
    await postAuthentication(
      {
        ...base,
        callerContext,
        triggerSource: 'PostAuthentication_Authentication',
        request: { userAttributes, newDeviceUsed: false },
        response: {},
      },
      context,
    );
    phase = 'preTokenGeneration';
    await preTokenGeneration(
      {
        ...base,
        version: '2',
        callerContext,
        triggerSource: 'TokenGeneration_Authentication',
        request: { userAttributes, groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] }, scopes: ['openid'] },
        response: { claimsAndScopeOverrideDetails: null },
      },
      context,
    );
    phase = 'authContext';
    await readSessionState(userId, randomUUID(), tenantId);
    return { tenantId, userId, ops, bytesAt: (k) => itemBytes(table.get(id(k)) ?? {}) };
  } finally {
    mock.restore();
  }
};
