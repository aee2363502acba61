import { describe, expect, it } from 'vitest';
import { autovacuumAdvice } from '../../src/db/autovacuum.js';

describe('the start-up advice about PostgreSQL autovacuum', () => {
  it.each<[string | undefined, boolean]>([
    ['on', false],
    [undefined, false], // the embedded store: it analyzes grown tables itself
    ['off', true],
  ])('autovacuum %s → warned %s', (setting, warned) => {
    const advice = autovacuumAdvice(setting);
    expect(advice !== undefined).toBe(warned);
    if (advice) {
      expect(advice).toContain(`autovacuum is ${setting}`);
      expect(advice).toContain('VACUUM ANALYZE');
    }
  });
});
