import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The directory is the lowest room of the domain (architecture.md): sync, teams and connections
 * call it, never the other way round. This reads every import of src/directory and fails on one
 * that reaches into those folders.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const directory = join(root, 'src/directory');
const FORBIDDEN = ['src/sync', 'src/teams', 'src/connections'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
export function specifiersOf(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of text.matchAll(/(?:^|[\s;])import\s*['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

describe('src/directory imports', () => {
  it('finds every kind of import in a file', () => {
    const text = `import { a } from '../sync/a.js';\nimport type {\n  B,\n} from "../teams/b.js";\nexport { c } from '../connections/c.js';\nimport '../x.js';\nconst d = await import('../y.js');`;
    expect(specifiersOf(text)).toEqual(['../sync/a.js', '../teams/b.js', '../connections/c.js', '../x.js', '../y.js']);
  });

  it('never reach src/sync, src/teams or src/connections', () => {
    const files = sources(directory);
    expect(files.length).toBeGreaterThan(20);
    const offending = files.flatMap((file) =>
      specifiersOf(readFileSync(file, 'utf8'))
        .filter((s) => s.startsWith('.'))
        .map((s) => relative(root, resolve(dirname(file), s)))
        .filter((target) => FORBIDDEN.some((f) => target === f || target.startsWith(`${f}/`)))
        .map((target) => `${relative(root, file)} → ${target}`),
    );
    expect(offending).toEqual([]);
  });
});
