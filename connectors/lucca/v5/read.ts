import type { EmployeePage, RecordError, ValidationResult } from '../../contract.js';
import type { HttpClient } from '../../http/client.js';
import { isHttpError } from '../../http/errors.js';
import { parseWith } from '../../http/json.js';
import { resolveManagers, type Unresolved } from '../../managers.js';
import { luccaFailure } from '../errors.js';
import { compactEmployment, compactJobPosition, compactPersonalRecord, mapV5Employee, type EmploymentInfo, type JobInfo, type PersonalInfo } from './map.js';
import { v5ListSchema, type V5List } from './schema.js';

export interface V5ReadOptions {
  http: HttpClient;
  today: string;
  /** Items per page: 100 at most (the migration guide's 1000 is not what the reference says). */
  limit: number;
  readPersonalRecords: boolean;
  signal?: AbortSignal | undefined;
}

const paths = {
  employees: '/lucca-api/employees',
  employments: '/lucca-api/employments',
  jobPositions: '/lucca-api/job-positions',
  personalRecords: '/lucca-api/employee-personal-records',
};

/** Former (`deactivated`) and future (`upcoming`) employees are only listed when asked for. */
const allStatuses = 'active,upcoming,deactivated';

/**
 * Every page of a collection, following the cursor in `links.next.href` until it is null. Only
 * the `page` token is taken from the link: the request itself stays on our own base URL, so a
 * link can never send the credentials to another host.
 */
export async function* v5Pages(http: HttpClient, path: string, query: Record<string, string | number>, signal?: AbortSignal): AsyncGenerator<V5List> {
  let page: string | undefined;
  for (;;) {
    const json = await http.requestJson({ path, query: { ...query, ...(page ? { page } : {}) }, ...(signal ? { signal } : {}) });
    const list = parseWith(v5ListSchema, json, `Lucca ${path} page`);
    yield list;
    const next = list.links?.next?.href;
    if (!next) return;
    const token = new URL(next, 'http://lucca.invalid').searchParams.get('page');
    if (!token || token === page) return;
    page = token;
  }
}

/**
 * Everyone, former and future employees included. Employments (start and end dates) and job
 * positions (manager, department, establishment, title) are separate collections: they are read
 * first and kept compactly, then each page of employees is joined with them and yielded. v5 has
 * no changed-since filter, so every run is a full snapshot.
 */
export async function* listV5(opts: V5ReadOptions): AsyncGenerator<EmployeePage> {
  // The three collections do not depend on each other: they are read side by side (each request
  // still takes its turn in the credential's budget), and the first to fail stops the others.
  const together = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, together.signal]) : together.signal;
  const side = { ...opts, signal };
  const failFast = <T>(load: Promise<T>) =>
    load.catch((err: unknown) => {
      together.abort();
      throw err;
    });
  const jobWarnings: string[] = [];
  const personalWarnings: string[] = [];
  const [employments, jobs, personal] = await Promise.all([
    failFast(loadEmployments(side)),
    failFast(optional(loadJobs(side), jobWarnings, 'job positions (manager, department, establishment, job title)')),
    opts.readPersonalRecords ? failFast(optional(loadPersonal(side), personalWarnings, 'personal records (personal email, bank details)')) : undefined,
  ]);
  const warnings = [...jobWarnings, ...personalWarnings];
  const ctx = {
    today: opts.today,
    employment: (id: string | null, employeeId: string) => (id ? employments.byId.get(id) : undefined) ?? employments.latestByEmployee.get(employeeId) ?? null,
    job: (id: string | null, employeeId: string, employmentId: string | null) =>
      (id ? jobs?.byId.get(id) : undefined) ?? (employmentId ? jobs?.latestByEmployment.get(employmentId) : undefined) ?? jobs?.latestByEmployee.get(employeeId) ?? null,
    personal: (employeeId: string) => personal?.get(employeeId) ?? null,
  };
  const seen = new Set<string>();
  let first = true;
  for await (const page of v5Pages(opts.http, paths.employees, { limit: opts.limit, include: 'links', status: allStatuses }, opts.signal)) {
    const mapped: Unresolved[] = [];
    const errors: RecordError[] = [];
    for (const raw of page.items) {
      const result = mapV5Employee(raw, ctx);
      if (!('employee' in result)) errors.push(result);
      else if (seen.has(result.employee.remoteId)) errors.push({ remoteId: result.employee.remoteId, code: 'duplicate_record', reason: 'employee appears twice in the list', dropped: true });
      else {
        seen.add(result.employee.remoteId);
        mapped.push(result);
      }
    }
    // Job positions name the manager by employee id, trusted as is; this only catches self-management.
    const resolved = resolveManagers(mapped);
    yield { employees: resolved.employees, errors: [...errors, ...resolved.errors], complete: true, ...(first && warnings.length ? { warnings } : {}) };
    first = false;
  }
}

