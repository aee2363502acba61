import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../connectors/index.js';
import { createLucca } from '../../connectors/lucca/connector.js';
import type { LuccaCredentialsInput, LuccaSettingsInput } from '../../connectors/lucca/schema.js';
import { createConnection, syncConnection, type ConnectionDeps } from '../../src/connections/service.js';
import { open } from '../../src/crypto/secret-box.js';
import { query } from '../../src/db/client.js';
import { HR_URN } from '../../src/sync/hr-doc.js';
import { createTenant } from '../../src/tenants/tenants.js';
import { generateCompany } from '../fakes/lucca/generate.js';
import { luccaCredentials, today } from '../fakes/lucca/harness.js';
import { startFakeLucca, type FakeLucca } from '../fakes/lucca/server.js';
import { createVirtualClock } from '../fakes/personio/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TEST_SECRET_KEY } from '../support/keys.js';
import { testConnectionDeps } from '../support/sync-fixture.js';

/**
 * Bank accounts through full sync runs (Lucca v5 personal records): an account is sealed when it
 * is new or changed, and an account the user already holds keeps its stored sealed value. Sealing
 * uses a random nonce, so an account sealed again would show as a different stored value.
 */
let database: TestDatabase;
let fake: FakeLucca;
let deps: ConnectionDeps;
let tenantId = '';
let connectionId = '';

beforeAll(async () => {
  database = await createTestDatabase();
  const clock = createVirtualClock();
  fake = await startFakeLucca({ company: generateCompany({ seed: 5, size: 120, now: clock.now }), now: clock.now });
  const factory = (_provider: string, credentials: unknown, d: { settings?: unknown; baseUrl?: string }) =>
    createLucca({
      credentials: credentials as LuccaCredentialsInput,
      settings: (d.settings ?? {}) as LuccaSettingsInput,
      baseUrl: d.baseUrl ?? fake.url,
      now: () => today,
      http: { now: clock.now, sleep: clock.sleep, random: () => 0.5, timeoutMs: 2_000 },
    }) as Connector;
  deps = testConnectionDeps(database.db, factory, () => today);
  tenantId = (await createTenant(database.db, 'bank-accounts')).id;
  connectionId = (
    await createConnection(deps, tenantId, {
      provider: 'lucca',
      baseUrl: fake.url,
      credentials: luccaCredentials('v5'),
      settings: { tokenUrl: `${fake.url}/connect/token`, readPersonalRecords: true },
      onboarding: 'auto',
    })
  ).id;
});
afterAll(async () => {
  await fake?.close();
  await database?.drop();
});

const run = async (mode: 'apply' | 'preview' = 'apply') => {
  const { run } = await syncConnection(deps, tenantId, connectionId, { mode, trigger: 'manual' });
  expect(run.state).toBe('succeeded');
  return run;
};

/** Each synced user's stored (sealed) bank account, by remote id. */
async function sealedAccounts(): Promise<Map<string, string | null>> {
  const rows = await query<{ remote_id: string; sealed: string | null }>(database.db, `select remote_id, doc -> $2::text ->> 'bankAccount' as sealed from users where tenant_id = $1 and remote_id is not null`, [
    tenantId,
    HR_URN,
  ]);
  return new Map(rows.map((r) => [r.remote_id, r.sealed]));
}

const opened = (sealed: string | null | undefined) => (sealed ? (JSON.parse(open(TEST_SECRET_KEY, sealed)) as { iban: string | null }) : null);

describe('bank accounts across full sync runs', () => {
  let first: Map<string, string | null>;
  const banked = () => fake.company.list().filter((p) => p.bank !== null && p.email);

  it('the first run seals every account it reads', async () => {
    await run();
    first = await sealedAccounts();
    const withAccount = [...first.values()].filter(Boolean);
    expect(withAccount.length).toBeGreaterThan(50);
    for (const p of banked().slice(0, 20)) {
      if (first.has(String(p.id))) expect(opened(first.get(String(p.id)))?.iban).toBe(p.bank!.iban);
    }
  });

  it('a run with nothing changed seals nothing again', async () => {
    const next = await run();
    expect(next.counts.update).toBe(0);
    expect(await sealedAccounts()).toEqual(first);
  });

  it('a changed account is sealed anew; an unchanged one stays as stored, even when its holder is updated', async () => {
    const synced = banked().filter((p) => first.get(String(p.id)));
    const [retitled, moved] = synced;
    fake.company.updateJob(retitled!.id, { jobTitle: 'Head of Payroll' });
    fake.company.update(moved!.id, { bank: { iban: 'FR7630006000011234567890189', bic: 'AGRIFRPPXXX' } });
    const next = await run();
    expect(next.counts.update).toBe(2);
    const after = await sealedAccounts();
    expect(after.get(String(retitled!.id))).toBe(first.get(String(retitled!.id)));
    expect(after.get(String(moved!.id))).not.toBe(first.get(String(moved!.id)));
    expect(opened(after.get(String(moved!.id)))?.iban).toBe('FR7630006000011234567890189');
    for (const [remoteId, sealed] of after) if (remoteId !== String(moved!.id)) expect(sealed, remoteId).toBe(first.get(remoteId));
    first = after;
  });

  it('an account the user no longer holds is sealed again from HR', async () => {
    const [p] = banked().filter((x) => first.get(String(x.id)));
    await query(database.db, `update users set doc = doc #- $3::text[] #- $4::text[] where tenant_id = $1 and remote_id = $2`, [
      tenantId,
      String(p!.id),
      [HR_URN, 'bankAccount'],
      [HR_URN, 'bankAccountDigest'],
    ]);
    const next = await run();
    expect(next.counts.update).toBe(1);
    const restored = (await sealedAccounts()).get(String(p!.id));
    expect(restored).not.toBe(first.get(String(p!.id)));
    expect(opened(restored)?.iban).toBe(p!.bank!.iban);
  });

  it('a preview of an account change writes nothing', async () => {
    const before = await sealedAccounts();
    const [p] = banked().filter((x) => first.get(String(x.id)));
    fake.company.update(p!.id, { bank: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' } });
    const preview = await run('preview');
    expect(preview.counts.update).toBe(1);
    expect(await sealedAccounts()).toEqual(before);
    await run();
    expect(opened((await sealedAccounts()).get(String(p!.id)))?.iban).toBe('DE89370400440532013000');
  });
});
