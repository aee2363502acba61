import { bambooHrBaseUrl } from '../connectors/bamboohr/connector.js';
import { sealCredentials } from '../src/connections/connector-for.js';
import { openDatabase } from '../src/db/client.js';
import { uuidv7 } from '../src/db/ids.js';
import { connections, tenants } from '../src/db/schema.js';
import { generateCompany } from '../test/fakes/bamboohr/generate.js';
import { startFakeBambooHr, type FakeBambooHr } from '../test/fakes/bamboohr/server.js';

/**
 * The fleet bench's HR side and its tenants: one fake BambooHR server hosting every company (as
 * BambooHR hosts all accounts on one API, each under its own domain and key), and one tenant per
 * company with a BambooHR connection to it, connected and waiting for the bench to make it due.
 */
export interface FleetFake {
  fake: FakeBambooHr;
  domains: string[];
  keyOf(i: number): string;
}

const domainOf = (i: number) => `fleet${String(i).padStart(5, '0')}`;

export async function startFleetFake(companies: number, employees: number): Promise<FleetFake> {
  const all = Array.from({ length: companies }, (_, i) => generateCompany({ seed: 1_000 + i, size: employees, domain: domainOf(i) }));
  const keyOf = (i: number) => `fleet-key-${i}`;
  const fake = await startFakeBambooHr({
    company: all[0]!,
    moreCompanies: all.slice(1),
    keys: Object.fromEntries(all.map((_, i) => [keyOf(i), {}])),
  });
  return { fake, domains: all.map((c) => c.domain), keyOf };
}

/**
 * Tenants and connections written straight into the bench's database, as many admins would have
 * made them over the weeks (a credential check per connection would only measure the fake): each
 * connected, with auto onboarding, its credentials sealed with the servers' key, and not due.
 */
export async function createFleet(databaseUrl: string, secretKeyHex: string, fleet: FleetFake): Promise<string[]> {
  const database = await openDatabase({ databaseUrl, poolSize: 2 });
  const secretKey = Buffer.from(secretKeyHex, 'hex');
  const ids: string[] = [];
  try {
    const CHUNK = 500;
    for (let start = 0; start < fleet.domains.length; start += CHUNK) {
      const slice = fleet.domains.slice(start, start + CHUNK).map((domain, k) => ({ domain, i: start + k, tenantId: uuidv7(), connectionId: uuidv7() }));
      await database.db.insert(tenants).values(slice.map((c) => ({ id: c.tenantId, slug: `fleet-${c.domain}`, name: `Fleet ${c.domain}` })));
      await database.db.insert(connections).values(
        slice.map((c) => ({
          id: c.connectionId,
          tenantId: c.tenantId,
          provider: 'bamboohr',
          baseUrl: bambooHrBaseUrl({ companyDomain: c.domain, hostStyle: 'gateway' }, fleet.fake.url),
          credentials: sealCredentials(secretKey, { companyDomain: c.domain, apiKey: fleet.keyOf(c.i), hostStyle: 'gateway' }),
          onboarding: 'auto',
          status: 'connected',
        })),
      );
      ids.push(...slice.map((c) => c.connectionId));
    }
  } finally {
    await database.close();
  }
  return ids;
}
