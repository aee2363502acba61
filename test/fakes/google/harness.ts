import { createGoogle, type GoogleOptions } from '../../../connectors/google/connector.js';
import type { VirtualClock } from '../personio/clock.js';
import type { FakeGoogle } from './server.js';

/** The settings that read the fake account's HR dates from its custom schema. */
export const datesSettings = { dates: { schema: 'Employment', startField: 'startDate', terminationField: 'terminationDate' } };

/** A connector pointed at a fake, on the fake's virtual clock, with short timeouts for hung requests. */
export function googleFor(fake: FakeGoogle, clock: VirtualClock, extra: Partial<GoogleOptions> = {}) {
  return createGoogle({
    baseUrl: fake.url,
    credentials: { serviceAccountKey: fake.serviceAccount.key, adminEmail: fake.admin },
    settings: datesSettings,
    now: () => new Date(`${fake.company.today}T12:00:00Z`),
    ...extra,
    http: { now: clock.now, sleep: clock.sleep, random: () => 0.5, timeoutMs: 2_000, ...extra.http },
  });
}

export { collect } from '../personio/harness.js';
export { createVirtualClock, maxInWindow } from '../personio/clock.js';
