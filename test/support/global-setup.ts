import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';

/**
 * Booting PGlite and migrating takes seconds; loading a dump of an already migrated database takes
 * a fraction of that. Build the dump once per test run and hand its path to every test file.
 */
export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('pgliteDump', '');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-test-'));
  const file = join(dir, 'migrated.tar');
  const db = await openDatabase({});
  await db.migrate();
  const pglite = db.pglite!;
  const blob = await pglite.dumpDataDir('none');
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  await db.close();
  project.provide('pgliteDump', file);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
  }
}
