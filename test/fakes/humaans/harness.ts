import { createHumaans, type HumaansOptions } from '../../../connectors/humaans/connector.js';
import type { VirtualClock } from '../personio/clock.js';
import { defaultToken, type FakeHumaans } from './server.js';

/** A connector pointed at a fake, on the fake's virtual clock, with short timeouts for hung requests. */
export function humaansFor(fake: FakeHumaans, clock: VirtualClock, extra: Partial<HumaansOptions> = {}) {
  return createHumaans({
    baseUrl: fake.url,
    credentials: { apiToken: defaultToken },
    now: () => new Date(`${fake.company.today}T12:00:00Z`),
    ...extra,
    http: { now: clock.now, sleep: clock.sleep, random: () => 0.5, timeoutMs: 2_000, ...extra.http },
  });
}

export { collect } from '../personio/harness.js';
export { createVirtualClock, maxInWindow } from '../personio/clock.js';
