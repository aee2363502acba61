import { describe, expect, it } from 'vitest';
import type { ResourceDoc } from '../../scim/resource/document.js';
import { userResourceType } from '../../scim/schemas/resource-types.js';
import { withTenantExtension } from '../../scim/schemas/tenant-user.js';
import { URN } from '../../scim/schemas/urns.js';
import { decideWrite } from '../../src/directory/authority/decide.js';
import { DEFAULT_AUTHORITY, parseOwner, type Authority, type Owner, type Policy } from '../../src/directory/authority/rules.js';
import { sameValue } from '../../src/directory/authority/values.js';
import type { ChangeSource } from '../../src/events/append.js';
import { HR_URN } from '../../src/sync/hr-doc.js';
import { HR_CONNECTION, managedDoc, releasedDoc } from '../support/hr-user-docs.js';

const ENT = URN.enterpriseUser;
const TENANT = URN.tenantUser;
const CONNECTION = HR_CONNECTION;
const OTHER_CONNECTION = '0190a5b0-0000-7000-8000-00000000c0c1';
const userType = withTenantExtension(userResourceType, [
  { name: 'badge', type: 'string', multiValued: false, caseExact: true, description: '' },
  { name: 'costCode', type: 'string', multiValued: false, caseExact: false, description: '' },
]);

const managed = managedDoc;
const released = releasedDoc;
const manual: ResourceDoc = { schemas: [URN.user], userName: 'bo@acme.test', title: 'Founder' };

const SOURCES: Record<string, ChangeSource> = {
  scim: { kind: 'token', id: 't-1' },
  admin: { kind: 'admin', id: 'ada' },
  hr: { kind: 'connection', id: CONNECTION },
  system: { kind: 'system', id: 'invite' },
};

type Doc = ResourceDoc & Record<string, any>;
const edit = (doc: ResourceDoc, change: (d: Doc) => void): ResourceDoc => {
  const copy = structuredClone(doc) as Doc;
  change(copy);
  return copy;
};
const withTitleOwner = (owner: Owner, policy: Policy): Authority => ({
  rules: [{ path: 'title', owner }],
  policies: { scim: policy, manual: policy, hr: policy },
});

describe('sameValue: values as SCIM compares them', () => {
  it.each<[string, string, unknown, unknown, boolean]>([
    ['emails: order, case and flags', 'emails', [{ value: 'a@x.t', type: 'work', primary: true }, { value: 'b@x.t' }], [{ value: 'B@X.T', type: 'home' }, { value: 'A@x.t' }], true],
    ['emails: another address', 'emails', [{ value: 'a@x.t' }], [{ value: 'a@x.t' }, { value: 'c@x.t' }], false],
    ['emails: none for some', 'emails', [{ value: 'a@x.t' }], [], false],
    ['userName: case', 'userName', 'Jane@X.t', 'jane@x.t', true],
    ['givenName: case (caseExact false)', 'name.givenName', 'Jane', 'JANE', true],
    ['givenName: another name', 'name.givenName', 'Jane', 'Janet', false],
    ['title: absent and empty', 'title', undefined, '', true],
    ['title: absent and set', 'title', undefined, 'CEO', false],
    ['manager id', `${ENT}:manager.value`, 'abc', 'abc', true],
    ['manager id changed', `${ENT}:manager.value`, 'abc', 'abd', false],
    ['tenant attribute, caseExact', `${TENANT}:badge`, 'AB-1', 'ab-1', false],
    ['tenant attribute, not caseExact', `${TENANT}:costCode`, 'CC-1', 'cc-1', true],
  ])('%s', (_, path, a, b, same) => {
    expect(sameValue(userType, path, a, b)).toBe(same);
  });
});

