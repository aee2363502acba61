import { describe, expect, it } from 'vitest';
import { createReadBatcher } from '../../src/directory/read-batcher.js';

/** A batch reader that records what it was asked and answers each item from `answer`. */
function recorder(answer: (item: string) => string | Error = (item) => item.toUpperCase()) {
  const calls: string[][] = [];
  const run = async (items: string[]) => {
    calls.push([...items]);
    return items.map(answer);
  };
  return { calls, run };
}

const tick = () => new Promise((ok) => setImmediate(ok));

describe('read batcher', () => {
  it.each<[string, [group: string, item: string][], string[][]]>([
    ['one load is a batch of one', [['a', 'x']], [['x']]],
    ['loads of one group in one turn share a batch, in order', [['a', 'x'], ['a', 'y'], ['a', 'z']], [['x', 'y', 'z']]],
    ['groups never mix', [['a', 'x'], ['b', 'y'], ['a', 'z']], [['x', 'z'], ['y']]],
    ['the same item twice is asked twice', [['a', 'x'], ['a', 'x']], [['x', 'x']]],
  ])('%s', async (_, loads, batches) => {
    const batcher = createReadBatcher();
    const { calls, run } = recorder();
    const results = await Promise.all(loads.map(([group, item]) => batcher.load(group, item, run)));
    expect(results).toEqual(loads.map(([, item]) => item.toUpperCase()));
    expect(calls).toEqual(batches);
  });

  it('loads in later turns go in later batches', async () => {
    const batcher = createReadBatcher();
    const { calls, run } = recorder();
    const first = batcher.load('a', 'x', run);
    await tick();
    const second = batcher.load('a', 'y', run);
    expect(await Promise.all([first, second])).toEqual(['X', 'Y']);
    expect(calls).toEqual([['x'], ['y']]);
  });

  it('a full batch goes out at once and the rest waits for the next', async () => {
    const batcher = createReadBatcher(2);
    const { calls, run } = recorder();
    const results = await Promise.all(['p', 'q', 'r', 's', 't'].map((item) => batcher.load('a', item, run)));
    expect(results).toEqual(['P', 'Q', 'R', 'S', 'T']);
    expect(calls).toEqual([['p', 'q'], ['r', 's'], ['t']]);
  });

  it('an error for one item fails that load only', async () => {
    const batcher = createReadBatcher();
    const { run } = recorder((item) => (item === 'missing' ? new Error(`no ${item}`) : item));
    const settled = await Promise.allSettled(['x', 'missing', 'y'].map((item) => batcher.load('a', item, run)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toEqual(new Error('no missing'));
  });

  it('a failed batch fails each of its loads, not other groups', async () => {
    const batcher = createReadBatcher();
    const failing = async (): Promise<string[]> => {
      throw new Error('connection lost');
    };
    const { run } = recorder();
    const settled = await Promise.allSettled([batcher.load('a', 'x', failing), batcher.load('a', 'y', failing), batcher.load('b', 'z', run)]);
    expect(settled).toEqual([
      { status: 'rejected', reason: new Error('connection lost') },
      { status: 'rejected', reason: new Error('connection lost') },
      { status: 'fulfilled', value: 'Z' },
    ]);
  });
});
