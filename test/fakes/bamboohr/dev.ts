import { bambooHrBaseUrl } from '../../../connectors/bamboohr/connector.js';
import type { FakeEntry, RunningFake } from '../shared/running-fake.js';
import { generateCompany } from './generate.js';
import { defaultKey, startFakeBambooHr, type FakeBambooHr } from './server.js';

export async function startBambooHrFake({ size, seed }: { size: number; seed: number }): Promise<RunningFake & { fake: FakeBambooHr }> {
  const company = generateCompany({ seed, size });
  const fake = await startFakeBambooHr({ company });
  return {
    connection: {
      provider: 'bamboohr',
      baseUrl: bambooHrBaseUrl({ companyDomain: company.domain, hostStyle: 'subdomain' }, fake.url),
      credentials: { companyDomain: company.domain, apiKey: defaultKey },
    },
    today: company.today,
    requests: () => fake.counts().total,
    fake,
    close: () => fake.close(),
  };
}

export const bambooHrFake: FakeEntry = { key: 'bamboohr', start: startBambooHrFake };
