import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createBackground } from '../../src/admin/background.js';
import { createLogger } from '../../src/log.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, log: createLogger('info', stream) };
}

describe('background work', () => {
  it('logs a failure instead of rejecting, so it can never crash the process', async () => {
    const { lines, log } = capture();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const background = createBackground(log);
      background.track({ connectionId: 'c1' }, Promise.reject(new Error('database went away')));
      await background.idle();
      await new Promise((r) => setTimeout(r, 10));
      expect(unhandled).toEqual([]);
      expect(lines).toMatchObject([{ level: 50, connectionId: 'c1', err: 'database went away', msg: 'background work failed' }]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('idle waits for everything tracked, including work tracked while waiting', async () => {
    const background = createBackground();
    const done: string[] = [];
    const later = (name: string, ms: number) => new Promise<void>((r) => setTimeout(() => (done.push(name), r()), ms));
    background.track({}, later('first', 20).then(() => background.track({}, later('second', 20))));
    await background.idle();
    expect(done).toEqual(['first', 'second']);
    await background.idle();
  });
});
