import { auditPartition, invitesOfEmail, memberPrefix, userPartition } from '../../../src/lib/db/keys';
import { prefixQuery, queryAll } from '../../../src/lib/db/queries';

/** Reads straight from the table, to check what a flow wrote (or did not). */
const queryItems = (pk: string, sk?: string) => queryAll(prefixQuery(sk ? { pk, sk } : { pk }));

export const membersOf = (tenantId: string) => queryItems(memberPrefix(tenantId).pk, memberPrefix(tenantId).sk);
export const userItems = (userId: string) => queryItems(userPartition(userId));
export const auditEventsOf = (tenantId: string | undefined) => queryItems(auditPartition(tenantId));
export const pendingInvitesFor = async (email: string) =>
  (await queryItems(invitesOfEmail(email).pk, invitesOfEmail(email).sk)).filter((i) => i.status === 'pending');

/** Everything stored under a tenant's partitions, to show a request changed nothing there. */
export const tenantSnapshot = async (tenantId: string) => {
  const [main, audit] = await Promise.all([queryItems(`TENANT#${tenantId}`), queryItems(auditPartition(tenantId))]);
  return JSON.stringify([...main, ...audit].sort((x, y) => `${x.pk}${x.sk}`.localeCompare(`${y.pk}${y.sk}`)));
};
