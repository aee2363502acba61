import { describe, expect, it } from 'vitest';
import { readConfig } from '../../bench/config.js';

describe('bench settings', () => {
  it.each([
    { env: {}, users: 20_000, ops: 10_000, warmupUsers: 10_000 },
    { env: { BENCH_USERS: '5000', BENCH_OPS: '5000' }, users: 5_000, ops: 5_000, warmupUsers: 10_000 },
    { env: { BENCH_USERS: '2000' }, users: 2_000, ops: 2_000, warmupUsers: 10_000 },
    { env: { BENCH_WARMUP_USERS: '0' }, users: 20_000, ops: 10_000, warmupUsers: 0 },
    { env: { BENCH_WARMUP_USERS: '2_500' }, users: 20_000, ops: 10_000, warmupUsers: 2_500 },
  ])('$env → users $users, ops $ops, warm-up $warmupUsers', ({ env, users, ops, warmupUsers }) => {
    expect(readConfig(env)).toMatchObject({ users, ops, warmupUsers });
  });

  it.each(['-1', '1.5', 'many'])('refuses BENCH_WARMUP_USERS=%s', (raw) => {
    expect(() => readConfig({ BENCH_WARMUP_USERS: raw })).toThrow(/BENCH_WARMUP_USERS must be 0 or a positive integer/);
  });

  it.each(['0', '-1', 'many'])('refuses BENCH_USERS=%s', (raw) => {
    expect(() => readConfig({ BENCH_USERS: raw })).toThrow(/BENCH_USERS must be a positive integer/);
  });
});
