import { performance } from 'node:perf_hooks';
import { resourceJson } from '../scim/http/resource-json.js';
import { userResourceType } from '../scim/schemas/resource-types.js';
import type { StoredResource } from '../scim/store-port.js';
import { fromText } from '../src/directory/users/rows.js';
import { managedUserBody } from './users.js';

/**
 * `npm run bench:answers`: the server's own work on a page of 100 users' answers, in one process,
 * without HTTP or a database: the documents as PostgreSQL prints them, rendered by resourceJson as
 * a page renders them. Three pages: users without a manager, with one (whose `$ref` the splice
 * adds in the text), and the same users with their text withheld, which forces the way of parsing
 * the document, building it with toScim and serialising it (what every user with a manager took
 * before). Prints the median time per page over rounds, and the ratios.
 */
const BASE = 'https://rollcall.example/scim/v2';
const ROUNDS = 15;
const PAGES_PER_ROUND = 200;

/** jsonb's text: keys shortest first, then bytewise; a space after each colon and comma. */
function pgText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pgText).join(', ')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const keys = Object.keys(value).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}: ${pgText((value as Record<string, unknown>)[k])}`).join(', ')}}`;
}

const id = (i: number) => `0193a0b0-0000-7000-8000-${String(i).padStart(12, '0')}`;
function page(withManagers: boolean): StoredResource[] {
  return Array.from({ length: 100 }, (_, i) => {
    const manager = withManagers ? id(Math.floor(i / 8)) : undefined;
    const docText = pgText(managedUserBody(i, manager));
    return fromText({ id: id(i + 1000), doc_text: docText, manager_value: manager ?? null, version: 3, created_at: new Date(), updated_at: new Date() });
  });
}

/** The same users read without their text: the answer parses nothing it need not, so parse first as the old way did. */
const parsedOnly = (stored: StoredResource[]) => stored.map((s) => ({ id: s.id, doc: JSON.parse(s.docText!), version: s.version, created: s.created, lastModified: s.lastModified }));

function timePage(render: () => string[]): number {
  const start = performance.now();
  let bytes = 0;
  for (let n = 0; n < PAGES_PER_ROUND; n++) bytes += render().join(',').length;
  if (bytes === 0) throw new Error('rendered nothing');
  return (performance.now() - start) / PAGES_PER_ROUND;
}

const plain = page(false);
const managed = page(true);
const cases: [string, () => string[]][] = [
  ['no manager, spliced', () => plain.map((s) => resourceJson(userResourceType, s, BASE, {}))],
  ['manager, spliced with its $ref', () => managed.map((s) => resourceJson(userResourceType, s, BASE, {}))],
  // The old way read the row's JSON into objects (postgres.js parses jsonb), so its parse is counted.
  ['manager, parsed and serialised', () => parsedOnly(managed).map((s) => resourceJson(userResourceType, s, BASE, {}))],
];
const medians = new Map<string, number[]>();
for (let round = -2; round < ROUNDS; round++) {
  for (const [name, render] of cases) {
    const ms = timePage(render);
    if (round >= 0) (medians.get(name) ?? medians.set(name, []).get(name)!).push(ms);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const old = median(medians.get('manager, parsed and serialised')!);
process.stdout.write(`a page of 100 users' answers, median of ${ROUNDS} rounds of ${PAGES_PER_ROUND} pages\n`);
for (const [name] of cases) {
  const ms = median(medians.get(name)!);
  process.stdout.write(`${name.padEnd(34)} ${ms.toFixed(3)} ms  ×${(ms / old).toFixed(2)} of parsed and serialised\n`);
}
