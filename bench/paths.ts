import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench` runs compiled (dist/), as the Docker image runs the service: tsx's transpiler
 * would add some 90 MB to every process's RSS. Under tsx the same code runs from source.
 */
const here = dirname(fileURLToPath(import.meta.url));
export const compiled = import.meta.url.endsWith('.js');
export const projectRoot = compiled ? resolve(here, '..', '..') : resolve(here, '..');

/** Node arguments that run one of the project's entry points, named without extension (`src/main`). */
export function entryArgs(path: string): string[] {
  return compiled ? [join(projectRoot, 'dist', `${path}.js`)] : ['--import', 'tsx', join(projectRoot, `${path}.ts`)];
}

/**
 * The memory settings the Docker image gives the process (see the Dockerfile): two malloc arenas,
 * and a young generation of 4 MB semi-spaces, so short-lived garbage is collected before it grows
 * the heap. Children the bench starts get them too, unless the caller's environment sets its own.
 */
export const imageEnv = { MALLOC_ARENA_MAX: '2', NODE_OPTIONS: '--max-semi-space-size=4' } as const;

export function withImageEnv(env: Record<string, string>): Record<string, string> {
  const unset = Object.entries(imageEnv).filter(([key]) => process.env[key] === undefined);
  return { ...env, ...Object.fromEntries(unset) };
}
