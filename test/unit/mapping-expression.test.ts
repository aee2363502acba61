import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionError, MAX_OUTPUT_CHARS, rawPathsOf } from '../../src/mapping/expression.js';

/**
 * Mapping expressions (JSONata) as an admin may write them, and as an attacker might: each either
 * gives the value expected or fails with an ExpressionError of the expected code, quickly and
 * without taking the process's memory.
 */
const employee = {
  remoteId: '42',
  firstName: 'Ana',
  lastName: 'Lima',
  jobTitle: 'platform engineer',
  department: { name: 'Engineering', remoteId: 'd1' },
  costCenters: [{ name: 'CC-1', weight: 60 }, { name: 'CC-2', weight: 40 }],
  startDate: '2024-03-01',
  workLocation: null,
  raw: { customFields: { badge: 'B-7', shift: 'night' }, division: 'Europe', tags: ['a', 'b'] },
};

describe('expressions an admin writes', () => {
  it.each<[string, string, unknown]>([
    ['concatenation', 'firstName & " " & lastName', 'Ana Lima'],
    ['upper case', '$uppercase(jobTitle)', 'PLATFORM ENGINEER'],
    ['lower case of a raw field', '$lowercase(raw.customFields.badge)', 'b-7'],
    ['a date in another picture', '$fromMillis($toMillis(startDate), "[D01].[M01].[Y0001]")', '01.03.2024'],
    ['a lookup table', '$lookup({"Engineering": "ENG", "Sales": "SAL"}, department.name)', 'ENG'],
    ['a default for a missing value', 'workLocation.name ?: "Remote"', 'Remote'],
    ['a default when present', 'department.name ?: "none"', 'Engineering'],
    ['a condition', 'raw.customFields.shift = "night" ? "N" : "D"', 'N'],
    ['a list', 'costCenters.name', ['CC-1', 'CC-2']],
    ['a join', '$join(costCenters.name, "/")', 'CC-1/CC-2'],
    ['arithmetic', '$sum(costCenters.weight)', 100],
    ['a missing path', 'raw.customFields.nothing', undefined],
    ['a bounded pad', '$pad(raw.customFields.badge, 6, "0")', 'B-7000'],
    ['a bounded pad to the left', '$pad(raw.customFields.badge, -6, "0")', '000B-7'],
    ['a bounded recursion', '($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(5))', 120],
  ])('%s: %s', async (_, source, expected) => {
    expect(await compileExpression(source).evaluate(employee)).toEqual(expected);
  });
});

describe('hostile expressions', () => {
  it.each<[string, string, string]>([
    ['infinite recursion', '($f := function(){ $f() }; $f())', 'D1012|D1011'],
    ['unbounded non-tail recursion', '($f := function($n){ 1 + $f($n + 1) }; $f(0))', 'D1011|D1012'],
    ['an endless loop over a huge range', '$count($map([1..10000000], function($v){ $v }))', 'D2015|D1012'],
    ['a huge pad', "$pad('', 1e9)", 'R0001'],
    ['a huge pad to the left', "$pad('x', -1e9, 'ab')", 'R0001'],
    ['a huge string by doubling', '($s := function($x, $n){ $n = 0 ? $x : $s($x & $x, $n - 1) }; $s("abcdefgh", 30))', 'R0001|D1012|D1011'],
    ['a huge result', '$pad("", 10000, "x") & $pad("", 10000, "y")', 'R0001'],
    ['a huge list result', '$split($pad("", 9000, "x"), "")', 'R0001'],
    ['deep nesting of parentheses', `${'('.repeat(5000)}1${')'.repeat(5000)}`, 'D1011|R0001'],
    ['deep nesting of arrays', `${'['.repeat(2000)}1${']'.repeat(2000)}`, 'D1011|R0001'],
    ['a second parser', '$eval("1 + 1")', 'R0002'],
    ['a syntax error', 'firstName & ', 'S0207|S0203|S0211'],
  ])('%s is stopped', async (_, source, codes) => {
    const started = Date.now();
    const failure = await (async () => compileExpression(source).evaluate(employee))().then(
      (value) => ({ value }),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ExpressionError);
    expect((failure as ExpressionError).code).toMatch(new RegExp(`^(${codes})$`));
    // Not a timing assertion: a guard that something ran away would hang the suite instead.
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it.each<[string, string]>([
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['a nested constructor', 'department.constructor'],
    ["the constructor's constructor", 'constructor.constructor'],
    ['a prototype on a raw object', 'raw.customFields.__proto__'],
    ['a prototype by lookup', '$lookup(raw, "__proto__")'],
    ['a function found on a prototype', '$type(raw.toString)'],
    ['calling a prototype method', 'raw.hasOwnProperty("division")'],
  ])('%s yields nothing', async (_, source) => {
    const result = await compileExpression(source).evaluate(employee).catch((e: unknown) => e);
    // Either nothing, or an error: never a function or a prototype object.
    if (result instanceof ExpressionError) return;
    expect(result === undefined || result === null || result === 'undefined').toBe(true);
  });

  it('leaves the input and Object.prototype untouched by a transform that tries to pollute them', async () => {
    const input = structuredClone(employee);
    await compileExpression('$ ~> | $ | {"__proto__": {"polluted": true}} |').evaluate(input).catch(() => undefined);
    await compileExpression('$merge([{}, {"__proto__": {"polluted": true}}])').evaluate(input).catch(() => undefined);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(input).toEqual(employee);
  });

  it('hands back plain data: a result of at most the limit passes', async () => {
    const result = await compileExpression(`$pad("", ${MAX_OUTPUT_CHARS}, "x")`).evaluate(employee);
    expect(result).toHaveLength(MAX_OUTPUT_CHARS);
    expect(await compileExpression('function($x){ $x }').evaluate(employee)).toBeUndefined();
  });
});

describe('the raw fields an expression reads', () => {
  it.each<[string, string[]]>([
    ['raw.customFields.badge', ['customFields.badge']],
    ['$uppercase(raw.division) & raw.customFields.shift', ['division', 'customFields.shift']],
    ['raw.tags[0]', ['tags']],
    ['firstName', []],
    ['raw', []],
    ['not ( valid', []],
  ])('%s', (source, paths) => {
    expect(rawPathsOf(source).sort()).toEqual(paths.sort());
  });
});
