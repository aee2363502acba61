import { describe, expect, it } from 'vitest';
import type { EmployeePage, NormalisedEmployee, RecordError } from '../../connectors/contract.js';
import { pagesOf } from '../../connectors/pages.js';

const people = (n: number) => Array.from({ length: n }, (_, i) => ({ remoteId: String(i + 1) }) as NormalisedEmployee);
const problem: RecordError = { remoteId: null, code: 'invalid_record', reason: 'no id', dropped: true };

async function collect(source: AsyncIterable<EmployeePage>): Promise<EmployeePage[]> {
  const pages: EmployeePage[] = [];
  for await (const page of source) pages.push(page);
  return pages;
}

describe('pages of a company read at once', () => {
  it.each([
    // employees, page size, warnings on, sizes of the pages, the pages with warnings
    [0, 1000, 'first', [0], [0]],
    [0, 1000, 'last', [0], [0]],
    [1, 1000, 'first', [1], [0]],
    [1000, 1000, 'last', [1000], [0]],
    [1001, 1000, 'first', [1000, 1], [0]],
    [2500, 1000, 'last', [1000, 1000, 500], [2]],
    [2500, 1000, 'first', [1000, 1000, 500], [0]],
  ] as const)('%i employees in pages of %i, warnings on the %s page', async (n, size, warningsOn, sizes, warned) => {
    const pages = await collect(pagesOf({ employees: people(n), errors: [problem], warnings: ['a field is hidden'] }, size, warningsOn));
    expect(pages.map((p) => p.employees.length)).toEqual(sizes);
    expect(pages.flatMap((p) => p.employees.map((e) => e.remoteId))).toEqual(people(n).map((e) => e.remoteId));
    expect(pages.every((p) => p.complete)).toBe(true);
    expect(pages.map((p) => p.errors)).toEqual(pages.map((_, i) => (i === 0 ? [problem] : [])));
    expect(pages.flatMap((p, i) => (p.warnings ? [i] : []))).toEqual(warned);
  });

  it('leaves no warnings key when there are none', async () => {
    const pages = await collect(pagesOf({ employees: people(3), errors: [], warnings: [] }, 2));
    expect(pages.every((p) => !('warnings' in p))).toBe(true);
  });

  it('lets go of each page once it is taken: the list it was cut from holds only what is still to come', async () => {
    const company = { employees: people(2500), errors: [], warnings: [] };
    const pages = pagesOf(company, 1000);
    const first = await pages.next();
    expect(first.value?.employees).toHaveLength(1000);
    expect(company.employees).toHaveLength(1500);
    expect(company.employees[0]!.remoteId).toBe('1001');
    await pages.next();
    await pages.next();
    expect(company.employees).toHaveLength(0);
  });
});
