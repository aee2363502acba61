import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clone } from '../../scim/resource/json.js';

/** structuredClone is the oracle: the hand-written copy must agree with it on every JSON value. */
describe('clone', () => {
  it.each([
    ['a string', 'x'],
    ['a number', 42],
    ['null', null],
    ['a boolean', false],
    ['an empty array', []],
    ['nested arrays and objects', { emails: [{ value: 'a@b.c', primary: true }], name: { givenName: 'A' } }],
    ['an extension URN key', { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { manager: { value: 'm' } } }],
  ])('%s', (_label, value) => {
    expect(clone(value)).toEqual(structuredClone(value));
  });

  it('copies every level, so editing the copy never edits the original', () => {
    const original = { name: { givenName: 'A' }, emails: [{ value: 'a@b.c' }] };
    const copy = clone(original);
    copy.name.givenName = 'B';
    copy.emails[0]!.value = 'changed';
    copy.emails.push({ value: 'more' });
    expect(original).toEqual({ name: { givenName: 'A' }, emails: [{ value: 'a@b.c' }] });
  });

  it('keeps a "__proto__" key from parsed JSON as a key, not as the copy\'s prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const copy = clone(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"a":1}');
  });

  it('leaves values that are not plain data to structuredClone', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    const copy = clone({ at });
    expect(copy.at).toBeInstanceOf(Date);
    expect(copy.at).not.toBe(at);
    expect(copy.at.getTime()).toBe(at.getTime());
  });

  it('agrees with structuredClone on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(clone(value)).toEqual(structuredClone(value));
      }),
    );
  });
});
