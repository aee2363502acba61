import { afterEach, describe, expect, it } from 'vitest';
import { createGoogle } from '../../connectors/google/connector.js';
import { directoryReadScope } from '../../connectors/google/schema.js';
import { createCompany, type FakeGoogleUser } from '../fakes/google/company.js';
import { generateCompany } from '../fakes/google/generate.js';
import { collect, createVirtualClock, googleFor } from '../fakes/google/harness.js';
import { startFakeGoogle, type FakeGoogle, type FakeGoogleOptions } from '../fakes/google/server.js';
import { generateKeyPairSync } from 'node:crypto';

let fake: FakeGoogle | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Omit<FakeGoogleOptions, 'now'> = {}) {
  const clock = createVirtualClock();
  fake = await startFakeGoogle({ ...options, now: clock.now });
  return { clock, fake };
}

const user = (n: number, extra: Partial<FakeGoogleUser> = {}): FakeGoogleUser => ({
  id: `1${String(n).padStart(20, '0')}`, primaryEmail: `u${n}@acme.test`, givenName: `U${n}`, familyName: 'Test', suspended: false, archived: false,
  isAdmin: false, orgUnitPath: '/Staff/Sales', employeeId: `E-${n}`, managerId: null, title: 'Rep', department: 'Sales', costCenter: 'CC-1',
  building: 'PAR-1', floor: '2', homeEmail: '', creationTime: '2020-01-01T00:00:00.000Z', lastLoginTime: '1970-01-01T00:00:00.000Z',
  startDate: null, terminationDate: null, ...extra,
});

