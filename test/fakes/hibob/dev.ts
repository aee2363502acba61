import type { FakeEntry } from '../shared/running-fake.js';
import { generateCompany } from './generate.js';
import { defaultServiceUser, startFakeHibob } from './server.js';

export const hibobFake: FakeEntry = {
  key: 'hibob',
  async start({ size, seed }) {
    const company = generateCompany({ seed, size });
    const fake = await startFakeHibob({ company });
    return {
      connection: { provider: 'hibob', baseUrl: fake.url, credentials: { serviceUserId: defaultServiceUser.id, token: defaultServiceUser.token } },
      today: company.today,
      requests: () => fake.counts().total,
      close: () => fake.close(),
    };
  },
};
