import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliStore, runCli, type CliRun, type CliStore } from '../support/cli-process.js';
import { startServerProcess } from '../support/server-process.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

let store: CliStore;
/** What the CLI and the server share: the store, and (on PostgreSQL) the secret key. */
let storeEnv: Record<string, string>;

beforeAll(async () => {
  store = await createCliStore('rollcall-cli-');
  storeEnv = store.env;
}, 180_000);
afterAll(async () => {
  await store?.close();
});

type Run = CliRun;

/** `node bin/rollcall.js …` as an operator would run it, with only the store variables set. */
const rollcall = (args: string[], extra: Record<string, string> = {}): Promise<Run> => runCli(args, storeEnv, extra);

async function succeed(args: string[]): Promise<string> {
  const run = await rollcall(args);
  expect(run.code, `rollcall ${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run.stdout;
}

const SECRET_LINE = /^rc_scim_[A-Za-z0-9_-]{40,}\n$/;
const state: { okta?: { id: string; secret: string }; rotated?: string; reader?: { id: string; secret: string }; operatorJwt?: string; adminJwt?: string } = {};

describe('rollcall CLI against a store, then the server on the same store', { timeout: 120_000 }, () => {
  it('creates a tenant and tokens; a secret is printed alone, once, on stdout', async () => {
    expect(JSON.parse(await succeed(['tenant', 'create', 'acme', '--name', 'Acme Corp', '--json']))).toMatchObject({ slug: 'acme', name: 'Acme Corp' });
    const run = await rollcall(['token', 'create', '--tenant', 'acme', '--name', 'okta']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(SECRET_LINE);
    expect(run.stderr).not.toContain('rc_scim_');
    const reader = JSON.parse(await succeed(['token', 'create', '--tenant', 'acme', '--name', 'app', '--scope', 'scim:read', '--expires-in', '90d', '--json']));
    expect(reader).toMatchObject({ secret: expect.stringMatching(/^rc_scim_/), tenant: 'acme', name: 'app' });
    expect(Date.parse(reader.expiresAt) - Date.now()).toBeGreaterThan(89 * 86_400_000);
    state.reader = { id: reader.id, secret: reader.secret };

    const listed = JSON.parse(await succeed(['token', 'list', '--tenant', 'acme', '--json'])) as Record<string, unknown>[];
    const okta = listed.find((t) => t.name === 'okta')!;
    expect(okta).toMatchObject({ state: 'active', scopes: ['scim:write'], prefix: run.stdout.trim().slice(0, 14) });
    expect(listed.find((t) => t.name === 'app')).toMatchObject({ state: 'active', scopes: ['scim:read'] });
    for (const t of listed) expect(Object.keys(t)).not.toContain('secret');
    state.okta = { id: String(okta.id), secret: run.stdout.trim() };
  });

  it('rotates (new secret alone on stdout) and revokes', async () => {
    const rotated = await succeed(['token', 'rotate', state.okta!.id, '--tenant', 'acme', '--overlap', '1h']);
    expect(rotated).toMatch(SECRET_LINE);
    state.rotated = rotated.trim();
    expect(state.rotated).not.toBe(state.okta!.secret);
    expect(await succeed(['token', 'revoke', state.reader!.id, '--tenant', 'acme'])).toBe(`revoked ${state.reader!.id}\n`);
    const listed = JSON.parse(await succeed(['token', 'list', '--tenant', 'acme', '--json'])) as { name: string; state: string; id: string }[];
    expect(listed.map((t) => `${t.name}:${t.state}`).sort()).toEqual(['app:revoked', 'okta:active', 'okta:active']);
    const all = await succeed(['token', 'list', '--tenant', 'acme']);
    for (const secret of [state.okta!.secret, state.rotated, state.reader!.secret]) expect(all).not.toContain(secret.slice(14));
  });

  it('prints admin tokens (JWTs) without touching the database', async () => {
    state.operatorJwt = (await succeed(['admin-token', '--ttl', '10m'])).trim();
    state.adminJwt = (await succeed(['admin-token', '--tenant', 'acme', '--subject', 'alice'])).trim();
    for (const jwt of [state.operatorJwt, state.adminJwt]) expect(jwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('a bad variable fails with exit 1 and one line naming it', async () => {
    const run = await rollcall(['tenant', 'list'], { PORT: 'abc' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('PORT');
    const unknown = await rollcall(['token', 'create', '--tenant', 'nope']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr.trim()).toMatch(/^rollcall: .*nope/);
  });

  it('the server on the same store accepts the CLI tokens and admin JWTs; the CLI cannot open an embedded store in use', async () => {
    const server = await startServerProcess({ env: storeEnv, expectToken: false });
    try {
      expect(server.output()).not.toContain('rc_scim_');
      const me = (jwt: string) => fetch(`${server.baseUrl}/admin/v1/me`, { headers: { authorization: `Bearer ${jwt}` } });
      const op = await me(state.operatorJwt!);
      expect(op.status).toBe(200);
      expect(await op.json()).toMatchObject({ role: 'operator', subject: 'cli', issuer: 'rollcall' });
      expect(await (await me(state.adminJwt!)).json()).toMatchObject({ role: 'admin', tenant: 'acme', subject: 'alice' });

      const scim = (secret: string, body?: object) =>
        fetch(`${server.scimUrl}/Users`, {
          method: body ? 'POST' : 'GET',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/scim+json' },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
      expect((await scim(state.rotated!, { schemas: [USER_SCHEMA], userName: 'cli@acme.test' })).status).toBe(201);
      expect((await scim(state.okta!.secret)).status).toBe(200);
      expect((await scim(state.reader!.secret)).status).toBe(401);

      if (!store.database) {
        const locked = await rollcall(['tenant', 'list']);
        expect(locked.code).toBe(1);
        expect(locked.stderr.trim().split('\n')).toHaveLength(1);
        expect(locked.stderr).toMatch(/in use by the rollcall server \(pid \d+\)/);
      } else {
        // A server database has no such lock: the CLI works beside a running server.
        expect(JSON.parse(await succeed(['users', '--tenant', 'acme', '--json'])).total).toBe(1);
      }
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('lists users and the audit log of everything the CLI did', async () => {
    const users = JSON.parse(await succeed(['users', '--tenant', 'acme', '--json']));
    expect(users).toMatchObject({ total: 1, items: [{ userName: 'cli@acme.test', source: 'scim', lifecycle: 'active' }] });
    const audit = await succeed(['audit', '--json']);
    const items = JSON.parse(audit).items as { action: string; actor: string; target: string }[];
    expect(items.map((e) => e.action).sort()).toEqual(['tenant.create', 'token.create', 'token.create', 'token.revoke', 'token.rotate']);
    for (const e of items) expect(e.actor).toMatch(/^operator:cli:/);
    expect(items.find((e) => e.action === 'token.rotate')!.target).toBe(state.okta!.id);
    for (const secret of [state.okta!.secret, state.rotated!, state.reader!.secret]) expect(audit).not.toContain(secret.slice(14));
    const creates = JSON.parse(await succeed(['audit', '--tenant', 'acme', '--action', 'token.create', '--json'])).items;
    expect(creates).toHaveLength(2);
  });
});
