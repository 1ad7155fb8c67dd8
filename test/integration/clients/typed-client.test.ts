import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantgateClient, type FileDetails, type TenantgateClient } from '../../../client';
import { signIn } from '../support/cognito';
import { DOCUMENT_FILE, documentContract } from '../support/contract';
import { publishTxt } from '../support/dns';
import { localIdpClient, uniqueDomain } from '../support/sso';
import { stack, uniqueEmail } from '../support/stack';
import { type Caller, inviteAndSignUp, makePlatformAdmin, tenantWithOwner, waitUntil } from '../support/world';

/**
 * Every route of the API through the typed client (client/index.ts) against
 * the local stack, as a web or mobile app would call it: statuses and typed
 * bodies, each answer also checked against docs/openapi.json, and at the end
 * a check that no operation of the document was left uncalled.
 */
const contract = documentContract();
const called = new Set<string>();

/** The client a signed-in app holds: the caller's access token on every request; every answer checked against the document. */
const clientOf = (token: Parameters<typeof createTenantgateClient>[0]['accessToken']): TenantgateClient => {
  const client = createTenantgateClient({ baseUrl: stack.apiUrl, accessToken: token });
  client.use({
    onResponse: async ({ request, response }) => {
      const url = new URL(request.url);
      const exchange = { method: request.method, path: `${url.pathname}${url.search}`, status: response.status, headers: response.headers };
      contract.assert({ ...exchange, text: await response.clone().text() });
      called.add(`${request.method} ${contract.operationFor(request.method, url.pathname)}`);
    },
  });
  return client;
};

const CSV = 'id,name,score\n1,Ann,3\n2,Bob,4\n';

