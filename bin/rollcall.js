#!/usr/bin/env node
// Thin launcher. In production (the Docker image) the compiled CLI runs; elsewhere the TypeScript
// sources run through tsx, so a checkout needs no build step and never runs a stale build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'src', 'cli', 'index.js');
const args =
  process.env.NODE_ENV === 'production' && existsSync(compiled)
    ? [compiled]
    : [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'src', 'cli', 'index.ts')];
const result = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
