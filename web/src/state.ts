import { api, must } from './api';
import type { Me, Role } from './api/types';

/** Who is signed in, as /me says; loaded after sign-in and after a tenant switch. */
let me: Me | undefined;

export const currentMe = (): Me | undefined => me;

export const loadMe = async (): Promise<Me> => {
  me = await must(api().GET('/me'));
  return me;
};

export const forgetMe = (): void => {
  me = undefined;
};

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** Whether the active role is at least `role`; the API decides, this only hides what it would refuse. */
export const atLeast = (role: Role, who: Me | undefined = me): boolean => (who?.role ? RANK[who.role] >= RANK[role] : false);
