import type { ResourceDoc } from '../../scim/resource/document.js';
import type { Executor } from '../db/client.js';
import type { DirectoryContext } from '../directory/context.js';
import { loadTenantSettings, type TenantSettings } from '../directory/tenant-settings.js';
import { createUser } from '../directory/users/create-user.js';
import { createUsers } from '../directory/users/create-users.js';
import { updateUser } from '../directory/users/update-user.js';
import { employeeDoc, HR_URN, hrExtensionOf, withHrState, type HrExtension } from './hr-doc.js';
import type { MappableAttribute } from './mapped.js';
import type { PlanOperation } from './plan-types.js';
import type { PlannedEmployee } from './scope.js';

/** What applying needs besides the operations: who writes, and how to fill in what the plan leaves out. */
export interface ApplyContext {
  db: Executor;
  tenantId: string;
  connection: { id: string; provider: string };
  /** Directory id of each remote id this run knows: existing users and the ids chosen for creates. */
  userIdOf: Map<string, string>;
  /** Sealed bank account and its digest per remote id; kept out of the plan. */
  secretsOf: Map<string, { sealed: string; digest: string }>;
  batchSize: number;
  /** The attributes the connection's mapping fills (the base mapping's when absent). */
  attributes?: readonly MappableAttribute[];
  onBatch?: (applied: number) => Promise<void>;
}

export interface ApplyError {
  remoteId: string | null;
  userId: string | null;
  kind: PlanOperation['kind'];
  reason: string;
}

/**
 * Applies operations in batches, each batch one transaction through the directory verbs SCIM uses,
 * so every change lands with its change event or not at all. When a batch fails (a userName taken
 * by a user created a second ago, say), its operations are retried one transaction each, so one bad
 * record costs only itself and is reported.
 */
export async function applyOperations(ops: PlanOperation[], ctx: ApplyContext): Promise<{ applied: number; errors: ApplyError[] }> {
  const errors: ApplyError[] = [];
  let applied = 0;
  // The tenant's source of authority, read once per run rather than once per write, and before any
  // batch opens its transaction (the embedded store has one connection: a read beside it would wait forever).
  if (ops.length === 0) return { applied: 0, errors: [] };
  const loaded = await loadTenantSettings(ctx.db, ctx.tenantId);
  const settings = { get: async (): Promise<TenantSettings> => loaded };
  const directory = (db: Executor): DirectoryContext => ({ db, tenantId: ctx.tenantId, source: { kind: 'connection', id: ctx.connection.id }, settings });
  for (let start = 0; start < ops.length; start += ctx.batchSize) {
    const batch = ops.slice(start, start + ctx.batchSize);
    try {
      await ctx.db.transaction(async (tx) => {
        const db = tx as unknown as Executor;
        // Creates go in as one statement: a first sync of 50,000 people is mostly creates.
        const creates = batch.flatMap((op) => (op.kind === 'create' ? [{ id: ctx.userIdOf.get(op.remoteId)!, doc: managedDoc(op.employee, op.lifecycle, ctx) }] : []));
        await createUsers(directory(db), creates);
        for (const op of batch) if (op.kind !== 'create') await applyOne(op, ctx, directory(db));
      });
      applied += batch.length;
    } catch {
      for (const op of batch) {
        try {
          await ctx.db.transaction(async (tx) => applyOne(op, ctx, directory(tx as unknown as Executor)));
          applied++;
        } catch (error) {
          errors.push({ remoteId: op.remoteId, userId: 'userId' in op ? op.userId : null, kind: op.kind, reason: (error as Error).message });
        }
      }
    }
    await ctx.onBatch?.(applied);
  }
  return { applied, errors };
}

async function applyOne(op: PlanOperation, ctx: ApplyContext, dir: DirectoryContext): Promise<void> {
  switch (op.kind) {
    case 'create': {
      const id = ctx.userIdOf.get(op.remoteId)!;
      await createUser(dir, { doc: managedDoc(op.employee, op.lifecycle, ctx) }, id);
      return;
    }
    case 'link':
    case 'update':
    case 'reactivate': {
      const lifecycle = (current: ResourceDoc): HrExtension['lifecycle'] => {
        if (op.kind === 'reactivate') return 'active';
        const ext = hrExtensionOf(current);
        // A user linked by email was already in the directory, so already has access.
        return op.kind === 'link' || !ext ? 'active' : ext.lifecycle;
      };
      await updateUser(dir, op.userId, { withRelations: false }, (current) => managedDoc(op.employee, lifecycle(current), ctx, current), { reason: op.reason });
      return;
    }
    // The write's event says archived or released by itself (src/events/user-event-type.ts); the plan's reason goes with it.
    case 'archive':
      await updateUser(
        dir,
        op.userId,
        { withRelations: false },
        (current) => (op.employee ? managedDoc(op.employee, 'archived', ctx, current) : withHrState(current, { lifecycle: 'archived' })),
        { reason: op.reason },
      );
      return;
    case 'release':
      await updateUser(dir, op.userId, { withRelations: false }, (current) => withHrState(current, { management: 'released' }), { reason: op.reason });
      return;
    default: {
      const unreachable: never = op;
      throw new Error(`unknown operation ${JSON.stringify(unreachable)}`);
    }
  }
}

function managedDoc(employee: PlannedEmployee, lifecycle: HrExtension['lifecycle'], ctx: ApplyContext, current?: ResourceDoc): ResourceDoc {
  const managerUserId = employee.managerRemoteId ? (ctx.userIdOf.get(employee.managerRemoteId) ?? null) : null;
  const doc = employeeDoc({ employee, connection: ctx.connection, lifecycle, managerUserId, ...(current ? { current } : {}), ...(ctx.attributes ? { attributes: ctx.attributes } : {}) });
  const secret = ctx.secretsOf.get(employee.remoteId);
  const ext = doc[HR_URN] as Record<string, unknown>;
  const stored = current?.[HR_URN] as Record<string, unknown> | undefined;
  if (secret) Object.assign(ext, { bankAccount: secret.sealed, bankAccountDigest: secret.digest });
  else if (employee.bankAccount && stored?.bankAccountDigest === employee.bankAccount) {
    // Not read this run (an incremental run plans unchanged people from the snapshot): the stored account is still HR's.
    Object.assign(ext, { bankAccount: stored.bankAccount, bankAccountDigest: stored.bankAccountDigest });
  } else {
    delete ext.bankAccount;
    delete ext.bankAccountDigest;
  }
  return doc;
}
