import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../src/env.js';

const pg = { DATABASE_URL: 'postgres://u@127.0.0.1/db', ROLLCALL_SECRET_KEY: 'a'.repeat(64) };

describe('HTTP_WORKERS', () => {
  it.each([
    { env: {}, workers: 1 },
    { env: { HTTP_WORKERS: '1' }, workers: 1 },
    // The embedded store belongs to one process: auto is one there.
    { env: { HTTP_WORKERS: 'auto' }, workers: 1 },
    { env: { ...pg }, workers: 1 },
    { env: { ...pg, HTTP_WORKERS: '3' }, workers: 3 },
    { env: { ...pg, HTTP_WORKERS: 'auto' }, workers: Math.min(availableParallelism(), 8) },
  ])('$env → $workers', ({ env, workers }) => {
    expect(readEnv(env).HTTP_WORKERS).toBe(workers);
  });

  it.each([
    { env: { HTTP_WORKERS: '2' }, message: /HTTP_WORKERS: more than 1 needs DATABASE_URL/ },
    { env: { ...pg, HTTP_WORKERS: '0' }, message: /HTTP_WORKERS/ },
    { env: { ...pg, HTTP_WORKERS: 'many' }, message: /HTTP_WORKERS/ },
    { env: { ...pg, HTTP_WORKERS: '65' }, message: /HTTP_WORKERS/ },
  ])('refuses $env', ({ env, message }) => {
    expect(() => readEnv(env)).toThrow(message);
  });
});
