import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../src/mapping/expression.js';
import { createMemo, memoInputsOf } from '../../src/mapping/memo.js';

describe('which expressions a run remembers, and by which inputs', () => {
  it.each([
    { source: 'firstName & " " & lastName', inputs: [['firstName'], ['lastName']] },
    { source: '$lowercase(firstName)', inputs: [['firstName']] },
    { source: '$lookup({"Engineering": "R&D"}, department.name) ?: "Operations"', inputs: [['department']] },
    { source: 'raw.customFields.badge', inputs: [['raw', 'customFields']] },
    { source: '$substring(employeeNumber, 0, 3)', inputs: [['employeeNumber']] },
    { source: 'status = "active" ? "yes" : "no"', inputs: [['status']] },
    { source: '"constant"', inputs: [] },
    { source: '[firstName, lastName]', inputs: [['firstName'], ['lastName']] },
    // Each of these can read more than its text names, or is not a function of its inputs.
    { source: '$', inputs: undefined },
    { source: '$$.firstName', inputs: undefined },
    { source: '$uppercase()', inputs: undefined },
    { source: '$substring(2)', inputs: undefined },
    { source: '$replace("a", "b")', inputs: undefined },
    { source: '*.name', inputs: undefined },
    { source: '**.name', inputs: undefined },
    { source: 'costCenters[weight > 50].name', inputs: undefined },
    { source: 'firstName.$uppercase()', inputs: undefined },
    { source: '$now()', inputs: undefined },
    { source: '$random()', inputs: undefined },
    { source: '($x := firstName; $x)', inputs: undefined },
    { source: 'function($a){$a}(firstName)', inputs: undefined },
    { source: '$map(costCenters, function($c){ $c.name })', inputs: undefined },
    { source: 'this is not (valid', inputs: undefined },
  ])('$source → $inputs', ({ source, inputs }) => {
    expect(memoInputsOf(source)).toEqual(inputs);
  });
});

describe('a remembered result is the one evaluating would give', () => {
  const people = [
    { firstName: 'Ana', lastName: 'Lima', department: { name: 'Engineering' }, status: 'active', raw: { customFields: { badge: 'B1' } } },
    { firstName: 'Ana', lastName: 'Lima', department: { name: 'Sales' }, status: 'leave', raw: { customFields: { badge: null } } },
    { firstName: 'Ana', lastName: null, department: null, status: 'active', raw: {} },
    { firstName: 'Ana', department: { name: 'Engineering', remoteId: '7' }, status: 'active', raw: { customFields: {} } },
    { firstName: 'Ζωή', lastName: 'Παππά', department: { name: 'Engineering' }, status: 'inactive', raw: { customFields: { badge: 'B1' } } },
    { firstName: 'Ana', lastName: 'Lima', department: { name: 'Engineering' }, status: 'active', raw: { customFields: { badge: 'B1' } } },
  ];
  it.each([
    'firstName & " " & lastName',
    '$lowercase(firstName)',
    '$lookup({"Engineering": "R&D", "Sales": "Go to market"}, department.name) ?: "Operations"',
    '$exists(lastName) ? lastName : "(none)"',
    '$exists(raw.customFields.badge) ? raw.customFields.badge : "missing"',
    'department.remoteId ? department.remoteId : department.name',
  ])('%s', async (source) => {
    const expression = compileExpression(source);
    const memo = createMemo(source);
    for (const person of [...people, ...people]) {
      const key = memo.keyOf(person);
      expect(key).toBeDefined();
      const fresh = await expression.evaluate(person);
      const remembered = memo.get(key!);
      if (remembered) expect(remembered.value).toEqual(fresh);
      else memo.set(key!, fresh);
    }
  });

  it('keeps no object results, which would be shared between employees', () => {
    const memo = createMemo('{"a": firstName}');
    memo.set('k', { a: 1 });
    expect(memo.get('k')).toBeUndefined();
    memo.set('k', 'text');
    expect(memo.get('k')).toEqual({ value: 'text' });
  });
});
