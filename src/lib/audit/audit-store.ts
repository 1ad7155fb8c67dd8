import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { db, tableName } from '../db/client';
import { itemIsNew } from '../db/conditions';
import { type AuditInput, auditItem } from './audit-event';

/** Writes one audit event on its own (for events with no other change, such as a login). */
export const appendAuditEvent = async (tenantId: string | undefined, input: AuditInput, now: Date = new Date()): Promise<void> => {
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: auditItem(tenantId, input, now, config.auditRetentionDays),
      ConditionExpression: itemIsNew,
    }),
  );
};

/** The Put of an audit event, for a transaction that changes something else too. */
export const auditPut = (tenantId: string | undefined, input: AuditInput, now: Date, eventId?: string) => ({
  Put: {
    TableName: tableName,
    Item: auditItem(tenantId, input, now, config.auditRetentionDays, eventId),
    ConditionExpression: itemIsNew,
  },
});
