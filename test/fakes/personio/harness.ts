import type { EmployeePage, NormalisedEmployee, RecordError } from '../../../connectors/contract.js';
import { createPersonio, type PersonioOptions } from '../../../connectors/personio/connector.js';
import type { PersonioSettingsInput } from '../../../connectors/personio/schema.js';
import { createVirtualClock, type VirtualClock } from './clock.js';
import { defaultClient, type FakePersonio } from './server.js';

export const today = new Date('2026-03-02T12:00:00Z');

/** A connector pointed at a fake, on the fake's virtual clock, with short timeouts for hung requests. */
export function personioFor(fake: FakePersonio, clock: VirtualClock, settings: PersonioSettingsInput = {}, extra: Partial<PersonioOptions> = {}) {
  return createPersonio({
    baseUrl: fake.url,
    credentials: { clientId: defaultClient.id, clientSecret: defaultClient.secret },
    settings,
    now: () => today,
    ...extra,
    http: { now: clock.now, sleep: clock.sleep, random: () => 0.5, timeoutMs: 2_000, ...extra.http },
  });
}

export interface Collected {
  employees: NormalisedEmployee[];
  errors: RecordError[];
  warnings: string[];
  pages: EmployeePage[];
  byId: Map<string, NormalisedEmployee>;
}

export async function collect(pages: AsyncIterable<EmployeePage>): Promise<Collected> {
  const out: Collected = { employees: [], errors: [], warnings: [], pages: [], byId: new Map() };
  for await (const page of pages) {
    out.pages.push(page);
    out.employees.push(...page.employees);
    out.errors.push(...page.errors);
    out.warnings.push(...(page.warnings ?? []));
  }
  for (const e of out.employees) out.byId.set(e.remoteId, e);
  return out;
}

export { createVirtualClock };
