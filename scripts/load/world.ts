import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/lib/auth/roles';
import type { BenchStack } from '../bench/lib/local-stack';
import { localCognito, type Person } from '../bench/lib/local-world';

/**
 * The people the load runs as: a few tenants, each with one signed-in user of
 * every role, made as the integration tests make them (the operator's
 * createTenant in process, then invites through the API and sign-ups through
 * cognito-local and the real triggers).
 */
export type LoadUser = Person & { role: Role; tenantId: string };
export type LoadTenant = { tenantId: string; name: string; users: Record<Role, LoadUser> };
export type LoadWorld = {
  tenants: LoadTenant[];
  /** When each user's last sign-in ended (ms since epoch): sign-ins of one user are spaced from it. */
  lastSignIn: Map<string, number>;
};

const INVITED_ROLES = ['admin', 'member', 'viewer'] as const;

export const loadEmail = (label: string): string => `${label}-${randomUUID().slice(0, 12)}@load.test`;

export const buildLoadWorld = async (stack: BenchStack, apiUrl: string, tenantCount: number): Promise<LoadWorld> => {
  // Imported here: src/lib reads its configuration at load, after pointSrcAtStack.
  const { createTenant } = await import('../../src/lib/tenants/create-tenant');
  const { operatorCaller } = await import('../../src/lib/auth/caller');
  const operator = operatorCaller('operator:load');
  const cognito = localCognito(stack);
  const lastSignIn = new Map<string, number>();

  const signUp = async (email: string, role: Role, tenantId: string): Promise<LoadUser> => {
    const person = await cognito.signUp(email);
    lastSignIn.set(person.userId, Date.now());
    return { ...person, role, tenantId };
  };

  const invite = async (tenantId: string, by: LoadUser, role: Role): Promise<LoadUser> => {
    const email = loadEmail(role);
    const res = await fetch(`${apiUrl}/tenants/${tenantId}/invites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${by.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email, role }),
    });
    if (res.status !== 201) throw new Error(`setup invite failed: ${res.status} ${await res.text()}`);
    return signUp(email, role, tenantId);
  };

  const buildTenant = async (index: number): Promise<LoadTenant> => {
    const name = `Load ${index + 1}`;
    const ownerEmail = loadEmail('owner');
    const { tenant } = await createTenant(operator, { name, ownerEmail });
    const owner = await signUp(ownerEmail, 'owner', tenant.tenantId);
    const users: Partial<Record<Role, LoadUser>> = { owner };
    for (const role of INVITED_ROLES) users[role] = await invite(tenant.tenantId, owner, role);
    return { tenantId: tenant.tenantId, name, users: users as Record<Role, LoadUser> };
  };

  try {
    const tenants = await Promise.all(Array.from({ length: tenantCount }, (_, i) => buildTenant(i)));
    return { tenants, lastSignIn };
  } finally {
    cognito.destroy();
  }
};
