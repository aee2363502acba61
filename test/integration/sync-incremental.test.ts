import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../connectors/index.js';
import type { PersonioSettingsInput } from '../../connectors/personio/schema.js';
import { createConnection, syncConnection, updateConnection, type ConnectionDeps } from '../../src/connections/service.js';
import { putMapping } from '../../src/connections/mapping.js';
import { query } from '../../src/db/client.js';
import { BASE_MAPPING } from '../../src/mapping/defaults.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { createVirtualClock } from '../fakes/personio/clock.js';
import { generateCompany } from '../fakes/personio/generate.js';
import { personioFor, today } from '../fakes/personio/harness.js';
import { defaultClient, startFakePersonio, type FakePersonio } from '../fakes/personio/server.js';
import { ibanKey } from '../fakes/personio/v1.js';
import { addDays } from '../fakes/shared/random.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { testConnectionDeps } from '../support/sync-fixture.js';

/**
 * Personio between daily full snapshots: scheduled runs ask only for who changed (v1
 * `updated_since`, v2 `updated_at.gt`), plan over the snapshot with those changes on top, and
 * never infer that someone left from an incremental read.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const SIZE = 240;

describe.each(['v1', 'v2'] as const)('Personio %s incremental runs', (apiVersion) => {
  let fake: FakePersonio;
  let deps: ConnectionDeps;
  let tenantId = '';
  let connectionId = '';
  const listEndpoint = apiVersion === 'v1' ? 'v1.employees' : 'v2.persons';
  const run = async (trigger: 'schedule' | 'manual' = 'schedule') => {
    fake.resetCounts();
    const { run } = await syncConnection(deps, tenantId, connectionId, { mode: 'apply', trigger });
    expect(run.state).toBe('succeeded');
    return { run, list: fake.counts().byEndpoint[listEndpoint] ?? 0, employments: fake.counts().byEndpoint['v2.employments'] ?? 0 };
  };
  const userOf = async (remoteId: number) =>
    (await query<{ active: boolean; lifecycle: string; manager: string | null }>(
      database.db,
      `select active, lifecycle, doc -> 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User' -> 'manager' ->> 'value' as manager from users where tenant_id = $1 and remote_id = $2`,
      [tenantId, String(remoteId)],
    ))[0];
  const userIdOf = async (remoteId: number) => (await query<{ id: string }>(database.db, 'select id from users where tenant_id = $1 and remote_id = $2', [tenantId, String(remoteId)]))[0]?.id;

  beforeAll(async () => {
    const clock = createVirtualClock();
    fake = await startFakePersonio({ company: generateCompany({ seed: 7, size: SIZE }), now: clock.now });
    deps = testConnectionDeps(database.db, (_p, _c, d) => personioFor(fake, clock, d.settings as PersonioSettingsInput) as Connector, () => today);
    tenantId = (await createTenant(database.db, `incremental-${apiVersion}`)).id;
    connectionId = (await createConnection(deps, tenantId, {
      provider: 'personio', baseUrl: fake.url, credentials: { clientId: defaultClient.id, clientSecret: defaultClient.secret }, settings: { apiVersion, ibanAttribute: ibanKey }, onboarding: 'auto',
    })).id;
  });
  afterAll(async () => {
    await fake?.close();
  });

  const employed = () => fake.company.list().filter((p) => fake.company.current(p).status === 'ACTIVE' && fake.company.current(p).terminationDate === null && p.email);

  it('the first scheduled run has no snapshot to build on: it reads everyone', async () => {
    const first = await run();
    expect(first.run.progress.incremental).toBeUndefined();
    expect(first.list).toBeGreaterThan(1);
    if (apiVersion === 'v2') expect(first.employments).toBe(SIZE);
  });

  it('the next scheduled run asks only for who changed, and applies those changes', async () => {
    const [moved, manager, leaver] = employed().slice(10, 13);
    fake.company.changeManager(moved!.id, manager!.id);
    fake.company.terminate(leaver!.id, addDays(fake.company.today, -2));
    const next = await run();
    expect(next.run.progress.incremental).toBe(1);
    expect(next.list).toBe(1);
    if (apiVersion === 'v2') expect(next.employments).toBe(2);
    expect(next.run.counts).toMatchObject({ update: 1, archive: 1, create: 0, release: 0 });
    expect((await userOf(moved!.id))!.manager).toBe(await userIdOf(manager!.id));
    expect(await userOf(leaver!.id)).toMatchObject({ active: false, lifecycle: 'archived' });

    const quiet = await run();
    expect(quiet.run.progress.incremental).toBe(1);
    expect(quiet.run.counts).toMatchObject({ update: 0, archive: 0, create: 0, unchanged: expect.any(Number) });
    expect(quiet.run.counts.unchanged).toBeGreaterThan(SIZE / 2);
  });

  it('someone deleted from HR is not archived by an incremental run; the next full one archives them', async () => {
    const gone = employed()[20]!;
    fake.company.remove(gone.id);
    const incremental = await run();
    expect(incremental.run.progress.incremental).toBe(1);
    expect(await userOf(gone.id)).toMatchObject({ lifecycle: 'invited' });
    // "Sync now" from an admin reads everything.
    const full = await run('manual');
    expect(full.run.progress.incremental).toBeUndefined();
    expect(full.run.counts.archive).toBe(1);
    expect(await userOf(gone.id)).toMatchObject({ active: false, lifecycle: 'archived' });
  });

  it('a connection changed since the last full snapshot, or a snapshot a day old, makes the next run full', async () => {
    await updateConnection(deps, tenantId, connectionId, { safetyThresholdPercent: 30 });
    expect((await run()).run.progress.incremental).toBeUndefined();
    expect((await run()).run.progress.incremental).toBe(1);

    await query(database.db, `update sync_runs set started_at = started_at - interval '25 hours' where connection_id = $1`, [connectionId]);
    expect((await run()).run.progress.incremental).toBeUndefined();
  });

  it('a new attribute mapping makes the next run full; saving the same mapping again does not', async () => {
    expect((await run()).run.progress.incremental).toBe(1);
    const nick = { attributes: [...BASE_MAPPING, { attribute: 'nickName', source: { kind: 'expression' as const, expression: '$lowercase(firstName)' } }] };
    const saved = await putMapping(database.db, tenantId, connectionId, nick, null);
    expect(saved.changed).toBe(true);
    const full = (await run()).run;
    expect(full.progress).toMatchObject({ mappingVersion: saved.saved.version });
    expect(full.progress.incremental).toBeUndefined();
    // Everyone read again and rewritten with the new attribute.
    expect(full.counts).toMatchObject({ update: expect.any(Number) });
    const nicked = await query<{ n: number }>(database.db, `select count(*)::int as n from users where tenant_id = $1 and doc ->> 'nickName' is not null`, [tenantId]);
    expect(nicked[0]!.n).toBeGreaterThan(SIZE / 2);
    expect((await putMapping(database.db, tenantId, connectionId, nick, null)).changed).toBe(false);
    expect((await run()).run.progress.incremental).toBe(1);
  });

  it('an incremental run keeps the bank accounts of people it did not read', async () => {
    const before = await query<{ n: number }>(database.db, `select count(*)::int as n from users where tenant_id = $1 and doc -> 'urn:rollcall:params:scim:schemas:extension:hr:2.0:User' ? 'bankAccount'`, [tenantId]);
    fake.company.update(employed()[30]!.id, { lastName: 'Changed' });
    const next = await run();
    expect(next.run.progress.incremental).toBe(1);
    const after = await query<{ n: number }>(database.db, `select count(*)::int as n from users where tenant_id = $1 and doc -> 'urn:rollcall:params:scim:schemas:extension:hr:2.0:User' ? 'bankAccount'`, [tenantId]);
    expect(before[0]!.n).toBeGreaterThan(SIZE / 2);
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});
