import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/client.js';
import { uuidv7 } from '../../src/db/ids.js';
import { createUsers } from '../../src/directory/users/create-users.js';
import { pruneOlderThan } from '../../src/events/retention.js';
import { createEndpoint } from '../../src/events/webhooks/endpoints.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TEST_SECRET_KEY } from '../support/keys.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const hire = (tenantId: string, tag: string, n: number) =>
  createUsers(
    { db: database.db, tenantId, source: { kind: 'system', id: 'test' } },
    Array.from({ length: n }, (_, i) => ({ id: uuidv7(), doc: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `${tag}${i}@x.test` } })),
  );
const age = (table: string, tenantId: string, days: number) => query(database.db, `update ${table} set created_at = now() - make_interval(days => $2) where tenant_id = $1`, [tenantId, days]);
const count = async (table: string, tenantId: string) => Number((await query<{ n: string | number }>(database.db, `select count(*) as n from ${table} where tenant_id = $1`, [tenantId]))[0]!.n);

describe('retention', () => {
  it('deletes events and delivery log rows past the retention, and keeps newer ones', async () => {
    const tenantId = (await createTenant(database.db, 'old')).id;
    await hire(tenantId, 'old', 3);
    const { endpoint } = await createEndpoint(database.db, TEST_SECRET_KEY, tenantId, { url: 'http://127.0.0.1:9/' });
    await query(database.db, `insert into webhook_deliveries (id, tenant_id, endpoint_id, event_type, state) values ($1, $2, $3, 'webhook.test', 'failed')`, [uuidv7(), tenantId, endpoint.id]);
    await age('change_events', tenantId, 31);
    await age('webhook_deliveries', tenantId, 31);
    await hire(tenantId, 'new', 2);
    const pruned = await pruneOlderThan(database.db, 30);
    expect(pruned.events).toBeGreaterThanOrEqual(3);
    expect(await count('change_events', tenantId)).toBe(2);
    expect(await count('webhook_deliveries', tenantId)).toBe(0);
  });

  it('keeps old events an enabled endpoint has yet to deliver, and prunes them for a disabled one', async () => {
    const tenantId = (await createTenant(database.db, 'waiting')).id;
    await createEndpoint(database.db, TEST_SECRET_KEY, tenantId, { url: 'http://127.0.0.1:9/' });
    await hire(tenantId, 'w', 4);
    await age('change_events', tenantId, 40);
    await pruneOlderThan(database.db, 30);
    expect(await count('change_events', tenantId)).toBe(4);
    await query(database.db, 'update webhook_endpoints set enabled = false where tenant_id = $1', [tenantId]);
    await pruneOlderThan(database.db, 30);
    expect(await count('change_events', tenantId)).toBe(0);
  });
});
