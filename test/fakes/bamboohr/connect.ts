import { bambooHrBaseUrl, createBambooHr, type BambooHrConnector, type BambooHrHttpTuning } from '../../../connectors/bamboohr/connector.js';
import type { EmployeePage, NormalisedEmployee, RecordError } from '../../../connectors/contract.js';
import { defaultKey, type FakeBambooHr } from './server.js';

/**
 * A real connector pointed at the fake, with the fake's "today" and test-sized timeouts and
 * backoffs, so fault tests take milliseconds instead of the production defaults.
 */
export function connectTo(
  fake: FakeBambooHr,
  opts: { style?: 'subdomain' | 'gateway'; apiKey?: string; http?: BambooHrHttpTuning; pageSize?: number } = {},
): BambooHrConnector {
  const hostStyle = opts.style ?? 'subdomain';
  return createBambooHr({
    credentials: { companyDomain: fake.company.domain, apiKey: opts.apiKey ?? defaultKey, hostStyle },
    baseUrl: bambooHrBaseUrl({ companyDomain: fake.company.domain, hostStyle }, fake.url),
    now: () => new Date(`${fake.company.today}T12:00:00Z`),
    http: { timeoutMs: 2000, backoffBaseMs: 5, backoffCapMs: 50, maxRetries: 3, ...opts.http },
    ...(opts.pageSize ? { pageSize: opts.pageSize } : {}),
  });
}

export interface Run {
  employees: NormalisedEmployee[];
  errors: RecordError[];
  pages: EmployeePage[];
  byId: Map<string, NormalisedEmployee>;
}

export async function readAll(connector: BambooHrConnector, signal?: AbortSignal): Promise<Run> {
  const pages: EmployeePage[] = [];
  for await (const page of connector.employees(signal ? { signal } : {})) pages.push(page);
  const employees = pages.flatMap((p) => p.employees);
  return { employees, errors: pages.flatMap((p) => p.errors), pages, byId: new Map(employees.map((e) => [e.remoteId, e])) };
}
