import { createPayfit, type PayfitOptions } from '../../../connectors/payfit/connector.js';
import type { VirtualClock } from '../personio/clock.js';
import { defaultKey } from './auth.js';
import type { FakePayfit } from './server.js';

export const today = new Date('2026-03-02T12:00:00Z');

/** A connector pointed at a fake, on the fake's virtual clock, with short timeouts for hung requests. */
export function payfitFor(fake: FakePayfit, clock: VirtualClock, extra: Partial<PayfitOptions> = {}) {
  return createPayfit({
    baseUrl: fake.url,
    credentials: { apiKey: defaultKey },
    now: () => today,
    ...extra,
    http: { now: clock.now, sleep: clock.sleep, random: () => 0.5, timeoutMs: 2_000, ...extra.http },
  });
}

export { collect } from '../personio/harness.js';
export { createVirtualClock, maxInWindow } from '../personio/clock.js';
