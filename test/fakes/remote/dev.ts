import { remoteCustomerPerMinute } from '../../../connectors/remote/connector.js';
import type { FakeEntry } from '../shared/running-fake.js';
import { generateCompany } from './generate.js';
import { defaultApiToken, startFakeRemote } from './server.js';

export const remoteFake: FakeEntry = {
  key: 'remote',
  async start({ size, seed }) {
    const company = generateCompany({ seed, size });
    // No limiter: the bench lifts the connector's pacing to measure Rollcall, and reports the pace apart.
    const fake = await startFakeRemote({ company, customerPerMinute: false });
    return {
      connection: { provider: 'remote', baseUrl: fake.url, credentials: { apiToken: defaultApiToken } },
      today: company.today,
      requests: () => fake.counts().total,
      pacedPerMinute: remoteCustomerPerMinute,
      close: () => fake.close(),
    };
  },
};
