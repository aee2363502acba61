import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCompany } from '../fakes/lucca/generate.js';
import { allScopes, defaultApiKey, defaultApp, startFakeLucca, type FakeLucca } from '../fakes/lucca/server.js';

/** The fake's documented behaviours, checked over HTTP without the connector. */
let fake: FakeLucca;
let now = Date.parse('2026-03-02T09:00:00Z');
beforeAll(async () => {
  fake = await startFakeLucca({ company: generateCompany({ seed: 3, size: 120 }), now: () => now, tokenTtlS: 1800 });
});
afterAll(async () => {
  await fake.close();
});

const legacy = (query: string, key = defaultApiKey) => fetch(`${fake.url}/api/v3/users?${query}`, { headers: { Authorization: `lucca application=${key}` } });
const itemsOf = async (res: Response) => ((await res.json()) as { data: { items: Array<Record<string, unknown>> } }).data.items;
async function token(scope = allScopes.join(' ')) {
  const res = await fetch(`${fake.url}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: defaultApp.id, client_secret: defaultApp.secret, scope }).toString(),
  });
  return (await res.json()) as { access_token: string; expires_in: number; token_type: string };
}
const v5 = (path: string, bearer: string, version = '2024-11-01') => fetch(`${fake.url}/lucca-api/${path}`, { headers: { Authorization: `Bearer ${bearer}`, 'Api-Version': version } });

describe('fake Lucca, legacy API', () => {
  it('without fields answers id, name and url only', async () => {
    const [first] = await itemsOf(await legacy('paging=0,1'));
    expect(Object.keys(first!).sort()).toEqual(['id', 'name', 'url']);
  });

  it('leaves former employees out unless formerEmployees=true; dtContractEnd=notequal,null includes people on notice', async () => {
    const c = fake.company;
    const ended = c.list().filter((p) => c.applicable(p).end !== null && c.applicable(p).end! < c.today).length;
    const withEnd = c.list().filter((p) => c.applicable(p).end !== null).length;
    expect(ended).toBeGreaterThan(0);
    expect(await itemsOf(await legacy('paging=0,1000&fields=id'))).toHaveLength(120 - ended);
    expect(await itemsOf(await legacy('paging=0,1000&fields=id&formerEmployees=true'))).toHaveLength(120);
    expect(await itemsOf(await legacy('paging=0,1000&fields=id&formerEmployees=true&dtContractEnd=notequal,null'))).toHaveLength(withEnd);
  });

  it('pages by offset with no total, refuses a limit over 1000, and answers 401 to a wrong key', async () => {
    expect(await itemsOf(await legacy('paging=100,50&fields=id&formerEmployees=true'))).toHaveLength(20);
    expect((await legacy('paging=0,1001&fields=id')).status).toBe(400);
    expect((await legacy('paging=0,1', 'nope')).status).toBe(401);
  });
});

describe('fake Lucca, v5', () => {
  it('issues 30-minute bearer tokens for form-encoded client credentials only', async () => {
    expect(await token()).toMatchObject({ token_type: 'Bearer', expires_in: 1800 });
    const json = await fetch(`${fake.url}/connect/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: defaultApp.id, client_secret: defaultApp.secret }) });
    expect(json.status).toBe(400);
  });

  it('needs Api-Version, pages with links only when asked, ends on links.next null, and lists deactivated people only by status', async () => {
    const { access_token } = await token();
    expect((await v5('employees', access_token, '')).status).toBe(400);
    const plain = (await (await v5('employees?limit=100', access_token)).json()) as Record<string, unknown>;
    expect(plain.links).toBeUndefined();
    let url: string | undefined = 'employees?limit=50&include=links,totalCount&status=active,upcoming,deactivated';
    let seen = 0;
    let total = 0;
    while (url) {
      const page = (await (await v5(url, access_token)).json()) as { items: unknown[]; totalCount: number; links: { next: { href: string } | null } };
      seen += page.items.length;
      total = page.totalCount;
      url = page.links.next ? page.links.next.href.replace(`${fake.url}/lucca-api/`, '') : undefined;
    }
    expect(seen).toBe(120);
    expect(total).toBe(120);
    const active = (await (await v5('employees?limit=100&include=totalCount', access_token)).json()) as { totalCount: number };
    expect(active.totalCount).toBeLessThan(120);
  });

  it('refuses a token after its expiry and a collection outside the granted scopes, as problem+json', async () => {
    const { access_token } = await token('employees.readonly');
    const forbidden = await v5('employments?limit=1', access_token);
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toContain('application/problem+json');
    now += 1801_000;
    expect((await v5('employees?limit=1', access_token)).status).toBe(401);
  });
});
