import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../scim/patch/apply-patch.js';
import { parsePatch } from '../../scim/patch/parse-patch.js';
import { project, requestedAttributes, type Projection } from '../../scim/projection.js';
import type { ResourceDoc } from '../../scim/resource/document.js';
import { parseResource } from '../../scim/resource/parse-resource.js';
import { keepServerOwned } from '../../scim/resource/server-owned.js';
import { hrUserSchema } from '../../scim/schemas/hr-user.js';
import { userResourceType } from '../../scim/schemas/resource-types.js';
import type { AttributeDef } from '../../scim/schemas/types.js';
import { URN } from '../../scim/schemas/urns.js';
import { open, seal } from '../../src/crypto/secret-box.js';
import { userColumns } from '../../src/directory/user-row.js';
import { BANK_ACCOUNT, forAnswer } from '../../src/directory/users/bank-account.js';
import { HR_URN, withHrState } from '../../src/sync/hr-doc.js';
import { HR_CONNECTION, managedDoc, releasedDoc } from '../support/hr-user-docs.js';

const USER = URN.user;
const ENT = URN.enterpriseUser;
const PATCH = URN.patchOp;
const CONNECTION = HR_CONNECTION;
const KEY = Buffer.alloc(32, 7);

const managed = managedDoc;
const released = releasedDoc;
const manual: ResourceDoc = { schemas: [USER], userName: 'bo@acme.test', name: { givenName: 'Bo' } };


describe('the HR extension schema', () => {
  const all = (attrs: AttributeDef[]): AttributeDef[] => attrs.flatMap((a) => [a, ...all(a.subAttributes ?? [])]);

  it('is the extension the sync writes, every attribute readOnly, registered on User but not required', () => {
    expect(HR_URN).toBe(URN.hrUser);
    expect(hrUserSchema.id).toBe(HR_URN);
    expect(all(hrUserSchema.attributes).every((a) => a.mutability === 'readOnly')).toBe(true);
    expect(userResourceType.extensions).toContainEqual({ schema: hrUserSchema, required: false });
  });

  it.each([
    ['bankAccount', 'request'],
    ['bankAccountDigest', 'never'],
    ['lifecycle', 'default'],
  ])('%s is returned %s', (name, returned) => {
    expect(hrUserSchema.attributes.find((a) => a.name === name)?.returned).toBe(returned);
  });
});

describe('clients cannot write the HR extension', () => {
  it('drops it from a POST or PUT body, whatever it holds', () => {
    const body = { schemas: [USER, HR_URN], userName: 'x@acme.test', [HR_URN]: { lifecycle: 'active', management: 'managed', remoteId: 'r', unknown: 1 } };
    for (const mode of ['create', 'replace'] as const) {
      const parsed = parseResource(userResourceType, body, mode);
      expect(parsed.ok && parsed.value.doc).toEqual({ schemas: [USER], userName: 'x@acme.test' });
    }
  });

  it.each([
    ['a path into it', [{ op: 'replace', path: `${HR_URN}:lifecycle`, value: 'active' }]],
    ['a sub-attribute', [{ op: 'add', path: `${HR_URN}:bankAccount.iban`, value: 'DE00' }]],
    ['the whole extension', [{ op: 'replace', path: HR_URN, value: { management: 'manual' } }]],
    ['a path-less value', [{ op: 'replace', value: { [HR_URN]: { remoteId: 'x' } } }]],
  ])('refuses a PATCH of %s with mutability, as for any readOnly attribute', (_, ops) => {
    const parsed = parsePatch(userResourceType, { schemas: [PATCH], Operations: ops });
    const result = parsed.ok ? applyPatch(userResourceType, managed, parsed.value, { id: 'u' }) : parsed;
    expect(result.ok ? undefined : result.error.code).toBe('mutability');
  });

  it.each<[string, ResourceDoc, ResourceDoc, ResourceDoc]>([
    ['restores it when the new document lacks it (Okta PUT)', managed, { schemas: [USER], userName: 'a' }, { schemas: [USER, HR_URN], userName: 'a', [HR_URN]: managed[HR_URN] }],
    ['replaces whatever the new document holds', managed, { schemas: [USER, HR_URN], userName: 'a', [HR_URN]: { lifecycle: 'x' } }, { schemas: [USER, HR_URN], userName: 'a', [HR_URN]: managed[HR_URN] }],
    ['removes it when the current document has none', manual, { schemas: [USER, HR_URN], userName: 'a', [HR_URN]: { lifecycle: 'x' } }, { schemas: [USER], userName: 'a' }],
    ['leaves other extensions alone', { schemas: [USER] }, { schemas: [USER, ENT], userName: 'a', [ENT]: { department: 'D' } }, { schemas: [USER, ENT], userName: 'a', [ENT]: { department: 'D' } }],
  ])('keepServerOwned %s', (_, current, next, want) => {
    expect(keepServerOwned(userResourceType, current, next)).toEqual(want);
  });
});

