import { factorialReadsPerMinute } from '../../../connectors/factorial/connector.js';
import type { FakeEntry } from '../shared/running-fake.js';
import { generateCompany } from './generate.js';
import { defaultApiKey, startFakeFactorial } from './server.js';

export const factorialFake: FakeEntry = {
  key: 'factorial',
  async start({ size, seed }) {
    const company = generateCompany({ seed, size });
    const fake = await startFakeFactorial({ company });
    return {
      connection: { provider: 'factorial', baseUrl: fake.url, credentials: { apiKey: defaultApiKey } },
      today: company.today,
      requests: () => fake.counts().total,
      pacedPerMinute: factorialReadsPerMinute,
      close: () => fake.close(),
    };
  },
};
