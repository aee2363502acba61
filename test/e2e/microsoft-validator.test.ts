import { join } from 'node:path';
import newman, { type NewmanItem, type NewmanRunSummary } from 'newman';
import { describe, expect, it } from 'vitest';
import { repoRoot, startServerProcess, type ServerProcess } from '../support/server-process.js';

/**
 * Microsoft's "SCIM Tests" Postman collection (validators/README.md), run with newman against a
 * freshly started server on an empty tenant: the collection asserts exact counts, so each run gets
 * its own process and store.
 */
const COLLECTION = join(repoRoot, '../shared/validators/microsoft/PostmanCollection.json');

const USER_FOLDERS = ['Endpoint tests', 'User tests', 'ComplexAttribute tests', 'User tests with garbage'];
// Every folder the README lists, in collection order; "Get Token" calls the reference server's own endpoint.
const ALL_FOLDERS = [
  'Endpoint tests',
  'User tests',
  'Group tests',
  'ComplexAttribute tests',
  'User tests with garbage',
  'Group tests with garbage',
  'Teardown garbage',
];

interface FolderTally {
  passed: number;
  failed: number;
  /** Test scripts that threw (e.g. `pm.response.json()` on a non-JSON body): their later assertions never ran. */
  scriptErrors: number;
}

interface ValidatorRun {
  summary: NewmanRunSummary;
  folders: Map<string, FolderTally>;
  /** `folder / request / assertion: message`, in run order. */
  failures: string[];
}

const folderOf = (item: NewmanItem | undefined): string => item?.parent?.()?.name ?? '(collection)';

function runCollection(server: ServerProcess, folder: string[]): Promise<ValidatorRun> {
  const folders = new Map<string, FolderTally>();
  const tally = (item: NewmanItem | undefined) => {
    const name = folderOf(item);
    if (!folders.has(name)) folders.set(name, { passed: 0, failed: 0, scriptErrors: 0 });
    return folders.get(name)!;
  };
  const failures: string[] = [];
  return new Promise((resolve, reject) => {
    const emitter = newman.run(
      {
        collection: COLLECTION,
        folder,
        envVar: [
          { key: 'Protocol', value: 'http' },
          { key: 'Server', value: '127.0.0.1' },
          { key: 'Port', value: `:${server.port}` },
          { key: 'Api', value: 'scim/v2' },
          { key: 'token', value: server.token },
        ],
        timeoutRequest: 15_000,
      },
      (error, summary) => (error ? reject(error) : resolve({ summary, folders, failures })),
    );
    emitter.on('assertion', (error: { message?: string } | null, o: { assertion: string; item?: NewmanItem }) => {
      const t = tally(o.item);
      if (!error) return void t.passed++;
      t.failed++;
      failures.push(`${folderOf(o.item)} / ${o.item?.name} / ${o.assertion}: ${error.message}`);
    });
    emitter.on('script', (error: { name?: string; message?: string } | null, o: { item?: NewmanItem; event?: { listen?: string } }) => {
      if (!error) return;
      tally(o.item).scriptErrors++;
      failures.push(`${folderOf(o.item)} / ${o.item?.name} / ${o.event?.listen ?? ''}-script threw ${error.name}: ${error.message}`);
    });
    emitter.on('request', (error: { message?: string } | null, o: { item?: NewmanItem }) => {
      if (!error) return;
      tally(o.item).scriptErrors++;
      failures.push(`${folderOf(o.item)} / ${o.item?.name} / request failed: ${error.message}`);
    });
  });
}

function report(label: string, run: ValidatorRun): void {
  const { assertions } = run.summary.run.stats;
  const lines = [`Microsoft SCIM validator, ${label}: ${assertions.total} assertions, ${assertions.total - assertions.failed} passed, ${assertions.failed} failed`];
  for (const [name, t] of run.folders) {
    lines.push(`  ${name}: ${t.passed}/${t.passed + t.failed} passed${t.scriptErrors ? `, ${t.scriptErrors} script/request errors` : ''}`);
  }
  for (const failure of run.failures) lines.push(`  FAIL ${failure}`);
  console.log(lines.join('\n'));
}

async function validate(label: string, folders: string[]): Promise<void> {
  const server = await startServerProcess();
  let run: ValidatorRun;
  try {
    run = await runCollection(server, folders);
  } finally {
    expect(await server.stop()).toBe(0);
  }
  report(label, run);
  expect(run.summary.run.stats.assertions.total).toBeGreaterThan(0);
  expect(run.failures, `${run.failures.length} failures:\n${run.failures.join('\n')}`).toEqual([]);
}

describe("Microsoft's SCIM validator collection", () => {
  it('passes the user folders', () => validate('user folders', USER_FOLDERS), 120_000);

  // Group folders are included so their state is visible; they pass only once groups are complete.
  it('passes every folder the README lists', () => validate('all folders', ALL_FOLDERS), 180_000);
});
