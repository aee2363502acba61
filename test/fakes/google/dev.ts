import { googleRequestsPerMinute } from '../../../connectors/google/connector.js';
import type { FakeEntry } from '../shared/running-fake.js';
import { generateCompany } from './generate.js';
import { startFakeGoogle } from './server.js';

export const googleFake: FakeEntry = {
  key: 'google',
  async start({ size, seed }) {
    const company = generateCompany({ seed, size });
    // No limiter: the bench lifts the connector's pacing to measure Rollcall, and reports the pace apart.
    const fake = await startFakeGoogle({ company, perUserPerMinute: false });
    return {
      connection: {
        provider: 'google',
        baseUrl: fake.url,
        credentials: { serviceAccountKey: fake.serviceAccount.key, adminEmail: fake.admin },
        settings: { dates: { schema: 'Employment', startField: 'startDate', terminationField: 'terminationDate' } },
      },
      today: company.today,
      requests: () => fake.counts().total,
      pacedPerMinute: googleRequestsPerMinute,
      close: () => fake.close(),
    };
  },
};