describe('returned: request and never', () => {
  const resource = {
    schemas: [USER, HR_URN],
    id: 'u-1',
    userName: 'a@acme.test',
    [HR_URN]: { lifecycle: 'active', management: 'managed', bankAccount: { iban: 'DE89', bic: 'B', holder: 'A' }, bankAccountDigest: 'd' },
  };
  const hr = (r: Record<string, unknown>) => r[HR_URN] as Record<string, unknown> | undefined;

  it.each<[string, Projection, Record<string, unknown> | undefined]>([
    ['no projection: neither', {}, { lifecycle: 'active', management: 'managed' }],
    ['the extension named: not the bank account', { attributes: [HR_URN] }, { lifecycle: 'active', management: 'managed' }],
    ['excludedAttributes: neither', { excludedAttributes: ['userName'] }, { lifecycle: 'active', management: 'managed' }],
    ['the bank account named: it alone', { attributes: [`${HR_URN}:bankAccount`] }, { bankAccount: { iban: 'DE89', bic: 'B', holder: 'A' } }],
    ['named unqualified, in any case', { attributes: ['BankAccount'] }, { bankAccount: { iban: 'DE89', bic: 'B', holder: 'A' } }],
    ['a sub-attribute named: that one', { attributes: [`${HR_URN}:bankAccount.iban`] }, { bankAccount: { iban: 'DE89' } }],
    ['both named: the bank account', { attributes: [HR_URN, 'bankAccount'] }, { lifecycle: 'active', management: 'managed', bankAccount: { iban: 'DE89', bic: 'B', holder: 'A' } }],
    ['the digest named: never', { attributes: [`${HR_URN}:bankAccountDigest`] }, undefined],
  ])('%s', (_, projection, want) => {
    expect(hr(project(userResourceType, resource, projection))).toEqual(want);
  });

  it.each<[Projection, string[]]>([
    [{}, []],
    [{ attributes: [HR_URN] }, []],
    [{ attributes: ['userName', `${HR_URN}:bankAccount.bic`] }, [BANK_ACCOUNT]],
    [{ attributes: [`${HR_URN}:bankAccountDigest`] }, []],
    [{ excludedAttributes: ['bankAccount'] }, []],
  ])('requestedAttributes(%j) = %j', (projection, want) => {
    expect(requestedAttributes(userResourceType, projection)).toEqual(want);
  });

  it('opens the sealed bank account only when requested, and never hands out the digest', () => {
    const stored = (account: unknown) => ({
      id: 'u',
      version: 1,
      created: new Date(),
      lastModified: new Date(),
      doc: { ...managed, [HR_URN]: { ...(managed[HR_URN] as object), bankAccount: account, bankAccountDigest: 'hmac' } },
    });
    const sealed = stored(seal(KEY, JSON.stringify({ iban: 'DE89 3704', bic: 'COBADEFFXXX', holder: 'Jane Doe' })));
    const opener = (s: string) => open(KEY, s);
    expect(hr(forAnswer(sealed, [BANK_ACCOUNT], opener).doc)).toMatchObject({ bankAccount: { iban: 'DE89 3704', bic: 'COBADEFFXXX', holder: 'Jane Doe' } });
    for (const [requested, o] of [[undefined, opener], [[], opener], [[BANK_ACCOUNT], undefined]] as const) {
      const shown = hr(forAnswer(sealed, requested as string[] | undefined, o).doc)!;
      expect(shown).not.toHaveProperty('bankAccount');
      expect(shown).not.toHaveProperty('bankAccountDigest');
      expect(shown.lifecycle).toBe('active');
    }
    const otherKey = (s: string) => open(Buffer.alloc(32, 8), s);
    expect(hr(forAnswer(sealed, [BANK_ACCOUNT], otherKey).doc)).not.toHaveProperty('bankAccount');
    const plain = { id: 'u', version: 1, created: new Date(), lastModified: new Date(), doc: manual };
    expect(forAnswer(plain, [BANK_ACCOUNT], opener)).toBe(plain);
  });
});

describe('derived columns', () => {
  it.each<[string, ResourceDoc, Record<string, unknown>]>([
    ['no extension', manual, { lifecycle: 'active', management: 'manual', connectionId: null, remoteId: null }],
    ['managed', managed, { lifecycle: 'active', management: 'managed', connectionId: CONNECTION, remoteId: 'bh-42' }],
    ['released candidate', withHrState(released, { lifecycle: 'candidate' }), { lifecycle: 'candidate', management: 'released', connectionId: CONNECTION, remoteId: 'bh-42' }],
    ['nonsense values', { schemas: [USER, HR_URN], userName: 'x', [HR_URN]: { lifecycle: 'gone', management: 'owned', connection: { value: 'not-a-uuid' }, remoteId: 7 } }, { lifecycle: 'active', management: 'manual', connectionId: null, remoteId: null }],
  ])('%s', (_, doc, want) => {
    expect(userColumns(doc)).toMatchObject(want);
  });
});
