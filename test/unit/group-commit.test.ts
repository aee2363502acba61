import { describe, expect, it } from 'vitest';
import { createGroupCommit, type Outcome } from '../../src/directory/group-commit.js';

/** A `run` that records its batches and answers each item by a rule, after the caller lets it. */
function recorder(answer: (item: number) => Outcome<string>) {
  const batches: { key: string; items: number[] }[] = [];
  const gates: (() => void)[] = [];
  const run = async (key: string, items: number[]) => {
    batches.push({ key, items });
    await new Promise<void>((open) => gates.push(open));
    return items.map(answer);
  };
  const openAll = async () => {
    // Each round lets the batches in flight finish and the next ones start.
    for (let i = 0; i < 20; i++) {
      gates.splice(0).forEach((open) => open());
      await new Promise((r) => setImmediate(r));
    }
  };
  return { batches, run, openAll };
}

describe('group commit', () => {
  it('sends the first write at once and those arriving meanwhile together, per key', async () => {
    const r = recorder((n) => ({ ok: true, value: `done ${n}` }));
    const commit = createGroupCommit(r.run, 3);
    const answers = Promise.all([commit.submit('a', 1), commit.submit('a', 2), commit.submit('b', 10), commit.submit('a', 3), commit.submit('a', 4), commit.submit('a', 5)]);
    await r.openAll();
    expect(await answers).toEqual(['done 1', 'done 2', 'done 10', 'done 3', 'done 4', 'done 5']);
    expect(r.batches).toEqual([
      { key: 'a', items: [1] },
      { key: 'b', items: [10] },
      { key: 'a', items: [2, 3, 4] },
      { key: 'a', items: [5] },
    ]);
  });

  it('fails only the writes whose outcome is an error; a thrown batch fails each of its writes', async () => {
    const r = recorder((n) => (n % 2 === 0 ? { ok: false, error: new Error(`bad ${n}`) } : { ok: true, value: `done ${n}` }));
    const commit = createGroupCommit(r.run);
    const settled = Promise.allSettled([1, 2, 3, 4].map((n) => commit.submit('a', n)));
    await r.openAll();
    expect((await settled).map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual(['done 1', 'bad 2', 'done 3', 'bad 4']);

    const throwing = createGroupCommit<number, string>(async () => {
      throw new Error('database gone');
    });
    const both = await Promise.allSettled([throwing.submit('a', 1), throwing.submit('a', 2)]);
    expect(both.map((s) => s.status === 'rejected' && (s.reason as Error).message)).toEqual(['database gone', 'database gone']);
    // The key is free again: the next write goes at once.
    await expect(throwing.submit('a', 3)).rejects.toThrow('database gone');
  });
});
