import cluster from 'node:cluster';
import { configOrExit } from './startup.js';

/**
 * The server's entry point: one process serving everything, or with HTTP_WORKERS above 1 (on
 * PostgreSQL) a primary that runs that many copies of it sharing the port (src/cluster/primary.ts).
 */
const env = configOrExit();
if (cluster.isPrimary && env.HTTP_WORKERS > 1) {
  const { runPrimary } = await import('./cluster/primary.js');
  runPrimary(env);
} else {
  await import('./server.js');
}
