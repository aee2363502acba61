import { createFactorial, type FactorialOptions } from '../../../connectors/factorial/connector.js';
import type { FactorialSettingsInput } from '../../../connectors/factorial/schema.js';
import type { VirtualClock } from '../personio/clock.js';
import { defaultApiKey, type FakeFactorial } from './server.js';

export const today = new Date('2026-03-02T12:00:00Z');

/** A connector pointed at a fake, on the fake's virtual clock, with short timeouts for hung requests. */
export function factorialFor(fake: FakeFactorial, clock: VirtualClock, settings: FactorialSettingsInput = {}, extra: Partial<FactorialOptions> = {}) {
  return createFactorial({
    baseUrl: fake.url,
    credentials: { apiKey: defaultApiKey },
    settings,
    now: () => today,
    ...extra,
    http: { now: clock.now, sleep: clock.sleep, random: () => 0.5, timeoutMs: 2_000, ...extra.http },
  });
}

export { collect } from '../personio/harness.js';
export { createVirtualClock, maxInWindow } from '../personio/clock.js';
