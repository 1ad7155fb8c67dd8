import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../../src/lib/db/client';
import { auditPartition, invitesOfEmail, memberPrefix, userPartition } from '../../../src/lib/db/keys';

/** Reads straight from the table, to check what a flow wrote (or did not). */
const queryAll = async (pk: string, skPrefix?: string) => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :sk)' : 'pk = :pk',
        ExpressionAttributeValues: skPrefix ? { ':pk': pk, ':sk': skPrefix } : { ':pk': pk },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
};

export const membersOf = (tenantId: string) => queryAll(memberPrefix(tenantId).pk, memberPrefix(tenantId).sk);
export const userItems = (userId: string) => queryAll(userPartition(userId));
export const auditEventsOf = (tenantId: string | undefined) => queryAll(auditPartition(tenantId));
export const pendingInvitesFor = async (email: string) =>
  (await queryAll(invitesOfEmail(email).pk, invitesOfEmail(email).sk)).filter((i) => i.status === 'pending');

/** Everything stored under a tenant's partitions, to show a request changed nothing there. */
export const tenantSnapshot = async (tenantId: string) => {
  const [main, audit] = await Promise.all([queryAll(`TENANT#${tenantId}`), queryAll(auditPartition(tenantId))]);
  return JSON.stringify([...main, ...audit].sort((x, y) => `${x.pk}${x.sk}`.localeCompare(`${y.pk}${y.sk}`)));
};