describe('the typed client (client/index.ts) against the local stack', () => {
  const startedAt = new Date().toISOString();
  let tenantId: string;
  let owner: Caller;
  let member: Caller;
  /** Owner of a tenant of their own and a platform administrator: someone with an account to invite into the first tenant. */
  let outsider: Caller;
  let asOwner: TenantgateClient;
  let asMember: TenantgateClient;
  let asOutsider: TenantgateClient;
  let anonymous: TenantgateClient;

  beforeAll(async () => {
    const t = await tenantWithOwner('Typed client');
    tenantId = t.tenantId;
    owner = t.owner;
    member = await inviteAndSignUp(tenantId, owner, 'member');
    outsider = await makePlatformAdmin((await tenantWithOwner('Typed client, elsewhere')).owner);
    asOwner = clientOf(() => owner.accessToken);
    asMember = clientOf(() => member.accessToken);
    asOutsider = clientOf(async () => outsider.accessToken);
    anonymous = clientOf(() => undefined);
  }, 180_000);

  afterAll(() => {
    // Prepare: every operation of the document
    const document = JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));

    // Assess
    expect([...called].sort()).toEqual(operations.sort());
  });

  it('reads the service routes without a token: health and the OpenAPI document, which is docs/openapi.json', async () => {
    // Act
    const health = await anonymous.GET('/health');
    const doc = await anonymous.GET('/openapi.json');

    // Assess
    expect(health.response.status).toBe(200);
    expect(health.data?.status).toBe('ok');
    expect(doc.response.status).toBe(200);
    expect(doc.response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(doc.data).toEqual(JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8')));
  });

  it('answers a typed problem with WWW-Authenticate when no token is sent', async () => {
    // Act
    const { data, error, response } = await anonymous.GET('/me');

    // Assess
    expect(response.status).toBe(401);
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('reads and renames the tenant, and refuses another tenant as a typed 403', async () => {
    // Act
    const me = await asOwner.GET('/me');
    const tenant = await asMember.GET('/tenants/{tenantId}', { params: { path: { tenantId } } });
    const renamed = await asOwner.PATCH('/tenants/{tenantId}', { params: { path: { tenantId } }, body: { name: 'Typed client, renamed' } });
    const foreign = await asMember.GET('/tenants/{tenantId}', { params: { path: { tenantId: outsider.userId } } });

    // Assess
    expect(me.response.status).toBe(200);
    expect(me.data).toMatchObject({ userId: owner.userId, tenantId, role: 'owner' });
    expect(me.data?.memberships.map((m) => m.tenantName)).toEqual(['Typed client']);
    expect(tenant.response.status).toBe(200);
    expect(tenant.data?.tenantId).toBe(tenantId);
    expect(renamed.response.status).toBe(200);
    expect(renamed.data?.name).toBe('Typed client, renamed');
    expect(foreign.response.status).toBe(403);
    expect(foreign.error?.title).toBe('Forbidden');
  });

  it('lets a platform administrator create a tenant with its owner invite', async () => {
    // Prepare
    const ownerEmail = uniqueEmail('typed-owner');

    // Act
    const { data, response } = await asOutsider.POST('/tenants', { body: { name: 'Made by the typed client', ownerEmail } });

    // Assess
    expect(response.status).toBe(201);
    expect(data?.tenant.name).toBe('Made by the typed client');
    expect(data?.invite).toMatchObject({ email: ownerEmail, role: 'owner', status: 'pending', tenantId: data?.tenant.tenantId });
  });

  it('invites someone who already has an account, who lists, accepts and switches to the tenant', async () => {
    // Act
    const invited = await asOwner.POST('/tenants/{tenantId}/invites', {
      params: { path: { tenantId } },
      body: { email: outsider.email, role: 'viewer' },
    });
    const mine = await asOutsider.GET('/me/invites', { params: { query: { limit: 10 } } });
    const inviteId = invited.data?.inviteId ?? '';
    const accepted = await asOutsider.POST('/me/invites/{inviteId}/accept', { params: { path: { inviteId } } });
    const switched = await asOutsider.PUT('/me/active-tenant', { body: { tenantId } });

    // Assess
    expect(invited.response.status).toBe(201);
    expect(invited.data).toMatchObject({ email: outsider.email, role: 'viewer' });
    expect(mine.data?.items).toEqual([
      expect.objectContaining({ inviteId, tenantId, tenantName: 'Typed client, renamed', status: 'pending' }),
    ]);
    expect(mine.data?.nextCursor).toBeNull();
    expect(accepted.response.status).toBe(201);
    expect(accepted.data).toEqual({ tenantId, tenantName: 'Typed client, renamed', role: 'viewer' });
    expect(switched.response.status).toBe(200);
    expect(switched.data).toEqual({ tenantId });
  });

  it('lists members, changes a role and removes the member', async () => {
    // Act
    const listed = await asMember.GET('/tenants/{tenantId}/members', { params: { path: { tenantId }, query: { limit: 100 } } });
    const changed = await asOwner.PATCH('/tenants/{tenantId}/members/{userId}', {
      params: { path: { tenantId, userId: outsider.userId } },
      body: { role: 'member' },
    });
    const removed = await asOwner.DELETE('/tenants/{tenantId}/members/{userId}', {
      params: { path: { tenantId, userId: outsider.userId } },
    });
    const gone = await asOwner.DELETE('/tenants/{tenantId}/members/{userId}', { params: { path: { tenantId, userId: outsider.userId } } });

    // Assess
    expect(listed.response.status).toBe(200);
    expect(listed.data?.items.map((m) => m.userId).sort()).toEqual([owner.userId, member.userId, outsider.userId].sort());
    expect(changed.data).toMatchObject({ userId: outsider.userId, email: outsider.email, role: 'member' });
    expect(removed.response.status).toBe(204);
    expect(gone.response.status).toBe(404);
    expect(gone.error?.status).toBe(404);
  });

  it('lists invites and revokes a pending one', async () => {
    // Prepare
    const invited = await asOwner.POST('/tenants/{tenantId}/invites', {
      params: { path: { tenantId } },
      body: { email: uniqueEmail('typed-revoked'), role: 'viewer' },
    });
    const inviteId = invited.data?.inviteId ?? '';

    // Act
    const listed = await asOwner.GET('/tenants/{tenantId}/invites', { params: { path: { tenantId } } });
    const revoked = await asOwner.DELETE('/tenants/{tenantId}/invites/{inviteId}', { params: { path: { tenantId, inviteId } } });
    const again = await asOwner.DELETE('/tenants/{tenantId}/invites/{inviteId}', { params: { path: { tenantId, inviteId } } });

    // Assess
    expect(listed.data?.items.find((i) => i.inviteId === inviteId)?.status).toBe('pending');
    expect(revoked.response.status).toBe(204);
    expect(again.response.status).toBe(409);
  });

  it('declares a CSV, uploads it with the ticket, reads it ready with a download, lists and deletes it', async () => {
    // Prepare
    const bytes = Buffer.from(CSV);

    // Act
    const declared = await asMember.POST('/tenants/{tenantId}/files', {
      params: { path: { tenantId } },
      body: { name: 'scores.csv', contentType: 'text/csv', size: bytes.length },
    });
    const upload = declared.data?.upload;
    const fileId = declared.data?.file.fileId ?? '';
    const put = upload ? await fetch(upload.url, { method: upload.method, headers: upload.headers, body: bytes }) : undefined;
    let file: FileDetails | undefined;
    await waitUntil(
      async () => {
        file = (await asMember.GET('/tenants/{tenantId}/files/{fileId}', { params: { path: { tenantId, fileId } } })).data;
        return file?.status !== 'pending';
      },
      30_000,
      150,
    );
    const listed = await asOwner.GET('/tenants/{tenantId}/files', { params: { path: { tenantId } } });
    const deleted = await asMember.DELETE('/tenants/{tenantId}/files/{fileId}', { params: { path: { tenantId, fileId } } });

    // Assess
    expect(declared.response.status).toBe(201);
    expect(declared.data?.file).toMatchObject({ name: 'scores.csv', status: 'pending', uploadedBy: member.userId });
    expect(put?.status).toBe(200);
    expect(file).toMatchObject({ status: 'ready', rowCount: 2, columns: ['id', 'name', 'score'], download: { url: expect.any(String) } });
    expect(listed.data?.items.map((f) => f.fileId)).toContain(fileId);
    expect(deleted.response.status).toBe(204);
  });

  it("connects the tenant's SSO, verifies a domain and discovers it, then removes both", async () => {
    // Prepare
    const domain = uniqueDomain('typed');
    const idp = localIdpClient(0);

    // Act
    const configured = await asOwner.PUT('/tenants/{tenantId}/sso', {
      params: { path: { tenantId } },
      body: {
        type: 'oidc',
        issuer: stack.oidcIdp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        defaultRole: 'viewer',
        enforce: false,
      },
    });
    const read = await asOwner.GET('/tenants/{tenantId}/sso', { params: { path: { tenantId } } });
    const added = await asOwner.POST('/tenants/{tenantId}/domains', { params: { path: { tenantId } }, body: { domain } });
    const notYet = await asOwner.POST('/tenants/{tenantId}/domains/{domain}/verify', { params: { path: { tenantId, domain } } });
    if (added.data) publishTxt(added.data.txtRecord.name, added.data.txtRecord.value);
    const verified = await asOwner.POST('/tenants/{tenantId}/domains/{domain}/verify', { params: { path: { tenantId, domain } } });
    const domains = await asOwner.GET('/tenants/{tenantId}/domains', { params: { path: { tenantId } } });
    const discovered = await anonymous.POST('/sso/discover', { body: { email: `someone@${domain}` } });
    const memberRefused = await asMember.GET('/tenants/{tenantId}/sso', { params: { path: { tenantId } } });
    const removedDomain = await asOwner.DELETE('/tenants/{tenantId}/domains/{domain}', { params: { path: { tenantId, domain } } });
    const removedSso = await asOwner.DELETE('/tenants/{tenantId}/sso', { params: { path: { tenantId } } });

    // Assess
    expect(configured.response.status).toBe(201);
    expect(read.data).toMatchObject({ type: 'oidc', clientId: idp.clientId, defaultRole: 'viewer', enforce: false });
    expect(JSON.stringify(read.data)).not.toContain(idp.clientSecret);
    expect(added.data).toMatchObject({ domain, status: 'pending' });
    expect(notYet.response.status).toBe(409);
    expect(notYet.error).toMatchObject({ status: 409 });
    expect(verified.data).toMatchObject({ domain, status: 'verified' });
    expect(domains.data?.items.map((d) => d.domain)).toEqual([domain]);
    expect(discovered.data).toMatchObject({ sso: true, authorizeUrl: expect.stringContaining('identity_provider=') });
    expect(memberRefused.response.status).toBe(403);
    expect(removedDomain.response.status).toBe(204);
    expect(removedSso.response.status).toBe(204);
  });

  it('registers the identity id the Identity Pool gives the caller, and refuses an ID token of someone else', async () => {
    // Act
    const registered = await asMember.PUT('/me/storage-identity', { body: { idToken: member.idToken } });
    const again = await asMember.PUT('/me/storage-identity', { body: { idToken: member.idToken } });
    const foreign = await asMember.PUT('/me/storage-identity', { body: { idToken: owner.idToken } });

    // Assess
    expect(registered.response.status).toBe(200);
    expect(registered.data?.identityId).toMatch(/^[\w-]+:[0-9a-f-]{36}$/);
    expect(again.data).toEqual(registered.data);
    expect(foreign.response.status).toBe(403);
  });

  it('reads the audit log since the test began, newest first', async () => {
    // Act
    const { data, response } = await asOwner.GET('/tenants/{tenantId}/audit', {
      params: { path: { tenantId }, query: { from: startedAt, limit: 100 } },
    });

    // Assess
    expect(response.status).toBe(200);
    const types = data?.items.map((e) => e.type) ?? [];
    expect(types).toEqual(expect.arrayContaining(['tenant.updated', 'invite.accepted', 'member.removed', 'file.uploaded', 'file.deleted']));
    expect([...(data?.items ?? [])].map((e) => e.at)).toEqual(
      [...(data?.items ?? [])]
        .map((e) => e.at)
        .sort()
        .reverse(),
    );
  });

  it('ends a session: its access token is refused within 5 s', async () => {
    // Prepare: a second sign-in of the owner, its own session
    const session = await signIn(owner.email);
    const asSession = clientOf(() => session.accessToken);

    // Act
    const revoked = await asSession.POST('/sessions/revoke', { body: { refreshToken: session.refreshToken } });
    const refusedWithin = await waitUntil(async () => (await asSession.GET('/me')).response.status === 401, 7_000);

    // Assess
    expect(revoked.response.status).toBe(204);
    expect(refusedWithin).toBeLessThanOrEqual(6_000);
  });
});
