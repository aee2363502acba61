import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';

/** The embedded store on a data directory: its first start (initialized in a child process), its settings, a restart. */
describe('embedded store on a data directory', { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rollcall-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const settings = async (pglite: NonNullable<Awaited<ReturnType<typeof openDatabase>>['pglite']>) => {
    const names = ['shared_buffers', 'maintenance_work_mem', 'wal_level', 'max_wal_size'];
    const out: Record<string, string> = {};
    for (const name of names) out[name] = String(Object.values((await pglite.query<Record<string, string>>(`show ${name}`)).rows[0]!)[0]);
    return out;
  };

  it('starts a fresh directory migrated, with the configured settings, and leaves no staging directory behind', async () => {
    const db = await openDatabase({ dataDir, initializeInChild: true, sharedBuffersMb: 12 });
    try {
      const { rows } = await db.pglite!.query<{ n: number }>(`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(rows[0]!.n).toBeGreaterThan(0);
      expect(await settings(db.pglite!)).toEqual({ shared_buffers: '12MB', maintenance_work_mem: '16MB', wal_level: 'minimal', max_wal_size: '32MB' });
      await db.pglite!.query(`insert into tenants (id, slug, name) values (gen_random_uuid(), 'kept', 'Kept')`);
    } finally {
      await db.close();
    }
    expect(readdirSync(dataDir).sort()).toEqual(['pgdata']);
  });

  it('restarts on the same directory with its data and the default shared_buffers', async () => {
    const db = await openDatabase({ dataDir });
    try {
      const { rows } = await db.pglite!.query<{ slug: string }>(`select slug from tenants`);
      expect(rows.map((r) => r.slug)).toEqual(['kept']);
      expect((await settings(db.pglite!)).shared_buffers).toBe('16MB');
    } finally {
      await db.close();
    }
  });
});
