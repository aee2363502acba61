import { describe, expect, it } from 'vitest';
import { hibobFieldOf } from '../../connectors/hibob/schema.js';
import { unwrapExtendedData } from '../../connectors/lucca/legacy/read.js';
import { pathsUnder, rawFieldPaths, readRawPath, topLevelKeys } from '../../connectors/raw-fields.js';

describe('raw field paths a mapping reads', () => {
  it.each<[string, string[] | undefined, string[]]>([
    ['nothing asked', undefined, []],
    ['trimmed, empties and repeats dropped', [' customBadge ', '', 'customBadge', 'a.b'], ['customBadge', 'a.b']],
    ['an empty segment is no path', ['a..b', '.a', 'a.'], []],
    ['prototype machinery is never a path', ['__proto__', 'a.__proto__.b', 'constructor.name', 'x.prototype'], []],
  ])('%s', (_, input, expected) => {
    expect(rawFieldPaths(input)).toEqual(expected);
  });

  it.each<[string, string[], string[]]>([
    ['first segments, once', ['extendedData.e_badge', 'extendedData.e_costcode', 'customBadge'], ['extendedData', 'customBadge']],
    ['a numeric field id', ['4021'], ['4021']],
  ])('top-level keys: %s', (_, input, expected) => {
    expect(topLevelKeys(input)).toEqual(expected);
  });

  it.each<[string, string[], string[]]>([
    ['the rest after the prefix', ['customFields.badge', 'customFields.cost_code', 'other.x'], ['badge', 'cost_code']],
    ['the prefix alone names nothing', ['customFields'], []],
  ])('paths under a prefix: %s', (_, input, expected) => {
    expect(pathsUnder(input, 'customFields')).toEqual(expected);
  });

  it.each<[string, unknown, string, unknown]>([
    ['a nested value', { customSchemas: { Payroll: { badge: 'B-1' } } }, 'customSchemas.Payroll.badge', 'B-1'],
    ['an absent key', { a: {} }, 'a.b', undefined],
    ['through a scalar', { a: 'x' }, 'a.length', undefined],
    ['never the prototype', {}, 'constructor', undefined],
    ['null kept as null', { a: null }, 'a', null],
  ])('reads %s', (_, raw, path, expected) => {
    expect(readRawPath(raw, path)).toBe(expected);
  });
});

describe('vendor spellings of a custom field', () => {
  it.each<[string, string]>([
    ['custom.category_1.field_17', 'custom.category_1.field_17'],
    ['humanReadable.custom.category_1.field_17', 'custom.category_1.field_17'],
    ['displayName', 'root.displayName'],
    ['work.title', 'work.title'],
  ])('HiBob asks for %s as %s', (path, field) => {
    expect(hibobFieldOf(path)).toBe(field);
  });

  it('Lucca extended data: wrapped and bare values both end up bare', () => {
    const user = { id: 1, extendedData: { e_badge: { value: 'B-1' }, e_costcode: 'CC-10', e_list: [{ value: 'x' }], e_empty: { value: null } } };
    unwrapExtendedData(user);
    expect(user.extendedData).toEqual({ e_badge: 'B-1', e_costcode: 'CC-10', e_list: [{ value: 'x' }], e_empty: null });
    for (const odd of [null, 'x', { extendedData: null }, { extendedData: [1] }]) expect(() => unwrapExtendedData(odd)).not.toThrow();
  });
});
