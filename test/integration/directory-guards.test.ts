import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../scim/errors.js';
import { seal } from '../../src/crypto/secret-box.js';
import { query } from '../../src/db/client.js';
import type { DirectoryContext } from '../../src/directory/context.js';
import { createUser } from '../../src/directory/users/create-user.js';
import { createUsers } from '../../src/directory/users/create-users.js';
import { deleteUser } from '../../src/directory/users/delete-user.js';
import { readUser } from '../../src/directory/users/rows.js';
import { updateUser } from '../../src/directory/users/update-user.js';
import { HR_URN } from '../../src/sync/hr-doc.js';
import { USER_SCHEMA } from '../support/admin-fixtures.js';
import { startHarness, TEST_SECRET_KEY, type Harness } from '../support/harness.js';

/**
 * Guards that hold in the directory verbs themselves, below the planner and the routes: whatever
 * calls them, a person managed by one HR connection is not written by another, and the sealed bank
 * account never reaches a stored change event.
 */
const CONNECTION_A = '0190aaaa-0000-7000-8000-00000000000a';
const CONNECTION_B = '0190aaaa-0000-7000-8000-00000000000b';

let h: Harness;
const as = (kind: 'connection' | 'admin', id: string): DirectoryContext => ({ db: h.db.db, tenantId: h.tenantId, source: { kind, id } });

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const managedBy = (connection: string, userName: string, management = 'managed') => ({
  schemas: [USER_SCHEMA, HR_URN],
  userName,
  title: 'Engineer',
  [HR_URN]: { lifecycle: 'active', management, connection: { value: connection, display: 'bamboohr' }, remoteId: userName },
});

describe('a user managed by one HR connection', () => {
  it('is written by that connection, and refused to another one with 409 conflict, in update and delete alike', async () => {
    const user = await createUser(as('connection', CONNECTION_A), { doc: managedBy(CONNECTION_A, 'owned@acme.test') });
    // Its own connection writes as before.
    await updateUser(as('connection', CONNECTION_A), user.id, {}, (doc) => ({ ...doc, title: 'Lead' }));

    const retitle = updateUser(as('connection', CONNECTION_B), user.id, {}, (doc) => ({ ...doc, title: 'Taken over' }));
    await expect(retitle).rejects.toBeInstanceOf(DomainError);
    await expect(retitle).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(CONNECTION_A) });
    const remove = deleteUser(as('connection', CONNECTION_B), user.id, {});
    await expect(remove).rejects.toMatchObject({ code: 'conflict' });

    const stored = await readUser(h.db.db, h.tenantId, user.id, false);
    expect(stored.doc.title).toBe('Lead');
    expect((stored.doc[HR_URN] as { connection: { value: string } }).connection.value).toBe(CONNECTION_A);
  });

  it('once released, may be linked by another connection', async () => {
    const user = await createUser(as('connection', CONNECTION_A), { doc: managedBy(CONNECTION_A, 'released@acme.test', 'released') });
    const linked = await updateUser(as('connection', CONNECTION_B), user.id, {}, () => managedBy(CONNECTION_B, 'released@acme.test'));
    expect((linked.doc[HR_URN] as { connection: { value: string } }).connection.value).toBe(CONNECTION_B);
  });
});

describe('change events and the bank account', () => {
  it('no stored event payload carries the sealed account or its digest, on any user write path', async () => {
    const sealed = seal(TEST_SECRET_KEY, JSON.stringify({ iban: 'DE89370400440532013000', holder: 'Pay Roll' }));
    const digest = 'digest-of-the-account-0123456789';
    const doc = (n: number) => ({
      schemas: [USER_SCHEMA, HR_URN],
      userName: `paid${n}@acme.test`,
      [HR_URN]: { lifecycle: 'active', management: 'managed', connection: { value: CONNECTION_A }, remoteId: `p${n}`, bankAccount: sealed, bankAccountDigest: digest },
    });
    const ctx = as('connection', CONNECTION_A);
    const one = await createUser(ctx, { doc: doc(1) });
    await createUsers(ctx, [{ id: '0190aaaa-0000-7000-8000-0000000000c2', doc: doc(2) }]);
    await updateUser(ctx, one.id, {}, (current) => ({ ...current, title: 'Paid' }));
    // A change of the account alone is an event too, naming the extension, never the values.
    const other = seal(TEST_SECRET_KEY, JSON.stringify({ iban: 'GB33BUKB20201555555555' }));
    await updateUser(ctx, one.id, {}, (current) => ({ ...current, [HR_URN]: { ...(current[HR_URN] as object), bankAccount: other, bankAccountDigest: 'second-digest-0123456789' } }));
    await deleteUser(ctx, one.id, {});

    const rows = await query<{ type: string; payload: unknown }>(h.db.db, `select type, payload from change_events where tenant_id = $1 and resource_type = 'User' order by seq`, [h.tenantId]);
    const paid = rows.filter((r) => JSON.stringify(r.payload).includes('paid'));
    expect(paid.map((r) => r.type)).toEqual(['user.created', 'user.created', 'user.updated', 'user.updated', 'user.deleted']);
    const text = JSON.stringify(rows);
    for (const secret of [sealed, other, digest, 'second-digest', 'bankAccount', 'DE89', 'GB33']) expect(text).not.toContain(secret);
  });
});