describe('decideWrite: source × owner × policy', () => {
  // A write that changes `title` from `before`'s to 'CTO'; outcome for each combination.
  type Outcome = 'accept' | 'ignore' | 'reject';
  const table: [string, ResourceDoc, keyof typeof SOURCES, Owner, Policy, Outcome][] = [
    // HR owns (the default owner kind): it holds only while a connection manages the user.
    ['scim on a managed user, hr owner, ignore', managed, 'scim', 'hr', 'ignore', 'ignore'],
    ['scim on a managed user, hr owner, reject', managed, 'scim', 'hr', 'reject', 'reject'],
    ['admin on a managed user, hr owner, reject', managed, 'admin', 'hr', 'reject', 'reject'],
    ['the managing connection, hr owner', managed, 'hr', 'hr', 'reject', 'accept'],
    ['scim on a released user, hr owner', released, 'scim', 'hr', 'reject', 'accept'],
    ['scim on a manual user, hr owner', manual, 'scim', 'hr', 'reject', 'accept'],
    ['system (lifecycle) on a managed user', managed, 'system', 'hr', 'reject', 'accept'],
    // One named connection.
    ['scim, owner the managing connection, ignore', managed, 'scim', `connection:${CONNECTION}`, 'ignore', 'ignore'],
    ['scim, owner a connection not managing the user', managed, 'scim', `connection:${OTHER_CONNECTION}`, 'reject', 'accept'],
    ['the managing connection, owner another connection (which holds nothing here)', managed, 'hr', `connection:${OTHER_CONNECTION}`, 'reject', 'accept'],
    ['the managing connection, owner itself', managed, 'hr', `connection:${CONNECTION}`, 'reject', 'accept'],
    // The identity provider owns.
    ['scim, scim owner', managed, 'scim', 'scim', 'reject', 'accept'],
    ['the connection, scim owner, ignore', managed, 'hr', 'scim', 'ignore', 'ignore'],
    ['the connection, scim owner, reject', managed, 'hr', 'scim', 'reject', 'reject'],
    ['admin, scim owner, ignore', manual, 'admin', 'scim', 'ignore', 'ignore'],
    ['admin, scim owner, reject (even on a manual user)', manual, 'admin', 'scim', 'reject', 'reject'],
    // Admins own.
    ['admin, manual owner', managed, 'admin', 'manual', 'reject', 'accept'],
    ['scim, manual owner, ignore', manual, 'scim', 'manual', 'ignore', 'ignore'],
    ['scim, manual owner, reject', manual, 'scim', 'manual', 'reject', 'reject'],
  ];

  it.each(table)('%s', (_, before, source, owner, policy, outcome) => {
    const after = edit(before, (d) => (d.title = 'CTO'));
    const decide = () => decideWrite({ source: SOURCES[source]!, authority: withTitleOwner(owner, policy), userType, before, after });
    if (outcome === 'reject') {
      expect(decide).toThrowError(expect.objectContaining({ code: 'mutability', detail: expect.stringContaining('title is managed by') }));
      return;
    }
    const decision = decide();
    if (outcome === 'accept') {
      expect(decision).toMatchObject({ doc: after, conflicts: [] });
    } else {
      expect(decision.doc).toEqual(before);
      expect(decision.conflicts).toEqual([{ path: 'title', owner, attempted: 'CTO', stored: (before as Doc).title }]);
    }
  });

  it('leaves fields without a rule open to every source', () => {
    const after = edit(managed, (d) => (d.nickName = 'JD'));
    for (const source of Object.values(SOURCES)) {
      expect(decideWrite({ source, authority: { ...DEFAULT_AUTHORITY, rules: [] }, userType, before: managed, after }).doc).toEqual(after);
    }
  });
});

