import { createDeel, type DeelOptions } from '../../../connectors/deel/connector.js';
import type { VirtualClock } from '../personio/clock.js';
import { defaultToken, type FakeDeel } from './server.js';

export const today = new Date('2026-03-02T12:00:00Z');

/** A connector pointed at a fake, on the fake's virtual clock, with short timeouts for hung requests. */
export function deelFor(fake: FakeDeel, clock: VirtualClock, extra: Partial<DeelOptions> = {}) {
  return createDeel({
    baseUrl: fake.url,
    credentials: { apiToken: defaultToken },
    now: () => today,
    ...extra,
    http: { now: clock.now, sleep: clock.sleep, random: () => 0.5, timeoutMs: 2_000, ...extra.http },
  });
}

export { collect } from '../personio/harness.js';
export { createVirtualClock, maxInWindow } from '../personio/clock.js';
