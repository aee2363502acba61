import { workdayRequestsPerMinute } from '../../../connectors/workday/connector.js';
import type { FakeEntry } from '../shared/running-fake.js';
import { generateCompany } from './generate.js';
import { defaultUser, reportPath, startFakeWorkday } from './server.js';

/** Get_Workers over SOAP: the way a large tenant connects. */
export const workdayFake: FakeEntry = {
  key: 'workday',
  async start({ size, seed }) {
    const company = generateCompany({ seed, size });
    const fake = await startFakeWorkday({ company, perMinute: false });
    return {
      connection: { provider: 'workday', baseUrl: fake.url, credentials: { ...defaultUser } },
      today: company.today,
      requests: () => fake.counts().total,
      pacedPerMinute: workdayRequestsPerMinute,
      close: () => fake.close(),
    };
  },
};

/** A RaaS custom report as JSON: the other way an admin may connect. */
export const workdayRaasFake: FakeEntry = {
  key: 'workday-raas',
  async start({ size, seed }) {
    const company = generateCompany({ seed, size });
    const fake = await startFakeWorkday({ company, perMinute: false });
    return {
      connection: { provider: 'workday', baseUrl: fake.url, credentials: { ...defaultUser }, settings: { api: 'raas', report: reportPath(company.tenant) } },
      today: company.today,
      requests: () => fake.counts().total,
      close: () => fake.close(),
    };
  },
};
