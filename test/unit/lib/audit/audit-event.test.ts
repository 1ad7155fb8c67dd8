import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES, auditItem, toAuditEvent } from '../../../../src/lib/audit/audit-event';
import { auditShardOf } from '../../../../src/lib/db/keys';

const NOW = new Date('2025-06-02T09:00:00.000Z');

describe('auditItem', () => {
  it("keys the event in a shard of its tenant's log by time, with a TTL from the retention", () => {
    // Act
    const item = auditItem('tenant-a', { type: 'member.removed', actorId: 'user-1', targetId: 'user-2' }, NOW, 30, 'event-1');

    // Assess
    expect(item).toEqual({
      pk: `TENANT#tenant-a#AUDIT#${auditShardOf('event-1')}`,
      sk: '2025-06-02T09:00:00.000Z#event-1',
      entity: 'audit',
      ttl: Date.parse('2025-07-02T09:00:00.000Z') / 1000,
      at: '2025-06-02T09:00:00.000Z',
      type: 'member.removed',
      actorId: 'user-1',
      targetId: 'user-2',
      details: {},
    });
  });

  it('gives each event a random id unless one is given', () => {
    // Act
    const a = auditItem(undefined, { type: 'auth.login', actorId: 'user-1' }, NOW, 365);
    const b = auditItem(undefined, { type: 'auth.login', actorId: 'user-1' }, NOW, 365);

    // Assess
    expect(a.pk).toMatch(/^PLATFORM#AUDIT#\d+$/);
    expect(a.sk).not.toBe(b.sk);
  });

  it('names every event type of the spec', () => {
    expect([...AUDIT_EVENT_TYPES].sort()).toEqual(
      [
        'auth.signup',
        'auth.login',
        'tenant.created',
        'tenant.updated',
        'invite.created',
        'invite.revoked',
        'invite.accepted',
        'member.role_changed',
        'member.removed',
        'file.uploaded',
        'file.deleted',
        'session.revoked',
        // Issue 14: per-tenant SSO.
        'sso.configured',
        'sso.deleted',
        'domain.added',
        'domain.verified',
        'domain.removed',
        'member.joined_via_sso',
        'member.sso_linked',
        'sso.refused',
        // Issue 15: an object in a tenant's inbox not taken as a file.
        'file.inbox_rejected',
      ].sort(),
    );
  });
});

describe('toAuditEvent', () => {
  it('answers the event shape only: no keys, entity or ttl, and no empty optional fields', () => {
    // Prepare
    const item = {
      ...auditItem('tenant-a', { type: 'auth.login', actorId: 'user-1', targetId: '', ip: undefined, userAgent: '' }, NOW, 30, 'e'),
    };

    // Act
    const event = toAuditEvent(item);

    // Assess
    expect(event).toEqual({ at: '2025-06-02T09:00:00.000Z', type: 'auth.login', actorId: 'user-1', details: {} });
    expect(Object.keys(event)).toEqual(['at', 'type', 'actorId', 'details']);
  });

  it('keeps the optional fields that are set', () => {
    // Prepare
    const item = auditItem(
      'tenant-a',
      { type: 'file.deleted', actorId: 'user-1', targetId: 'file-1', ip: '203.0.113.7', userAgent: 'ua', details: { name: 'a.csv' } },
      NOW,
      30,
      'e',
    );

    // Act
    const event = toAuditEvent(item);

    // Assess
    expect(event).toEqual({
      at: '2025-06-02T09:00:00.000Z',
      type: 'file.deleted',
      actorId: 'user-1',
      targetId: 'file-1',
      ip: '203.0.113.7',
      userAgent: 'ua',
      details: { name: 'a.csv' },
    });
  });

  it('answers empty details for an item stored without them', () => {
    expect(toAuditEvent({ at: 'x', type: 'auth.login', actorId: 'u' }).details).toEqual({});
  });
});
