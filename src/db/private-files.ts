import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Takes group and world access off everything under `dir`. The embedded PostgreSQL (PGlite,
 * through Emscripten's file system) sets its files to 0666 itself, whatever the umask; run at
 * open, after migrations and at close, so the files at rest are the service user's alone (and
 * any made in between sit in 0700 directories that no one else can enter).
 */
export function makePrivate(dir: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    try {
      const mode = statSync(path).mode & 0o777;
      if (mode & 0o077) chmodSync(path, mode & 0o700);
    } catch {
      // Gone meanwhile (a temporary file): nothing to protect.
    }
    if (entry.isDirectory()) makePrivate(path);
  }
}