describe('Google Workspace: token exchange and delegation', () => {
  it('validates with a signed JWT for the admin and the read-only scope, and one users.list call', async () => {
    const { clock, fake } = await setup();
    const connector = googleFor(fake, clock);
    expect(await connector.validate()).toEqual({ ok: true, warnings: [] });
    expect(fake.counts().byEndpoint).toEqual({ token: 1, users: 1 });
    const [issued] = [...fake.auth.tokens.values()];
    expect(issued).toMatchObject({ clientEmail: fake.serviceAccount.key.client_email, sub: fake.admin, scopes: new Set([directoryReadScope]) });
  });

  it('delegation not granted: 401 unauthorized_client from the token endpoint is missing_permission, naming the scope', async () => {
    const { clock, fake } = await setup();
    fake.serviceAccount.delegated.clear();
    const result = await googleFor(fake, clock).validate();
    expect(result).toMatchObject({ ok: false, kind: 'missing_permission', retryable: false });
    expect(result.ok === false && result.message).toContain('Domain-wide delegation');
    expect(result.ok === false && result.message).toContain(directoryReadScope);
    expect(fake.counts().byEndpoint).toEqual({ token: 1 });
    // A run fails the same way, without reaching the API.
    await expect(collect(googleFor(fake, clock).employees())).rejects.toMatchObject({ kind: 'permission' });
    expect(fake.counts().byEndpoint.users).toBeUndefined();
  });

  it('delegation of another scope only is still unauthorized_client', async () => {
    const { clock, fake } = await setup();
    fake.serviceAccount.delegated = new Set(['https://www.googleapis.com/auth/admin.directory.group.readonly']);
    expect(await googleFor(fake, clock).validate()).toMatchObject({ ok: false, kind: 'missing_permission' });
  });

  it.each<[string, (f: FakeGoogle) => Record<string, unknown>, RegExp]>([
    ['an admin email that is not a user of the account', (f) => ({ serviceAccountKey: f.serviceAccount.key, adminEmail: 'nobody@acme.test' }), /Invalid email or User ID/],
    ['a key deleted in the Cloud console', (f) => { f.serviceAccount.revoked = true; return { serviceAccountKey: f.serviceAccount.key, adminEmail: f.admin }; }, /Invalid JWT Signature/],
    ['a key of another service account, signed with a private key Google does not know', (f) => ({
      serviceAccountKey: { ...f.serviceAccount.key, private_key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
      adminEmail: f.admin,
    }), /Invalid JWT Signature/],
    ['an unknown service account', (f) => ({ serviceAccountKey: { ...f.serviceAccount.key, client_email: 'ghost@x.iam.gserviceaccount.com' }, adminEmail: f.admin }), /account not found/],
  ])('%s: 400 invalid_grant is invalid_credentials with Google\'s reason', async (_case, credentials, reason) => {
    const { clock, fake } = await setup();
    const result = await googleFor(fake, clock, { credentials: credentials(fake) as never }).validate();
    expect(result).toMatchObject({ ok: false, kind: 'invalid_credentials', retryable: false });
    expect(result.ok === false && result.message).toMatch(reason);
    expect(result.ok === false && result.message).not.toContain('PRIVATE KEY');
  });

  it('an assertion from a clock an hour off is refused as stale (invalid_grant)', async () => {
    const { clock, fake } = await setup();
    const skewed = { ...clock, now: () => clock.now() - 2 * 3600_000 };
    const result = await googleFor(fake, clock, { http: { now: skewed.now, sleep: clock.sleep } }).validate();
    expect(result).toMatchObject({ ok: false, kind: 'invalid_credentials' });
    expect(result.ok === false && result.message).toContain('short-lived token');
  });

  it('a private key that is not PEM never reaches Google and is never echoed', async () => {
    const { clock, fake } = await setup();
    const bad = { ...fake.serviceAccount.key, private_key: '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ1dC1ub3Qta2V5\n-----END PRIVATE KEY-----\n' };
    const result = await googleFor(fake, clock, { credentials: { serviceAccountKey: bad, adminEmail: fake.admin } }).validate();
    expect(result).toMatchObject({ ok: false, kind: 'invalid_credentials' });
    expect(JSON.stringify(result)).not.toContain('c2VjcmV0');
    expect(fake.counts().total).toBe(0);
  });

  it('a user without admin rights gets a token but 403 forbidden: missing_permission about the admin, not the key', async () => {
    const { clock, fake } = await setup();
    const plain = fake.company.list().find((u) => !u.isAdmin && !u.suspended)!.primaryEmail;
    const result = await googleFor(fake, clock, { credentials: { serviceAccountKey: fake.serviceAccount.key, adminEmail: plain } }).validate();
    expect(result).toMatchObject({ ok: false, kind: 'missing_permission' });
    expect(result.ok === false && result.message).toContain('Users › Read');
    expect(fake.counts().byStatus).toMatchObject({ '200': 1, '403': 1 });
  });

  it('an unknown customer id is invalid_credentials; a pasted key file as text is accepted', async () => {
    const { clock, fake } = await setup();
    const credentials = { serviceAccountKey: JSON.stringify(fake.serviceAccount.key), adminEmail: fake.admin.toUpperCase() };
    expect(await googleFor(fake, clock, { credentials }).validate()).toMatchObject({ ok: true });
    expect(await googleFor(fake, clock, { credentials, settings: { customer: 'C0nobody' } }).validate()).toMatchObject({ ok: false, kind: 'invalid_credentials' });
  });

  it('a token refused in the middle of a read (401 authError) is renewed and the read goes on', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 5, size: 450 }) });
    const connector = googleFor(fake, clock, { settings: { pageSize: 100 } });
    const authError = JSON.stringify({ error: { code: 401, message: 'Request had invalid authentication credentials.', errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError' }], status: 'UNAUTHENTICATED' } });
    fake.faults.at(3, { type: 'status', status: 401, headers: { 'Content-Type': 'application/json' }, body: authError }, 'users');
    expect((await collect(connector.employees())).byId.size).toBe(451);
    expect(connector.stats.tokensIssued).toBe(2);
    expect(fake.counts().byEndpoint).toEqual({ token: 2, users: 6 });
  });

  it('a token past its expires_in is renewed before use, without a 401', async () => {
    const { clock, fake } = await setup({ tokenLifetimeS: 600 });
    const connector = googleFor(fake, clock);
    await collect(connector.employees());
    clock.advance(601_000);
    await collect(connector.employees());
    expect(connector.stats.tokensIssued).toBe(2);
    expect(fake.counts().byStatus['401']).toBeUndefined();
  });

  it('a token refused by the API (401 authError) is renewed once and the request retried', async () => {
    const { clock, fake } = await setup();
    const connector = googleFor(fake, clock);
    await connector.validate();
    fake.auth.expireTokens();
    expect((await collect(connector.employees())).employees.length).toBe(fake.company.list().length);
    expect(fake.counts().byStatus['401']).toBe(1);
    expect(connector.stats.tokensIssued).toBe(2);
  });
});

