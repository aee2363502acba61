import { humaansRequestsPerMinute } from '../../../connectors/humaans/connector.js';
import type { FakeEntry } from '../shared/running-fake.js';
import { generateCompany } from './generate.js';
import { defaultToken, startFakeHumaans } from './server.js';

export const humaansFake: FakeEntry = {
  key: 'humaans',
  async start({ size, seed }) {
    const company = generateCompany({ seed, size });
    // No limiter: the bench lifts the connector's pacing to measure Rollcall, and reports the pace apart.
    const fake = await startFakeHumaans({ company, perMinute: false });
    return {
      connection: { provider: 'humaans', baseUrl: fake.url, credentials: { apiToken: defaultToken } },
      today: company.today,
      requests: () => fake.counts().total,
      pacedPerMinute: humaansRequestsPerMinute,
      close: () => fake.close(),
    };
  },
};
