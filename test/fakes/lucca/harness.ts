import { createLucca, type LuccaOptions } from '../../../connectors/lucca/connector.js';
import type { LuccaSettingsInput } from '../../../connectors/lucca/schema.js';
import type { VirtualClock } from '../personio/clock.js';
import { defaultApiKey, defaultApp, type FakeLucca } from './server.js';

export const today = new Date('2026-03-02T12:00:00Z');

/** Credentials for the fake's default key or client app. */
export function luccaCredentials(api: 'legacy' | 'v5') {
  return api === 'legacy' ? { account: 'acme', apiKey: defaultApiKey } : { account: 'acme', clientId: defaultApp.id, clientSecret: defaultApp.secret };
}

/** A connector pointed at a fake, on the fake's virtual clock, with short timeouts for hung requests. */
export function luccaFor(fake: FakeLucca, clock: VirtualClock, api: 'legacy' | 'v5', settings: LuccaSettingsInput = {}, extra: Partial<LuccaOptions> = {}) {
  return createLucca({
    baseUrl: fake.url,
    credentials: luccaCredentials(api),
    settings: api === 'v5' ? { tokenUrl: `${fake.url}/connect/token`, ...settings } : settings,
    now: () => today,
    ...extra,
    http: { now: clock.now, sleep: clock.sleep, random: () => 0.5, timeoutMs: 2_000, ...extra.http },
  });
}

export { collect } from '../personio/harness.js';
export { createVirtualClock, maxInWindow } from '../personio/clock.js';
