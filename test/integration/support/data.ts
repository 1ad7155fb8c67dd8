import { auditPartitions, invitesOfEmail, memberPrefix, userPartition } from '../../../src/lib/db/keys';
import { prefixQuery, queryAll } from '../../../src/lib/db/queries';

/** Reads straight from the table, to check what a flow wrote (or did not). */
const queryItems = (pk: string, sk?: string) => queryAll(prefixQuery(sk ? { pk, sk } : { pk }));

export const membersOf = (tenantId: string) => queryItems(memberPrefix(tenantId).pk, memberPrefix(tenantId).sk);
export const userItems = (userId: string) => queryItems(userPartition(userId));
/** A log's events, from every shard of it, oldest first. */
export const auditEventsOf = async (tenantId: string | undefined) =>
  (await Promise.all(auditPartitions(tenantId).map((pk) => queryItems(pk)))).flat().sort((x, y) => (String(x.sk) < String(y.sk) ? -1 : 1));
export const pendingInvitesFor = async (email: string) =>
  (await queryItems(invitesOfEmail(email).pk, invitesOfEmail(email).sk)).filter((i) => i.status === 'pending');

/** Everything stored under a tenant's partitions, to show a request changed nothing there. */
export const tenantSnapshot = async (tenantId: string) => {
  const [main, audit] = await Promise.all([queryItems(`TENANT#${tenantId}`), auditEventsOf(tenantId)]);
  return JSON.stringify([...main, ...audit].sort((x, y) => `${x.pk}${x.sk}`.localeCompare(`${y.pk}${y.sk}`)));
};
