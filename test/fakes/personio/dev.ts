import type { FakeEntry } from '../shared/running-fake.js';
import { generateCompany } from './generate.js';
import { defaultClient, startFakePersonio } from './server.js';

const personioFake = (apiVersion: 'v1' | 'v2'): FakeEntry => ({
  key: `personio-${apiVersion}`,
  async start({ size, seed }) {
    const company = generateCompany({ seed, size });
    const fake = await startFakePersonio({ company });
    return {
      connection: {
        provider: 'personio',
        baseUrl: fake.url,
        credentials: { clientId: defaultClient.id, clientSecret: defaultClient.secret },
        settings: { apiVersion },
      },
      today: company.today,
      requests: () => fake.counts().total,
      pacedPerMinute: 280,
      close: () => fake.close(),
    };
  },
});

export const personioV1Fake = personioFake('v1');
export const personioV2Fake = personioFake('v2');
