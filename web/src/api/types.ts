import type { Role } from '../../../client';

/** The API's shapes, from the typed client (generated from the OpenAPI document). */
export type { AuditEvent, FileDetails, FileView, Invite, Me, Member, MyInvite, Problem, Role } from '../../../client';

/** Lowest to highest, as the API ranks them. */
export const ROLES: readonly Role[] = ['viewer', 'member', 'admin', 'owner'];

/** Every list of the API: a page and the cursor of the next one. */
export type Page<T> = { items: T[]; nextCursor: string | null };
