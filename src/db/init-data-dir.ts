import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder, startPglite } from './client.js';

/**
 * Run as a child process by `openDatabase` on a data directory's first start (arguments: the
 * directory, shared_buffers in MB): initdb and the migrations, then exit, so the memory of PGlite's
 * throw-away initdb instance goes back to the system with this process.
 */
const [dir, sharedBuffersMb] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: init-data-dir <directory> [shared_buffers MB]\n');
  process.exit(2);
}
const pglite = startPglite({ dir, sharedBuffersMb: Number(sharedBuffersMb) || undefined });
await pglite.waitReady;
await migrate(drizzle(pglite), { migrationsFolder });
await pglite.close();
