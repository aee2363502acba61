import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrap } from '../../scim/errors.js';
import { matchesResource } from '../../scim/filter/match.js';
import { parseFilter } from '../../scim/filter/parse.js';
import type { ResourceDoc } from '../../scim/resource/document.js';
import { resolvePath } from '../../scim/schemas/resolve.js';
import { groupResourceType, userResourceType } from '../../scim/schemas/resource-types.js';
import { URN } from '../../scim/schemas/urns.js';
import { rows } from '../../src/db/client.js';
import { groupMembers, groups, tenants, users } from '../../src/db/schema.js';
import { filterToSql, sortToSql } from '../../src/directory/filter-sql.js';
import { groupColumns, userColumns } from '../../src/directory/user-row.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const ENT = URN.enterpriseUser;
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User';
const ids: Record<string, string> = Object.fromEntries(['alice', 'bob', 'carol', 'dave', 'davex', 'emile', 'frank', 'grace', 'heidi', 'ivan', 'olga'].map((k) => [k, randomUUID()]));

type Fixture = { key: string; created: string; doc: Record<string, unknown> };
const work = (value: string, extra: Record<string, unknown> = {}) => ({ value, type: 'work', ...extra });

/** Varied on purpose: every filter below has users it must include and look-alikes it must exclude. */
const fixture: Fixture[] = [
  { key: 'alice', created: '2020-01-01T09:00:00.000Z', doc: {
    userName: 'alice@example.com', externalId: 'EXT-1', displayName: 'Alice Smith', title: 'Engineer', active: true,
    name: { givenName: 'Alice', familyName: 'Smith' },
    emails: [work('Alice@Example.com', { primary: true }), { value: 'alice.home@mail.org', type: 'home' }],
    phoneNumbers: [work('+1 555 0100')],
    addresses: [{ type: 'work', streetAddress: '1 Main St', locality: 'Springfield', country: 'US', primary: true }],
    [ENT]: { employeeNumber: '1001', department: 'R&D', manager: { value: ids.bob, displayName: 'Bob Jones' } } } },
  { key: 'bob', created: '2021-06-15T12:00:00.000Z', doc: {
    userName: 'bob@example.com', externalId: 'ext-1', displayName: 'Bob Jones', title: 'Manager', active: true,
    name: { givenName: 'Bob', familyName: 'Jones' }, emails: [work('bob@example.com')],
    [ENT]: { employeeNumber: '1002', department: 'Sales' } } },
  { key: 'carol', created: '2022-03-10T08:30:00.000Z', doc: {
    userName: 'carol@example.org', displayName: 'Carol Müller', active: false,
    name: { givenName: 'Carol', familyName: 'Müller' },
    emails: [work('carol@example.org'), { value: 'CAROL@private.net', type: 'other' }],
    addresses: [{ type: 'home', locality: 'Berlin', primary: false }, { type: 'work', locality: 'München', primary: true }],
    [ENT]: { employeeNumber: '7' } } },
  { key: 'dave', created: '2022-05-01T00:00:00.000Z', doc: { userName: 'dave_ops@example.net', displayName: '100% Dave', active: true } },
  { key: 'davex', created: '2022-05-02T00:00:00.000Z', doc: { userName: 'davexops@example.net', displayName: '1000 Dave', active: true } },
  { key: 'emile', created: '2022-07-14T00:00:00.000Z', doc: {
    userName: 'emile@example.fr', displayName: 'ÉMILE ZOË', active: true, name: { givenName: 'Émile', familyName: 'Zoë' },
    emails: [{ value: 'emile@example.fr', type: 'home', primary: true }], [CUSTOM]: { costCode: 'X1' } } },
  { key: 'frank', created: '2023-01-01T00:00:00.000Z', doc: {
    userName: 'frank@example.com', phoneNumbers: [{ value: '555-0199', type: 'mobile', primary: true }] } },
  { key: 'grace', created: '2023-11-20T10:00:00.123456Z', doc: {
    userName: 'grace@example.com', displayName: 'Grace Hopper', active: true, roles: [{ value: 'admin', primary: true }],
    emails: [work('grace@example.com', { primary: false })], [ENT]: { manager: { value: ids.alice } } } },
  { key: 'heidi', created: '2024-02-29T23:59:59.999Z', doc: {
    userName: 'heidi@example.com', externalId: 'EXT-9', active: false, name: { familyName: "O'Brien" },
    emails: [{ value: 'heidi@Example.COM', type: 'home' }] } },
  { key: 'ivan', created: '2024-06-01T00:00:00.000Z', doc: {
    userName: 'ivan@example.com', active: true, name: { givenName: 'Ivan', familyName: 'Employee' }, emails: [work('ivan@example.com')] } },
  { key: 'olga', created: '2024-06-02T00:00:00.000Z', doc: {
    userName: 'Olga@Example.org', active: true, name: { givenName: 'Olga', familyName: 'employee' }, emails: [work('olga@example.org')] } },
];

