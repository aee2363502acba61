import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliStore, runCli, type CliStore } from '../support/cli-process.js';

/** `rollcall schema`, `authority` and `conflicts` as an operator runs them: real processes on a store. */
let store: CliStore;
let storeEnv: Record<string, string>;

beforeAll(async () => {
  store = await createCliStore('rollcall-cli-authority-');
  storeEnv = store.env;
}, 180_000);
afterAll(async () => {
  await store?.close();
});

const rollcall = (args: string[]) => runCli(args, storeEnv);
async function json(args: string[]) {
  const run = await rollcall([...args, '--json']);
  expect(run.code, `rollcall ${args.join(' ')}\n${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout);
}

describe('rollcall schema, authority, conflicts', { timeout: 180_000 }, () => {
  it('declares an attribute, refuses a reserved name, and lists them', async () => {
    await json(['tenant', 'create', 'acme']);
    expect(await json(['schema', 'add', 'costCode', '--tenant', 'acme', '--type', 'string', '--description', 'Finance'])).toMatchObject({
      name: 'costCode',
      path: 'urn:rollcall:params:scim:schemas:extension:tenant:2.0:User:costCode',
    });
    const refused = await rollcall(['schema', 'add', 'title', '--tenant', 'acme', '--type', 'string']);
    // Input the API refuses (400): exit code 2.
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already an attribute');
    expect((await json(['schema', 'list', '--tenant', 'acme'])).map((a: { name: string }) => a.name)).toEqual(['costCode']);
  });

  it('sets owners and policies, shows them, refuses a bad rule, resets', async () => {
    const set = await json(['authority', 'set', 'title=scim', 'name.givenName=open', 'costCode=manual', '--scim', 'reject', '--tenant', 'acme']);
    expect(set.policies.scim).toBe('reject');
    expect(set.rules).toContainEqual({ path: 'title', owner: 'scim' });
    expect(set.rules).toContainEqual({ path: 'urn:rollcall:params:scim:schemas:extension:tenant:2.0:User:costCode', owner: 'manual' });
    expect(set.rules.map((r: { path: string }) => r.path)).not.toContain('name.givenName');
    const bad = await rollcall(['authority', 'set', 'id=scim', '--tenant', 'acme']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('id is not written by any source');
    expect((await json(['authority', 'show', '--tenant', 'acme'])).default).toBe(false);
    expect((await json(['authority', 'reset', '--tenant', 'acme'])).default).toBe(true);
  });

  it('lists conflicts (none yet)', async () => {
    expect(await json(['conflicts', '--tenant', 'acme'])).toEqual({ items: [], nextBefore: null });
  });
});
