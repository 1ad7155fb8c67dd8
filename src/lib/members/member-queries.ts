import { memberPrefix } from '../db/keys';
import { pagedQuery } from '../db/paged-query';
import { prefixQuery } from '../db/queries';
import type { ListQuery, Page } from '../pagination/list-query';
import { toMember } from './member-store';
import type { Member } from './membership';

/** GET /tenants/{tenantId}/members: one page of the tenant's members. */
export const listMembers = (tenantId: string, list: ListQuery): Promise<Page<Member>> =>
  pagedQuery({ tenantId, list: 'members' }, list, prefixQuery(memberPrefix(tenantId)), toMember);
