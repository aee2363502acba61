import { describe, expect, it } from 'vitest';
import { createHeapGrowth, LIMIT_FROM_MB } from '../../src/memory.js';
import { expectedEmployees, runMegabytes } from '../../src/sync/run-size.js';

/** A governor whose flag changes and full collections are recorded instead of reaching V8. */
function recorded(percent: number) {
  const applied: number[] = [];
  const events: (number | 'gc')[] = [];
  const growth = createHeapGrowth(
    (p) => {
      applied.push(p);
      events.push(p);
    },
    LIMIT_FROM_MB,
    () => events.push('gc'),
  );
  growth.configure(percent);
  return { growth, applied, events };
}

describe('heap growth limit', () => {
  type Step = ['hold', number] | ['release', number];
  it.each<[string, number, Step[], number[], boolean]>([
    ['nothing running: V8 decides', 10, [], [], false],
    ['a small run does not limit', 10, [['hold', 3], ['release', 0]], [], false],
    ['eight 200-person runs together do not limit', 10, Array.from({ length: 8 }, (): Step => ['hold', runMegabytes(200)]), [], false],
    ['a large run limits while it lasts', 10, [['hold', 200], ['release', 0]], [10, 0], false],
    ['small runs adding up to the threshold limit', 10, [['hold', 16], ['hold', 16], ['release', 1]], [10, 0], false],
    ['the limit stays while a large run is left', 10, [['hold', 200], ['hold', 200], ['release', 0]], [10], true],
    ['percent 0 never limits', 0, [['hold', 500]], [], false],
  ])('%s', (_, percent, steps, flags, limitedAfter) => {
    const { growth, applied } = recorded(percent);
    const releases: (() => void)[] = [];
    for (const [kind, value] of steps) {
      if (kind === 'hold') releases.push(growth.hold(value));
      else releases[value]!();
    }
    expect(applied).toEqual(flags);
    expect(growth.limited()).toBe(limitedAfter);
  });

  it('a first run, of unknown size, counts as large', () => {
    expect(runMegabytes(expectedEmployees(null))).toBeGreaterThanOrEqual(LIMIT_FROM_MB);
    expect(runMegabytes(expectedEmployees(200))).toBeLessThan(LIMIT_FROM_MB / 8);
  });

  it('releasing twice gives back once', () => {
    const { growth, applied } = recorded(10);
    const first = growth.hold(20);
    first();
    first();
    growth.hold(20);
    expect(growth.limited()).toBe(false);
    growth.hold(12);
    expect(applied).toEqual([10]);
  });

  it('collects once each time the limit comes into force, after setting it, and never when it goes', () => {
    const { growth, events } = recorded(10);
    const first = growth.hold(100);
    growth.hold(0);
    const second = growth.hold(100);
    first();
    second();
    growth.hold(100);
    growth.configure(25);
    expect(events).toEqual([10, 'gc', 0, 10, 'gc', 25]);
  });

  it('the process\'s own governor really collects when the limit comes into force', async () => {
    const { heapGrowth } = await import('../../src/memory.js');
    // Only reachable through the weak reference; a target is kept until the job that made it ends.
    const garbage = new WeakRef({ payload: new Array(1000).fill('x') });
    await new Promise((resolve) => setImmediate(resolve));
    heapGrowth.configure(10);
    const release = heapGrowth.hold(LIMIT_FROM_MB);
    try {
      expect(heapGrowth.limited()).toBe(true);
      expect(garbage.deref()).toBeUndefined();
    } finally {
      release();
      heapGrowth.configure(0);
    }
  });

  it('configuring while a large run holds applies the new percent at once', () => {
    const { growth, applied } = recorded(10);
    growth.hold(100);
    growth.configure(25);
    growth.configure(0);
    expect(applied).toEqual([10, 25, 0]);
  });
});
