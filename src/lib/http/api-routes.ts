import { listAuditRoute } from '../audit/audit-api';
import { addDomainRoute, listDomainsRoute, removeDomainRoute, verifyDomainRoute } from '../domains/domains-api';
import { DEFAULT_DECLARATION_RULES, type DeclarationRules } from '../files/file';
import { createFileRoute, deleteFileRoute, getFileRoute, listFilesRoute } from '../files/files-api';
import { createInviteRoute, listInvitesRoute, revokeInviteRoute } from '../invites/invites-api';
import { listMembersRoute, removeMemberRoute, updateMemberRoleRoute } from '../members/members-api';
import { revokeSessionRoute } from '../sessions/sessions-api';
import { deleteSsoRoute, discoverSsoRoute, getSsoRoute, putSsoRoute } from '../sso/sso-api';
import { createTenantRoute, getTenantRoute, updateTenantRoute } from '../tenants/tenants-api';
import { acceptMyInviteRoute, getMeRoute, listMyInvitesRoute, registerStorageIdentityRoute, setActiveTenantRoute } from '../users/me-api';
import type { ApiRoute } from './api-route';
import { healthRoute, openApiRoute } from './service-api';

/** What a stage's config changes in the API's schemas: the upload limits. */
export type ApiRules = { files: DeclarationRules };

export const DEFAULT_API_RULES: ApiRules = { files: DEFAULT_DECLARATION_RULES };

/**
 * Every route of the HTTP API, in the order the document lists them. Each
 * handler is built from its entry (src/handlers), serverless.yml names one
 * function per entry (its `operationId`), and the OpenAPI document is
 * generated from this list; test/unit/project/openapi-drift.test.ts holds
 * the three together.
 */
export const apiRoutes = (rules: ApiRules = DEFAULT_API_RULES): readonly ApiRoute[] => [
  healthRoute,
  openApiRoute,
  getMeRoute,
  setActiveTenantRoute,
  listMyInvitesRoute,
  acceptMyInviteRoute,
  registerStorageIdentityRoute,
  createTenantRoute,
  getTenantRoute,
  updateTenantRoute,
  listMembersRoute,
  updateMemberRoleRoute,
  removeMemberRoute,
  createInviteRoute,
  listInvitesRoute,
  revokeInviteRoute,
  listAuditRoute,
  createFileRoute(rules.files),
  listFilesRoute,
  getFileRoute,
  deleteFileRoute,
  revokeSessionRoute,
  addDomainRoute,
  listDomainsRoute,
  verifyDomainRoute,
  removeDomainRoute,
  putSsoRoute,
  getSsoRoute,
  deleteSsoRoute,
  discoverSsoRoute,
];
