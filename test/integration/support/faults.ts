import {
  type DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../../src/lib/db/client';
import { prefixQuery, queryAll } from '../../../src/lib/db/queries';

/**
 * Fault injection for the shared DynamoDB client (src/lib/db/client.ts), and
 * snapshots of the partitions a request touches, to tell "nothing written" and
 * "written as a success writes" from a half write.
 */

/**
 * What DynamoDB answers when it says "not now", each built with the SDK's own
 * exception class (so the code's `instanceof` checks see what they would on AWS):
 * - `conflict`: another transaction is changing one of the items — a transaction
 *   is cancelled with `TransactionConflict`; a single-item write gets
 *   TransactionConflictException; a plain read never conflicts;
 * - `throughput` / `throttling`: ProvisionedThroughputExceededException, ThrottlingException;
 * - `cancelled-throttled`: a transaction cancelled because one of its items was throttled;
 * - `internal`: InternalServerError (HTTP 500);
 * - `network`: the connection is refused (the endpoint is down).
 */
export const FAULT_KINDS = ['conflict', 'throughput', 'throttling', 'cancelled-throttled', 'internal', 'network'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const TRANSACTIONS = new Set(['TransactWriteItems', 'TransactGetItems']);
const SINGLE_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

/** As the SDK leaves a final error: its retries spent (`maxAttempts` of the client). */
const finalMetadata = (httpStatusCode: number) => ({ httpStatusCode, attempts: 3, totalRetryDelay: 0, requestId: 'fault-injection' });

const cancelled = (itemCount: number, code: 'TransactionConflict' | 'ThrottlingError') => {
  const reasons = Array.from({ length: Math.max(itemCount, 1) }, (_, i) => (i === 0 ? code : 'None'));
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.join(', ')}]`,
    $metadata: finalMetadata(400),
    CancellationReasons: reasons.map((Code) => ({ Code })),
  });
};

/** Whether DynamoDB can answer `op` with this kind of fault at all. */
export const faultApplies = (kind: FaultKind, op: string): boolean => {
  if (kind === 'conflict') return TRANSACTIONS.has(op) || SINGLE_WRITES.has(op);
  if (kind === 'cancelled-throttled') return TRANSACTIONS.has(op);
  return true;
};

export const faultFor = (kind: FaultKind, op: string, itemCount: number): Error => {
  switch (kind) {
    case 'conflict':
      return TRANSACTIONS.has(op)
        ? cancelled(itemCount, 'TransactionConflict')
        : new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: finalMetadata(400) });
    case 'cancelled-throttled':
      return cancelled(itemCount, 'ThrottlingError');
    case 'throughput':
      return new ProvisionedThroughputExceededException({
        message: 'The level of configured provisioned throughput for the table was exceeded.',
        $metadata: finalMetadata(400),
      });
    case 'throttling':
      return new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata: finalMetadata(400) });
    case 'internal':
      return new InternalServerError({ message: 'Internal server error', $metadata: finalMetadata(500) });
    case 'network':
      return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), {
        code: 'ECONNREFUSED',
        errno: -111,
        syscall: 'connect',
        address: '127.0.0.1',
        port: 8000,
        $metadata: { attempts: 3, totalRetryDelay: 0 },
      });
  }
};

/** One `send` of the client during a request. */
export type Call = {
  op: string;
  /** The auth context's session-state read (src/lib/auth/session-state.ts). */
  auth: boolean;
  /** Partitions the call would write (attempted, whether or not it landed). */
  writes: string[];
  /** Requests that reached the wire (the SDK's own retries included): 0 for an injected fault. */
  attempts: number;
  injected?: FaultKind;
};

export type Plan = { at: number; kind: FaultKind; op: string };

type Input = Record<string, unknown>;
const str = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v
    : typeof v === 'object' && v !== null && typeof (v as { S?: unknown }).S === 'string'
      ? (v as { S: string }).S
      : undefined;
const pkOf = (keyOrItem: unknown): string[] => {
  const pk = str((keyOrItem as Input | undefined)?.pk);
  return pk === undefined ? [] : [pk];
};

const writtenPartitions = (op: string, input: Input): string[] => {
  if (op === 'TransactWriteItems') {
    return ((input.TransactItems ?? []) as Input[]).flatMap((t) => [
      ...pkOf((t.Put as Input | undefined)?.Item),
      ...pkOf((t.Update as Input | undefined)?.Key),
      ...pkOf((t.Delete as Input | undefined)?.Key),
    ]);
  }
  if (op === 'PutItem') return pkOf(input.Item);
  if (op === 'UpdateItem' || op === 'DeleteItem') return pkOf(input.Key);
  if (op === 'BatchWriteItem') {
    return Object.values((input.RequestItems ?? {}) as Record<string, Input[]>).flatMap((writes) =>
      writes.flatMap((w) => [...pkOf((w.PutRequest as Input | undefined)?.Item), ...pkOf((w.DeleteRequest as Input | undefined)?.Key)]),
    );
  }
  return [];
};

const isSessionStateRead = (op: string, input: Input): boolean => {
  if (op !== 'TransactGetItems') return false;
  const first = ((input.TransactItems ?? []) as Input[])[0]?.Get as Input | undefined;
  return (str((first?.Key as Input | undefined)?.sk) ?? '').startsWith('SESSION#');
};

const itemCountOf = (input: Input): number =>
  Array.isArray(input.TransactItems) ? input.TransactItems.length : Object.keys(input.RequestItems ?? {}).length || 1;

/**
 * Adds two middlewares to the client's stack (shared by the DocumentClient `db`):
 * - at `initialize`, which runs once per `send`, before `serialize` and before
 *   the retry middleware (`finalizeRequest`, priority high): it counts the call
 *   and, when the plan says so, throws the fault there. The SDK's retry loop is
 *   never entered, so the one injected error is final, as a fault the SDK
 *   already retried `maxAttempts` times would be;
 * - at `finalizeRequest`, priority low, inside the retry loop: it counts the
 *   requests that reach the wire, to show the injected call sent none.
 * At `initialize` the input is still in document form: lib-dynamodb marshalls
 * it just before `serializerMiddleware`.
 */
export const installFaultInjector = (client: DynamoDBClient) => {
  let calls: Call[] | undefined;
  let plan: Plan | undefined;
  const callOf = new WeakMap<object, Call>();

  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!calls) return next(args);
      const op = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const input = (args.input ?? {}) as Input;
      const call: Call = { op, auth: isSessionStateRead(op, input), writes: writtenPartitions(op, input), attempts: 0 };
      calls.push(call);
      callOf.set(context, call);
      if (plan && calls.length === plan.at) {
        if (plan.op !== op) throw new Error(`fault plan expected ${plan.op} as call ${plan.at}, the request made ${op}`);
        call.injected = plan.kind;
        throw faultFor(plan.kind, op, itemCountOf(input));
      }
      return next(args);
    },
    { step: 'initialize', priority: 'high', name: 'faultInjection' },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const call = callOf.get(context);
      if (call) call.attempts += 1;
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'faultInjectionAttempts' },
  );

  return {
    /** Runs `act` with every DynamoDB call recorded, the `plan.at`-th failing with `plan.kind`. */
    during: async <T>(next: Plan | undefined, act: () => Promise<T>) => {
      calls = [];
      plan = next;
      const recorded = calls;
      try {
        return { ok: true as const, value: await act(), calls: recorded };
      } catch (error) {
        return { ok: false as const, error, calls: recorded };
      } finally {
        calls = undefined;
        plan = undefined;
      }
    },
    uninstall: () => {
      client.middlewareStack.remove('faultInjection');
      client.middlewareStack.remove('faultInjectionAttempts');
    },
  };
};

export type FaultInjector = ReturnType<typeof installFaultInjector>;

// --- Snapshots -------------------------------------------------------------

export type Item = Record<string, unknown>;
/** Items by `pk|sk`, for the partitions read. */
export type Snapshot = Map<string, Item>;
export type Change = { pk: string; sk: string; before: Item | undefined; after: Item | undefined };

const keyOf = (item: Item) => `${String(item.pk)}|${String(item.sk)}`;

/** Key order and sets made canonical, so equal items print equal. */
const canonical = (value: unknown): unknown => {
  if (value instanceof Set) return [...value].map(canonical).sort();
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
};
const print = (value: unknown) => JSON.stringify(canonical(value));

export const readPartitions = async (pks: Iterable<string>): Promise<Snapshot> => {
  const partitions = await Promise.all([...new Set(pks)].map((pk) => queryAll(prefixQuery({ pk }))));
  return new Map(partitions.flat().map((item) => [keyOf(item), item]));
};

/** What differs between two snapshots; a partition missing from `before` counts as empty (it was created by the request). */
export const changesBetween = (before: Snapshot, after: Snapshot): Change[] =>
  [...new Set([...before.keys(), ...after.keys()])].flatMap((key) => {
    const [b, a] = [before.get(key), after.get(key)];
    if (print(b) === print(a)) return [];
    const item = (a ?? b) as Item;
    return [{ pk: String(item.pk), sk: String(item.sk), before: b, after: a }];
  });

/**
 * The changes with what differs from run to run masked (ids, times, TTLs,
 * invite code hashes), sorted: two requests that wrote the same things have
 * the same shape, and a half write (an item missing, extra or different) does not.
 */
export const shapeOf = (changes: Change[]): string[] =>
  changes
    .map((c) =>
      print(c)
        .replace(/"codeHash":"[\w-]+"/g, '"codeHash":"<hash>"')
        // An audit event's shard follows from its (random) id: another attempt lands on another shard.
        .replace(/#AUDIT#\d+/g, '#AUDIT#<shard>')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
        .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, '<time>')
        .replace(/\d{4}-\d{2}-\d{2}T\d{2}/g, '<hour>')
        .replace(/(?<![\w-])\d{10,13}(?![\w-])/g, '<epoch>'),
    )
    .sort();

export const sameShape = (a: string[], b: string[]): boolean => a.length === b.length && a.every((line, i) => line === b[i]);

/** `+` added, `-` deleted, `~` changed: one line per item, for a failure message. */
export const describeChanges = (changes: Change[]): string =>
  changes.map((c) => `${c.before ? (c.after ? '~' : '-') : '+'} ${c.pk} ${c.sk}`).join('; ') || 'nothing';

/** Puts the partitions back as `before` had them (items the request added are deleted). */
export const restorePartitions = async (before: Snapshot, changes: Change[]): Promise<void> => {
  for (const c of changes) {
    const original = before.get(`${c.pk}|${c.sk}`);
    if (original) await db.send(new PutCommand({ TableName: tableName, Item: original }));
    else await db.send(new DeleteCommand({ TableName: tableName, Key: { pk: c.pk, sk: c.sk } }));
  }
};
