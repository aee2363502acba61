import { bambooHrBaseUrl } from '../connectors/bamboohr/connector.js';
import { generateCompany as generateBamboo } from '../test/fakes/bamboohr/generate.js';
import { defaultKey, startFakeBambooHr, type FakeBambooHr } from '../test/fakes/bamboohr/server.js';
import { generateCompany as generateHibob } from '../test/fakes/hibob/generate.js';
import { defaultServiceUser, startFakeHibob } from '../test/fakes/hibob/server.js';
import { generateCompany as generatePersonio } from '../test/fakes/personio/generate.js';
import { defaultClient, startFakePersonio } from '../test/fakes/personio/server.js';

export const syncProviders = ['bamboohr', 'personio-v1', 'personio-v2', 'hibob'] as const;
export type SyncProvider = (typeof syncProviders)[number];

/** A fake HR system serving a generated company, as the sync bench needs it. */
export interface BenchFake {
  /** What an admin posts to connect it. */
  connection: Record<string, unknown>;
  today: string;
  /** Requests the fake has answered so far. */
  requests(): number;
  /**
   * The connector's own pacing for this system (requests a minute on the data endpoints), which
   * the bench lifts so that it measures Rollcall rather than the wait; undefined when it has none
   * that a single run reaches.
   */
  pacedPerMinute?: number;
  /** The BambooHR fake itself, for benches that change its company between runs. */
  bamboo?: FakeBambooHr;
  close(): Promise<void>;
}

const total = (counts: { total: number }) => counts.total;

export async function startBenchFake(provider: SyncProvider, size: number): Promise<BenchFake> {
  switch (provider) {
    case 'bamboohr': {
      const company = generateBamboo({ seed: 50_000, size });
      const fake = await startFakeBambooHr({ company });
      return {
        connection: {
          provider: 'bamboohr',
          baseUrl: bambooHrBaseUrl({ companyDomain: company.domain, hostStyle: 'subdomain' }, fake.url),
          credentials: { companyDomain: company.domain, apiKey: defaultKey },
        },
        today: company.today,
        requests: () => total(fake.counts()),
        bamboo: fake,
        close: () => fake.close(),
      };
    }
    case 'personio-v1':
    case 'personio-v2': {
      const company = generatePersonio({ seed: 50_000, size });
      const fake = await startFakePersonio({ company });
      return {
        connection: {
          provider: 'personio',
          baseUrl: fake.url,
          credentials: { clientId: defaultClient.id, clientSecret: defaultClient.secret },
          settings: { apiVersion: provider === 'personio-v1' ? 'v1' : 'v2' },
        },
        today: company.today,
        requests: () => total(fake.counts()),
        pacedPerMinute: 280,
        close: () => fake.close(),
      };
    }
    case 'hibob': {
      const company = generateHibob({ seed: 50_000, size });
      const fake = await startFakeHibob({ company });
      return {
        connection: { provider: 'hibob', baseUrl: fake.url, credentials: { serviceUserId: defaultServiceUser.id, token: defaultServiceUser.token } },
        today: company.today,
        requests: () => total(fake.counts()),
        close: () => fake.close(),
      };
    }
  }
}