const groupFixture = [
  { key: 'eng', name: 'Engineering', externalId: 'G-ENG', members: ['alice', 'bob', 'grace'] },
  { key: 'sales', name: 'Sales Team', externalId: 'g-sales', members: ['bob', 'carol'] },
  { key: 'empty', name: 'Empty', externalId: null, members: [] as string[] },
];
const groupIds: Record<string, string> = Object.fromEntries(groupFixture.map((g) => [g.key, randomUUID()]));
const u = (key: string) => fixture.find((f) => f.key === key)!.doc.userName as string;

// [filter, expected users]; every case is also evaluated in memory and must agree with the store.
const userCases: [string, string[]][] = [
  ['userName eq "alice@example.com"', ['alice']],
  ['userName eq "ALICE@EXAMPLE.COM"', ['alice']],
  ['UserName EQ "olga@example.org"', ['olga']],
  ['userName ne "alice@example.com"', ['bob', 'carol', 'dave', 'davex', 'emile', 'frank', 'grace', 'heidi', 'ivan', 'olga']],
  ['userName co "EXAMPLE.NET"', ['dave', 'davex']],
  ['userName co "_ops"', ['dave']],
  ['userName sw "dave"', ['dave', 'davex']],
  ['userName ew ".ORG"', ['carol', 'olga']],
  ['userName gt "heidi@example.com"', ['ivan', 'olga']],
  ['userName ge "heidi@example.com"', ['heidi', 'ivan', 'olga']],
  ['userName lt "bob"', ['alice']],
  ['userName le "bob@example.com"', ['alice', 'bob']],
  ['userName pr', fixture.map((f) => f.key)],
  ['userName eq "nobody@example.com"', []],
  ['externalId eq "EXT-1"', ['alice']],
  ['externalId eq "ext-1"', ['bob']],
  ['externalId sw "EXT"', ['alice', 'heidi']],
  ['externalId pr', ['alice', 'bob', 'heidi']],
  ['not (externalId pr)', ['carol', 'dave', 'davex', 'emile', 'frank', 'grace', 'ivan', 'olga']],
  ['externalId ne "EXT-1"', ['bob', 'carol', 'dave', 'davex', 'emile', 'frank', 'grace', 'heidi', 'ivan', 'olga']],
  ['displayName eq "alice smith"', ['alice']],
  ['displayName eq "émile zoë"', ['emile']],
  ['displayName co "100%"', ['dave']],
  ['displayName sw "carol m"', ['carol']],
  ['displayName co "ü"', ['carol']],
  ['active eq true', ['alice', 'bob', 'dave', 'davex', 'emile', 'frank', 'grace', 'ivan', 'olga']],
  ['active eq false', ['carol', 'heidi']],
  ['active eq "False"', ['carol', 'heidi']],
  ['active ne true', ['carol', 'heidi']],
  ['not (active eq false)', ['alice', 'bob', 'dave', 'davex', 'emile', 'frank', 'grace', 'ivan', 'olga']],
  ['emails eq "alice@example.com"', ['alice']],
  ['emails.value eq "HEIDI@example.com"', ['heidi']],
  ['emails.value co "private"', ['carol']],
  ['emails.Value sw "ALICE."', ['alice']],
  ['emails.value ew "@example.org"', ['carol', 'olga']],
  ['emails.value pr', ['alice', 'bob', 'carol', 'emile', 'grace', 'heidi', 'ivan', 'olga']],
  ['emails pr', ['alice', 'bob', 'carol', 'emile', 'grace', 'heidi', 'ivan', 'olga']],
  ['emails.value ne "bob@example.com"', ['alice', 'carol', 'dave', 'davex', 'emile', 'frank', 'grace', 'heidi', 'ivan', 'olga']],
  ['emails.type eq "other"', ['carol']],
  ['emails[type eq "work" and value co "example.com"]', ['alice', 'bob', 'grace', 'ivan']],
  ['emails[type eq "home" and value co "example"]', ['emile', 'heidi']],
  ['emails[type eq "home" or primary eq true]', ['alice', 'emile', 'heidi']],
  ['emails[not (type eq "work")]', ['alice', 'carol', 'emile', 'heidi']],
  ['emails[type eq "work"] and emails[value co "private"]', ['carol']],
  ['emails[type eq "home" and value co "private"]', []],
  ['emails[primary eq false]', ['grace']],
  ['emails[type ne "work"]', ['alice', 'carol', 'emile', 'heidi']],
  ['addresses[primary EQ "True"]', ['alice', 'carol']],
  ['addresses[type eq "work" and locality eq "münchen"]', ['carol']],
  ['addresses[type eq "home" and locality eq "München"]', []],
  ['addresses.locality eq "BERLIN"', ['carol']],
  ['phoneNumbers[type eq "mobile" and primary eq true]', ['frank']],
  ['phoneNumbers.value co "555"', ['alice', 'frank']],
  ['roles.value eq "admin"', ['grace']],
  ['roles[primary eq "true"]', ['grace']],
  ['name.familyName eq "SMITH"', ['alice']],
  ['name.FamilyName sw "m"', ['carol']],
  ['name.givenName eq "émile"', ['emile']],
  ['name.familyName eq "O\'Brien"', ['heidi']],
  ['name.familyName pr', ['alice', 'bob', 'carol', 'emile', 'heidi', 'ivan', 'olga']],
  ['name pr', ['alice', 'bob', 'carol', 'emile', 'heidi', 'ivan', 'olga']],
  ['name.middleName pr', []],
  ['name.givenName ne "alice"', ['bob', 'carol', 'dave', 'davex', 'emile', 'frank', 'grace', 'heidi', 'ivan', 'olga']],
  ['title eq "engineer" or title eq "MANAGER"', ['alice', 'bob']],
  ['title gt "F"', ['bob']],
  ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7"', ['carol']],
  ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq 7', ['carol']],
  ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber sw "100"', ['alice', 'bob']],
  ['employeeNumber gt "1001"', ['bob', 'carol']],
  ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "r&d"', ['alice']],
  [`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "${ids.bob}"`, ['alice']],
  ['URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:manager pr', ['alice', 'grace']],
  ['manager.displayName co "bob"', ['alice']],
  [`id eq "${ids.carol}"`, ['carol']],
  [`id eq "${ids.carol!.toUpperCase()}"`, []],
  ['id eq "not-a-uuid"', []],
  ['meta.created gt "2024-01-01T00:00:00Z"', ['heidi', 'ivan', 'olga']],
  ['meta.created lt "2021-01-01"', ['alice']],
  ['meta.created eq "2023-11-20T10:00:00.123Z"', ['grace']],
  ['meta.created gt "2023-11-20T10:00:00.123Z"', ['heidi', 'ivan', 'olga']],
  ['meta.created le "2023-11-20T11:00:00.123+01:00"', ['alice', 'bob', 'carol', 'dave', 'davex', 'emile', 'frank', 'grace']],
  ['meta.created ge "2024-02-29T23:59:59.999Z" and meta.created lt "2024-06-01T00:00:00Z"', ['heidi']],
  ['meta.Created gt 2015-10-10T14:38:21.8617979-07:00 and meta.created lt 2021-01-01T00:00:00Z', ['alice']],
  ['meta.lastModified gt "2000-01-01T00:00:00Z"', fixture.map((f) => f.key)],
  ['meta.resourceType eq "User"', fixture.map((f) => f.key)],
  ['userName sw O', ['olga']],
  ['name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)', ['ivan', 'olga']],
  ['displayName eq null', ['frank', 'heidi', 'ivan', 'olga']],
  ['userName eq "alice@example.com" or userName eq "bob@example.com" and active eq false', ['alice']],
  ['(userName eq "alice@example.com" or userName eq "bob@example.com") and active eq true', ['alice', 'bob']],
  ['not (userName sw "a" or userName sw "b") and emails.value co "example.com"', ['grace', 'heidi', 'ivan']],
  ['not (title pr) and not (emails pr)', ['dave', 'davex', 'frank']],
  ['groups.value eq "' + groupIds.sales + '"', ['bob', 'carol']],
  ['groups eq "' + groupIds.eng + '" and not (groups eq "' + groupIds.sales + '")', ['alice', 'grace']],
  ['groups.display eq "sales team"', ['bob', 'carol']],
  ['groups pr', ['alice', 'bob', 'carol', 'grace']],
  ['groups[display sw "eng" and value pr]', ['alice', 'bob', 'grace']],
];

