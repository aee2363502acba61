import { createRemote, type RemoteOptions } from '../../../connectors/remote/connector.js';
import type { VirtualClock } from '../personio/clock.js';
import { defaultApiToken, type FakeRemote } from './server.js';

export const today = new Date('2026-03-02T12:00:00Z');

/** A connector pointed at a fake, on the fake's virtual clock, with short timeouts for hung requests. */
export function remoteFor(fake: FakeRemote, clock: VirtualClock, extra: Partial<RemoteOptions> = {}) {
  return createRemote({
    baseUrl: fake.url,
    credentials: { apiToken: defaultApiToken },
    now: () => today,
    ...extra,
    http: { now: clock.now, sleep: clock.sleep, random: () => 0.5, timeoutMs: 2_000, ...extra.http },
  });
}

export { collect } from '../personio/harness.js';
export { createVirtualClock, maxInWindow } from '../personio/clock.js';