describe('Google Workspace: reading the directory', () => {
  it('pages by pageToken until a page has none, with maxResults as set, and maps everything', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 11, size: 1200 }) });
    const result = await collect(googleFor(fake, clock).employees());
    expect(result.byId.size).toBe(1201);
    expect(fake.pageSizes).toEqual(['500', '500', '500']);
    const users = fake.company.list();
    for (const u of users) {
      const e = result.byId.get(u.id)!;
      expect(e.workEmail).toBe(u.primaryEmail);
      expect(e.status === 'inactive').toBe(!fake.company.employed(u));
      if (u.managerId && !u.externalManagerEmail) expect(e.managerRemoteId, u.id).toBe(u.managerId);
    }
    // Managers outside the domain are record errors that keep the person.
    const outside = users.filter((u) => u.externalManagerEmail);
    expect(outside.length).toBeGreaterThan(0);
    for (const u of outside) expect(result.errors).toContainEqual(expect.objectContaining({ remoteId: u.id, code: 'unresolved_manager', dropped: false }));
    expect(result.warnings).toEqual([]);
  });

  it('the search query and a secondary domain are passed as Google expects', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 2, size: 300 }) });
    const staff = await collect(googleFor(fake, clock, { settings: { query: "orgUnitPath='/Staff'" } }).employees());
    expect(staff.byId.size).toBe(300);
    expect([...staff.byId.values()].every((e) => e.team?.remoteId?.startsWith('/Staff/'))).toBe(true);
    await expect(collect(googleFor(fake, clock, { settings: { domain: 'other.test' } }).employees())).rejects.toMatchObject({ kind: 'permission' });
  });

  it.each([
    ['emails[type=home] and desk locations', { personalEmail: 'emails', location: 'desk' }],
    ['recoveryEmail and organizations[].location', { personalEmail: 'recoveryEmail', location: 'organization' }],
  ] as const)('either variant of personal email and location: %s', async (_case, render) => {
    const company = createCompany([user(1, { homeEmail: 'me@home.test', isAdmin: true }), user(2, { managerId: user(1).id })]);
    const { clock, fake } = await setup({ company, render });
    const { byId } = await collect(googleFor(fake, clock).employees());
    expect(byId.get(user(1).id)).toMatchObject({ personalEmail: 'me@home.test', workLocation: { name: 'PAR-1' } });
    expect(byId.get(user(2).id)).toMatchObject({ personalEmail: null, managerRemoteId: user(1).id, workLocation: { name: 'PAR-1' } });
  });

  it('an empty page has no users key; a run then says nobody, without error', async () => {
    const { clock, fake } = await setup({ company: createCompany([user(1, { isAdmin: true, orgUnitPath: '/IT' })]) });
    const result = await collect(googleFor(fake, clock, { settings: { query: "orgUnitPath='/Staff'" } }).employees());
    expect(result.employees).toEqual([]);
    expect(result.pages).toHaveLength(1);
  });

  it('one malformed user is a record error, the rest of the page is read', async () => {
    const { clock, fake } = await setup();
    fake.faults.next(1, {
      type: 'status', status: 200, headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'admin#directory#users', users: [{ primaryEmail: 'noid@acme.test' }, { id: '42', primaryEmail: 'ok@acme.test', suspended: 'yes' }, { id: '43', primaryEmail: 'fine@acme.test' }] }),
    }, 'users');
    const result = await collect(googleFor(fake, clock).employees());
    expect(result.employees.map((e) => e.remoteId)).toEqual(['43']);
    expect(result.errors).toHaveLength(2);
  });

  it('the connector is built from the registry with Google hosts by default', () => {
    const connector = createGoogle({ credentials: { serviceAccountKey: { client_email: 'a@b.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' }, adminEmail: 'admin@acme.test' } });
    expect(connector).toMatchObject({ name: 'google', incremental: false });
  });
});
