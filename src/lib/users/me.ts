import type { AuthContext } from '../auth/auth-context';
import type { Role } from '../auth/roles';
import { getUserRecord } from './user-store';

export type Me = {
  userId: string;
  email: string | null;
  tenantId: string | null;
  role: Role | null;
  memberships: { tenantId: string; tenantName: string; role: Role }[];
};

/** The caller as the API sees them: the verified, current tenant context and every membership. */
export const describeMe = async (auth: AuthContext): Promise<Me> => {
  const record = await getUserRecord(auth.userId);
  return {
    userId: auth.userId,
    email: record.profile?.email ?? null,
    tenantId: auth.tenant?.tenantId ?? null,
    role: auth.tenant?.role ?? null,
    memberships: [...record.memberships]
      .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt))
      .map(({ tenantId, tenantName, role }) => ({ tenantId, tenantName, role })),
  };
};
