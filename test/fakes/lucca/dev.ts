import type { FakeEntry } from '../shared/running-fake.js';
import { generateCompany } from './generate.js';
import { defaultApiKey, defaultApp, startFakeLucca } from './server.js';

/** The connector's own pacing: 45 requests a minute of the account's 50 (connectors/lucca/connector.ts). */
const pacedPerMinute = 45;

const luccaFake = (api: 'legacy' | 'v5'): FakeEntry => ({
  key: api === 'legacy' ? 'lucca' : 'lucca-v5',
  async start({ size, seed }) {
    const company = generateCompany({ seed, size });
    const fake = await startFakeLucca({ company });
    return {
      connection:
        api === 'legacy'
          ? { provider: 'lucca', baseUrl: fake.url, credentials: { account: 'acme', apiKey: defaultApiKey } }
          : {
              provider: 'lucca',
              baseUrl: fake.url,
              credentials: { account: 'acme', clientId: defaultApp.id, clientSecret: defaultApp.secret },
              settings: { tokenUrl: `${fake.url}/connect/token`, readPersonalRecords: true },
            },
      today: company.today,
      requests: () => fake.counts().total,
      pacedPerMinute,
      close: () => fake.close(),
    };
  },
});

export const luccaLegacyFake = luccaFake('legacy');
export const luccaV5Fake = luccaFake('v5');
