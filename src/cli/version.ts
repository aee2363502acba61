import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** The package's version, from the package.json above this file (src/cli from source, dist/src/cli compiled). */
export function cliVersion(): string {
  if (cached) return cached;
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'rollcall' && pkg.version) return (cached = pkg.version);
    }
    if (dirname(dir) === dir) return (cached = 'unknown');
  }
}
