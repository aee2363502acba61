import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toScim } from '../../scim/http/format.js';
import { listJson, resourceJson } from '../../scim/http/resource-json.js';
import { project, type Projection } from '../../scim/projection.js';
import type { ResourceDoc } from '../../scim/resource/document.js';
import { HR_URN } from '../../src/directory/documents/hr-extension.js';
import { userResourceType } from '../../scim/schemas/resource-types.js';
import { URN } from '../../scim/schemas/urns.js';
import type { StoredResource } from '../../scim/store-port.js';

/*
 * resourceJson splices a document's text into the answer when nothing in it needs rewriting, and
 * otherwise serialises what toScim and project build. toScim and project are the oracle: both ways
 * must give the same JSON value for every document and projection.
 */

const BASE = 'https://rollcall.test/scim/v2';
const rt = userResourceType;

/** Text the way PostgreSQL prints jsonb (a space after each colon and comma), so a splice shows in the answer. */
const pgText = (doc: unknown) => JSON.stringify(doc).replace(/":/g, '": ').replace(/,"/g, ', "');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What `doc #> '{<enterprise>,manager,value}'` gives, as the store reads it beside the text: a string or nothing. */
function managerValue(doc: Record<string, unknown>): string | undefined {
  const ext = doc[URN.enterpriseUser];
  const manager = isObject(ext) ? ext.manager : undefined;
  return isObject(manager) && typeof manager.value === 'string' ? manager.value : undefined;
}

function stored(docText: string, groups?: StoredResource['groups']): { withText: StoredResource; parsed: StoredResource } {
  const common = { id: '01a2b3c4-0000-7000-8000-000000000001', version: 4, created: new Date('2026-01-02T03:04:05.678Z'), lastModified: new Date('2026-02-03T04:05:06.789Z'), groups };
  const doc = JSON.parse(docText) as ResourceDoc;
  return { withText: { ...common, doc, docText, docTextManager: managerValue(doc) }, parsed: { ...common, doc: JSON.parse(docText) as ResourceDoc } };
}

/** An answer that spliced the text shows PostgreSQL's spacing; one serialised by JSON.stringify has none. */
const splicedIn = (answer: string) => answer.includes('"schemas": [');

const oracle = (resource: StoredResource, projection: Projection) => JSON.parse(JSON.stringify(project(rt, toScim(rt, resource, BASE), projection)));

const plain = { schemas: [URN.user], userName: 'zoë@acme.test', name: { givenName: 'Zoë', familyName: 'Ødegård' }, active: true, emails: [{ value: 'zoë@acme.test', primary: true }] };
const custom = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';

describe('resourceJson', () => {
  it.each([
    ['a plain user', plain, undefined, true],
    ['a user with groups', plain, [{ value: 'g1', display: 'Zeta' }, { value: 'g2', display: 'Alpha "quoted"' }], true],
    ['a user with no groups', plain, [], true],
    ['numbers and an unknown extension', { ...plain, schemas: [URN.user, custom], [custom]: { score: 1.5, big: 1e21, flag: false, list: [1, 'a', null] } }, undefined, true],
    ['an enterprise manager (gets a $ref in the text)', { ...plain, schemas: [URN.user, URN.enterpriseUser], [URN.enterpriseUser]: { manager: { value: 'm1' } } }, undefined, true],
    ['a manager with a name and a department', { ...plain, [URN.enterpriseUser]: { department: 'Ops', manager: { displayName: 'Åsa "Boss"', value: 'm1' } } }, [{ value: 'g1', display: 'G' }], true],
    ['a manager and a title that reads "Manager"', { ...plain, title: 'Manager', [URN.enterpriseUser]: { manager: { value: 'm1' } } }, undefined, false],
    ['a manager with a stored $ref (replaced)', { ...plain, [URN.enterpriseUser]: { manager: { value: 'm1', $ref: 'https://elsewhere.test/Users/m1' } } }, undefined, false],
    ['a manager whose value is a number (no $ref)', { ...plain, [URN.enterpriseUser]: { manager: { value: 7 } } }, undefined, false],
    ['a manager key in another extension only (no $ref)', { ...plain, schemas: [URN.user, custom], [custom]: { manager: { value: 'm1' } } }, undefined, false],
    ['a manager in a shorter extension, printed before the enterprise one', { ...plain, 'urn:acme:User': { manager: { value: 'x1' } }, [URN.enterpriseUser]: { manager: { value: 'm1' } } }, undefined, false],
    ['a $ref elsewhere, no manager', { ...plain, [custom]: { link: { $ref: 'https://x.test/' } } }, undefined, true],
    ['a team extension (gets $refs)', { ...plain, [URN.teamGroup]: { parent: { value: 'p1' } } }, undefined, false],
    ['a sealed bank account and its digest (withheld)', { ...plain, [HR_URN]: { remoteId: 'r1', bankAccount: 'v1.sealed', bankAccountDigest: 'hmac' } }, undefined, false],
    ['a password key, in any case (never returned)', { ...plain, PassWord: 'secret' }, undefined, false],
    ['a stray top-level groups key', { ...plain, groups: [{ value: 'stale' }] }, [{ value: 'g1', display: 'G' }], false],
    ['a __proto__ key', JSON.parse('{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"p","__proto__":{"x":1}}'), undefined, false],
  ])('%s: the same value as toScim and project', (_label, doc, groups, spliced) => {
    const docText = pgText(doc);
    const { withText, parsed } = stored(docText, groups);
    const text = resourceJson(rt, withText, BASE, {});
    expect(JSON.parse(text)).toEqual(oracle(parsed, {}));
    expect(splicedIn(text)).toBe(spliced);
    // A splice without a manager carries the stored text verbatim, spaces and all.
    if (spliced && !withText.docTextManager) expect(text.includes(docText.slice(1, -1))).toBe(true);
  });

  it.each<[string, Projection]>([
    ['attributes', { attributes: ['userName', 'groups'] }],
    ['excludedAttributes', { excludedAttributes: ['name', 'emails'] }],
  ])('with %s, goes through the projection', (_label, projection) => {
    const { withText, parsed } = stored(pgText(plain), [{ value: 'g1', display: 'G' }]);
    expect(JSON.parse(resourceJson(rt, withText, BASE, projection))).toEqual(oracle(parsed, projection));
  });

  it('without text (a store that parsed the document), serialises toScim', () => {
    const { parsed } = stored(pgText(plain));
    expect(resourceJson(rt, parsed, BASE, {})).toBe(JSON.stringify(toScim(rt, parsed, BASE)));
  });

  it('agrees with toScim and project on any document and projection', () => {
    const names = ['userName', 'displayName', 'title', 'id', 'meta', 'groups', 'manager', 'Manager', '$ref', 'password', 'bankAccount', 'name', custom, HR_URN, URN.enterpriseUser];
    const value = fc.jsonValue({ maxDepth: 2 });
    const nested = fc.dictionary(fc.constantFrom(...names, 'value', 'x'), value, { maxKeys: 3 });
    const doc = fc.dictionary(fc.constantFrom(...names), fc.oneof(value, nested), { maxKeys: 6 }).map((d) => ({ schemas: [URN.user], ...d }));
    const groups = fc.option(fc.array(fc.record({ value: fc.uuid(), display: fc.string() }), { maxLength: 3 }), { nil: undefined });
    const projection = fc.constantFrom<Projection>({}, { attributes: ['userName'] }, { excludedAttributes: ['title'] });
    fc.assert(
      fc.property(doc, groups, projection, (d, g, p) => {
        const { withText, parsed } = stored(pgText(d), g);
        expect(JSON.parse(resourceJson(rt, withText, BASE, p))).toEqual(oracle(parsed, p));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with toScim on any enterprise manager, and splices when only the manager is rewritten', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('manager', 'Manager', 'm1', '"manager": {', '\\"', 'é'));
    const manager = fc.record(
      { value: fc.oneof(text, fc.integer(), fc.constant(null)), displayName: text, $ref: text, manager: text },
      { requiredKeys: [] },
    );
    const ext = fc.record({ manager: fc.oneof(manager, fc.constant([])), department: text, employeeNumber: text }, { requiredKeys: [] });
    // PostgreSQL prints shorter keys first: a short extension's manager comes before the enterprise one.
    const other = fc.record({ manager }, { requiredKeys: [] });
    const crowded = fc.record({ title: text, 'urn:acme:User': other, [URN.enterpriseUser]: ext, [custom]: other }, { requiredKeys: [] });
    const doc = fc.oneof(crowded, fc.record({ [URN.enterpriseUser]: ext })).map((d) => ({ ...plain, ...d }));
    let spliced = 0;
    fc.assert(
      fc.property(doc, (d) => {
        const { withText, parsed } = stored(pgText(d));
        const answer = resourceJson(rt, withText, BASE, {});
        expect(JSON.parse(answer)).toEqual(oracle(parsed, {}));
        if (splicedIn(answer)) spliced++;
      }),
      { numRuns: 1000 },
    );
    // The property saw both ways: enough documents had a manager alone to splice.
    expect(spliced).toBeGreaterThan(25);
  });
});

describe('listJson', () => {
  it.each([
    ['no resources', []],
    ['two resources', ['{"id":"a"}', '{"id":"b","x": [1, 2]}']],
  ])('%s: the list response JSON.stringify would build', (_label, resources) => {
    const head = { schemas: [URN.listResponse], totalResults: 7, startIndex: 3, itemsPerPage: resources.length };
    expect(JSON.parse(listJson(head, resources))).toEqual({ ...head, Resources: resources.map((r) => JSON.parse(r)) });
  });
});
