import type { EmployeePage, NormalisedEmployee, RecordError } from './contract.js';

/** What a connector that reads the whole company before its first page has to hand on. */
export interface WholeCompany {
  /** Emptied as the pages are yielded. */
  employees: NormalisedEmployee[];
  errors: RecordError[];
  warnings: string[];
}

/**
 * The pages of a company read at once (one report, one search, or every page before managers
 * could be resolved), all full snapshots. Each page is cut off the front of `employees`, so once
 * the run has taken a page its employees, and the raw HR records they carry, can be collected
 * while later pages are still in use; slicing a list kept whole held every raw record until the
 * run's last page. Errors go with the first page; warnings with the first or the last, as the
 * connector reports them. There is always at least one page, so an empty company still says
 * `complete`.
 */
export async function* pagesOf(company: WholeCompany, size: number, warningsOn: 'first' | 'last' = 'first'): AsyncGenerator<EmployeePage> {
  const { employees, errors, warnings } = company;
  for (let first = true; first || employees.length > 0; first = false) {
    const page = employees.splice(0, size);
    const withWarnings = warnings.length > 0 && (warningsOn === 'first' ? first : employees.length === 0);
    yield { employees: page, errors: first ? errors : [], complete: true, ...(withWarnings ? { warnings } : {}) };
  }
}
