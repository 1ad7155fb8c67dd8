import type { Caller } from '../auth/caller';
import type { Role } from '../auth/roles';
import { tenantNames } from '../tenants/tenant-names';
import { getUserRecord } from './user-store';

export type Me = {
  userId: string;
  email: string | null;
  tenantId: string | null;
  role: Role | null;
  memberships: { tenantId: string; tenantName: string; role: Role }[];
};

/** The caller as the API sees them: the verified, current tenant context and every membership, with current tenant names. */
export const describeMe = async (caller: Caller): Promise<Me> => {
  const record = await getUserRecord(caller.userId);
  const names = await tenantNames(record.memberships.map((m) => m.tenantId));
  return {
    userId: caller.userId,
    email: record.profile?.email ?? null,
    tenantId: caller.tenantId ?? null,
    role: caller.role ?? null,
    memberships: [...record.memberships]
      .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt))
      .flatMap(({ tenantId, role }) => {
        const tenantName = names.get(tenantId);
        return tenantName === undefined ? [] : [{ tenantId, tenantName, role }];
      }),
  };
};
