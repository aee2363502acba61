import { createWorkday, type WorkdayOptions } from '../../../connectors/workday/connector.js';
import type { WorkdaySettingsInput } from '../../../connectors/workday/schema.js';
import type { VirtualClock } from '../personio/clock.js';
import { defaultUser, reportPath, type FakeWorkday } from './server.js';

/** A SOAP connector pointed at a fake, on the fake's virtual clock, with short timeouts for hung requests. */
export function workdayFor(fake: FakeWorkday, clock: VirtualClock, extra: Partial<WorkdayOptions> = {}) {
  return createWorkday({
    baseUrl: fake.url,
    credentials: defaultUser,
    now: () => new Date(`${fake.company.today}T12:00:00Z`),
    ...extra,
    http: { now: clock.now, sleep: clock.sleep, random: () => 0.5, timeoutMs: 2_000, ...extra.http },
  });
}

/** The settings of a RaaS connection to the fake's report. */
export const raasSettings = (fake: FakeWorkday, extra: WorkdaySettingsInput = {}): WorkdaySettingsInput => ({ api: 'raas', report: reportPath(fake.company.tenant), ...extra });

export { collect } from '../personio/harness.js';
export { createVirtualClock, maxInWindow } from '../personio/clock.js';