const groupCases: [string, string[]][] = [
  ['displayName eq "engineering"', ['eng']],
  ['displayName co "a"', ['sales']],
  ['externalId eq "g-sales"', ['sales']],
  ['externalId eq "G-SALES"', []],
  [`members.value eq "${ids.carol}"`, ['sales']],
  [`members eq "${ids.bob}"`, ['eng', 'sales']],
  ['members pr', ['eng', 'sales']],
  ['not (members pr)', ['empty']],
  [`members[value eq "${ids.grace}" or value eq "${ids.carol}"]`, ['eng', 'sales']],
  ['members.display eq "grace hopper"', ['eng']],
];

describe('filterToSql against the store', () => {
  let db: TestDatabase;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const memoryUsers = new Map<string, Record<string, unknown>>();

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.db.insert(tenants).values([
      { id: tenantA, slug: 'a', name: 'A' },
      { id: tenantB, slug: 'b', name: 'B' },
    ]);
    const idsB: Record<string, string> = Object.fromEntries(fixture.map((f) => [f.key, randomUUID()]));
    for (const f of fixture) {
      const doc = { schemas: [URN.user], ...f.doc } as ResourceDoc;
      const at = new Date(f.created);
      await db.db.insert(users).values([
        { id: ids[f.key]!, tenantId: tenantA, doc, ...userColumns(doc), createdAt: at, updatedAt: at },
        // Tenant B holds look-alikes of every user; no filter may ever reach them.
        { id: idsB[f.key]!, tenantId: tenantB, doc, ...userColumns(doc), createdAt: at, updatedAt: at },
      ]);
    }
    // Microseconds the API never shows; comparisons must behave as if they were not there.
    await db.db.execute(sql`update users set created_at = ${'2023-11-20T10:00:00.123456Z'}::timestamptz where id = ${ids.grace}`);
    for (const g of groupFixture) {
      for (const [tenant, id, memberIds] of [[tenantA, groupIds[g.key]!, ids], [tenantB, randomUUID(), idsB]] as const) {
        const doc = { schemas: [URN.group], displayName: g.name, ...(g.externalId ? { externalId: g.externalId } : {}) } as ResourceDoc;
        await db.db.insert(groups).values({ id, tenantId: tenant, doc, ...groupColumns(doc) });
        for (const m of g.members) await db.db.insert(groupMembers).values({ tenantId: tenant, groupId: id, memberId: memberIds[m]! });
      }
    }
    for (const f of fixture) {
      const memberOf = groupFixture.filter((g) => g.members.includes(f.key));
      memoryUsers.set(f.key, {
        ...f.doc,
        id: ids[f.key],
        active: f.doc.active ?? true,
        meta: { resourceType: 'User', created: f.created, lastModified: f.created },
        ...(memberOf.length ? { groups: memberOf.map((g) => ({ value: groupIds[g.key], display: g.name, type: 'direct' })) } : {}),
      });
    }
  });
  afterAll(() => db.drop());

  const byName = new Map(fixture.map((f) => [u(f.key), f.key]));

  it.each(userCases)('users: %s', async (text, expected) => {
    const node = unwrap(parseFilter(userResourceType, text));
    const found = await rows<{ user_name: string }>(
      db.db,
      sql`select user_name from users where tenant_id = ${tenantA} and ${filterToSql('users', node)}`,
    );
    const got = found.map((r) => byName.get(r.user_name)).sort();
    expect(got).toEqual([...expected].sort());
    const inMemory = [...memoryUsers].filter(([, d]) => matchesResource(node, d)).map(([k]) => k).sort();
    expect(inMemory).toEqual([...expected].sort());
  });

  it.each(groupCases)('groups: %s', async (text, expected) => {
    const node = unwrap(parseFilter(groupResourceType, text));
    const found = await rows<{ id: string }>(db.db, sql`select id from groups where tenant_id = ${tenantA} and ${filterToSql('groups', node)}`);
    const byId = new Map(Object.entries(groupIds).map(([k, v]) => [v, k]));
    expect(found.map((r) => byId.get(r.id)).sort()).toEqual([...expected].sort());
  });

  it.each([
    ['userName', 'ascending', ['alice', 'bob', 'carol']],
    ['name.familyName', 'descending', ['emile', 'alice', 'heidi']],
    ['emails', 'ascending', ['alice', 'bob', 'carol']],
    ['meta.created', 'descending', ['olga', 'ivan', 'heidi']],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', 'ascending', ['alice', 'bob', 'carol']],
    ['displayName', 'ascending', ['dave', 'davex', 'alice']],
  ] as const)('sorts users by %s %s', async (attribute, order, firstThree) => {
    const expr = sortToSql('users', resolvePath(userResourceType, attribute)!);
    const ordered = order === 'descending' ? sql`${expr} desc nulls last` : expr;
    const found = await rows<{ user_name: string }>(
      db.db,
      sql`select user_name from users where tenant_id = ${tenantA} order by ${ordered}, id limit ${firstThree.length}`,
    );
    expect(found.map((r) => byName.get(r.user_name))).toEqual(firstThree);
  });
});