describe('decideWrite with the default rules', () => {
  const changes: [string, (d: Doc) => void, string[]][] = [
    ['givenName and title', (d) => ((d.name.givenName = 'Janet'), (d.title = 'CTO')), ['name.givenName', 'title']],
    ['the work email', (d) => (d.emails = [{ value: 'other@acme.test', type: 'work', primary: true }]), ['emails']],
    ['the manager', (d) => (d[ENT].manager = { value: 'someone-else' }), [`${ENT}:manager.value`]],
    ['a removed department', (d) => delete d[ENT].department, [`${ENT}:department`]],
    ['the userName', (d) => (d.userName = 'jd@acme.test'), ['userName']],
  ];
  const rejecting: Authority = { ...DEFAULT_AUTHORITY, policies: { ...DEFAULT_AUTHORITY.policies, scim: 'reject' } };

  it.each(changes)('a SCIM write changing %s on a managed user is ignored: stored values kept, each a conflict', (_, change, fields) => {
    const decision = decideWrite({ source: SOURCES.scim!, authority: DEFAULT_AUTHORITY, userType, before: managed, after: edit(managed, change) });
    expect(decision.doc).toEqual(managed);
    expect(decision.conflicts.map((c) => c.path)).toEqual(fields);
    expect(decision.conflicts.every((c) => c.owner === 'hr')).toBe(true);
  });

  it.each(changes)('under reject, a SCIM write changing %s is 400 mutability naming the fields and the connection', (_, change, fields) => {
    const detail = `${fields.join(', ')} ${fields.length === 1 ? 'is' : 'are'} managed by HR connection ${CONNECTION} (bamboohr); change`;
    expect(() => decideWrite({ source: SOURCES.scim!, authority: rejecting, userType, before: managed, after: edit(managed, change) })).toThrowError(
      expect.objectContaining({ code: 'mutability', detail: expect.stringContaining(detail) }),
    );
  });

  it('an admin is refused by default', () => {
    expect(() =>
      decideWrite({ source: SOURCES.admin!, authority: DEFAULT_AUTHORITY, userType, before: managed, after: edit(managed, (d) => (d.title = 'CTO')) }),
    ).toThrowError(expect.objectContaining({ code: 'mutability' }));
  });

  it.each(changes)('the connection itself, and any writer of a released user, may change %s', (_, change) => {
    expect(decideWrite({ source: SOURCES.hr!, authority: DEFAULT_AUTHORITY, userType, before: managed, after: edit(managed, change) }).doc).toEqual(
      edit(managed, change),
    );
    expect(decideWrite({ source: SOURCES.admin!, authority: DEFAULT_AUTHORITY, userType, before: released, after: edit(released, change) }).doc).toEqual(
      edit(released, change),
    );
  });

  it('accepts owned values repeated in another form and keeps the stored form; other fields change', () => {
    const repeated = edit(managed, (d) => {
      d.userName = 'JANE.DOE@ACME.TEST';
      d.emails = [{ value: 'jane.doe@acme.test' }];
      d[ENT].manager = { value: d[ENT].manager.value };
      d.phoneNumbers = [{ value: '+33 1', type: 'work' }];
      d.active = false;
    });
    const decision = decideWrite({ source: SOURCES.scim!, authority: rejecting, userType, before: managed, after: repeated });
    expect(decision).toMatchObject({ doc: { ...managed, phoneNumbers: [{ value: '+33 1', type: 'work' }], active: false }, conflicts: [] });
    expect(decision.settled).toEqual(DEFAULT_AUTHORITY.rules.map((r) => r.path));
  });

  it('reads owned fields a whole-resource write leaves out as not asserted: kept, no conflict; a PATCH removal is a conflict', () => {
    const put = edit(managed, (d) => {
      delete d.title;
      delete d.emails;
      delete d[ENT];
      d.schemas = [URN.user, HR_URN];
    });
    const whole = decideWrite({ source: SOURCES.scim!, authority: rejecting, userType, before: managed, after: put, whole: true });
    expect({ ...whole.doc, schemas: [...whole.doc.schemas].sort() }).toEqual({ ...managed, schemas: [...managed.schemas].sort() });
    expect(whole.conflicts).toEqual([]);
    const removal = decideWrite({ source: SOURCES.scim!, authority: DEFAULT_AUTHORITY, userType, before: managed, after: edit(managed, (d) => delete d.title) });
    expect(removal.doc).toEqual(managed);
    expect(removal.conflicts).toEqual([{ path: 'title', owner: 'hr', attempted: null, stored: 'Engineer' }]);
  });

  it('holds a tenant extension attribute owned by a connection, and keeps the stored form of a case-insensitive repeat', () => {
    const before = edit(managed, (d) => {
      d[TENANT] = { costCode: 'CC-1', badge: 'AB-1' };
      d.schemas.push(TENANT);
    });
    const authority: Authority = {
      rules: [
        { path: `${TENANT}:costCode`, owner: `connection:${CONNECTION}` },
        { path: `${TENANT}:badge`, owner: 'scim' },
      ],
      policies: DEFAULT_AUTHORITY.policies,
    };
    const after = edit(before, (d) => (d[TENANT] = { costCode: 'cc-1', badge: 'AB-2' }));
    expect(decideWrite({ source: SOURCES.scim!, authority, userType, before, after })).toEqual({
      doc: edit(before, (d) => (d[TENANT].badge = 'AB-2')),
      conflicts: [],
      settled: [`${TENANT}:costCode`],
    });
    const retag = edit(before, (d) => (d[TENANT].costCode = 'CC-2'));
    expect(decideWrite({ source: SOURCES.scim!, authority, userType, before, after: retag }).conflicts).toEqual([
      { path: `${TENANT}:costCode`, owner: `connection:${CONNECTION}`, attempted: 'CC-2', stored: 'CC-1' },
    ]);
  });
});

describe('parseOwner', () => {
  it.each<[string, string | null]>([
    ['hr', 'hr'],
    ['scim', 'scim'],
    ['manual', 'manual'],
    [`connection:${CONNECTION.toUpperCase()}`, `connection:${CONNECTION}`],
    ['connection:abc', null],
    ['okta', null],
    ['', null],
  ])('%s', (raw, owner) => expect(parseOwner(raw)).toBe(owner));
});
