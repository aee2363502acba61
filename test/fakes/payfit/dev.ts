import { payfitRequestsPerMinute } from '../../../connectors/payfit/connector.js';
import type { FakeEntry } from '../shared/running-fake.js';
import { defaultKey } from './auth.js';
import { generateCompany } from './generate.js';
import { startFakePayfit } from './server.js';

export const payfitFake: FakeEntry = {
  key: 'payfit',
  async start({ size, seed }) {
    const company = generateCompany({ seed, size });
    // No limiter: the bench lifts the connector's pacing to measure Rollcall, and reports the pace apart.
    const fake = await startFakePayfit({ company, perSecond: false });
    return {
      connection: { provider: 'payfit', baseUrl: fake.url, credentials: { apiKey: defaultKey } },
      today: company.today,
      requests: () => fake.counts().total,
      pacedPerMinute: payfitRequestsPerMinute,
      close: () => fake.close(),
    };
  },
};
