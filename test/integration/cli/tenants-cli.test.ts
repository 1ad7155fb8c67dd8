import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeJwt, signUpConfirmAndSignIn } from '../support/cognito';
import { auditEventsOf } from '../support/data';
import { stateDir, uniqueEmail } from '../support/stack';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');

const tenantsCli = (...args: string[]) =>
  run('npm', ['run', '--silent', 'tenants', '--', ...args, '--state-dir', stateDir], { cwd: ROOT, env: process.env });

describe('npm run tenants -- create', () => {
  it('creates a tenant and its owner invite and prints them as JSON with --json', async () => {
    // Prepare
    const owner = uniqueEmail('cli-owner');

    // Act
    const { stdout } = await tenantsCli('create', '--name', 'Acme CLI', '--owner', owner, '--json');

    // Assess
    const printed = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
    expect(printed).toEqual({
      tenant: { tenantId: expect.any(String), name: 'Acme CLI' },
      invite: { inviteId: expect.any(String), email: owner, role: 'owner', expiresAt: expect.any(String), inviteCode: expect.any(String) },
    });
    expect(Date.parse(printed.invite.expiresAt)).toBeGreaterThan(Date.now());
    const types = (await auditEventsOf(printed.tenant.tenantId)).map((e) => e.type).sort();
    expect(types).toEqual(['invite.created', 'tenant.created']);

    // …and the owner can now sign up into that tenant with the printed code (no mail needed)
    const tokens = await signUpConfirmAndSignIn(owner, printed.invite.inviteCode);
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ tenant_id: printed.tenant.tenantId, tenant_role: 'owner' });
  });

  it('prints both for people without --json', async () => {
    const owner = uniqueEmail('cli-human');

    const { stdout } = await tenantsCli('create', '--name', 'Human Readable', '--owner', owner);

    expect(stdout).toContain('Created tenant "Human Readable"');
    expect(stdout).toContain(`Invited ${owner} as owner`);
  });

  it('refuses a missing name or a malformed owner email with exit code 2 and says why', async () => {
    const failure = await tenantsCli('create', '--name', '', '--owner', 'not-an-email').catch(
      (err: { code: number; stderr: string }) => err,
    );

    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('--owner: must be an email address');
    expect((failure as { stderr: string }).stderr).toContain('--name: must not be empty');
  });
});

describe('npm run tenants -- list, invite, remove-member', () => {
  it('lists the tenants it created, invites into one, and removes a member but never the last owner', async () => {
    // Prepare
    const owner = uniqueEmail('cli-ops-owner');
    const created = JSON.parse(
      (await tenantsCli('create', '--name', 'Ops Co', '--owner', owner, '--json')).stdout.trim().split('\n').at(-1) ?? '',
    );
    const tenantId: string = created.tenant.tenantId;
    const ownerTokens = await signUpConfirmAndSignIn(owner);

    // Act
    const listed = JSON.parse((await tenantsCli('list', '--json')).stdout.trim().split('\n').at(-1) ?? '');
    const invitee = uniqueEmail('cli-invitee');
    const invited = JSON.parse(
      (await tenantsCli('invite', '--tenant', tenantId, '--email', invitee, '--role', 'admin', '--json')).stdout.trim(),
    );
    const admin = await signUpConfirmAndSignIn(invitee);
    const removed = await tenantsCli('remove-member', '--tenant', tenantId, '--user', admin.userId);
    const lastOwner = await tenantsCli('remove-member', '--tenant', tenantId, '--user', ownerTokens.userId).catch(
      (err: { code: number; stderr: string }) => err,
    );

    // Assess
    expect(listed.items).toEqual(expect.arrayContaining([{ tenantId, name: 'Ops Co', createdAt: expect.any(String) }]));
    expect(invited).toEqual({
      inviteId: expect.any(String),
      email: invitee,
      role: 'admin',
      expiresAt: expect.any(String),
      inviteCode: expect.any(String),
    });
    expect(decodeJwt(admin.accessToken)).toMatchObject({ tenant_id: tenantId, tenant_role: 'admin' });
    expect(removed.stdout).toContain(`Removed ${admin.userId}`);
    expect(lastOwner).toMatchObject({ code: 1 });
    expect((lastOwner as { stderr: string }).stderr).toContain('at least one owner');
    const types = (await auditEventsOf(tenantId)).map((e) => e.type);
    expect(types.filter((t) => t === 'member.removed')).toHaveLength(1);
  });
});
