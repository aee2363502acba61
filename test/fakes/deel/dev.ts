import { deelRequestsPerMinute } from '../../../connectors/deel/connector.js';
import type { FakeEntry } from '../shared/running-fake.js';
import { generateCompany } from './generate.js';
import { defaultToken, startFakeDeel } from './server.js';

export const deelFake: FakeEntry = {
  key: 'deel',
  async start({ size, seed }) {
    const company = generateCompany({ seed, size });
    const fake = await startFakeDeel({ company });
    return {
      connection: { provider: 'deel', baseUrl: fake.url, credentials: { apiToken: defaultToken } },
      today: company.today,
      requests: () => fake.counts().total,
      pacedPerMinute: deelRequestsPerMinute,
      close: () => fake.close(),
    };
  },
};
