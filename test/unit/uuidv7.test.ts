import { describe, expect, it } from 'vitest';
import { isUuid, uuidv7 } from '../../src/db/ids.js';

describe('uuidv7', () => {
  it.each([0, 1, Date.parse('2026-12-06T15:00:00Z'), 2 ** 48 - 1])('at %d ms: the timestamp, version 7 and RFC 9562 variant', (now) => {
    const id = uuidv7(now);
    expect(isUuid(id)).toBe(true);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('ids sort by creation time, and none repeats', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => uuidv7(1_700_000_000_000 + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    const byTime = ids.map((id) => id.slice(0, 13));
    expect([...byTime].sort()).toEqual(byTime);
  });

  it('the random part varies in every position a v7 id leaves random', () => {
    const ids = Array.from({ length: 200 }, () => uuidv7(0).replace(/-/g, ''));
    // After the 48-bit timestamp and the version digit: rand_a (3 digits), then variant + rand_b.
    for (let position = 13; position < 32; position++) expect(new Set(ids.map((id) => id[position])).size).toBeGreaterThan(1);
  });
});