/** A token, one employee, and one employment: without employments leavers cannot be told from employees. */
export async function validateV5(opts: Omit<V5ReadOptions, 'today'>): Promise<ValidationResult> {
  const sig = opts.signal ? { signal: opts.signal } : {};
  const one = (path: string, query: Record<string, string | number> = {}) =>
    opts.http.requestJson({ path, query: { limit: 1, ...query }, ...sig }).then((json) => parseWith(v5ListSchema, json, `Lucca ${path}`));
  let employees: V5List;
  try {
    employees = await one(paths.employees, { status: allStatuses });
  } catch (err) {
    return luccaFailure.from(err, 'client app');
  }
  try {
    await one(paths.employments);
  } catch (err) {
    if (isHttpError(err) && err.kind === 'permission') return luccaFailure.vital(['employments'], 'client app');
    return luccaFailure.from(err, 'client app');
  }
  const warnings: string[] = [];
  if (employees.items.length === 0) warnings.push('Lucca returned no employees for this client app: check the business establishments it may see.');
  const extras: Array<[string, string]> = [[paths.jobPositions, 'job positions (manager, department, establishment, job title)']];
  if (opts.readPersonalRecords) extras.push([paths.personalRecords, 'personal records (personal email, bank details)']);
  for (const [path, what] of extras) {
    try {
      await one(path);
    } catch (err) {
      if (!isHttpError(err) || err.kind !== 'permission') return luccaFailure.from(err, 'client app');
      warnings.push(hiddenCollection(what));
    }
  }
  return { ok: true, warnings };
}

async function loadEmployments(opts: V5ReadOptions) {
  const byId = new Map<string, EmploymentInfo>();
  const latestByEmployee = new Map<string, EmploymentInfo>();
  for await (const page of v5Pages(opts.http, paths.employments, { limit: opts.limit, include: 'links' }, opts.signal)) {
    for (const raw of page.items) {
      const e = compactEmployment(raw);
      if (!e) continue;
      byId.set(e.id, e);
      // No overlaps: the latest start is the current, next or last employment.
      if (e.employeeId && isLater(e.start, latestByEmployee.get(e.employeeId)?.start)) latestByEmployee.set(e.employeeId, e);
    }
  }
  return { byId, latestByEmployee };
}

async function loadJobs(opts: V5ReadOptions) {
  const byId = new Map<string, JobInfo>();
  const latestByEmployment = new Map<string, JobInfo>();
  const latestByEmployee = new Map<string, JobInfo>();
  for await (const page of v5Pages(opts.http, paths.jobPositions, { limit: opts.limit, include: 'links,embedded' }, opts.signal)) {
    for (const raw of page.items) {
      const j = compactJobPosition(raw, page.embedded);
      if (!j) continue;
      byId.set(j.id, j);
      if (j.employmentId && isLater(j.startsOn, latestByEmployment.get(j.employmentId)?.startsOn)) latestByEmployment.set(j.employmentId, j);
      if (j.employeeId && isLater(j.startsOn, latestByEmployee.get(j.employeeId)?.startsOn)) latestByEmployee.set(j.employeeId, j);
    }
  }
  return { byId, latestByEmployment, latestByEmployee };
}

async function loadPersonal(opts: V5ReadOptions) {
  const byEmployee = new Map<string, PersonalInfo>();
  for await (const page of v5Pages(opts.http, paths.personalRecords, { limit: opts.limit, include: 'links' }, opts.signal)) {
    for (const raw of page.items) {
      const record = compactPersonalRecord(raw);
      if (record) byEmployee.set(record.employeeId, record.info);
    }
  }
  return byEmployee;
}

/** A collection the client app has no scope for (403) leaves its fields empty, with a warning; any other failure fails the run. */
async function optional<T>(load: Promise<T>, warnings: string[], what: string): Promise<T | undefined> {
  try {
    return await load;
  } catch (err) {
    if (!isHttpError(err) || err.kind !== 'permission') throw err;
    warnings.push(hiddenCollection(what));
    return undefined;
  }
}

const hiddenCollection = (what: string) => `Lucca refused to list ${what}: the client app lacks the scope, so these fields stay empty.`;

const isLater = (a: string | null, b: string | null | undefined) => b === undefined || (a ?? '') >= (b ?? '');
